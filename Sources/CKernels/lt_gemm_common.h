// Helpers shared by the batched kernels (gemm_k.c, gemm_legacy.c); private to CKernels.
#ifndef LT_GEMM_COMMON_H
#define LT_GEMM_COMMON_H
#include <string.h>
#include "lt_gemm.h"
#include "lt_simd.h"

enum { LT_Q2_K = 10, LT_Q3_K = 11, LT_Q4_K = 12, LT_Q5_K = 13, LT_Q6_K = 14 };

/// One block's scales as the kernels use them: an integer scale per sub-block, the per-sub-block
/// coefficients of the activation sums (offset corrections or mins), and the float scales.
typedef struct lt_kscales {
    int32_t sc[16];
    int16_t pair[16];
    float d, dmin;
} lt_kscales;

/// The shape of a type's blocks: sub-blocks per 256 values, int16 pairs of activation-sum
/// coefficients, whether those pairs are mins (a second float scale) and whether they use the
/// sums per 32 (else per 16).
typedef struct lt_kshape {
    int subblocks, pairs, mins, per32, bytes;
} lt_kshape;

/// The f16 at p (any alignment) as a float, in plain C (subnormals and infinities included).
float lt_half(const uint8_t *p);
/// The shape of K-quant `type` in `s`; 0 for other types.
int lt_kshape_of(uint32_t type, lt_kshape *s);
/// The scales of one block of `type` (plain C; shared by the kernels' unpacking and the references).
void lt_kscales_of(uint32_t type, const uint8_t *b, lt_kscales *o);
/// The 256 values of one block of `type` as unsigned bytes in natural order (plain C).
void lt_kvalues_ref(uint32_t type, const uint8_t *b, uint8_t *q);

/// Columns in the group of column j (the last group of a batch may be smaller).
static inline int64_t lt_group_width(const lt_gemm_act *a, int64_t j) {
    const int64_t rest = a->n - j / LT_GEMM_COLS * LT_GEMM_COLS;
    return rest < LT_GEMM_COLS ? rest : LT_GEMM_COLS;
}

/// Where value v of column j lives in `a->q`.
static inline int64_t lt_act_offset(const lt_gemm_act *a, int64_t j, int64_t v) {
    return j / LT_GEMM_COLS * LT_GEMM_COLS * a->k + ((v / 4) * lt_group_width(a, j) + j % LT_GEMM_COLS) * 4 + v % 4;
}

/// The activation byte of value v of column j.
static inline int8_t lt_act_at(const lt_gemm_act *a, int64_t j, int64_t v) { return a->q[lt_act_offset(a, j, v)]; }

#if LT_FAST
/// lt_kvalues_ref with AVX2 loads and shifts (the same bytes).
void lt_kvalues(uint32_t type, const uint8_t *b, uint8_t *q);

/// Transposes 16 rows of 16 dwords (r[i] = row i) into 16 columns (r[j] = dword j of every row).
static inline void lt_transpose16x16(__m512i r[16]) {
    __m512i t[16], u[16];
    for (int g = 0; g < 4; g++) {
        t[4 * g] = _mm512_unpacklo_epi32(r[4 * g], r[4 * g + 1]);
        t[4 * g + 1] = _mm512_unpackhi_epi32(r[4 * g], r[4 * g + 1]);
        t[4 * g + 2] = _mm512_unpacklo_epi32(r[4 * g + 2], r[4 * g + 3]);
        t[4 * g + 3] = _mm512_unpackhi_epi32(r[4 * g + 2], r[4 * g + 3]);
        // u[4g + j], 128-bit lane L: dword 4L + j of rows 4g..4g+3.
        u[4 * g] = _mm512_unpacklo_epi64(t[4 * g], t[4 * g + 2]);
        u[4 * g + 1] = _mm512_unpackhi_epi64(t[4 * g], t[4 * g + 2]);
        u[4 * g + 2] = _mm512_unpacklo_epi64(t[4 * g + 1], t[4 * g + 3]);
        u[4 * g + 3] = _mm512_unpackhi_epi64(t[4 * g + 1], t[4 * g + 3]);
    }
    for (int j = 0; j < 4; j++) {
        const __m512i v0 = _mm512_shuffle_i32x4(u[j], u[4 + j], 0x44), v1 = _mm512_shuffle_i32x4(u[j], u[4 + j], 0xEE);
        const __m512i v2 = _mm512_shuffle_i32x4(u[8 + j], u[12 + j], 0x44), v3 = _mm512_shuffle_i32x4(u[8 + j], u[12 + j], 0xEE);
        r[j] = _mm512_shuffle_i32x4(v0, v2, 0x88);
        r[4 + j] = _mm512_shuffle_i32x4(v0, v2, 0xDD);
        r[8 + j] = _mm512_shuffle_i32x4(v1, v3, 0x88);
        r[12 + j] = _mm512_shuffle_i32x4(v1, v3, 0xDD);
    }
}

static inline __m512i lt_bcast32(const void *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return _mm512_set1_epi32(v);
}

#endif
#endif
