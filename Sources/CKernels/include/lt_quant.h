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
    /// Per 32-block pairs [d, d·Σq] (interleaved, for 8-block gathers).
    const float *pairs;
    /// Per 32-block pairs [Σq, 0] as floats.
    const float *offsets;
    /// The quants of each complete group of four 32-blocks reordered for nibble weights: first the
    /// values 0-15 of the four blocks, then their values 16-31 (64 bytes each). Filled for both
    /// encodings (IQ4_XS reads it too).
    const int8_t *nquants;
    /// The quants of each 256-block with every 128 values reordered [0-31, 64-95, 32-63, 96-127]
    /// (the order of Q4_K / Q5_K nibbles).
    const int8_t *kquants;
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

/// 1 when this CPU has AVX2, FMA and F16C: the fallback kernels below can run. They exist on every
/// x86-64 build (compiled for AVX2 by function attribute) and serve builds without AVX-512 VNNI.
int lt_avx2_available(void);
void lt_matvec_q4_0_avx2(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q4_1_avx2(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q8_0_avx2(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q4_K_avx2(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);
void lt_matvec_q6_K_avx2(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y);

/// Quantizes `blocks` 32-value blocks of x as the Swift ActivationQuantizer does (bit-identical):
/// q, d (f16-rounded amax/127), s (f16-rounded d·Σq), isum (Σq), pairs [d, s], offsets [Σq, 0],
/// and nq, the nibble-kernel order of each complete group of four blocks. Returns 0 (doing nothing)
/// without AVX-512.
int lt_quantize_q8_32(const float *x, int64_t blocks, int8_t *q, float *d, float *s, int32_t *isum,
                      float *pairs, float *offsets, int8_t *nq);
/// Quantizes `blocks` 256-value blocks (Q8_K: d = amax/127, q clamped to ±127, Σq per 16), and kq
/// in the order of `lt_activation.kquants`, nq in the order of `nquants`.
int lt_quantize_q8_256(const float *x, int64_t blocks, int8_t *q, float *d, int16_t *bsums, int8_t *kq, int8_t *nq);

/// Dequantizes `n` values (a whole number of blocks) of the given type from `src` into `y`
/// (AVX-512; nothing when lt_fast_kernels_available() is 0). `type` is ggml's type number; returns
/// 0 when the type has no C dequantizer (then the caller uses its own).
int lt_dequantize_row(uint32_t type, const uint8_t *src, int64_t n, float *y);
#endif
