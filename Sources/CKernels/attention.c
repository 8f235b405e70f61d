// Half-precision KV cache kernels: conversions and the two products of single-query attention.
// AVX-512 (with F16C conversions) when built for it and the head size is a multiple of 16; plain
// C with _Float16 otherwise. Both are checked against a Swift scalar reference in the tests.
#include "lt_attention.h"
#include <string.h>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif

static inline float half_to_float(uint16_t h) {
    _Float16 v;
    memcpy(&v, &h, 2);
    return (float)v;
}

static inline uint16_t float_to_half(float f) {
    _Float16 v = (_Float16)f;
    uint16_t h;
    memcpy(&h, &v, 2);
    return h;
}

void lt_f32_to_f16(const float *x, uint16_t *y, int64_t n) {
    int64_t i = 0;
#if defined(__AVX512F__)
    for (; i + 16 <= n; i += 16) {
        __m256i h = _mm512_cvtps_ph(_mm512_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_storeu_si256((__m256i *)(y + i), h);
    }
#endif
    for (; i < n; i++) y[i] = float_to_half(x[i]);
}

void lt_f16_to_f32(const uint16_t *x, float *y, int64_t n) {
    int64_t i = 0;
#if defined(__AVX512F__)
    for (; i + 16 <= n; i += 16) {
        _mm512_storeu_ps(y + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(x + i))));
    }
#endif
    for (; i < n; i++) y[i] = half_to_float(x[i]);
}

void lt_attn_scores_f16(const float *q, const uint16_t *k, int64_t count, int64_t hs, float scale, float *s) {
#if defined(__AVX512F__)
    if (hs % 16 == 0) {
        for (int64_t j = 0; j < count; j++) {
            const uint16_t *row = k + j * hs;
            __m512 acc = _mm512_setzero_ps();
            for (int64_t c = 0; c < hs; c += 16) {
                __m512 kv = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(row + c)));
                acc = _mm512_fmadd_ps(_mm512_loadu_ps(q + c), kv, acc);
            }
            s[j] = scale * _mm512_reduce_add_ps(acc);
        }
        return;
    }
#endif
    for (int64_t j = 0; j < count; j++) {
        float acc = 0;
        for (int64_t c = 0; c < hs; c++) acc += q[c] * half_to_float(k[j * hs + c]);
        s[j] = scale * acc;
    }
}

void lt_attn_values_f16(const float *p, const uint16_t *v, int64_t count, int64_t hs, float *out) {
    memset(out, 0, (size_t)hs * sizeof(float));
#if defined(__AVX512F__)
    if (hs % 16 == 0 && hs <= 256) {
        __m512 acc[16];
        const int64_t chunks = hs / 16;
        for (int64_t c = 0; c < chunks; c++) acc[c] = _mm512_setzero_ps();
        for (int64_t j = 0; j < count; j++) {
            const __m512 w = _mm512_set1_ps(p[j]);
            const uint16_t *row = v + j * hs;
            for (int64_t c = 0; c < chunks; c++) {
                __m512 vv = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(row + 16 * c)));
                acc[c] = _mm512_fmadd_ps(w, vv, acc[c]);
            }
        }
        for (int64_t c = 0; c < chunks; c++) _mm512_storeu_ps(out + 16 * c, acc[c]);
        return;
    }
#endif
    for (int64_t j = 0; j < count; j++) {
        for (int64_t d = 0; d < hs; d++) out[d] += p[j] * half_to_float(v[j * hs + d]);
    }
}
