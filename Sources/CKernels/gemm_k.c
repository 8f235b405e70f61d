// The batched product of the K-quant types (Q2_K ... Q6_K) with activations quantized to Q8_K,
// for prefill. Sixteen weight rows are unpacked once per pass into a panel of unsigned bytes laid
// out for VNNI (`vpdpbusd` multiplies four weight bytes of each of 16 rows, one row per 32-bit
// lane, with four activation bytes broadcast from memory), then every column of the batch is
// multiplied against the panel in register tiles of 16 rows × up to 12 columns: the unpacking is
// paid once per pass instead of once per row and column.
//
// Per 256-block and (row, column) the integer sum is exact:
//   T = Σ_s sc_s · Σ_{i∈s} q_i a_i  +  Σ_s c_s · Σ_{i∈s} a_i      (c_s: −32·sc_s for Q6_K, −4·sc_s for Q3_K)
//   M = Σ_s m_s · Σ_{i∈s} a_i                                       (mins of Q2_K, Q4_K, Q5_K)
// and the float accumulator takes F = fma(T, d_w·d_a, F), then F = fma(−M, dmin·d_a, F).
//
// Panel layout for one 256-block (LT_GEMM_BLOCK_BYTES): 64 steps of 64 bytes (step u holds values
// 4u..4u+3 of the 16 rows, row r at byte 4r); 16 int32 sub-block scales × 16 rows; 8 pairs of
// int16 coefficients (c_s or m_s for two consecutive sub-blocks) × 16 rows; d_w × 16; dmin × 16.
#include <math.h>
#include "lt_gemm.h"
#include "lt_quant.h"
#include "lt_simd.h"
#include "lt_gemm_common.h"

enum { LT_OFF_SC = 4096, LT_OFF_PAIRS = 5120, LT_OFF_DW = 5632, LT_OFF_DMIN = 5696 };

int lt_kshape_of(uint32_t type, lt_kshape *s) {
    switch (type) {
    case LT_Q2_K: *s = (lt_kshape){16, 8, 1, 0, 84}; return 1;
    case LT_Q3_K: *s = (lt_kshape){16, 8, 0, 0, 110}; return 1;
    case LT_Q4_K: *s = (lt_kshape){8, 4, 1, 1, 144}; return 1;
    case LT_Q5_K: *s = (lt_kshape){8, 4, 1, 1, 176}; return 1;
    case LT_Q6_K: *s = (lt_kshape){16, 8, 0, 0, 210}; return 1;
    default: return 0;
    }
}

int lt_gemm_supports(uint32_t type) {
    lt_kshape s;
    return lt_kshape_of(type, &s);
}


float lt_half(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1F, man = h & 0x3FF, bits;
    if (exp == 0) {
        if (man == 0) { bits = sign; }
        else {  // subnormal: normalize
            int e = -1;
            do { man <<= 1; e++; } while (!(man & 0x400));
            bits = sign | ((uint32_t)(127 - 15 - e) << 23) | ((man & 0x3FF) << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7F800000u | (man << 13);
    } else {
        bits = sign | ((exp + 112) << 23) | (man << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/// Scale and min j of the 12-byte 6-bit packing of Q4_K and Q5_K.
static void lt_scale_min_k4(const uint8_t *s, int j, int32_t *sc, int16_t *m) {
    if (j < 4) { *sc = s[j] & 63; *m = (int16_t)(s[j + 4] & 63); }
    else {
        *sc = (s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4);
        *m = (int16_t)((s[j + 4] >> 4) | ((s[j] >> 6) << 4));
    }
}

/// The scales of one block of `type` (plain C; shared by the kernel's unpacking and the reference).
void lt_kscales_of(uint32_t type, const uint8_t *b, lt_kscales *o) {
    memset(o, 0, sizeof *o);
    switch (type) {
    case LT_Q2_K:
        for (int s = 0; s < 16; s++) { o->sc[s] = b[s] & 0xF; o->pair[s] = (int16_t)(b[s] >> 4); }
        o->d = lt_half(b + 80); o->dmin = lt_half(b + 82);
        break;
    case LT_Q3_K: {
        const uint8_t *sc = b + 96;
        for (int s = 0; s < 16; s++) {
            int low = s < 8 ? (sc[s] & 0xF) : (sc[s - 8] >> 4);
            int high = (sc[8 + s % 4] >> (2 * (s / 4))) & 3;
            o->sc[s] = (low | high << 4) - 32;
            o->pair[s] = (int16_t)(-4 * o->sc[s]);
        }
        o->d = lt_half(b + 108);
        break;
    }
    case LT_Q4_K: case LT_Q5_K:
        for (int s = 0; s < 8; s++) lt_scale_min_k4(b + 4, s, &o->sc[s], &o->pair[s]);
        o->d = lt_half(b); o->dmin = lt_half(b + 2);
        break;
    case LT_Q6_K:
        for (int s = 0; s < 16; s++) { o->sc[s] = (int8_t)b[192 + s]; o->pair[s] = (int16_t)(-32 * o->sc[s]); }
        o->d = lt_half(b + 208);
        break;
    }
}

/// The 256 values of one block of `type` as unsigned bytes in natural order (plain C).
void lt_kvalues_ref(uint32_t type, const uint8_t *b, uint8_t *q) {
    switch (type) {
    case LT_Q2_K: case LT_Q3_K: {
        const uint8_t *qs = b + (type == LT_Q2_K ? 16 : 32);
        for (int h = 0; h < 2; h++)
            for (int j = 0; j < 4; j++)
                for (int l = 0; l < 32; l++) {
                    int v = (qs[32 * h + l] >> (2 * j)) & 3;
                    if (type == LT_Q3_K && (b[l] >> (4 * h + j)) & 1) v += 4;
                    q[128 * h + 32 * j + l] = (uint8_t)v;
                }
        break;
    }
    case LT_Q4_K: case LT_Q5_K: {
        const int five = type == LT_Q5_K;
        const uint8_t *qs = b + (five ? 48 : 16), *qh = b + 16;
        for (int j = 0; j < 4; j++)
            for (int l = 0; l < 32; l++) {
                int lo = qs[32 * j + l] & 0xF, hi = qs[32 * j + l] >> 4;
                if (five) { lo += ((qh[l] >> (2 * j)) & 1) << 4; hi += ((qh[l] >> (2 * j + 1)) & 1) << 4; }
                q[64 * j + l] = (uint8_t)lo;
                q[64 * j + 32 + l] = (uint8_t)hi;
            }
        break;
    }
    case LT_Q6_K:
        for (int h = 0; h < 2; h++) {
            const uint8_t *ql = b + 64 * h, *qh = b + 128 + 32 * h;
            for (int l = 0; l < 32; l++) {
                q[128 * h + l] = (uint8_t)((ql[l] & 0xF) | ((qh[l] & 3) << 4));
                q[128 * h + 32 + l] = (uint8_t)((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4));
                q[128 * h + 64 + l] = (uint8_t)((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4));
                q[128 * h + 96 + l] = (uint8_t)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4));
            }
        }
        break;
    }
}

void lt_gemm_quantize_ref(const float *x, int64_t ldx, int64_t j0, int64_t j1, const lt_gemm_act *a) {
    const int64_t nb = a->k / 256;
    for (int64_t j = j0; j < j1; j++) {
        const int64_t group = j / LT_GEMM_COLS, c = j % LT_GEMM_COLS;
        const int64_t cg = a->n - group * LT_GEMM_COLS < LT_GEMM_COLS ? a->n - group * LT_GEMM_COLS : LT_GEMM_COLS;
        int8_t *base = a->q + group * LT_GEMM_COLS * a->k;
        for (int64_t b = 0; b < nb; b++) {
            const float *xb = x + j * ldx + 256 * b;
            float amax = 0;
            for (int i = 0; i < 256; i++) amax = fabsf(xb[i]) > amax ? fabsf(xb[i]) : amax;
            const float id = amax > 0 ? 127.0f / amax : 0.0f;
            int sums[16] = {0};
            for (int i = 0; i < 256; i++) {
                int v = (int)nearbyintf(xb[i] * id);
                v = v > 127 ? 127 : (v < -127 ? -127 : v);
                const int64_t u = 64 * b + i / 4;
                base[(u * cg + c) * 4 + i % 4] = (int8_t)v;
                sums[i / 16] += v;
            }
            a->d[j * nb + b] = amax / 127.0f;
            for (int s = 0; s < 16; s++) a->bs16[(j * nb + b) * 16 + s] = (int16_t)sums[s];
            for (int s = 0; s < 8; s++) a->bs32[(j * nb + b) * 8 + s] = (int16_t)(sums[2 * s] + sums[2 * s + 1]);
        }
    }
}

void lt_gemm_q8K_ref(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1,
                     const lt_gemm_act *a, float *y, int64_t ldy) {
    lt_kshape shape;
    if (!lt_kshape_of(type, &shape)) return;
    const int64_t nb = a->k / 256;
    const int per = 256 / shape.subblocks;
    uint8_t q[256];
    lt_kscales ks;
    for (int64_t r = r0; r < r1; r++) {
        for (int64_t j = 0; j < a->n; j++) {
            float f = 0;
            for (int64_t b = 0; b < nb; b++) {
                const uint8_t *blk = w + r * row_bytes + b * shape.bytes;
                lt_kvalues_ref(type, blk, q);
                lt_kscales_of(type, blk, &ks);
                const int16_t *bs = shape.per32 ? a->bs32 + (j * nb + b) * 8 : a->bs16 + (j * nb + b) * 16;
                int32_t t = 0, m = 0;
                for (int s = 0; s < shape.subblocks; s++) {
                    int32_t sum = 0;
                    for (int i = 0; i < per; i++) sum += (int32_t)q[s * per + i] * lt_act_at(a, j, 256 * b + s * per + i);
                    t += sum * ks.sc[s];
                }
                for (int p = 0; p < 2 * shape.pairs; p++) {
                    if (shape.mins) m += (int32_t)ks.pair[p] * bs[p];
                    else t += (int32_t)ks.pair[p] * bs[p];
                }
                const float da = a->d[j * nb + b];
                f = fmaf((float)t, ks.d * da, f);
                if (shape.mins) f = fmaf(-(float)m, ks.dmin * da, f);
            }
            y[j * ldy + r] = f;
        }
    }
}

#if LT_FAST
/// The 256 values of one block as unsigned bytes in natural order (AVX-512; same as lt_kvalues_ref).
void lt_kvalues(uint32_t type, const uint8_t *b, uint8_t *q) {
    const __m256i m4 = _mm256_set1_epi8(0x0F), m3 = _mm256_set1_epi8(0x03), one = _mm256_set1_epi8(1);
    switch (type) {
    case LT_Q2_K: case LT_Q3_K: {
        const uint8_t *qs = b + (type == LT_Q2_K ? 16 : 32);
        const __m256i hm = _mm256_loadu_si256((const __m256i *)b);
        for (int h = 0; h < 2; h++) {
            const __m256i v = _mm256_loadu_si256((const __m256i *)(qs + 32 * h));
            for (int j = 0; j < 4; j++) {
                __m256i x = _mm256_and_si256(_mm256_srli_epi16(v, 2 * j), m3);
                if (type == LT_Q3_K) {
                    __m256i hb = _mm256_and_si256(_mm256_srli_epi16(hm, 4 * h + j), one);
                    x = _mm256_or_si256(x, _mm256_slli_epi16(hb, 2));
                }
                _mm256_storeu_si256((__m256i *)(q + 128 * h + 32 * j), x);
            }
        }
        break;
    }
    case LT_Q4_K: case LT_Q5_K: {
        const int five = type == LT_Q5_K;
        const uint8_t *qs = b + (five ? 48 : 16);
        const __m256i qh = five ? _mm256_loadu_si256((const __m256i *)(b + 16)) : _mm256_setzero_si256();
        for (int j = 0; j < 4; j++) {
            const __m256i v = _mm256_loadu_si256((const __m256i *)(qs + 32 * j));
            __m256i lo = _mm256_and_si256(v, m4), hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), m4);
            if (five) {
                lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * j), one), 4));
                hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * j + 1), one), 4));
            }
            _mm256_storeu_si256((__m256i *)(q + 64 * j), lo);
            _mm256_storeu_si256((__m256i *)(q + 64 * j + 32), hi);
        }
        break;
    }
    case LT_Q6_K:
        for (int h = 0; h < 2; h++) {
            const __m256i l0 = _mm256_loadu_si256((const __m256i *)(b + 64 * h));
            const __m256i l1 = _mm256_loadu_si256((const __m256i *)(b + 64 * h + 32));
            const __m256i hh = _mm256_loadu_si256((const __m256i *)(b + 128 + 32 * h));
            const __m256i h0 = _mm256_slli_epi16(_mm256_and_si256(hh, m3), 4);
            const __m256i h1 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hh, 2), m3), 4);
            const __m256i h2 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hh, 4), m3), 4);
            const __m256i h3 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hh, 6), m3), 4);
            _mm256_storeu_si256((__m256i *)(q + 128 * h), _mm256_or_si256(_mm256_and_si256(l0, m4), h0));
            _mm256_storeu_si256((__m256i *)(q + 128 * h + 32), _mm256_or_si256(_mm256_and_si256(l1, m4), h1));
            _mm256_storeu_si256((__m256i *)(q + 128 * h + 64), _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4), h2));
            _mm256_storeu_si256((__m256i *)(q + 128 * h + 96), _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4), h3));
        }
        break;
    }
}

/// Unpacks rows [r0, r0 + rows) (rows ≤ 16) of every block into the panel; missing rows are zero.
static void lt_unpack_panel(uint32_t type, const lt_kshape *shape, const uint8_t *w, int64_t row_bytes,
                            int64_t r0, int rows, int64_t nb, uint8_t *panel) {
    if (rows < LT_GEMM_ROWS) memset(panel, 0, (size_t)(nb * LT_GEMM_BLOCK_BYTES));
    uint8_t q[LT_GEMM_ROWS][256] __attribute__((aligned(64)));
    if (rows < LT_GEMM_ROWS) memset(q, 0, sizeof q);
    lt_kscales ks;
    for (int64_t b = 0; b < nb; b++) {
        uint8_t *pb = panel + b * LT_GEMM_BLOCK_BYTES;
        for (int r = 0; r < rows; r++) {
            const uint8_t *blk = w + (r0 + r) * row_bytes + b * shape->bytes;
            lt_kvalues(type, blk, q[r]);
            lt_kscales_of(type, blk, &ks);
            for (int s = 0; s < shape->subblocks; s++) memcpy(pb + LT_OFF_SC + s * 64 + r * 4, &ks.sc[s], 4);
            for (int p = 0; p < shape->pairs; p++) memcpy(pb + LT_OFF_PAIRS + p * 64 + r * 4, &ks.pair[2 * p], 4);
            memcpy(pb + LT_OFF_DW + r * 4, &ks.d, 4);
            memcpy(pb + LT_OFF_DMIN + r * 4, &ks.dmin, 4);
        }
        // Step u of the panel holds dword u of every row: four 16 × 16 dword transposes.
        for (int k = 0; k < 4; k++) {
            __m512i v[16];
            for (int r = 0; r < 16; r++) v[r] = _mm512_load_si512(q[r] + 64 * k);
            lt_transpose16x16(v);
            for (int i = 0; i < 16; i++) _mm512_store_si512(pb + (16 * k + i) * 64, v[i]);
        }
    }
}

/// One register tile: the panel's 16 rows times C columns (j0 ...), whose activation bytes are
/// the group at `aq` (C columns per step).
static inline __attribute__((always_inline)) void
lt_tile(const uint8_t *panel, int64_t nb, const int8_t *aq, const int C, const lt_gemm_act *a,
        int64_t j0, const int NSUB, const int NPAIR, const int MINS, const int PER32,
        float *y, int64_t ldy, int64_t r0, int rows) {
    __m512 F[LT_GEMM_COLS];
    for (int c = 0; c < C; c++) F[c] = _mm512_setzero_ps();
    const int steps = 64 / NSUB;
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *pb = panel + b * LT_GEMM_BLOCK_BYTES;
        const int8_t *ab = aq + b * 64 * C * 4;
        __m512i T[LT_GEMM_COLS];
        for (int c = 0; c < C; c++) T[c] = _mm512_setzero_si512();
        for (int s = 0; s < NSUB; s++) {
            __m512i S[LT_GEMM_COLS];
            for (int c = 0; c < C; c++) S[c] = _mm512_setzero_si512();
            for (int t = 0; t < steps; t++) {
                const int u = s * steps + t;
                const __m512i W = _mm512_load_si512(pb + u * 64);
                for (int c = 0; c < C; c++) S[c] = _mm512_dpbusd_epi32(S[c], W, lt_bcast32(ab + (u * C + c) * 4));
            }
            const __m512i sc = _mm512_load_si512(pb + LT_OFF_SC + s * 64);
            for (int c = 0; c < C; c++) T[c] = _mm512_add_epi32(T[c], _mm512_mullo_epi32(S[c], sc));
        }
        if (!MINS) {
            for (int p = 0; p < NPAIR; p++) {
                const __m512i P = _mm512_load_si512(pb + LT_OFF_PAIRS + p * 64);
                for (int c = 0; c < C; c++)
                    T[c] = _mm512_dpwssd_epi32(T[c], P, lt_bcast32(a->bs16 + ((j0 + c) * nb + b) * 16 + 2 * p));
            }
        }
        const __m512 dw = _mm512_load_ps((const float *)(pb + LT_OFF_DW));
        for (int c = 0; c < C; c++) {
            const __m512 da = _mm512_set1_ps(a->d[(j0 + c) * nb + b]);
            F[c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(T[c]), _mm512_mul_ps(dw, da), F[c]);
        }
        if (MINS) {
            const __m512 dm = _mm512_load_ps((const float *)(pb + LT_OFF_DMIN));
            for (int c = 0; c < C; c++) {
                const int16_t *bs = PER32 ? a->bs32 + ((j0 + c) * nb + b) * 8 : a->bs16 + ((j0 + c) * nb + b) * 16;
                __m512i M = _mm512_setzero_si512();
                for (int p = 0; p < NPAIR; p++)
                    M = _mm512_dpwssd_epi32(M, _mm512_load_si512(pb + LT_OFF_PAIRS + p * 64), lt_bcast32(bs + 2 * p));
                const __m512 da = _mm512_set1_ps(a->d[(j0 + c) * nb + b]);
                F[c] = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(M), _mm512_mul_ps(dm, da), F[c]);
            }
        }
    }
    const __mmask16 mask = rows >= 16 ? 0xFFFF : (__mmask16)((1u << rows) - 1);
    for (int c = 0; c < C; c++) _mm512_mask_storeu_ps(y + (j0 + c) * ldy + r0, mask, F[c]);
}

#define LT_TILE_CASES(NSUB, NPAIR, MINS, PER32)                                                                     \
    switch (C) {                                                                                                      \
    case 1: lt_tile(panel, nb, aq, 1, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;                 \
    case 2: lt_tile(panel, nb, aq, 2, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;                 \
    case 3: lt_tile(panel, nb, aq, 3, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;                 \
    case 4: lt_tile(panel, nb, aq, 4, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;                 \
    case 5: lt_tile(panel, nb, aq, 5, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;                 \
    case 6: lt_tile(panel, nb, aq, 6, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;                 \
    case 7: lt_tile(panel, nb, aq, 7, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;                 \
    case 8: lt_tile(panel, nb, aq, 8, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;                 \
    case 9: lt_tile(panel, nb, aq, 9, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;                 \
    case 10: lt_tile(panel, nb, aq, 10, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;               \
    case 11: lt_tile(panel, nb, aq, 11, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;               \
    default: lt_tile(panel, nb, aq, 12, a, j0, NSUB, NPAIR, MINS, PER32, y, ldy, r0, rows); break;               \
    }

/// Tiles with 8 sub-blocks of 32 and mins over the per-32 sums (Q4_K, Q5_K).
static void lt_tiles_k32(const uint8_t *panel, int64_t nb, const int8_t *aq, int C, const lt_gemm_act *a,
                         int64_t j0, float *y, int64_t ldy, int64_t r0, int rows) {
    LT_TILE_CASES(8, 4, 1, 1)
}

/// Tiles with 16 sub-blocks of 16 and offset corrections folded into the sums (Q3_K, Q6_K).
static void lt_tiles_k16(const uint8_t *panel, int64_t nb, const int8_t *aq, int C, const lt_gemm_act *a,
                         int64_t j0, float *y, int64_t ldy, int64_t r0, int rows) {
    LT_TILE_CASES(16, 8, 0, 0)
}

/// Tiles with 16 sub-blocks of 16 and mins over the per-16 sums (Q2_K).
static void lt_tiles_k16m(const uint8_t *panel, int64_t nb, const int8_t *aq, int C, const lt_gemm_act *a,
                          int64_t j0, float *y, int64_t ldy, int64_t r0, int rows) {
    LT_TILE_CASES(16, 8, 1, 0)
}

void lt_gemm_q8K(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1,
                 const lt_gemm_act *a, float *y, int64_t ldy, uint8_t *scratch) {
    lt_kshape shape;
    if (!lt_kshape_of(type, &shape)) return;
    const int64_t nb = a->k / 256;
    uint8_t *panel = (uint8_t *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    for (int64_t g = r0; g < r1; g += LT_GEMM_ROWS) {
        const int rows = r1 - g < LT_GEMM_ROWS ? (int)(r1 - g) : LT_GEMM_ROWS;
        lt_unpack_panel(type, &shape, w, row_bytes, g, rows, nb, panel);
        for (int64_t j0 = 0; j0 < a->n; j0 += LT_GEMM_COLS) {
            const int C = a->n - j0 < LT_GEMM_COLS ? (int)(a->n - j0) : LT_GEMM_COLS;
            const int8_t *aq = a->q + j0 * a->k;
            if (shape.subblocks == 8) lt_tiles_k32(panel, nb, aq, C, a, j0, y, ldy, g, rows);
            else if (shape.mins) lt_tiles_k16m(panel, nb, aq, C, a, j0, y, ldy, g, rows);
            else lt_tiles_k16(panel, nb, aq, C, a, j0, y, ldy, g, rows);
        }
    }
}

int lt_gemm_quantize(const float *x, int64_t ldx, int64_t j0, int64_t j1, const lt_gemm_act *a) {
    const __m512 signless = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
    const int64_t nb = a->k / 256;
    for (int64_t j = j0; j < j1; j++) {
        const int64_t group = j / LT_GEMM_COLS, c = j % LT_GEMM_COLS;
        const int64_t cg = a->n - group * LT_GEMM_COLS < LT_GEMM_COLS ? a->n - group * LT_GEMM_COLS : LT_GEMM_COLS;
        int8_t *base = a->q + group * LT_GEMM_COLS * a->k;
        for (int64_t b = 0; b < nb; b++) {
            const float *xb = x + j * ldx + 256 * b;
            __m512 m = _mm512_setzero_ps();
            for (int i = 0; i < 16; i++) m = _mm512_max_ps(m, _mm512_and_ps(_mm512_loadu_ps(xb + 16 * i), signless));
            const float amax = _mm512_reduce_max_ps(m);
            const __m512 id = _mm512_set1_ps(amax > 0 ? 127.0f / amax : 0.0f);
            int16_t *bs16 = a->bs16 + (j * nb + b) * 16;
            for (int i = 0; i < 16; i++) {
                __m512i qi = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(xb + 16 * i), id));
                qi = _mm512_max_epi32(_mm512_min_epi32(qi, _mm512_set1_epi32(127)), _mm512_set1_epi32(-127));
                int32_t words[4];
                _mm_storeu_si128((__m128i *)words, _mm512_cvtepi32_epi8(qi));
                for (int k = 0; k < 4; k++) memcpy(base + ((64 * b + 4 * i + k) * cg + c) * 4, &words[k], 4);
                bs16[i] = (int16_t)_mm512_reduce_add_epi32(qi);
            }
            a->d[j * nb + b] = amax / 127.0f;
            for (int s = 0; s < 8; s++) a->bs32[(j * nb + b) * 8 + s] = (int16_t)(bs16[2 * s] + bs16[2 * s + 1]);
        }
    }
    return 1;
}
#else
void lt_gemm_q8K(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1,
                 const lt_gemm_act *a, float *y, int64_t ldy, uint8_t *scratch) {
    (void)type; (void)w; (void)row_bytes; (void)r0; (void)r1; (void)a; (void)y; (void)ldy; (void)scratch;
}
int lt_gemm_quantize(const float *x, int64_t ldx, int64_t j0, int64_t j1, const lt_gemm_act *a) {
    (void)x; (void)ldx; (void)j0; (void)j1; (void)a;
    return 0;
}
#endif
