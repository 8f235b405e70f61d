// The batched product of the 32-value block types Q4_0 and Q8_0 with activations quantized to
// Q8_0 (8-bit, an f16-rounded scale per 32, as the matrix-vector kernels' `lt_quantize_q8_32`),
// for prefill: the same panel and register tiles as the K-quants (gemm_k.c), one float scale
// per 32-block. Weights become unsigned bytes (Q4_0: its nibbles 0..15, Q8_0: q + 128), and the
// offset (8 or 128) is taken out exactly with the activation's Σq:
//   T = Σ u_i a_i − offset · Σ a_i,   F = fma(T, d_w·d_a, F)   per 32-block, in block order.
//
// Panel layout: k/4 steps of 64 bytes (step u: values 4u..4u+3 of the 16 rows, row r at byte 4r),
// then d_w of each 32-block × 16 rows.
#include <math.h>
#include "lt_gemm.h"
#include "lt_quant.h"
#include "lt_simd.h"
#include "lt_gemm_common.h"

enum { LT_Q4_0 = 2, LT_Q8_0 = 8 };

int lt_gemm_supports_q8_0(uint32_t type) { return type == LT_Q4_0 || type == LT_Q8_0; }

int64_t lt_gemm_scratch_bytes(int64_t k) {
    const int64_t kq = (k / 256) * LT_GEMM_BLOCK_BYTES, legacy = k * 16 + (k / 32) * 64;
    return (kq > legacy ? kq : legacy) + 64;
}

static float lt_f16_round(float v) { return (float)(_Float16)v; }

static float lt_half32(const uint8_t *p) {
    _Float16 h;
    memcpy(&h, p, 2);
    return (float)h;
}

/// Value i (0..31) of a 32-block of `type` as an unsigned byte, and the block's offset.
static inline int lt_legacy_value(uint32_t type, const uint8_t *blk, int i) {
    if (type == LT_Q4_0) return i < 16 ? (blk[2 + i] & 0xF) : (blk[2 + i - 16] >> 4);
    return (int)(int8_t)blk[2 + i] + 128;
}

static inline int lt_legacy_offset(uint32_t type) { return type == LT_Q4_0 ? 8 : 128; }
static inline int64_t lt_legacy_bytes(uint32_t type) { return type == LT_Q4_0 ? 18 : 34; }

void lt_gemm_quantize_q8_0_ref(const float *x, int64_t ldx, int64_t j0, int64_t j1, const lt_gemm_act *a) {
    const int64_t nb = a->k / 32;
    for (int64_t j = j0; j < j1; j++) {
        for (int64_t b = 0; b < nb; b++) {
            const float *xb = x + j * ldx + 32 * b;
            float amax = 0;
            for (int i = 0; i < 32; i++) amax = fabsf(xb[i]) > amax ? fabsf(xb[i]) : amax;
            const float id = amax > 0 ? 127.0f / amax : 0.0f;
            int sum = 0;
            for (int i = 0; i < 32; i++) {
                int v = (int)nearbyintf(xb[i] * id);
                v = v > 127 ? 127 : (v < -128 ? -128 : v);
                a->q[lt_act_offset(a, j, 32 * b + i)] = (int8_t)v;
                sum += v;
            }
            a->d[j * nb + b] = lt_f16_round(amax / 127.0f);
            a->bs32[j * nb + b] = (int16_t)sum;
        }
    }
}

void lt_gemm_q8_0_ref(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1,
                      const lt_gemm_act *a, float *y, int64_t ldy) {
    if (!lt_gemm_supports_q8_0(type)) return;
    const int64_t nb = a->k / 32;
    for (int64_t r = r0; r < r1; r++) {
        for (int64_t j = 0; j < a->n; j++) {
            float f = 0;
            for (int64_t b = 0; b < nb; b++) {
                const uint8_t *blk = w + r * row_bytes + b * lt_legacy_bytes(type);
                int32_t t = 0;
                for (int i = 0; i < 32; i++) t += lt_legacy_value(type, blk, i) * lt_act_at(a, j, 32 * b + i);
                t -= lt_legacy_offset(type) * a->bs32[j * nb + b];
                f = fmaf((float)t, lt_half32(blk) * a->d[j * nb + b], f);
            }
            y[j * ldy + r] = f;
        }
    }
}

#if LT_FAST
/// Values 32·b ... 32·b + 31 of one row as unsigned bytes (the two blocks at blk and, when `two`,
/// the next one: 64 values).
static inline __m512i lt_legacy_values64(uint32_t type, const uint8_t *blk, int two) {
    if (type == LT_Q4_0) {
        const __m128i r0 = _mm_loadu_si128((const __m128i *)(blk + 2));
        const __m128i r1 = two ? _mm_loadu_si128((const __m128i *)(blk + 20)) : _mm_setzero_si128();
        const __m128i m4 = _mm_set1_epi8(0x0F);
        __m512i v = _mm512_castsi128_si512(_mm_and_si128(r0, m4));
        v = _mm512_inserti32x4(v, _mm_and_si128(_mm_srli_epi16(r0, 4), m4), 1);
        v = _mm512_inserti32x4(v, _mm_and_si128(r1, m4), 2);
        return _mm512_inserti32x4(v, _mm_and_si128(_mm_srli_epi16(r1, 4), m4), 3);
    }
    const __m256i flip = _mm256_set1_epi8((char)0x80);
    const __m256i q0 = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(blk + 2)), flip);
    const __m256i q1 = two ? _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(blk + 36)), flip) : _mm256_setzero_si256();
    return _mm512_inserti64x4(_mm512_castsi256_si512(q0), q1, 1);
}

/// Unpacks rows [r0, r0 + rows) (rows ≤ 16): every pair of 32-blocks is one 16 × 16 dword transpose.
static void lt_unpack_legacy(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int rows, int64_t nb,
                             uint8_t *panel) {
    const int64_t bytes = lt_legacy_bytes(type);
    float *dw = (float *)(panel + nb * 32 * 16);
    for (int64_t b = 0; b < nb; b += 2) {
        const int two = nb - b >= 2;
        __m512i v[16];
        for (int r = 0; r < 16; r++) {
            if (r >= rows) { v[r] = _mm512_setzero_si512(); continue; }
            const uint8_t *blk = w + (r0 + r) * row_bytes + b * bytes;
            v[r] = lt_legacy_values64(type, blk, two);
            dw[b * 16 + r] = lt_half32(blk);
            if (two) dw[(b + 1) * 16 + r] = lt_half32(blk + bytes);
        }
        for (int r = rows; r < 16; r++) { dw[b * 16 + r] = 0; if (two) dw[(b + 1) * 16 + r] = 0; }
        lt_transpose16x16(v);
        for (int i = 0; i < (two ? 16 : 8); i++) _mm512_store_si512(panel + (8 * b + i) * 64, v[i]);
    }
}

static inline __attribute__((always_inline)) void
lt_tile_legacy(const uint8_t *panel, int64_t nb, const int8_t *aq, const int C, const lt_gemm_act *a, int64_t j0,
               const int OFFSET, float *y, int64_t ldy, int64_t r0, int rows) {
    const float *dwp = (const float *)(panel + nb * 32 * 16);
    __m512 F[LT_GEMM_COLS];
    for (int c = 0; c < C; c++) F[c] = _mm512_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        __m512i S[LT_GEMM_COLS];
        for (int c = 0; c < C; c++) S[c] = _mm512_setzero_si512();
        for (int t = 0; t < 8; t++) {
            const int64_t u = 8 * b + t;
            const __m512i W = _mm512_load_si512(panel + u * 64);
            for (int c = 0; c < C; c++) S[c] = _mm512_dpbusd_epi32(S[c], W, lt_bcast32(aq + (u * C + c) * 4));
        }
        const __m512 dw = _mm512_load_ps(dwp + b * 16);
        for (int c = 0; c < C; c++) {
            const int64_t i = (j0 + c) * nb + b;
            const __m512i T = _mm512_sub_epi32(S[c], _mm512_set1_epi32(OFFSET * a->bs32[i]));
            F[c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(T), _mm512_mul_ps(dw, _mm512_set1_ps(a->d[i])), F[c]);
        }
    }
    const __mmask16 mask = rows >= 16 ? 0xFFFF : (__mmask16)((1u << rows) - 1);
    for (int c = 0; c < C; c++) _mm512_mask_storeu_ps(y + (j0 + c) * ldy + r0, mask, F[c]);
}

#define LT_LEGACY_CASES(OFFSET)                                                                 \
    switch (C) {                                                                                \
    case 1: lt_tile_legacy(panel, nb, aq, 1, a, j0, OFFSET, y, ldy, r0, rows); break;           \
    case 2: lt_tile_legacy(panel, nb, aq, 2, a, j0, OFFSET, y, ldy, r0, rows); break;           \
    case 3: lt_tile_legacy(panel, nb, aq, 3, a, j0, OFFSET, y, ldy, r0, rows); break;           \
    case 4: lt_tile_legacy(panel, nb, aq, 4, a, j0, OFFSET, y, ldy, r0, rows); break;           \
    case 5: lt_tile_legacy(panel, nb, aq, 5, a, j0, OFFSET, y, ldy, r0, rows); break;           \
    case 6: lt_tile_legacy(panel, nb, aq, 6, a, j0, OFFSET, y, ldy, r0, rows); break;           \
    case 7: lt_tile_legacy(panel, nb, aq, 7, a, j0, OFFSET, y, ldy, r0, rows); break;           \
    case 8: lt_tile_legacy(panel, nb, aq, 8, a, j0, OFFSET, y, ldy, r0, rows); break;           \
    case 9: lt_tile_legacy(panel, nb, aq, 9, a, j0, OFFSET, y, ldy, r0, rows); break;           \
    case 10: lt_tile_legacy(panel, nb, aq, 10, a, j0, OFFSET, y, ldy, r0, rows); break;         \
    case 11: lt_tile_legacy(panel, nb, aq, 11, a, j0, OFFSET, y, ldy, r0, rows); break;         \
    default: lt_tile_legacy(panel, nb, aq, 12, a, j0, OFFSET, y, ldy, r0, rows); break;         \
    }

static void lt_tiles_q4_0(const uint8_t *panel, int64_t nb, const int8_t *aq, int C, const lt_gemm_act *a, int64_t j0,
                          float *y, int64_t ldy, int64_t r0, int rows) { LT_LEGACY_CASES(8) }
static void lt_tiles_q8_0(const uint8_t *panel, int64_t nb, const int8_t *aq, int C, const lt_gemm_act *a, int64_t j0,
                          float *y, int64_t ldy, int64_t r0, int rows) { LT_LEGACY_CASES(128) }

void lt_gemm_q8_0(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1,
                  const lt_gemm_act *a, float *y, int64_t ldy, uint8_t *scratch) {
    if (!lt_gemm_supports_q8_0(type)) return;
    const int64_t nb = a->k / 32;
    uint8_t *panel = (uint8_t *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    for (int64_t g = r0; g < r1; g += LT_GEMM_ROWS) {
        const int rows = r1 - g < LT_GEMM_ROWS ? (int)(r1 - g) : LT_GEMM_ROWS;
        lt_unpack_legacy(type, w, row_bytes, g, rows, nb, panel);
        for (int64_t j0 = 0; j0 < a->n; j0 += LT_GEMM_COLS) {
            const int C = a->n - j0 < LT_GEMM_COLS ? (int)(a->n - j0) : LT_GEMM_COLS;
            const int8_t *aq = a->q + j0 * a->k;
            if (type == LT_Q4_0) lt_tiles_q4_0(panel, nb, aq, C, a, j0, y, ldy, g, rows);
            else lt_tiles_q8_0(panel, nb, aq, C, a, j0, y, ldy, g, rows);
        }
    }
}

int lt_gemm_quantize_q8_0(const float *x, int64_t ldx, int64_t j0, int64_t j1, const lt_gemm_act *a) {
    const __m512 signless = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
    const int64_t nb = a->k / 32;
    for (int64_t j = j0; j < j1; j++) {
        int8_t *base = a->q + j / LT_GEMM_COLS * LT_GEMM_COLS * a->k;
        const int64_t cg = lt_group_width(a, j), c = j % LT_GEMM_COLS;
        for (int64_t b = 0; b < nb; b++) {
            const __m512 v0 = _mm512_loadu_ps(x + j * ldx + 32 * b), v1 = _mm512_loadu_ps(x + j * ldx + 32 * b + 16);
            const float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_and_ps(v0, signless), _mm512_and_ps(v1, signless)));
            const __m512 id = _mm512_set1_ps(amax > 0 ? 127.0f / amax : 0.0f);
            const __m512i q0 = _mm512_cvtps_epi32(_mm512_mul_ps(v0, id)), q1 = _mm512_cvtps_epi32(_mm512_mul_ps(v1, id));
            int32_t words[8];
            _mm_storeu_si128((__m128i *)words, _mm512_cvtsepi32_epi8(q0));
            _mm_storeu_si128((__m128i *)(words + 4), _mm512_cvtsepi32_epi8(q1));
            for (int k = 0; k < 8; k++) memcpy(base + ((8 * b + k) * cg + c) * 4, &words[k], 4);
            const __m512i sq = _mm512_add_epi32(_mm512_cvtepi8_epi32(_mm512_cvtsepi32_epi8(q0)), _mm512_cvtepi8_epi32(_mm512_cvtsepi32_epi8(q1)));
            a->d[j * nb + b] = _cvtsh_ss(_cvtss_sh(amax / 127.0f, _MM_FROUND_TO_NEAREST_INT));
            a->bs32[j * nb + b] = (int16_t)_mm512_reduce_add_epi32(sq);
        }
    }
    return 1;
}
#else
void lt_gemm_q8_0(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1,
                  const lt_gemm_act *a, float *y, int64_t ldy, uint8_t *scratch) {
    (void)type; (void)w; (void)row_bytes; (void)r0; (void)r1; (void)a; (void)y; (void)ldy; (void)scratch;
}
int lt_gemm_quantize_q8_0(const float *x, int64_t ldx, int64_t j0, int64_t j1, const lt_gemm_act *a) {
    (void)x; (void)ldx; (void)j0; (void)j1; (void)a;
    return 0;
}
#endif
