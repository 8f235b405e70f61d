// Dot products of the 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL) with an
// activation quantized to 8-bit 32-blocks. Eight blocks per step: the blocks' leading 4 bytes
// (d, and m where there is one) are gathered and converted at once and multiplied by the
// activation's [d, d·Σq] pairs; the weights are expanded to unsigned bytes (four nibble blocks per
// 512-bit vector, picked with one vpermt2b), multiplied with VNNI (vpdpbusd), and each block's int32
// lanes scaled by its product. Weight offsets (−8, −16, −128) are removed with the activation's Σq.
#include "lt_quant.h"
#include "lt_simd.h"

int lt_fast_kernels_available(void) { return LT_FAST; }

#if LT_FAST
static const int8_t lt_iq4nl_values[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

/// vpermt2b index gathering the 16 nibble bytes of four blocks `ds` bytes apart.
static inline __m512i lt_quad_index(int ds) {
    uint8_t idx[64];
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 16; k++) idx[16 * i + k] = (uint8_t)(i * ds + k);
    return _mm512_loadu_si512(idx);
}

/// Index for _mm512_permutexvar_ps: lane l takes the d·dx product of block 4j + l/4 of eight.
static inline __m512i lt_quad_scale_index(int j) {
    int32_t idx[16];
    for (int l = 0; l < 16; l++) idx[l] = 8 * j + 2 * (l / 4);
    return _mm512_loadu_si512(idx);
}

/// Four nibble blocks (nibbles at q0, q0 + ds, ...): their low nibbles (values 0-15 of each block)
/// and high nibbles (values 16-31). Reads only bytes of the four blocks.
/// With `n` < 4 only the first n blocks are read (the rest come out as zeros).
static inline void lt_quad_nibbles(const uint8_t *q0, int ds, int n, __m512i idx, __m512i *lo, __m512i *hi) {
    const int len = (n - 1) * ds + 16;  // bytes from q0 to the end of block n's nibbles
    __m512i t0 = len >= 64 ? _mm512_loadu_si512(q0) : _mm512_maskz_loadu_epi8(((__mmask64)1 << len) - 1, q0);
    __m512i t1 = len > 64 ? _mm512_maskz_loadu_epi8(((__mmask64)1 << (len - 64)) - 1, q0 + 64) : _mm512_setzero_si512();
    __m512i raw = _mm512_permutex2var_epi8(t0, idx, t1);
    const __m512i m4 = _mm512_set1_epi8(0x0F);
    *lo = _mm512_and_si512(raw, m4);
    *hi = _mm512_and_si512(_mm512_srli_epi16(raw, 4), m4);
}

/// Adds the Q5 fifth bit (0x10) to n ≤ 4 blocks' values: bit k of a block's qh is value k.
static inline void lt_quad_q5_high(const uint8_t *p, int ds, int qh, int n, __m512i *lo, __m512i *hi) {
    uint64_t l = 0, h = 0;
    for (int i = 0; i < n; i++) {
        uint32_t v = lt_u32(p + i * ds + qh);
        l |= (uint64_t)(v & 0xFFFF) << (16 * i);
        h |= (uint64_t)(v >> 16) << (16 * i);
    }
    const __m512i bit = _mm512_set1_epi8(0x10);
    *lo = _mm512_mask_add_epi8(*lo, l, *lo, bit);
    *hi = _mm512_mask_add_epi8(*hi, h, *hi, bit);
}

/// The dot product of up to eight blocks at p (n of them; activation block b) with the nibble kernel
/// steps, accumulated into acc / accx. Shared by the full and the final (masked) group.
#define LT_NIBBLE_GROUP(DS, QS, EXPAND_QUAD, MODE, N)                                                  \
    {                                                                                                  \
        const uint8_t *p = w + b * (DS);                                                               \
        __m256i g = (N) >= 8 ? _mm256_i32gather_epi32((const int *)p, gidx, 1)                         \
                             : _mm256_mmask_i32gather_epi32(_mm256_setzero_si256(), (__mmask8)((1u << (N)) - 1), gidx, (const int *)p, 1); \
        __m512 prod = _mm512_mul_ps(_mm512_cvtph_ps(g), _mm512_loadu_ps(a->pairs + 2 * b));            \
        if (MODE) accx = _mm512_mask_add_ps(accx, 0xAAAA, accx, prod);                                 \
        else accx = _mm512_mask3_fmadd_ps(prod, _mm512_loadu_ps(a->offsets + 2 * b), accx, 0x5555);    \
        for (int j = 0; j < 2; j++) {                                                                  \
            const int nq = (N) - 4 * j >= 4 ? 4 : (N) - 4 * j;                                         \
            if (nq <= 0) break;                                                                        \
            const uint8_t *pq = p + 4 * j * (DS);                                                      \
            __m512i lo, hi;                                                                            \
            lt_quad_nibbles(pq + (QS), DS, nq, nidx, &lo, &hi);                                        \
            EXPAND_QUAD;                                                                               \
            const int8_t *xq = a->nquants + (b + 4 * j) * 32;                                          \
            __m512i dp = _mm512_dpbusd_epi32(_mm512_setzero_si512(), lo, _mm512_loadu_si512(xq));      \
            dp = _mm512_dpbusd_epi32(dp, hi, _mm512_loadu_si512(xq + 64));                             \
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dp), _mm512_permutexvar_ps(j ? sidx1 : sidx0, prod), acc); \
        }                                                                                              \
    }

// The nibble kernels. DS: bytes per block, QS: offset of the nibbles, EXPAND_QUAD: extra steps on
// a quad's lo/hi (block pointer pq, nq blocks); MODE 1 adds m·s (Q4_1, Q5_1), MODE 0 subtracts
// OFF·d·dx·Σq. The last nb % 8 blocks run as one masked group: the activation is zero-padded to
// whole groups, and no weight byte past the row is read.
#define LT_NIBBLE_DOT(NAME, DS, QS, EXPAND_QUAD, MODE, OFF)                                            \
    static inline float NAME(const uint8_t *w, int64_t nb, const lt_activation *a) {                   \
        __m512 acc = _mm512_setzero_ps(), accx = _mm512_setzero_ps();                                  \
        const __m256i gidx = _mm256_setr_epi32(0, DS, 2 * DS, 3 * DS, 4 * DS, 5 * DS, 6 * DS, 7 * DS);  \
        const __m512i nidx = lt_quad_index(DS);                                                        \
        const __m512i sidx0 = lt_quad_scale_index(0), sidx1 = lt_quad_scale_index(1);                  \
        int64_t b = 0;                                                                                 \
        for (; b + 8 <= nb; b += 8) LT_NIBBLE_GROUP(DS, QS, EXPAND_QUAD, MODE, 8)                      \
        if (b < nb) {                                                                                  \
            const int rest = (int)(nb - b);                                                            \
            LT_NIBBLE_GROUP(DS, QS, EXPAND_QUAD, MODE, rest)                                           \
        }                                                                                              \
        return _mm512_reduce_add_ps(_mm512_fmadd_ps(accx, _mm512_set1_ps(MODE ? 1.0f : -(float)(OFF)), acc)); \
    }

#define LT_IQ4_TABLE _mm_xor_si128(_mm_loadu_si128((const __m128i *)lt_iq4nl_values), _mm_set1_epi8((char)0x80))
#define LT_IQ4_QUAD                                                                                    \
    const __m512i tbl = _mm512_broadcast_i32x4(LT_IQ4_TABLE);                                          \
    lo = _mm512_shuffle_epi8(tbl, lo);                                                                 \
    hi = _mm512_shuffle_epi8(tbl, hi)

LT_NIBBLE_DOT(lt_dot_q4_0, 18, 2, (void)0, 0, 8)
LT_NIBBLE_DOT(lt_dot_q4_1, 20, 4, (void)0, 1, 0)
LT_NIBBLE_DOT(lt_dot_q5_0, 22, 6, lt_quad_q5_high(pq, 22, 2, nq, &lo, &hi), 0, 16)
LT_NIBBLE_DOT(lt_dot_q5_1, 24, 8, lt_quad_q5_high(pq, 24, 4, nq, &lo, &hi), 1, 0)
LT_NIBBLE_DOT(lt_dot_iq4_nl, 18, 2, LT_IQ4_QUAD, 0, 128)

/// Q8_0: the signed weights are made unsigned (+128, one xor) and 128·d·dx·Σq taken off after.
/// Eight blocks per step; the last nb % 8 as one masked group (zero-padded activation).
static inline float lt_dot_q8_0(const uint8_t *w, int64_t nb, const lt_activation *a) {
    __m512 acc = _mm512_setzero_ps(), accx = _mm512_setzero_ps();
    const __m256i gidx = _mm256_setr_epi32(0, 34, 68, 102, 136, 170, 204, 238);
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    __m512i sidx[4];
    for (int k = 0; k < 4; k++) {
        int32_t idx[16];
        for (int l = 0; l < 16; l++) idx[l] = 4 * k + (l < 8 ? 0 : 2);
        sidx[k] = _mm512_loadu_si512(idx);
    }
    for (int64_t b = 0; b < nb; b += 8) {
        const int n = nb - b >= 8 ? 8 : (int)(nb - b);
        const uint8_t *p = w + b * 34;
        __m256i g = n == 8 ? _mm256_i32gather_epi32((const int *)p, gidx, 1)
                           : _mm256_mmask_i32gather_epi32(_mm256_setzero_si256(), (__mmask8)((1u << n) - 1), gidx, (const int *)p, 1);
        __m512 prod = _mm512_mul_ps(_mm512_cvtph_ps(g), _mm512_loadu_ps(a->pairs + 2 * b));
        accx = _mm512_mask3_fmadd_ps(prod, _mm512_loadu_ps(a->offsets + 2 * b), accx, 0x5555);
        for (int k = 0; k < 4 && 2 * k < n; k++) {
            const uint8_t *p0 = p + 68 * k;
            __m512i q = n - 2 * k >= 2 ? lt_load2x256(p0 + 2, p0 + 36)
                                       : _mm512_zextsi256_si512(_mm256_loadu_si256((const __m256i *)(p0 + 2)));
            q = _mm512_xor_si512(q, flip);
            __m512i dp = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q, _mm512_loadu_si512(a->quants + (b + 2 * k) * 32));
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dp), _mm512_permutexvar_ps(sidx[k], prod), acc);
        }
    }
    return _mm512_reduce_add_ps(_mm512_fmadd_ps(accx, _mm512_set1_ps(-128.0f), acc));
}

#endif

LT_MATVEC(lt_matvec_q4_0, lt_dot_q4_0)
LT_MATVEC(lt_matvec_q4_1, lt_dot_q4_1)
LT_MATVEC(lt_matvec_q5_0, lt_dot_q5_0)
LT_MATVEC(lt_matvec_q5_1, lt_dot_q5_1)
LT_MATVEC(lt_matvec_q8_0, lt_dot_q8_0)
LT_MATVEC(lt_matvec_iq4_nl, lt_dot_iq4_nl)
