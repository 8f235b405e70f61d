#ifndef LT_QUANT_H
#define LT_QUANT_H
#include <stdint.h>

/// A prepared activation vector (see the Swift `PreparedActivation`): floats, and 8-bit quants in
/// 32-blocks (scales d, sums d·Σq, isums Σq) or 256-blocks (scales d, bsums Σq per 16).
typedef struct lt_activation {
    const float *values;
    const int8_t *quants;
    const float *scales;
    const float *sums;
    const int32_t *isums;
    const int16_t *bsums;
} lt_activation;

/// 1 when this build has the AVX-512 VNNI kernels below; 0 means the caller must use its
/// scalar reference (the functions then do nothing).
int lt_fast_kernels_available(void);

/// Matrix-vector products: y[r] = dot(row r, a) for r in [r0, r1). Row r starts at
/// w + r*row_bytes and holds `blocks` blocks of the named type.
void lt_matvec_q4_0(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q4_1(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q5_0(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q5_1(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q8_0(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_iq4_nl(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q2_K(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q3_K(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q4_K(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q5_K(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q6_K(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_iq4_xs(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
/// Float types against a->values; `blocks` is the number of columns.
void lt_matvec_f16(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_bf16(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_f32(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
#endif
