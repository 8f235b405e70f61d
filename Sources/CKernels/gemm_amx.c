// The AMX product of lt_amx.h. A panel of 32 weight rows is dequantized to bf16 once and laid out
// as the tile unit's B operand (row p of a 16-row tile holds values 2p and 2p+1 of each of the
// 16 weight rows), then every 32 activation vectors (two A tiles, plain row-major bf16) are
// multiplied against it over the whole row, four 16×16 f32 accumulator tiles held in the unit.
#include <math.h>
#include <stdlib.h>
#include "lt_amx.h"
#include "lt_gemm_common.h"
#include "lt_quant.h"

enum { LT_Q4_0 = 2, LT_Q4_1 = 3, LT_Q8_0 = 8 };

/// A block type as the dequantization sees it: values per block and bytes per block.
typedef struct lt_amx_unit {
    int values, bytes, kquant;
} lt_amx_unit;

static int lt_amx_unit_of(uint32_t type, lt_amx_unit *u) {
    lt_kshape s;
    if (lt_kshape_of(type, &s)) { *u = (lt_amx_unit){256, s.bytes, 1}; return 1; }
    switch (type) {
    case LT_Q4_0: *u = (lt_amx_unit){32, 18, 0}; return 1;
    case LT_Q4_1: *u = (lt_amx_unit){32, 20, 0}; return 1;
    case LT_Q8_0: *u = (lt_amx_unit){32, 34, 0}; return 1;
    default: return 0;
    }
}

int lt_amx_supports(uint32_t type) {
    lt_amx_unit u;
    return lt_amx_unit_of(type, &u);
}

/// Weight rows dequantized per panel for rows of k values: as many 32-row groups as fit in
/// 1.5 MB (the panel stays in L2 while every activation block streams past it), 32 to 256.
int64_t lt_amx_panel_rows(int64_t k) {
    int64_t r = (3 << 19) / (k * 2) / LT_AMX_ROWS * LT_AMX_ROWS;
    return r < LT_AMX_ROWS ? LT_AMX_ROWS : (r > 256 ? 256 : r);
}

int64_t lt_amx_scratch_bytes(int64_t k) {
    return 64 + lt_amx_panel_rows(k) * (k * 2 + LT_AMX_COLS * 4) + LT_AMX_ROWS * 256 * 2;
}

int64_t lt_amx_act_index(int64_t j, int64_t i, int64_t k) {
    return ((j / 16) * (k / 32) + i / 32) * 512 + (j % 16) * 32 + i % 32;
}

/// f rounded to bf16: nearest, ties to even; subnormals flushed to a signed zero and NaN kept
/// quiet, as VCVTNE2PS2BF16 does.
static uint16_t lt_bf16_of(float f) {
    uint32_t b;
    memcpy(&b, &f, 4);
    if ((b & 0x7F800000u) == 0) return (uint16_t)((b >> 16) & 0x8000);
    if ((b & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((b >> 16) | 0x40);
    return (uint16_t)((b + 0x7FFFu + ((b >> 16) & 1)) >> 16);
}

static float lt_f32_of_bf16(uint16_t h) {
    uint32_t b = (uint32_t)h << 16;
    float f;
    memcpy(&f, &b, 4);
    return f;
}

void lt_bf16_rows_ref(const float *x, int64_t ldx, int64_t j0, int64_t j1, int64_t k, uint16_t *out) {
    for (int64_t j = j0; j < j1; j++)
        for (int64_t i = 0; i < k; i++) out[lt_amx_act_index(j, i, k)] = lt_bf16_of(x[j * ldx + i]);
}

/// The scale and offset of each group of 16 values of one block: value i is
/// fma((float)q_i, scale_g, off_g) for g = i / 16 and q_i the block's unsigned values.
typedef struct lt_amx_coeffs {
    float scale[16], off[16];
} lt_amx_coeffs;

/// Values (unsigned, in natural order; the fast kernels' bytes) and coefficients of one block
/// of `type`: d·sc per sub-block and d·offset − dmin·min, each rounded once (plain C).
static void lt_amx_coeffs_of(uint32_t type, const lt_amx_unit *u, const uint8_t *b, uint8_t *q, lt_amx_coeffs *c,
                             int fast) {
    if (u->kquant) {
        lt_kshape s;
        lt_kscales ks;
        lt_kshape_of(type, &s);
#if LT_FAST
        if (fast) lt_kvalues(type, b, q); else lt_kvalues_ref(type, b, q);
#else
        (void)fast;
        lt_kvalues_ref(type, b, q);
#endif
        lt_kscales_of(type, b, &ks);
        // Offsets: Q3_K and Q6_K subtract 4 or 32 from q (pair = −4·sc or −32·sc), the others
        // subtract a min scaled by dmin.
        const float od = s.mins ? -ks.dmin : ks.d;
        if (s.subblocks == 8) {
            for (int sb = 0; sb < 8; sb++) {
                c->scale[2 * sb] = c->scale[2 * sb + 1] = ks.d * (float)ks.sc[sb];
                c->off[2 * sb] = c->off[2 * sb + 1] = od * (float)ks.pair[sb];
            }
        } else {
            for (int sb = 0; sb < 16; sb++) {
                c->scale[sb] = ks.d * (float)ks.sc[sb];
                c->off[sb] = od * (float)ks.pair[sb];
            }
        }
        return;
    }
    const float d = lt_half(b);
    float off = 0;
    if (type == LT_Q8_0) {
        for (int i = 0; i < 32; i++) q[i] = (uint8_t)((int8_t)b[2 + i] + 128);
        off = -128.0f * d;
    } else {
        const uint8_t *qs = b + (type == LT_Q4_1 ? 4 : 2);
        off = type == LT_Q4_1 ? lt_half(b + 2) : -8.0f * d;
        for (int i = 0; i < 16; i++) { q[i] = qs[i] & 0xF; q[16 + i] = qs[i] >> 4; }
    }
    for (int g = 0; g < 2; g++) { c->scale[g] = d; c->off[g] = off; }
}

void lt_amx_dequant_row_ref(uint32_t type, const uint8_t *row, int64_t k, uint16_t *out) {
    lt_amx_unit u;
    if (!lt_amx_unit_of(type, &u)) return;
    uint8_t q[256];
    lt_amx_coeffs c;
    for (int64_t b = 0; b < k / u.values; b++) {
        lt_amx_coeffs_of(type, &u, row + b * u.bytes, q, &c, 0);
        for (int i = 0; i < u.values; i++)
            out[b * u.values + i] = lt_bf16_of(fmaf((float)q[i], c.scale[i / 16], c.off[i / 16]));
    }
}

void lt_gemm_amx_ref(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1, const uint16_t *act,
                     int64_t n, int64_t k, float *y, int64_t ldy) {
    if (!lt_amx_supports(type)) return;
    uint16_t *row = malloc((size_t)k * 2);
    if (!row) return;
    for (int64_t r = r0; r < r1; r++) {
        lt_amx_dequant_row_ref(type, w + r * row_bytes, k, row);
        for (int64_t j = 0; j < n; j++) {
            double s = 0;
            for (int64_t i = 0; i < k; i++) s += (double)lt_f32_of_bf16(row[i]) * lt_f32_of_bf16(act[lt_amx_act_index(j, i, k)]);
            y[j * ldy + r] = (float)s;
        }
    }
    free(row);
}

#if LT_FAST && defined(__AMX_TILE__) && defined(__AMX_BF16__) && defined(__AVX512BF16__) && defined(__linux__)
#include <stdatomic.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <cpuid.h>

int lt_amx_available(void) {
    static _Atomic int state = -1;
    int s = atomic_load(&state);
    if (s >= 0) return s;
    unsigned a, b, c, d;
    int ok = 0;
    const char *off = getenv("LLAMATERM_NO_AMX");
    if (!(off && *off && strcmp(off, "0") != 0) && __get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        const int tile = (d >> 24) & 1, bf16 = (d >> 22) & 1;
        // ARCH_REQ_XCOMP_PERM (0x1023) for XFEATURE_XTILEDATA (18): Linux 5.16+ hands out the
        // 8 KB tile state only to processes that ask.
        ok = tile && bf16 && syscall(SYS_arch_prctl, 0x1023, 18) == 0;
    }
    atomic_store(&state, ok);
    return ok;
}

/// The tile configuration: tiles 0..3 accumulators, 4..5 activations (A), 6..7 weights (B);
/// every tile 16 rows of 64 bytes.
typedef struct lt_tilecfg {
    uint8_t palette, start;
    uint8_t reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} lt_tilecfg;

static void lt_amx_configure(void) {
    lt_tilecfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.palette = 1;
    for (int i = 0; i < 8; i++) { cfg.colsb[i] = 64; cfg.rows[i] = 16; }
    _tile_loadconfig(&cfg);
}

void lt_bf16_rows(const float *x, int64_t ldx, int64_t j0, int64_t j1, int64_t k, uint16_t *out) {
    for (int64_t j = j0; j < j1; j++) {
        const float *xr = x + j * ldx;
        uint16_t *o = out + lt_amx_act_index(j, 0, k);
        for (int64_t i = 0; i < k; i += 32) {
            const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(xr + i + 16), _mm512_loadu_ps(xr + i));
            _mm512_store_si512(o + 16 * i, (__m512i)v);
        }
    }
}

/// One block of `type` as bf16 at `out` (u->values values), with the reference's operations.
static inline void lt_amx_block(uint32_t type, const lt_amx_unit *u, const uint8_t *b, uint16_t *out) {
    uint8_t q[256] __attribute__((aligned(64)));
    lt_amx_coeffs c;
    lt_amx_coeffs_of(type, u, b, q, &c, 1);
    for (int g = 0; g < u->values / 16; g += 2) {
        // One 32-byte load (as lt_kvalues stored them: a half-width load would miss store forwarding).
        const __m256i v = _mm256_load_si256((const __m256i *)(q + 16 * g));
        const __m512 q0 = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm256_castsi256_si128(v)));
        const __m512 q1 = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm256_extracti128_si256(v, 1)));
        const __m512 f0 = _mm512_fmadd_ps(q0, _mm512_set1_ps(c.scale[g]), _mm512_set1_ps(c.off[g]));
        const __m512 f1 = _mm512_fmadd_ps(q1, _mm512_set1_ps(c.scale[g + 1]), _mm512_set1_ps(c.off[g + 1]));
        _mm512_store_si512(out + 16 * g, (__m512i)_mm512_cvtne2ps_pbh(f1, f0));
    }
}

/// Dequantizes rows [r0, r0 + rows) into the panel: 16-row group g, step t (values 32t..32t+31)
/// at panel + (g·k/32 + t)·1024, row p of that tile holding values 2p, 2p+1 of the group's 16
/// rows. Rows past `rows` up to the next multiple of 32 are zero.
static void lt_amx_unpack(uint32_t type, const lt_amx_unit *u, const uint8_t *w, int64_t row_bytes, int64_t r0,
                          int64_t rows, int64_t k, uint8_t *panel, uint16_t *tmp) {
    const int64_t nb = k / u->values, steps = k / 32, per = u->values / 32;
    for (int64_t s0 = 0; s0 < rows; s0 += LT_AMX_ROWS) {
        const int sub = rows - s0 < LT_AMX_ROWS ? (int)(rows - s0) : LT_AMX_ROWS;
        if (sub < LT_AMX_ROWS) memset(tmp, 0, (size_t)LT_AMX_ROWS * 256 * 2);
        for (int64_t b = 0; b < nb; b++) {
            for (int r = 0; r < sub; r++) lt_amx_block(type, u, w + (r0 + s0 + r) * row_bytes + b * u->bytes, tmp + r * 256);
            for (int g = 0; g < 2; g++) {
                for (int t = 0; t < per; t++) {
                    __m512i v[16];
                    for (int r = 0; r < 16; r++) v[r] = _mm512_load_si512(tmp + (16 * g + r) * 256 + 32 * t);
                    lt_transpose16x16(v);
                    uint8_t *dst = panel + ((s0 / 16 + g) * steps + b * per + t) * 1024;
                    for (int i = 0; i < 16; i++) _mm512_store_si512(dst + 64 * i, v[i]);
                }
            }
        }
    }
}

/// Values per step of the inner loop over k: one activation slice of 32 vectors × LT_AMX_SLICE
/// values (16 KB) stays in L1 while every 32-row group of the panel passes it, so of the two tiles
/// each product loads only the weights' comes from L2.
#define LT_AMX_SLICE 256

/// Adds activations [j0, j0 + 32) (tiles at a0, a0 + steps·1024) times the 32 panel rows whose
/// tiles start at b0, over steps [t0, t1), to the accumulator block at c (32 vectors × 32 rows,
/// 128 bytes per vector); `first` starts it from zero.
static inline void lt_amx_slice(const uint8_t *a0, const uint8_t *b0, int64_t steps, int64_t t0, int64_t t1,
                                float *c, int first) {
    const uint8_t *a1 = a0 + steps * 1024, *b1 = b0 + steps * 1024;
    if (first) { _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3); }
    else {
        _tile_loadd(0, c, 128); _tile_loadd(1, c + 16, 128);
        _tile_loadd(2, c + 512, 128); _tile_loadd(3, c + 528, 128);
    }
    for (int64_t t = t0; t < t1; t++) {
        _tile_loadd(4, a0 + 1024 * t, 64);
        _tile_loadd(6, b0 + 1024 * t, 64);
        _tile_dpbf16ps(0, 4, 6);
        _tile_loadd(7, b1 + 1024 * t, 64);
        _tile_dpbf16ps(1, 4, 7);
        _tile_loadd(5, a1 + 1024 * t, 64);
        _tile_dpbf16ps(2, 5, 6);
        _tile_dpbf16ps(3, 5, 7);
    }
    _tile_stored(0, c, 128); _tile_stored(1, c + 16, 128);
    _tile_stored(2, c + 512, 128); _tile_stored(3, c + 528, 128);
}

void lt_gemm_amx(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1, const uint16_t *act,
                 int64_t n, int64_t k, float *y, int64_t ldy, uint8_t *scratch) {
    lt_amx_unit u;
    if (!lt_amx_unit_of(type, &u) || !lt_amx_available() || r1 <= r0 || n <= 0) return;
    const int64_t prows = lt_amx_panel_rows(k), steps = k / 32, slice = LT_AMX_SLICE / 32;
    uint8_t *panel = (uint8_t *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    uint16_t *tmp = (uint16_t *)(panel + prows * k * 2);
    float *acc = (float *)(tmp + LT_AMX_ROWS * 256);
    const uint8_t *a = (const uint8_t *)act;
    lt_amx_configure();
    for (int64_t p0 = r0; p0 < r1; p0 += prows) {
        const int64_t rows = r1 - p0 < prows ? r1 - p0 : prows;
        lt_amx_unpack(type, &u, w, row_bytes, p0, rows, k, panel, tmp);
        for (int64_t j0 = 0; j0 < n; j0 += LT_AMX_COLS) {
            const int cols = n - j0 < LT_AMX_COLS ? (int)(n - j0) : LT_AMX_COLS;
            const uint8_t *aj = a + (j0 / 16) * steps * 1024;
            for (int64_t t0 = 0; t0 < steps; t0 += slice) {
                const int64_t t1 = t0 + slice < steps ? t0 + slice : steps;
                for (int64_t s0 = 0; s0 < rows; s0 += LT_AMX_ROWS)
                    lt_amx_slice(aj, panel + (s0 / 16) * steps * 1024, steps, t0, t1, acc + s0 * LT_AMX_COLS, t0 == 0);
            }
            for (int64_t s0 = 0; s0 < rows; s0 += LT_AMX_ROWS) {
                const int64_t sub = rows - s0 < LT_AMX_ROWS ? rows - s0 : LT_AMX_ROWS;
                for (int j = 0; j < cols; j++)
                    memcpy(y + (j0 + j) * ldy + p0 + s0, acc + s0 * LT_AMX_COLS + j * LT_AMX_ROWS, (size_t)sub * 4);
            }
        }
    }
    _tile_release();
}

int64_t lt_amx_peak_loop(int64_t iterations) {
    if (!lt_amx_available()) return 0;
    static const uint8_t zeros[1024] __attribute__((aligned(64)));
    lt_amx_configure();
    _tile_loadd(4, zeros, 64); _tile_loadd(5, zeros, 64); _tile_loadd(6, zeros, 64); _tile_loadd(7, zeros, 64);
    _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3);
    for (int64_t i = 0; i < iterations; i++) {
        _tile_dpbf16ps(0, 4, 6); _tile_dpbf16ps(1, 4, 7); _tile_dpbf16ps(2, 5, 6); _tile_dpbf16ps(3, 5, 7);
    }
    _tile_release();
    return iterations * 4 * 16 * 16 * 32 * 2;
}
#else
int lt_amx_available(void) { return 0; }
void lt_bf16_rows(const float *x, int64_t ldx, int64_t j0, int64_t j1, int64_t k, uint16_t *out) {
    lt_bf16_rows_ref(x, ldx, j0, j1, k, out);
}
void lt_gemm_amx(uint32_t type, const uint8_t *w, int64_t row_bytes, int64_t r0, int64_t r1, const uint16_t *act,
                 int64_t n, int64_t k, float *y, int64_t ldy, uint8_t *scratch) {
    (void)type; (void)w; (void)row_bytes; (void)r0; (void)r1; (void)act; (void)n; (void)k; (void)y; (void)ldy; (void)scratch;
}
int64_t lt_amx_peak_loop(int64_t iterations) {
    (void)iterations;
    return 0;
}
#endif
