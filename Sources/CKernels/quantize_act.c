// Quantization of the activation vector (once per matrix-vector product), bit-identical to the
// Swift reference ActivationQuantizer: products x·(127/amax) rounded to nearest even.
#include "lt_quant.h"
#include "lt_simd.h"

#if LT_FAST
static inline float lt_round_half(float v) { return _cvtsh_ss(_cvtss_sh(v, _MM_FROUND_TO_NEAREST_INT)); }

/// 16 floats times id, rounded to nearest even, as 16 int8 (no saturation needed: |x·id| ≤ 127).
static inline __m128i lt_q16(__m512 v, __m512 id) {
    return _mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(_mm512_mul_ps(v, id)));
}

int lt_quantize_q8_32(const float *x, int64_t blocks, int8_t *q, float *d, float *s, int32_t *isum,
                      float *pairs, float *offsets, int8_t *nq) {
    const __m512 signless = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
    for (int64_t b = 0; b < blocks; b++) {
        __m512 v0 = _mm512_loadu_ps(x + 32 * b), v1 = _mm512_loadu_ps(x + 32 * b + 16);
        float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_and_ps(v0, signless), _mm512_and_ps(v1, signless)));
        float dd = amax / 127.0f;
        __m512 id = _mm512_set1_ps(amax > 0 ? 127.0f / amax : 0.0f);
        __m128i q0 = lt_q16(v0, id), q1 = lt_q16(v1, id);
        _mm_storeu_si128((__m128i *)(q + 32 * b), q0);
        _mm_storeu_si128((__m128i *)(q + 32 * b + 16), q1);
        int32_t sum = _mm512_reduce_add_epi32(_mm512_add_epi32(_mm512_cvtepi8_epi32(q0), _mm512_cvtepi8_epi32(q1)));
        d[b] = lt_round_half(dd);
        s[b] = lt_round_half(dd * (float)sum);
        isum[b] = sum;
        pairs[2 * b] = d[b];
        pairs[2 * b + 1] = s[b];
        offsets[2 * b] = (float)sum;
        offsets[2 * b + 1] = 0;
    }
    for (int64_t g = 0; g < blocks / 4; g++) {
        const int8_t *src = q + 128 * g;
        int8_t *dst = nq + 128 * g;
        for (int i = 0; i < 4; i++) {
            memcpy(dst + 16 * i, src + 32 * i, 16);
            memcpy(dst + 64 + 16 * i, src + 32 * i + 16, 16);
        }
    }
    return 1;
}

int lt_quantize_q8_256(const float *x, int64_t blocks, int8_t *q, float *d, int16_t *bsums, int8_t *kq, int8_t *nq) {
    const __m512 signless = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
    for (int64_t b = 0; b < blocks; b++) {
        const float *xb = x + 256 * b;
        __m512 m = _mm512_setzero_ps();
        for (int k = 0; k < 16; k++) m = _mm512_max_ps(m, _mm512_and_ps(_mm512_loadu_ps(xb + 16 * k), signless));
        float amax = _mm512_reduce_max_ps(m);
        __m512 id = _mm512_set1_ps(amax > 0 ? 127.0f / amax : 0.0f);
        for (int k = 0; k < 16; k++) {
            __m512i qi = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(xb + 16 * k), id));
            qi = _mm512_max_epi32(_mm512_min_epi32(qi, _mm512_set1_epi32(127)), _mm512_set1_epi32(-127));
            _mm_storeu_si128((__m128i *)(q + 256 * b + 16 * k), _mm512_cvtepi32_epi8(qi));
            bsums[16 * b + k] = (int16_t)_mm512_reduce_add_epi32(qi);
        }
        d[b] = amax / 127.0f;
        for (int h = 0; h < 2; h++) {
            const int8_t *src = q + 256 * b + 128 * h;
            int8_t *dst = kq + 256 * b + 128 * h;
            memcpy(dst, src, 32);
            memcpy(dst + 32, src + 64, 32);
            memcpy(dst + 64, src + 32, 32);
            memcpy(dst + 96, src + 96, 32);
            int8_t *ndst = nq + 256 * b + 128 * h;
            for (int i = 0; i < 4; i++) {
                memcpy(ndst + 16 * i, src + 32 * i, 16);
                memcpy(ndst + 64 + 16 * i, src + 32 * i + 16, 16);
            }
        }
    }
    return 1;
}
#else
int lt_quantize_q8_32(const float *x, int64_t blocks, int8_t *q, float *d, float *s, int32_t *isum,
                      float *pairs, float *offsets, int8_t *nq) {
    (void)x; (void)blocks; (void)q; (void)d; (void)s; (void)isum; (void)pairs; (void)offsets; (void)nq;
    return 0;
}
int lt_quantize_q8_256(const float *x, int64_t blocks, int8_t *q, float *d, int16_t *bsums, int8_t *kq, int8_t *nq) {
    (void)x; (void)blocks; (void)q; (void)d; (void)bsums; (void)kq; (void)nq;
    return 0;
}
#endif
