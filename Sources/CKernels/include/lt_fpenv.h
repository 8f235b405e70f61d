#ifndef LT_FPENV_H
#define LT_FPENV_H
#include <stdint.h>

// Subnormal floats cost Intel cores a microcode assist per operation (about a hundred cycles):
// softmax probabilities of far-away keys are subnormal, and the attention products that read
// them ran 3x slower on a Xeon than on a Zen 4. These set the calling thread's flush-to-zero and
// denormals-are-zero modes for a scope and restore them; only the attention of the
// non-matching passes uses them (the llama.cpp-matching pass keeps IEEE subnormals, as llama.cpp).

// Turns both modes on; returns the previous control word for lt_fp_restore.
uint32_t lt_fp_flush_subnormals(void);
void lt_fp_restore(uint32_t saved);

// Whether this CPU runs AVX-512 (F, BW, DQ, VL) / AVX2 with FMA (for the tests of OpenBLAS's
// kernel choice).
int lt_cpu_has_avx512(void);
int lt_cpu_has_avx2(void);
// a · b in the current floating-point modes, out of the compiler's sight (for the tests).
float lt_test_multiply(float a, float b);

#endif
