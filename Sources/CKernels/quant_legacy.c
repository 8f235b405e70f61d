// Dot products of the 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL) with an
// activation quantized to 8-bit 32-blocks. Two blocks per 512-bit step: the weights are expanded to
// unsigned bytes, multiplied with VNNI (vpdpbusd) and each block's int32 lanes scaled in float.
// Signed weight offsets (−8, −16, −128) are removed with the activation's per-block Σq.
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

static inline __m512 lt_blend2(float s0, float s1, __mmask16 second) {
    return _mm512_mask_blend_ps(second, _mm512_set1_ps(s0), _mm512_set1_ps(s1));
}

/// High-bit mask of two Q5 blocks in lt_nibbles2x16 order.
static inline __mmask64 lt_q5_mask2(uint32_t h0, uint32_t h1) {
    return (uint64_t)(h0 & 0xFFFF) | (uint64_t)(h1 & 0xFFFF) << 16 | (uint64_t)(h0 >> 16) << 32 | (uint64_t)(h1 >> 16) << 48;
}

// Shared shape of the nibble kernels: DS = bytes per block, QS = offset of the nibbles,
// EXPAND2 / EXPAND1 turn weights into unsigned bytes, SCALE(p) the weight scale,
// EXTRA(p, b) the per-block additive term.
#define LT_NIBBLE_DOT(NAME, DS, QS, EXPAND2, EXPAND1, EXTRA)                                          \
    static inline float NAME(const uint8_t *w, int64_t nb, const lt_activation *a) {                   \
        __m512 acc = _mm512_setzero_ps();                                                              \
        float extra = 0;                                                                               \
        int64_t b = 0;                                                                                 \
        for (; b + 2 <= nb; b += 2) {                                                                  \
            const uint8_t *p0 = w + b * (DS), *p1 = p0 + (DS);                                         \
            __m512i q = lt_nibbles2x16(p0 + (QS), p1 + (QS));                                         \
            EXPAND2;                                                                                   \
            __m512i x = lt_act2x32_nibble_order(a->quants + b * 32);                                   \
            __m512i dp = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q, x);                            \
            float d0 = lt_h2f(p0) * a->scales[b], d1 = lt_h2f(p1) * a->scales[b + 1];                  \
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dp), lt_blend2(d0, d1, 0xF0F0), acc);             \
            extra += EXTRA(p0, d0, b) + EXTRA(p1, d1, b + 1);                                          \
        }                                                                                              \
        for (; b < nb; b++) {                                                                          \
            const uint8_t *p0 = w + b * (DS);                                                          \
            __m256i q1 = lt_nibbles16(p0 + (QS));                                                      \
            EXPAND1;                                                                                   \
            __m256i dp = _mm256_dpbusd_epi32(_mm256_setzero_si256(), q1, _mm256_loadu_si256((const __m256i *)(a->quants + b * 32))); \
            float d0 = lt_h2f(p0) * a->scales[b];                                                      \
            extra += d0 * (float)lt_hsum256_epi32(dp) + EXTRA(p0, d0, b);                              \
        }                                                                                              \
        return _mm512_reduce_add_ps(acc) + extra;                                                      \
    }

#define LT_EXTRA_Q4_0(p, d, b) (-8.0f * (d) * (float)a->isums[b])
#define LT_EXTRA_Q5_0(p, d, b) (-16.0f * (d) * (float)a->isums[b])
#define LT_EXTRA_MIN(p, d, b) (lt_h2f((p) + 2) * a->sums[b])
#define LT_EXTRA_IQ4(p, d, b) (-128.0f * (d) * (float)a->isums[b])

LT_NIBBLE_DOT(lt_dot_q4_0, 18, 2, (void)0, (void)0, LT_EXTRA_Q4_0)
LT_NIBBLE_DOT(lt_dot_q4_1, 20, 4, (void)0, (void)0, LT_EXTRA_MIN)
LT_NIBBLE_DOT(lt_dot_q5_0, 22, 6,
              q = _mm512_mask_add_epi8(q, lt_q5_mask2(lt_u32(p0 + 2), lt_u32(p1 + 2)), q, _mm512_set1_epi8(0x10)),
              q1 = _mm256_mask_add_epi8(q1, lt_u32(p0 + 2), q1, _mm256_set1_epi8(0x10)),
              LT_EXTRA_Q5_0)
LT_NIBBLE_DOT(lt_dot_q5_1, 24, 8,
              q = _mm512_mask_add_epi8(q, lt_q5_mask2(lt_u32(p0 + 4), lt_u32(p1 + 4)), q, _mm512_set1_epi8(0x10)),
              q1 = _mm256_mask_add_epi8(q1, lt_u32(p0 + 4), q1, _mm256_set1_epi8(0x10)),
              LT_EXTRA_MIN)
LT_NIBBLE_DOT(lt_dot_iq4_nl, 18, 2,
              q = _mm512_shuffle_epi8(_mm512_broadcast_i32x4(_mm_xor_si128(_mm_loadu_si128((const __m128i *)lt_iq4nl_values), _mm_set1_epi8((char)0x80))), q),
              q1 = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(_mm_xor_si128(_mm_loadu_si128((const __m128i *)lt_iq4nl_values), _mm_set1_epi8((char)0x80))), q1),
              LT_EXTRA_IQ4)

/// Q8_0: signed × signed, so the weight's sign moves onto the activation (|w| · ±x).
static inline float lt_dot_q8_0(const uint8_t *w, int64_t nb, const lt_activation *a) {
    __m512 acc = _mm512_setzero_ps();
    float extra = 0;
    int64_t b = 0;
    const __m512i zero = _mm512_setzero_si512();
    for (; b + 2 <= nb; b += 2) {
        const uint8_t *p0 = w + b * 34, *p1 = p0 + 34;
        __m512i q = lt_load2x256(p0 + 2, p1 + 2);
        __m512i x = _mm512_loadu_si512(a->quants + b * 32);
        x = _mm512_mask_sub_epi8(x, _mm512_movepi8_mask(q), zero, x);
        __m512i dp = _mm512_dpbusd_epi32(zero, _mm512_abs_epi8(q), x);
        float d0 = lt_h2f(p0) * a->scales[b], d1 = lt_h2f(p1) * a->scales[b + 1];
        acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dp), lt_blend2(d0, d1, 0xFF00), acc);
    }
    for (; b < nb; b++) {
        const uint8_t *p0 = w + b * 34;
        __m256i q = _mm256_loadu_si256((const __m256i *)(p0 + 2));
        __m256i x = _mm256_loadu_si256((const __m256i *)(a->quants + b * 32));
        x = _mm256_mask_sub_epi8(x, _mm256_movepi8_mask(q), _mm256_setzero_si256(), x);
        __m256i dp = _mm256_dpbusd_epi32(_mm256_setzero_si256(), _mm256_abs_epi8(q), x);
        extra += lt_h2f(p0) * a->scales[b] * (float)lt_hsum256_epi32(dp);
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
