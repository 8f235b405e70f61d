#ifndef LT_ATTENTION_H
#define LT_ATTENTION_H
#include <stdint.h>

/// y[i] = x[i] rounded to IEEE half precision (bits), for i < n.
void lt_f32_to_f16(const float *x, uint16_t *y, int64_t n);

/// y[i] = the half-precision x[i] as a float, for i < n.
void lt_f16_to_f32(const uint16_t *x, float *y, int64_t n);

/// s[j] = scale * dot(q, k + j*hs) for j < count: one query of `hs` floats against `count`
/// half-precision key rows of `hs` values each.
void lt_attn_scores_f16(const float *q, const uint16_t *k, int64_t count, int64_t hs, float scale, float *s);

/// out[d] = sum over j < count of p[j] * v[j*hs + d], for d < hs: attention weights times
/// half-precision value rows.
void lt_attn_values_f16(const float *p, const uint16_t *v, int64_t count, int64_t hs, float *out);
#endif
