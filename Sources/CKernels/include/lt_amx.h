#ifndef LT_AMX_H
#define LT_AMX_H
#include <stdint.h>

// The batched product for prefill on Intel AMX (TDPBF16PS): weights dequantized to bf16 once
// per pass in panels of 32 rows, activations rounded to bf16 once per pass, products summed in
// f32 by the tile unit. Four times the int8 VNNI peak of these cores at two bytes a value, and
// no per-sub-block integer scaling: the scales are applied when the panel is dequantized.

/// Weight rows one panel holds (two 16-row tiles).
#define LT_AMX_ROWS 32
/// Activation vectors one tile pair covers: the activation buffer holds n rounded up to this.
#define LT_AMX_COLS 32

/// 1 when the CPU has AMX-TILE and AMX-BF16, the build has the kernels, and Linux granted this
/// process the tile state (asked once, on the first call; later calls return the same answer).
/// Setting LLAMATERM_NO_AMX=1 in the environment makes it 0 (for comparisons).
int lt_amx_available(void);

/// 1 when ggml type `type` has an AMX kernel: Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q4_0, Q4_1, Q8_0.
int lt_amx_supports(uint32_t type);

/// Weight rows `lt_gemm_amx` dequantizes per panel for rows of `k` values (a multiple of 32,
/// 32 to 256): split work across threads in multiples of it.
int64_t lt_amx_panel_rows(int64_t k);

/// Scratch bytes one `lt_gemm_amx` caller needs for rows of `k` values (one bf16 panel of 32
/// rows, a dequantized block and a spill tile), before 64-byte alignment by the callee.
int64_t lt_amx_scratch_bytes(int64_t k);

/// Where value i of activation vector j lives in the bf16 activation buffer of rows of k values:
/// tiles of 16 vectors × 32 values (1 KB, vector by vector), the tiles of vectors 16g..16g+15
/// one after another along the row: index ((j/16)·(k/32) + i/32)·512 + (j%16)·32 + i%32.
int64_t lt_amx_act_index(int64_t j, int64_t i, int64_t k);

/// Rows x_j = x + j·ldx for j in [j0, j1) rounded to bf16 (nearest, ties to even) into `out`
/// (laid out as `lt_amx_act_index` says, 64-byte aligned; k a multiple of 32). `_ref` is the
/// plain C reference (the same bits).
void lt_bf16_rows(const float *x, int64_t ldx, int64_t j0, int64_t j1, int64_t k, uint16_t *out);
void lt_bf16_rows_ref(const float *x, int64_t ldx, int64_t j0, int64_t j1, int64_t k, uint16_t *out);

/// One row's `k` values of weights of `type` as bf16 (nearest, ties to even) in natural order:
/// per block the integer part exactly (scale × q + offset), then d · that − dmin · min in one
/// rounding, as the kernel's panels hold them. Plain C (the reference for the panels).
void lt_amx_dequant_row_ref(uint32_t type, const uint8_t *row, int64_t k, uint16_t *out);

/// y[j·ldy + r] = Σ_i w_bf16[r][i] · act[j][i] for r in [r0, r1) and j < n: `act` holds n rounded up
/// to LT_AMX_COLS vectors of k bf16 values (`lt_bf16_rows`; the padding vectors may hold anything),
/// weights of `type` in rows of `row_bytes` bytes at `w`. Requires `lt_amx_available()` and
/// `lt_amx_supports(type)` (else does nothing); the tile state is configured and released here.
void lt_gemm_amx(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1, const uint16_t *act,
                 int64_t n, int64_t k, float *y, int64_t ldy, uint8_t *scratch);

/// The same product in plain C: the reference dequantization, bf16 products summed in double.
void lt_gemm_amx_ref(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1, const uint16_t *act,
                     int64_t n, int64_t k, float *y, int64_t ldy);

/// Runs `iterations` × 4 independent TDPBF16PS on 16×16 tiles in registers only and returns the
/// floating-point operations done (0 without AMX): time it for the bf16 tile peak.
int64_t lt_amx_peak_loop(int64_t iterations);
#endif
