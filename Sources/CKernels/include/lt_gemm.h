#ifndef LT_GEMM_H
#define LT_GEMM_H
#include <stdint.h>

/// Columns (input vectors) one register tile of the batched K-quant product covers.
#define LT_GEMM_COLS 12
/// Weight rows one unpacked panel holds (one per 32-bit lane of a 512-bit register).
#define LT_GEMM_ROWS 16
/// Bytes one unpacked 256-value block of a 16-row panel takes (see gemm_k.c).
#define LT_GEMM_BLOCK_BYTES 5760

/// A batch of `n` activation vectors of `k` values (k a multiple of 256) quantized once to Q8_K
/// for the batched product: 8-bit values with one scale per 256 (the same values and scales the
/// matrix-vector kernels' `lt_quantize_q8_256` gives), laid out for the register tiles.
///
/// - `q`: columns in groups of LT_GEMM_COLS (the last group may be smaller, `n % LT_GEMM_COLS`);
///   within a group of `g` columns, value 4u..4u+3 of column c is at `group + (u·g + c)·4`; group i
///   starts at `i · LT_GEMM_COLS · k`. `n · k` bytes.
/// - `d`: scale of block b of column j at `d[j·(k/256) + b]`.
/// - `bs16`: Σq of each 16 values, column j block b at `bs16[(j·(k/256) + b)·16 ...]`.
/// - `bs32`: Σq of each 32 values, at `bs32[(j·(k/256) + b)·8 ...]`.
/// Quantized to Q8_0 instead (for Q4_0 and Q8_0 weights: `lt_gemm_quantize_q8_0`), `d` holds an
/// f16-rounded scale per 32 values (`d[j·(k/32) + b]`), `bs32` their Σq at the same index, and
/// `bs16` is unused.
typedef struct lt_gemm_act {
    int8_t *q;
    float *d;
    int16_t *bs16;
    int16_t *bs32;
    int64_t n;
    int64_t k;
} lt_gemm_act;

/// Quantizes rows x_j = x + j·ldx (j < a->n, a->k values each) into `a` (AVX-512). Returns 0,
/// doing nothing, when this build has no AVX-512 VNNI kernels. Columns [j0, j1) only, so callers
/// can split the work.
int lt_gemm_quantize(const float *x, int64_t ldx, int64_t j0, int64_t j1, const lt_gemm_act *a);

/// The same quantization in plain C (the reference for `lt_gemm_quantize`).
void lt_gemm_quantize_ref(const float *x, int64_t ldx, int64_t j0, int64_t j1, const lt_gemm_act *a);

/// 1 when ggml type `type` has a batched kernel (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K).
int lt_gemm_supports(uint32_t type);

/// Scratch bytes `lt_gemm_q8K` and `lt_gemm_q8_0` need for rows of `k` values: one unpacked 16-row panel.
int64_t lt_gemm_scratch_bytes(int64_t k);

/// y[j·ldy + r] = dot(row r, activation j) for r in [r0, r1) and every column j of `a`, for
/// weights of ggml type `type` (rows of `row_bytes` bytes starting at `w`). Sixteen rows at a time
/// are unpacked into `scratch` (lt_gemm_scratch_bytes(a->k) bytes, 64-byte aligned) and multiplied
/// with every column by VNNI register tiles of 16 rows × 12 columns. Integer sums per 256-block
/// are exact; each block adds d_w·d_a·Σ (minus dmin·d_a·Σmins) to a float accumulator in block
/// order, exactly as `lt_gemm_q8K_ref` does. Nothing when the type is unsupported or the build
/// has no AVX-512 VNNI (check `lt_gemm_supports` and `lt_fast_kernels_available`).
void lt_gemm_q8K(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1,
                 const lt_gemm_act *a, float *y, int64_t ldy, uint8_t *scratch);

/// `lt_gemm_q8K` in plain C, straight from the block formats: the same integer sums and the
/// same float operations in the same order, so its results are bit-identical.
void lt_gemm_q8K_ref(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1,
                     const lt_gemm_act *a, float *y, int64_t ldy);

/// Q8_0 activations for the 32-value block types: per 32 values d = f16(amax/127) and q rounded
/// from x·127/amax, as the matrix-vector kernels' `lt_quantize_q8_32`. Returns 0 (nothing done)
/// without AVX-512 VNNI; `_ref` is the plain C reference (the same bytes).
int lt_gemm_quantize_q8_0(const float *x, int64_t ldx, int64_t j0, int64_t j1, const lt_gemm_act *a);
void lt_gemm_quantize_q8_0_ref(const float *x, int64_t ldx, int64_t j0, int64_t j1, const lt_gemm_act *a);

/// 1 when ggml type `type` has a batched kernel on Q8_0 activations (Q4_0, Q8_0).
int lt_gemm_supports_q8_0(uint32_t type);

/// `lt_gemm_q8K` for Q4_0 and Q8_0 weights on Q8_0 activations: per 32-block the exact integer
/// sum (offset 8 or 128 removed with Σq), F = fma(T, d_w·d_a, F) in block order; `_ref` computes
/// the same bits in plain C.
void lt_gemm_q8_0(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1,
                  const lt_gemm_act *a, float *y, int64_t ldy, uint8_t *scratch);
void lt_gemm_q8_0_ref(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1,
                      const lt_gemm_act *a, float *y, int64_t ldy);

/// Runs `iterations` × 12 independent 512-bit vpdpbusd in registers only and returns the integer
/// operations done (2 per multiply-add; 0 without AVX-512 VNNI): time it for the int8 peak.
int64_t lt_vnni_peak_loop(int64_t iterations);
#endif
