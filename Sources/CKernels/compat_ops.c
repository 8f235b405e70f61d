// Elementwise operations rounded as llama.cpp's CPU backend rounds them: its vector exp (the
// range-reduced polynomial of Arm's optimized-routines expf, lt_compat_exp.h), silu built on
// it, RMS norm with a double sum and two roundings, and RoPE with an iterated angle and fused
// rotations.
#pragma STDC FP_CONTRACT OFF
#include "lt_compat.h"
#include "lt_compat_exp.h"
#include <math.h>

static inline float lt_c_exp(float x) {
    const float z = fmaf(x, LT_EXP_LOG2E, LT_EXP_SHIFT);
    const float n = z - LT_EXP_SHIFT;
    const float b = fmaf(-n, LT_EXP_LN2_LO, fmaf(-n, LT_EXP_LN2_HI, x));
    if (fabsf(n) > 192.0f) return n <= 0.0f ? 0.0f : INFINITY;
    const float u = b * b;
    const float j = fmaf(fmaf(fmaf(LT_EXP_C5, b, LT_EXP_C4), u, fmaf(LT_EXP_C3, b, LT_EXP_C2)), u, fmaf(LT_EXP_C1, b, 1.0f));
    return ldexpf(j, (int)n);
}

void lt_compat_exp_ref(float *x, int64_t n) {
    for (int64_t i = 0; i < n; i++) x[i] = lt_c_exp(x[i]);
}

void lt_compat_silu_mul_ref(float *g, const float *u, int64_t n) {
    const int64_t full = n / 16 * 16;
    int64_t i = 0;
    for (; i < full; i++) g[i] = (g[i] / (1.0f + lt_c_exp(0.0f - g[i]))) * u[i];
    // llama.cpp's scalar tail uses the C library's expf.
    for (; i < n; i++) g[i] = (g[i] / (1.0f + expf(-g[i]))) * u[i];
}

#if LT_FAST
void lt_compat_exp(float *x, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(x + i, lt_exp16(_mm512_loadu_ps(x + i)));
    if (i < n) {
        const __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(x + i, m, lt_exp16(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

void lt_compat_silu_mul(float *g, const float *u, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 x = _mm512_loadu_ps(g + i);
        const __m512 e = lt_exp16(_mm512_sub_ps(_mm512_setzero_ps(), x));
        const __m512 s = _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
        _mm512_storeu_ps(g + i, _mm512_mul_ps(s, _mm512_loadu_ps(u + i)));
    }
    for (; i < n; i++) g[i] = (g[i] / (1.0f + expf(-g[i]))) * u[i];
}
#else
void lt_compat_exp(float *x, int64_t n) { lt_compat_exp_ref(x, n); }
void lt_compat_silu_mul(float *g, const float *u, int64_t n) { lt_compat_silu_mul_ref(g, u, n); }
#endif

void lt_compat_rms_norm(const float *x, const float *w, float *y, int64_t n, float eps) {
    double sum = 0;
    for (int64_t i = 0; i < n; i++) sum += (double)(x[i] * x[i]);
    const float mean = (float)(sum / (double)n);
    const float scale = 1.0f / sqrtf(mean + eps);
    for (int64_t i = 0; i < n; i++) y[i] = (x[i] * scale) * w[i];
}

void lt_compat_rope_cache(int64_t position, int64_t dims, float base, float freq_scale, float *cache) {
    const float step = powf(base, -2.0f / (float)dims);
    float theta = (float)position;
    for (int64_t i = 0; i < dims; i += 2) {
        const float t = freq_scale * theta;
        cache[i] = cosf(t);
        cache[i + 1] = sinf(t);
        theta *= step;
    }
}

void lt_compat_rope(float *x, int64_t heads, int64_t hs, int64_t dims, const float *cache) {
    for (int64_t h = 0; h < heads; h++) {
        float *v = x + h * hs;
        for (int64_t i = 0; i < dims; i += 2) {
            const float c = cache[i], s = cache[i + 1], x0 = v[i], x1 = v[i + 1];
            v[i] = fmaf(x0, c, -(x1 * s));
            v[i + 1] = fmaf(x0, s, x1 * c);
        }
    }
}
