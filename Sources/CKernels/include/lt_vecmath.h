#ifndef LT_VECMATH_H
#define LT_VECMATH_H
#include <stdint.h>

/// The largest of x[0..<n] (n > 0) when no value is NaN.
float lt_max(const float *x, int64_t n);

/// x[i] = exp(x[i] - m) for i < n; returns the sum of the new values.
float lt_exp_sub_sum(float *x, int64_t n, float m);

/// gate[i] = gate[i] / (1 + exp(-gate[i])) * up[i] for i < n.
void lt_silu_mul(float *gate, const float *up, int64_t n);
#endif
