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

static inline int32_t lt_hsum256_epi32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

/// One block's 16 nibble bytes as 32 values in natural order [low nibbles, high nibbles].
static inline __m256i lt_nibbles16(const uint8_t *p) {
    __m128i raw = _mm_loadu_si128((const __m128i *)p);
    __m256i q = _mm256_inserti128_si256(_mm256_castsi128_si256(raw), _mm_srli_epi16(raw, 4), 1);
    return _mm256_and_si256(q, _mm256_set1_epi8(0x0F));
}

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
static inline void lt_quad_nibbles(const uint8_t *q0, int ds, __m512i idx, __m512i *lo, __m512i *hi) {
    __m512i t0 = _mm512_loadu_si512(q0);
    __m512i t1 = _mm512_maskz_loadu_epi8(((__mmask64)1 << (3 * ds - 48)) - 1, q0 + 64);
    __m512i raw = _mm512_permutex2var_epi8(t0, idx, t1);
    const __m512i m4 = _mm512_set1_epi8(0x0F);
    *lo = _mm512_and_si512(raw, m4);
    *hi = _mm512_and_si512(_mm512_srli_epi16(raw, 4), m4);
}

/// Adds the Q5 fifth bit (0x10) to four blocks' values: bit k of a block's qh is value k.
static inline void lt_quad_q5_high(const uint8_t *p, int ds, int qh, __m512i *lo, __m512i *hi) {
    uint64_t l = 0, h = 0;
    for (int i = 0; i < 4; i++) {
        uint32_t v = lt_u32(p + i * ds + qh);
        l |= (uint64_t)(v & 0xFFFF) << (16 * i);
        h |= (uint64_t)(v >> 16) << (16 * i);
    }
    const __m512i bit = _mm512_set1_epi8(0x10);
    *lo = _mm512_mask_add_epi8(*lo, l, *lo, bit);
    *hi = _mm512_mask_add_epi8(*hi, h, *hi, bit);
}

// The nibble kernels. DS: bytes per block, QS: offset of the nibbles, EXPAND_QUAD / EXPAND_ONE:
// extra steps on the quad's lo/hi (block pointer pq) or one block's q1 (pointer p0); MODE 1 adds
// m·s (Q4_1, Q5_1), MODE 0 subtracts OFF·d·dx·Σq.
#define LT_NIBBLE_DOT(NAME, DS, QS, EXPAND_QUAD, EXPAND_ONE, MODE, OFF)                                \
    static inline float NAME(const uint8_t *w, int64_t nb, const lt_activation *a) {                   \
        __m512 acc = _mm512_setzero_ps(), accx = _mm512_setzero_ps();                                  \
        const __m256i gidx = _mm256_setr_epi32(0, DS, 2 * DS, 3 * DS, 4 * DS, 5 * DS, 6 * DS, 7 * DS);  \
        const __m512i nidx = lt_quad_index(DS);                                                        \
        const __m512i sidx0 = lt_quad_scale_index(0), sidx1 = lt_quad_scale_index(1);                  \
        int64_t b = 0;                                                                                 \
        for (; b + 8 <= nb; b += 8) {                                                                  \
            const uint8_t *p = w + b * (DS);                                                           \
            __m512 dm = _mm512_cvtph_ps(_mm256_i32gather_epi32((const int *)p, gidx, 1));              \
            __m512 prod = _mm512_mul_ps(dm, _mm512_loadu_ps(a->pairs + 2 * b));                        \
            if (MODE) accx = _mm512_mask_add_ps(accx, 0xAAAA, accx, prod);                             \
            else accx = _mm512_mask3_fmadd_ps(prod, _mm512_loadu_ps(a->offsets + 2 * b), accx, 0x5555); \
            for (int j = 0; j < 2; j++) {                                                              \
                const uint8_t *pq = p + 4 * j * (DS);                                                  \
                __m512i lo, hi;                                                                        \
                lt_quad_nibbles(pq + (QS), DS, nidx, &lo, &hi);                                        \
                EXPAND_QUAD;                                                                           \
                const int8_t *xq = a->nquants + (b + 4 * j) * 32;                                      \
                __m512i dp = _mm512_dpbusd_epi32(_mm512_setzero_si512(), lo, _mm512_loadu_si512(xq));  \
                dp = _mm512_dpbusd_epi32(dp, hi, _mm512_loadu_si512(xq + 64));                         \
                acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dp), _mm512_permutexvar_ps(j ? sidx1 : sidx0, prod), acc); \
            }                                                                                          \
        }                                                                                              \
        float extra = (MODE ? 1.0f : -(float)(OFF)) * _mm512_reduce_add_ps(accx);                      \
        for (; b < nb; b++) {                                                                          \
            const uint8_t *p0 = w + b * (DS);                                                          \
            __m256i q1 = lt_nibbles16(p0 + (QS));                                                      \
            EXPAND_ONE;                                                                                \
            __m256i x1 = _mm256_loadu_si256((const __m256i *)(a->quants + b * 32));                    \
            __m256i dp = _mm256_dpbusd_epi32(_mm256_setzero_si256(), q1, x1);                          \
            float d0 = lt_h2f(p0) * a->scales[b];                                                      \
            extra += d0 * (float)lt_hsum256_epi32(dp);                                                 \
            extra += MODE ? lt_h2f(p0 + 2) * a->sums[b] : -(float)(OFF) * d0 * (float)a->isums[b];     \
        }                                                                                              \
        return _mm512_reduce_add_ps(acc) + extra;                                                      \
    }

#define LT_IQ4_TABLE _mm_xor_si128(_mm_loadu_si128((const __m128i *)lt_iq4nl_values), _mm_set1_epi8((char)0x80))
#define LT_IQ4_QUAD                                                                                    \
    const __m512i tbl = _mm512_broadcast_i32x4(LT_IQ4_TABLE);                                          \
    lo = _mm512_shuffle_epi8(tbl, lo);                                                                 \
    hi = _mm512_shuffle_epi8(tbl, hi)
#define LT_IQ4_ONE q1 = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(LT_IQ4_TABLE), q1)

LT_NIBBLE_DOT(lt_dot_q4_0, 18, 2, (void)0, (void)0, 0, 8)
LT_NIBBLE_DOT(lt_dot_q4_1, 20, 4, (void)0, (void)0, 1, 0)
LT_NIBBLE_DOT(lt_dot_q5_0, 22, 6, lt_quad_q5_high(pq, 22, 2, &lo, &hi),
              q1 = _mm256_mask_add_epi8(q1, lt_u32(p0 + 2), q1, _mm256_set1_epi8(0x10)), 0, 16)
LT_NIBBLE_DOT(lt_dot_q5_1, 24, 8, lt_quad_q5_high(pq, 24, 4, &lo, &hi),
              q1 = _mm256_mask_add_epi8(q1, lt_u32(p0 + 4), q1, _mm256_set1_epi8(0x10)), 1, 0)
LT_NIBBLE_DOT(lt_dot_iq4_nl, 18, 2, LT_IQ4_QUAD, LT_IQ4_ONE, 0, 128)

/// Q8_0: the signed weights are made unsigned (+128, one xor) and 128·d·dx·Σq taken off after.
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
    int64_t b = 0;
    for (; b + 8 <= nb; b += 8) {
        const uint8_t *p = w + b * 34;
        __m512 dm = _mm512_cvtph_ps(_mm256_i32gather_epi32((const int *)p, gidx, 1));
        __m512 prod = _mm512_mul_ps(dm, _mm512_loadu_ps(a->pairs + 2 * b));
        accx = _mm512_mask3_fmadd_ps(prod, _mm512_loadu_ps(a->offsets + 2 * b), accx, 0x5555);
        for (int k = 0; k < 4; k++) {
            const uint8_t *p0 = p + 68 * k;
            __m512i q = _mm512_xor_si512(lt_load2x256(p0 + 2, p0 + 36), flip);
            __m512i dp = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q, _mm512_loadu_si512(a->quants + (b + 2 * k) * 32));
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dp), _mm512_permutexvar_ps(sidx[k], prod), acc);
        }
    }
    float extra = -128.0f * _mm512_reduce_add_ps(accx);
    for (; b < nb; b++) {
        const uint8_t *p0 = w + b * 34;
        __m256i q = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(p0 + 2)), _mm256_set1_epi8((char)0x80));
        __m256i dp = _mm256_dpbusd_epi32(_mm256_setzero_si256(), q, _mm256_loadu_si256((const __m256i *)(a->quants + b * 32)));
        float d0 = lt_h2f(p0) * a->scales[b];
        extra += d0 * (float)(lt_hsum256_epi32(dp) - 128 * a->isums[b]);
    }
    return _mm512_reduce_add_ps(acc) + extra;
}

#define LT_MATVEC(NAME, DOT)                                                                                      \
    void NAME(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y) { \
        for (int64_t r = r0; r < r1; r++) y[r] = DOT(w + r * row_bytes, blocks, a);                             \
    }
#else
#define LT_MATVEC(NAME, DOT)                                                                                      \
    void NAME(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y) { \
        (void)w; (void)row_bytes; (void)blocks; (void)a; (void)r0; (void)r1; (void)y;                            \
    }
#endif

LT_MATVEC(lt_matvec_q4_0, lt_dot_q4_0)
LT_MATVEC(lt_matvec_q4_1, lt_dot_q4_1)
LT_MATVEC(lt_matvec_q5_0, lt_dot_q5_0)
LT_MATVEC(lt_matvec_q5_1, lt_dot_q5_1)
LT_MATVEC(lt_matvec_q8_0, lt_dot_q8_0)
LT_MATVEC(lt_matvec_iq4_nl, lt_dot_iq4_nl)
