#ifndef LT_VECMATH_H
#define LT_VECMATH_H
#include <stdint.h>

/// x[i] = exp(x[i] - m) for i < n; returns the sum of the new values.
float lt_exp_sub_sum(float *x, int64_t n, float m);

/// gate[i] = gate[i] / (1 + exp(-gate[i])) * up[i] for i < n.
void lt_silu_mul(float *gate, const float *up, int64_t n);
#endif
