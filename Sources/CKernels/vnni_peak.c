// The machine's int8 multiply-add peak: a register-only loop of independent vpdpbusd chains
// (no memory traffic), for reporting what share of it the batched kernels reach.
#include "lt_gemm.h"
#include "lt_simd.h"

#if LT_FAST
int64_t lt_vnni_peak_loop(int64_t iterations) {
    __m512i a0 = _mm512_set1_epi32(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
    __m512i w = _mm512_set1_epi8(3), x = _mm512_set1_epi8(-5);
    for (int64_t i = 0; i < iterations; i++) {
        a0 = _mm512_dpbusd_epi32(a0, w, x); a1 = _mm512_dpbusd_epi32(a1, w, x); a2 = _mm512_dpbusd_epi32(a2, w, x);
        a3 = _mm512_dpbusd_epi32(a3, w, x); a4 = _mm512_dpbusd_epi32(a4, w, x); a5 = _mm512_dpbusd_epi32(a5, w, x);
        a6 = _mm512_dpbusd_epi32(a6, w, x); a7 = _mm512_dpbusd_epi32(a7, w, x); a8 = _mm512_dpbusd_epi32(a8, w, x);
        a9 = _mm512_dpbusd_epi32(a9, w, x); a10 = _mm512_dpbusd_epi32(a10, w, x); a11 = _mm512_dpbusd_epi32(a11, w, x);
        __asm__ volatile("" : "+v"(w), "+v"(x));  // keeps the loop from being folded
    }
    __m512i s = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)),
                                 _mm512_add_epi32(_mm512_add_epi32(a4, a5), _mm512_add_epi32(a6, a7)));
    s = _mm512_add_epi32(s, _mm512_add_epi32(_mm512_add_epi32(a8, a9), _mm512_add_epi32(a10, a11)));
    volatile int32_t sink = _mm512_reduce_add_epi32(s);
    (void)sink;
    return iterations * 12 * 64 * 2;
}
#else
int64_t lt_vnni_peak_loop(int64_t iterations) {
    (void)iterations;
    return 0;
}
#endif
