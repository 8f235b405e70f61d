// Helpers shared by the batched kernels (gemm_k.c, gemm_legacy.c); private to CKernels.
#ifndef LT_GEMM_COMMON_H
#define LT_GEMM_COMMON_H
#include <string.h>
#include "lt_gemm.h"
#include "lt_simd.h"

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
