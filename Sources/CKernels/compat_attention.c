// Attention over the half-precision cache, rounded as llama.cpp's CPU backend rounds it without flash
// attention. Its prompt path (llamafile's tinyBLAS) keeps one 16-lane fma chain per dot product; its
// single-token path (ggml_vec_dot_f16) keeps four chains over 64-value steps, adds them pairwise and
// finishes the leftovers in double. A 16-lane vector is summed as GCC's _mm512_reduce_add_ps does:
// halves, quarters, then (l0+l2) + (l1+l3).
#pragma STDC FP_CONTRACT OFF
#include "lt_compat.h"
#include "lt_compat_exp.h"
#include <math.h>

static inline float lt_c_h(uint16_t h) {
    _Float16 v;
    memcpy(&v, &h, 2);
    return (float)v;
}

/// Sums 16 lanes in the order of GCC's _mm512_reduce_add_ps.
static inline float lt_c_reduce16(const float *x) {
    float t3[8], t6[4];
    for (int i = 0; i < 8; i++) t3[i] = x[i + 8] + x[i];
    for (int i = 0; i < 4; i++) t6[i] = t3[i + 4] + t3[i];
    return (t6[0] + t6[2]) + (t6[1] + t6[3]);
}

/// Four 16-lane chains reduced as ggml's GGML_F32Cx16_REDUCE: (c0+c2) + (c1+c3), then 16 lanes.
static inline float lt_c_reduce4x16(const float *c) {
    float t[16];
    for (int l = 0; l < 16; l++) t[l] = (c[l] + c[32 + l]) + (c[16 + l] + c[48 + l]);
    return lt_c_reduce16(t);
}

/// One dot product of n half values in either order.
static float lt_c_dot_f16(const uint16_t *x, const uint16_t *y, int64_t n, int batch) {
    if (batch && n % 16 == 0) {
        float acc[16] = {0};
        for (int64_t i = 0; i < n; i++) acc[i % 16] = fmaf(lt_c_h(x[i]), lt_c_h(y[i]), acc[i % 16]);
        return lt_c_reduce16(acc);
    }
    const int64_t np = n & ~(int64_t)63;
    float acc[64] = {0};
    for (int64_t i = 0; i < np; i++) acc[i % 64] = fmaf(lt_c_h(x[i]), lt_c_h(y[i]), acc[i % 64]);
    double sum = (double)lt_c_reduce4x16(acc);
    for (int64_t i = np; i < n; i++) sum += (double)(lt_c_h(x[i]) * lt_c_h(y[i]));
    return (float)sum;
}

void lt_compat_scores_ref(const uint16_t *q, int64_t nq, const uint16_t *k, int64_t count, int64_t hs, int batch,
                          float *s, int64_t lds) {
    for (int64_t a = 0; a < nq; a++)
        for (int64_t j = 0; j < count; j++) s[a * lds + j] = lt_c_dot_f16(k + j * hs, q + a * hs, hs, batch);
}

void lt_compat_values_ref(const uint16_t *p, const uint16_t *v, int64_t count, int64_t window, int64_t hs, int batch,
                          float *scratch, float *out) {
    (void)scratch;
    for (int64_t d = 0; d < hs; d++) {
        if (batch && window % 16 == 0) {
            float acc[16] = {0};
            for (int64_t i = 0; i < count; i++) acc[i % 16] = fmaf(lt_c_h(v[i * hs + d]), lt_c_h(p[i]), acc[i % 16]);
            out[d] = lt_c_reduce16(acc);
        } else {
            const int64_t np = window & ~(int64_t)63;
            float acc[64] = {0};
            const int64_t main = count < np ? count : np;
            for (int64_t i = 0; i < main; i++) acc[i % 64] = fmaf(lt_c_h(v[i * hs + d]), lt_c_h(p[i]), acc[i % 64]);
            double sum = (double)lt_c_reduce4x16(acc);
            for (int64_t i = np; i < count; i++) sum += (double)(lt_c_h(v[i * hs + d]) * lt_c_h(p[i]));
            out[d] = (float)sum;
        }
    }
}

void lt_compat_values_group_ref(const uint16_t *p, int64_t nq, int64_t ldp, const uint16_t *v, int64_t count, int64_t window,
                                int64_t hs, int batch, float *scratch, float *out, int64_t ldo) {
    for (int64_t a = 0; a < nq; a++) lt_compat_values_ref(p + a * ldp, v, count, window, hs, batch, scratch, out + a * ldo);
}

void lt_compat_softmax_ref(float *x, int64_t count, float scale) {
    float max = -INFINITY;
    for (int64_t i = 0; i < count; i++) {
        x[i] = x[i] * scale;
        max = fmaxf(max, x[i]);
    }
    double sum = 0;
    for (int64_t i0 = 0; i0 < count; i0 += 16) {
        float chunk[16] = {0};
        for (int64_t i = i0; i < count && i < i0 + 16; i++) {
            float e = x[i] - max;
            lt_compat_exp_ref(&e, 1);
            x[i] = e;
            chunk[i - i0] = e;
        }
        sum += (double)lt_c_reduce16(chunk);
    }
    const float inv = (float)(1.0 / sum);
    for (int64_t i = 0; i < count; i++) x[i] = x[i] * inv;
}

#if LT_FAST
/// GCC's _mm512_reduce_add_ps order with explicit steps (clang's differs).
static inline float lt_reduce16(__m512 x) {
    __m256 t3 = _mm256_add_ps(_mm512_extractf32x8_ps(x, 1), _mm512_castps512_ps256(x));
    __m128 t6 = _mm_add_ps(_mm256_extractf128_ps(t3, 1), _mm256_castps256_ps128(t3));
    __m128 t8 = _mm_add_ps(t6, _mm_movehl_ps(t6, t6));
    return _mm_cvtss_f32(_mm_add_ss(t8, _mm_movehdup_ps(t8)));
}

static inline __m512 lt_h16(const uint16_t *p) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p)); }

/// r[j] = lt_reduce16(x[j]) for 16 vectors at once: the same additions, lanes regrouped by shuffles.
static inline __m512 lt_reduce16x16(__m512 *x) {
    __m512 y[8], z[4], w[2];
    for (int a = 0; a < 8; a++)
        y[a] = _mm512_add_ps(_mm512_shuffle_f32x4(x[2 * a], x[2 * a + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_f32x4(x[2 * a], x[2 * a + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    for (int b = 0; b < 4; b++)
        z[b] = _mm512_add_ps(_mm512_shuffle_f32x4(y[2 * b], y[2 * b + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_f32x4(y[2 * b], y[2 * b + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    for (int c = 0; c < 2; c++)
        w[c] = _mm512_add_ps(_mm512_shuffle_ps(z[2 * c], z[2 * c + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_ps(z[2 * c], z[2 * c + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    const __m512 r = _mm512_add_ps(_mm512_shuffle_ps(w[0], w[1], _MM_SHUFFLE(2, 0, 2, 0)),
                                   _mm512_shuffle_ps(w[0], w[1], _MM_SHUFFLE(3, 1, 3, 1)));
    // Lane 4k + m of r holds vector 4m + k.
    return _mm512_permutexvar_ps(_mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15), r);
}

/// lt_compat_scores for head sizes 128-256 (multiples of 64): queries and each key row converted to
/// floats in memory.
static void lt_scores_wide(const uint16_t *q, int64_t nq, const uint16_t *k, int64_t count, int64_t hs, int batch,
                           float *s, int64_t lds) {
    float qf[8][256], kf[256];
    for (int64_t a = 0; a < nq; a++)
        for (int64_t i = 0; i < hs; i += 16) _mm512_storeu_ps(qf[a] + i, lt_h16(q + a * hs + i));
    __m512 x[16];
    for (int64_t a = 0; a < nq; a++) {
        for (int64_t j0 = 0; j0 < count; j0 += 16) {
            const int nk = count - j0 >= 16 ? 16 : (int)(count - j0);
            for (int t = 0; t < nk; t++) {
                const uint16_t *row = k + (j0 + t) * hs;
                for (int64_t i = 0; i < hs; i += 16) _mm512_storeu_ps(kf + i, lt_h16(row + i));
                if (batch) {
                    __m512 acc = _mm512_setzero_ps();
                    for (int64_t i = 0; i < hs; i += 16) acc = _mm512_fmadd_ps(_mm512_loadu_ps(kf + i), _mm512_loadu_ps(qf[a] + i), acc);
                    x[t] = acc;
                } else {
                    __m512 c[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
                    for (int64_t i = 0; i < hs; i += 16)
                        c[(i / 16) % 4] = _mm512_fmadd_ps(_mm512_loadu_ps(kf + i), _mm512_loadu_ps(qf[a] + i), c[(i / 16) % 4]);
                    x[t] = _mm512_add_ps(_mm512_add_ps(c[0], c[2]), _mm512_add_ps(c[1], c[3]));
                }
            }
            if (nk == 16) {
                _mm512_storeu_ps(s + a * lds + j0, lt_reduce16x16(x));
            } else {
                for (int t = 0; t < nk; t++) s[a * lds + j0 + t] = lt_reduce16(x[t]);
            }
        }
    }
}

void lt_compat_scores(const uint16_t *q, int64_t nq, const uint16_t *k, int64_t count, int64_t hs, int batch,
                      float *s, int64_t lds) {
    if (hs % 64 != 0 || hs > 256 || nq > 8) { lt_compat_scores_ref(q, nq, k, count, hs, batch, s, lds); return; }
    if (hs != 64) { lt_scores_wide(q, nq, k, count, hs, batch, s, lds); return; }
    // Each key row is converted once for all nq queries (the heads sharing it).
    __m512 qv[8][4];
    for (int64_t a = 0; a < nq; a++)
        for (int t = 0; t < 4; t++) qv[a][t] = lt_h16(q + a * 64 + 16 * t);
    __m512 x[8][16];
    for (int64_t j0 = 0; j0 < count; j0 += 16) {
        const int nk = count - j0 >= 16 ? 16 : (int)(count - j0);
        for (int t = 0; t < nk; t++) {
            const uint16_t *row = k + (j0 + t) * 64;
            const __m512 k0 = lt_h16(row), k1 = lt_h16(row + 16), k2 = lt_h16(row + 32), k3 = lt_h16(row + 48);
            for (int64_t a = 0; a < nq; a++) {
                if (batch) {
                    __m512 acc = _mm512_fmadd_ps(k0, qv[a][0], _mm512_setzero_ps());
                    acc = _mm512_fmadd_ps(k1, qv[a][1], acc);
                    acc = _mm512_fmadd_ps(k2, qv[a][2], acc);
                    x[a][t] = _mm512_fmadd_ps(k3, qv[a][3], acc);
                } else {
                    const __m512 z = _mm512_setzero_ps();
                    const __m512 c0 = _mm512_fmadd_ps(k0, qv[a][0], z), c1 = _mm512_fmadd_ps(k1, qv[a][1], z);
                    const __m512 c2 = _mm512_fmadd_ps(k2, qv[a][2], z), c3 = _mm512_fmadd_ps(k3, qv[a][3], z);
                    x[a][t] = _mm512_add_ps(_mm512_add_ps(c0, c2), _mm512_add_ps(c1, c3));
                }
            }
        }
        for (int64_t a = 0; a < nq; a++) {
            if (nk == 16) {
                _mm512_storeu_ps(s + a * lds + j0, lt_reduce16x16(x[a]));
            } else {
                for (int t = 0; t < nk; t++) s[a * lds + j0 + t] = lt_reduce16(x[a][t]);
            }
        }
    }
}

/// Lane-wise sum of 16 vectors of hs floats (rows of `a`, hs apart) in _mm512_reduce_add_ps order,
/// into out.
static inline void lt_reduce16_rows(const float *a, int64_t hs, float *out) {
    for (int64_t d = 0; d < hs; d += 16) {
        __m512 x[16];
        for (int l = 0; l < 16; l++) x[l] = _mm512_loadu_ps(a + l * hs + d);
        for (int l = 0; l < 8; l++) x[l] = _mm512_add_ps(x[l + 8], x[l]);
        for (int l = 0; l < 4; l++) x[l] = _mm512_add_ps(x[l + 4], x[l]);
        _mm512_storeu_ps(out + d, _mm512_add_ps(_mm512_add_ps(x[0], x[2]), _mm512_add_ps(x[1], x[3])));
    }
}

static void lt_values_finish(const uint16_t *p, const uint16_t *v, int64_t count, int64_t window, int64_t hs, int batch,
                             float *scratch, float *out);

void lt_compat_values(const uint16_t *p, const uint16_t *v, int64_t count, int64_t window, int64_t hs, int batch,
                      float *scratch, float *out) {
    if (hs % 16 != 0 || (batch && window % 16 != 0)) { lt_compat_values_ref(p, v, count, window, hs, batch, scratch, out); return; }
    const int lanes = batch ? 16 : 64;
    const int64_t main = batch ? count : (count < (window & ~(int64_t)63) ? count : (window & ~(int64_t)63));
    // One chain per residue class of positions (lane), kept in registers: position i joins chain
    // i % lanes, in increasing order, as in llama.cpp's vectors. For a head size of 64, four
    // neighbouring chains run together so that each step reads four consecutive rows.
    if (hs == 64) {
        for (int r = 0; r < lanes; r += 4) {
            __m512 a[4][4];
            for (int c = 0; c < 4; c++)
                for (int t = 0; t < 4; t++) a[c][t] = _mm512_setzero_ps();
            for (int64_t i0 = r; i0 < main; i0 += lanes) {
                for (int c = 0; c < 4 && i0 + c < main; c++) {
                    const __m512 pi = _mm512_set1_ps(_cvtsh_ss(p[i0 + c]));
                    const uint16_t *row = v + (i0 + c) * 64;
                    for (int t = 0; t < 4; t++) a[c][t] = _mm512_fmadd_ps(lt_h16(row + 16 * t), pi, a[c][t]);
                }
            }
            for (int c = 0; c < 4; c++)
                for (int t = 0; t < 4; t++) _mm512_storeu_ps(scratch + (r + c) * 64 + 16 * t, a[c][t]);
        }
    } else {
        for (int r = 0; r < lanes; r++) {
            float *acc = scratch + r * hs;
            for (int64_t d0 = 0; d0 < hs; d0 += 128) {
                const int nv = (int)((hs - d0 < 128 ? hs - d0 : 128) / 16);
                __m512 a[8];
                for (int t = 0; t < 8; t++) a[t] = _mm512_setzero_ps();
                for (int64_t i = r; i < main; i += lanes) {
                    const __m512 pi = _mm512_set1_ps(_cvtsh_ss(p[i]));
                    const uint16_t *row = v + i * hs + d0;
                    for (int t = 0; t < nv; t++) a[t] = _mm512_fmadd_ps(lt_h16(row + 16 * t), pi, a[t]);
                }
                for (int t = 0; t < nv; t++) _mm512_storeu_ps(acc + d0 + 16 * t, a[t]);
            }
        }
    }
    lt_values_finish(p, v, count, window, hs, batch, scratch, out);
}

/// The end of lt_compat_values once the chains are in scratch (lanes rows of hs): their sum in
/// llama.cpp's order, then (single-token order) the leftovers in double.
static void lt_values_finish(const uint16_t *p, const uint16_t *v, int64_t count, int64_t window, int64_t hs, int batch,
                             float *scratch, float *out) {
    if (batch) { lt_reduce16_rows(scratch, hs, out); return; }
    // Four chains of 16 lanes: (c0 + c2) + (c1 + c3) lane by lane, then the 16 lanes.
    for (int64_t l = 0; l < 16; l++) {
        float *c0 = scratch + l * hs, *c1 = scratch + (16 + l) * hs, *c2 = scratch + (32 + l) * hs, *c3 = scratch + (48 + l) * hs;
        for (int64_t d = 0; d < hs; d += 16) {
            __m512 a = _mm512_add_ps(_mm512_loadu_ps(c0 + d), _mm512_loadu_ps(c2 + d));
            __m512 b = _mm512_add_ps(_mm512_loadu_ps(c1 + d), _mm512_loadu_ps(c3 + d));
            _mm512_storeu_ps(c0 + d, _mm512_add_ps(a, b));
        }
    }
    lt_reduce16_rows(scratch, hs, out);
    const int64_t np = window & ~(int64_t)63;
    if (np < count) {
        for (int64_t d = 0; d < hs; d++) {
            double sum = (double)out[d];
            for (int64_t i = np; i < count; i++) sum += (double)(_cvtsh_ss(v[i * hs + d]) * _cvtsh_ss(p[i]));
            out[d] = (float)sum;
        }
    }
}

/// The chains of NQ heads (weights p + a·ldp) over one value row each step, head size 64: two
/// neighbouring chains per pass, each value row converted once for all heads.
static inline __attribute__((always_inline)) void lt_values_chains_group(const uint16_t *p, int64_t ldp, const int NQ,
                                                                          const uint16_t *v, int64_t main, int lanes,
                                                                          float *scratch) {
    for (int r = 0; r < lanes; r += 2) {
        __m512 acc[3][2][4];
        for (int a = 0; a < NQ; a++)
            for (int c = 0; c < 2; c++)
                for (int t = 0; t < 4; t++) acc[a][c][t] = _mm512_setzero_ps();
        for (int64_t i0 = r; i0 < main; i0 += lanes) {
            for (int c = 0; c < 2 && i0 + c < main; c++) {
                const uint16_t *row = v + (i0 + c) * 64;
                const __m512 k0 = lt_h16(row), k1 = lt_h16(row + 16), k2 = lt_h16(row + 32), k3 = lt_h16(row + 48);
                for (int a = 0; a < NQ; a++) {
                    const __m512 pi = _mm512_set1_ps(_cvtsh_ss(p[a * ldp + i0 + c]));
                    acc[a][c][0] = _mm512_fmadd_ps(k0, pi, acc[a][c][0]);
                    acc[a][c][1] = _mm512_fmadd_ps(k1, pi, acc[a][c][1]);
                    acc[a][c][2] = _mm512_fmadd_ps(k2, pi, acc[a][c][2]);
                    acc[a][c][3] = _mm512_fmadd_ps(k3, pi, acc[a][c][3]);
                }
            }
        }
        for (int a = 0; a < NQ; a++)
            for (int c = 0; c < 2; c++)
                for (int t = 0; t < 4; t++) _mm512_storeu_ps(scratch + (a * 64 + r + c) * 64 + 16 * t, acc[a][c][t]);
    }
}

void lt_compat_values_group(const uint16_t *p, int64_t nq, int64_t ldp, const uint16_t *v, int64_t count, int64_t window,
                            int64_t hs, int batch, float *scratch, float *out, int64_t ldo) {
    if (hs != 64 || nq < 2 || nq > 3 || (batch && window % 16 != 0)) {
        for (int64_t a = 0; a < nq; a++) lt_compat_values(p + a * ldp, v, count, window, hs, batch, scratch, out + a * ldo);
        return;
    }
    const int lanes = batch ? 16 : 64;
    const int64_t main = batch ? count : (count < (window & ~(int64_t)63) ? count : (window & ~(int64_t)63));
    if (nq == 3) lt_values_chains_group(p, ldp, 3, v, main, lanes, scratch);
    else lt_values_chains_group(p, ldp, 2, v, main, lanes, scratch);
    for (int64_t a = 0; a < nq; a++) lt_values_finish(p + a * ldp, v, count, window, 64, batch, scratch + a * 64 * 64, out + a * ldo);
}

void lt_compat_softmax(float *x, int64_t count, float scale) {
    const __m512 sc = _mm512_set1_ps(scale);
    __m512 m = _mm512_set1_ps(-INFINITY);
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) {
        const __m512 v = _mm512_mul_ps(_mm512_loadu_ps(x + i), sc);
        _mm512_storeu_ps(x + i, v);
        m = _mm512_max_ps(m, v);
    }
    float max = _mm512_reduce_max_ps(m);
    for (; i < count; i++) {
        x[i] = x[i] * scale;
        max = fmaxf(max, x[i]);
    }
    const __m512 mv = _mm512_set1_ps(max);
    double sum = 0;
    for (i = 0; i < count; i += 16) {
        const __mmask16 k = count - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (count - i)) - 1);
        // Lanes past count are zero after the mask, as llama.cpp's exp of a masked -inf score.
        const __m512 e = _mm512_maskz_mov_ps(k, lt_exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + i), mv)));
        _mm512_mask_storeu_ps(x + i, k, e);
        sum += (double)lt_reduce16(e);
    }
    const __m512 inv = _mm512_set1_ps((float)(1.0 / sum));
    for (i = 0; i + 16 <= count; i += 16) _mm512_storeu_ps(x + i, _mm512_mul_ps(_mm512_loadu_ps(x + i), inv));
    const float invs = (float)(1.0 / sum);
    for (; i < count; i++) x[i] = x[i] * invs;
}
#else
void lt_compat_scores(const uint16_t *q, int64_t nq, const uint16_t *k, int64_t count, int64_t hs, int batch,
                      float *s, int64_t lds) {
    lt_compat_scores_ref(q, nq, k, count, hs, batch, s, lds);
}
void lt_compat_values(const uint16_t *p, const uint16_t *v, int64_t count, int64_t window, int64_t hs, int batch,
                      float *scratch, float *out) {
    lt_compat_values_ref(p, v, count, window, hs, batch, scratch, out);
}
void lt_compat_softmax(float *x, int64_t count, float scale) { lt_compat_softmax_ref(x, count, scale); }
void lt_compat_values_group(const uint16_t *p, int64_t nq, int64_t ldp, const uint16_t *v, int64_t count, int64_t window,
                            int64_t hs, int batch, float *scratch, float *out, int64_t ldo) {
    lt_compat_values_group_ref(p, nq, ldp, v, count, window, hs, batch, scratch, out, ldo);
}
#endif
