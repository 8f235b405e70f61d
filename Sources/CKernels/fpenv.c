#include "lt_fpenv.h"
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
uint32_t lt_fp_flush_subnormals(void) {
    uint32_t saved = _mm_getcsr();
    _mm_setcsr(saved | 0x8040);  // FTZ (bit 15) | DAZ (bit 6)
    return saved;
}
void lt_fp_restore(uint32_t saved) { _mm_setcsr(saved); }
#else
uint32_t lt_fp_flush_subnormals(void) { return 0; }
void lt_fp_restore(uint32_t saved) { (void)saved; }
#endif

int lt_cpu_has_avx512(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}

int lt_cpu_has_avx2(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

float lt_test_multiply(float a, float b) { return a * b; }
