// AVX2 fallbacks (no AVX-512) of the most used dot products: Q4_0 and Q8_0 × Q8_0, Q4_1 × Q8_1,
// Q4_K and Q6_K × Q8_K. One block per step: unsigned weight bytes times signed activation bytes
// (vpmaddubsw), pairs summed to int32 (vpmaddwd, with the sub-block scale for the K types).
// Compiled for AVX2 by function attribute so they exist, and are tested, on every x86-64 build.
#include "lt_quant.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LT_AVX2 __attribute__((target("avx2,fma,f16c")))

int lt_avx2_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
}

LT_AVX2 static inline float lt2_h2f(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

LT_AVX2 static inline float lt2_hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// 16 nibble bytes as 32 values [low nibbles, high nibbles].
LT_AVX2 static inline __m256i lt2_nib32(const uint8_t *p) {
    __m128i raw = _mm_loadu_si128((const __m128i *)p);
    __m256i q = _mm256_inserti128_si256(_mm256_castsi128_si256(raw), _mm_srli_epi16(raw, 4), 1);
    return _mm256_and_si256(q, _mm256_set1_epi8(0x0F));
}

/// Σ u·s over 32 unsigned × signed bytes, as 8 int32 partial sums weighted by the int16 `scale`s.
LT_AVX2 static inline __m256i lt2_dot(__m256i u, __m256i s, __m256i scale) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), scale);
}

LT_AVX2 static float lt2_dot_q4_0(const uint8_t *w, int64_t nb, const lt_activation *a) {
    __m256 acc = _mm256_setzero_ps();
    const __m256i one = _mm256_set1_epi16(1);
    float extra = 0;
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *p = w + 18 * b;
        const float d = lt2_h2f(p) * a->scales[b];
        __m256i s = lt2_dot(lt2_nib32(p + 2), _mm256_loadu_si256((const __m256i *)(a->quants + 32 * b)), one);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(s), acc);
        extra -= 8 * d * (float)a->isums[b];
    }
    return lt2_hsum(acc) + extra;
}

LT_AVX2 static float lt2_dot_q4_1(const uint8_t *w, int64_t nb, const lt_activation *a) {
    __m256 acc = _mm256_setzero_ps();
    const __m256i one = _mm256_set1_epi16(1);
    float extra = 0;
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *p = w + 20 * b;
        __m256i s = lt2_dot(lt2_nib32(p + 4), _mm256_loadu_si256((const __m256i *)(a->quants + 32 * b)), one);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(lt2_h2f(p) * a->scales[b]), _mm256_cvtepi32_ps(s), acc);
        extra += lt2_h2f(p + 2) * a->sums[b];
    }
    return lt2_hsum(acc) + extra;
}

/// Q8_0: |w| times x with w's sign.
LT_AVX2 static float lt2_dot_q8_0(const uint8_t *w, int64_t nb, const lt_activation *a) {
    __m256 acc = _mm256_setzero_ps();
    const __m256i one = _mm256_set1_epi16(1);
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *p = w + 34 * b;
        __m256i q = _mm256_loadu_si256((const __m256i *)(p + 2));
        __m256i x = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)(a->quants + 32 * b)), q);
        __m256i s = lt2_dot(_mm256_abs_epi8(q), x, one);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(lt2_h2f(p) * a->scales[b]), _mm256_cvtepi32_ps(s), acc);
    }
    return lt2_hsum(acc);
}

/// The 6-bit scales (sc) and mins (mn) of a Q4_K block.
static inline void lt2_k4_scales(const uint8_t *s, uint8_t sc[8], uint8_t mn[8]) {
    for (int j = 0; j < 8; j++) {
        if (j < 4) {
            sc[j] = s[j] & 63;
            mn[j] = s[j + 4] & 63;
        } else {
            sc[j] = (uint8_t)((s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4));
            mn[j] = (uint8_t)((s[j + 4] >> 4) | ((s[j] >> 6) << 4));
        }
    }
}

LT_AVX2 static float lt2_dot_q4_K(const uint8_t *w, int64_t nb, const lt_activation *a) {
    __m256 acc = _mm256_setzero_ps();
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    float extra = 0;
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *p = w + 144 * b;
        const int8_t *x = a->quants + 256 * b;
        const int16_t *bs = a->bsums + 16 * b;
        uint8_t sc[8], mn[8];
        lt2_k4_scales(p + 4, sc, mn);
        __m256i iacc = _mm256_setzero_si256();
        for (int j = 0; j < 4; j++) {
            __m256i raw = _mm256_loadu_si256((const __m256i *)(p + 16 + 32 * j));
            __m256i lo = _mm256_and_si256(raw, m4), hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4);
            iacc = _mm256_add_epi32(iacc, lt2_dot(lo, _mm256_loadu_si256((const __m256i *)(x + 64 * j)), _mm256_set1_epi16(sc[2 * j])));
            iacc = _mm256_add_epi32(iacc, lt2_dot(hi, _mm256_loadu_si256((const __m256i *)(x + 64 * j + 32)), _mm256_set1_epi16(sc[2 * j + 1])));
        }
        const float dx = a->scales[b];
        acc = _mm256_fmadd_ps(_mm256_set1_ps(lt2_h2f(p) * dx), _mm256_cvtepi32_ps(iacc), acc);
        int32_t m = 0;
        for (int g = 0; g < 8; g++) m += mn[g] * (bs[2 * g] + bs[2 * g + 1]);
        extra -= lt2_h2f(p + 2) * dx * (float)m;
    }
    return lt2_hsum(acc) + extra;
}

LT_AVX2 static float lt2_dot_q6_K(const uint8_t *w, int64_t nb, const lt_activation *a) {
    __m256 acc = _mm256_setzero_ps();
    const __m256i m4 = _mm256_set1_epi8(0x0F), m3 = _mm256_set1_epi8(0x03);
    float extra = 0;
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *p = w + 210 * b;
        const int8_t *x = a->quants + 256 * b, *sc = (const int8_t *)(p + 192);
        const int16_t *bs = a->bsums + 16 * b;
        __m256i iacc = _mm256_setzero_si256();
        for (int h = 0; h < 2; h++) {
            __m256i l0 = _mm256_loadu_si256((const __m256i *)(p + 64 * h));
            __m256i l1 = _mm256_loadu_si256((const __m256i *)(p + 64 * h + 32));
            __m256i qh = _mm256_loadu_si256((const __m256i *)(p + 128 + 32 * h));
            __m256i v[4] = {
                _mm256_or_si256(_mm256_and_si256(l0, m4), _mm256_slli_epi16(_mm256_and_si256(qh, m3), 4)),
                _mm256_or_si256(_mm256_and_si256(l1, m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), m3), 4)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), m3), 4)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), m3), 4)),
            };
            for (int k = 0; k < 4; k++) {
                const int g = 8 * h + 2 * k;
                __m256i scale = _mm256_set_m128i(_mm_set1_epi16(sc[g + 1]), _mm_set1_epi16(sc[g]));
                iacc = _mm256_add_epi32(iacc, lt2_dot(v[k], _mm256_loadu_si256((const __m256i *)(x + 128 * h + 32 * k)), scale));
            }
        }
        int32_t corr = 0;
        for (int g = 0; g < 16; g++) corr += sc[g] * bs[g];
        const float dd = lt2_h2f(p + 208) * a->scales[b];
        acc = _mm256_fmadd_ps(_mm256_set1_ps(dd), _mm256_cvtepi32_ps(iacc), acc);
        extra -= 32 * dd * (float)corr;
    }
    return lt2_hsum(acc) + extra;
}

#define LT_MATVEC2(NAME, DOT)                                                                                     \
    LT_AVX2 void NAME(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y) { \
        for (int64_t r = r0; r < r1; r++) y[r] = DOT(w + r * row_bytes, blocks, a);                             \
    }
#else
int lt_avx2_available(void) { return 0; }
#define LT_MATVEC2(NAME, DOT)                                                                                     \
    void NAME(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y) { \
        (void)w; (void)row_bytes; (void)blocks; (void)a; (void)r0; (void)r1; (void)y;                            \
    }
#endif

LT_MATVEC2(lt_matvec_q4_0_avx2, lt2_dot_q4_0)
LT_MATVEC2(lt_matvec_q4_1_avx2, lt2_dot_q4_1)
LT_MATVEC2(lt_matvec_q8_0_avx2, lt2_dot_q8_0)
LT_MATVEC2(lt_matvec_q4_K_avx2, lt2_dot_q4_K)
LT_MATVEC2(lt_matvec_q6_K_avx2, lt2_dot_q6_K)
