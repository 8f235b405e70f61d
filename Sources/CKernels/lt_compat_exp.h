// llama.cpp's vector exp (private to CKernels): the range-reduced degree-5 polynomial of Arm's
// optimized-routines expf, with its constants so the bits agree. Shared by the elementwise kernels
// and the softmax.
#ifndef LT_COMPAT_EXP_H
#define LT_COMPAT_EXP_H
#include "lt_simd.h"
#include <math.h>

// exp(x) = 2^n · p(b), n = round(x·log2 e), b = x − n·ln 2 (ln 2 split in two parts).
#define LT_EXP_SHIFT 0x1.8p23f
#define LT_EXP_LOG2E 0x1.715476p+0f
#define LT_EXP_LN2_HI 0x1.62e4p-1f
#define LT_EXP_LN2_LO 0x1.7f7d1cp-20f
#define LT_EXP_C1 0x1.ffffecp-1f
#define LT_EXP_C2 0x1.fffdb6p-2f
#define LT_EXP_C3 0x1.555e66p-3f
#define LT_EXP_C4 0x1.573e2ep-5f
#define LT_EXP_C5 0x1.0e4020p-7f

#if LT_FAST
static inline __m512 lt_exp16(__m512 x) {
    const __m512 shift = _mm512_set1_ps(LT_EXP_SHIFT);
    const __m512 z = _mm512_fmadd_ps(x, _mm512_set1_ps(LT_EXP_LOG2E), shift);
    const __m512 n = _mm512_sub_ps(z, shift);
    const __m512 b = _mm512_fnmadd_ps(n, _mm512_set1_ps(LT_EXP_LN2_LO), _mm512_fnmadd_ps(n, _mm512_set1_ps(LT_EXP_LN2_HI), x));
    const __mmask16 big = _mm512_cmp_ps_mask(_mm512_abs_ps(n), _mm512_set1_ps(192), _CMP_GT_OQ);
    const __m512 u = _mm512_mul_ps(b, b);
    const __m512 j = _mm512_fmadd_ps(
        _mm512_fmadd_ps(_mm512_fmadd_ps(_mm512_set1_ps(LT_EXP_C5), b, _mm512_set1_ps(LT_EXP_C4)), u,
                        _mm512_fmadd_ps(_mm512_set1_ps(LT_EXP_C3), b, _mm512_set1_ps(LT_EXP_C2))),
        u, _mm512_fmadd_ps(_mm512_set1_ps(LT_EXP_C1), b, _mm512_set1_ps(1.0f)));
    const __m512 res = _mm512_scalef_ps(j, n);
    if (!big) return res;
    const __m512 alt = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(n, _mm512_setzero_ps(), _CMP_LE_OQ),
                                            _mm512_set1_ps(INFINITY), _mm512_setzero_ps());
    return _mm512_mask_blend_ps(big, res, alt);
}

#endif
#endif
