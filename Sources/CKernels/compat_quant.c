// 8-bit activation quantization and the Q4_1 / Q8_0 products, rounded as llama.cpp rounds them: per
// block, eight int32 lanes (each the sum of four neighbouring byte products) are converted to float
// and accumulated with fma(d_w·d_a, lane, acc) across blocks; Q4_1's offsets are accumulated
// separately, m·s fused; the eight lanes are summed as (l0+l4 + l2+l6) + (l1+l5 + l3+l7).
#pragma STDC FP_CONTRACT OFF
#include "lt_compat.h"
#include "lt_simd.h"
#include <math.h>

static inline float lt_c_half_to_float(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    _Float16 v;
    memcpy(&v, &h, 2);
    return (float)v;
}

static inline float lt_c_round_half(float x) { return (float)(_Float16)x; }

void lt_compat_dequantize_row(int type, const uint8_t *w, int64_t blocks, float *y) {
    for (int64_t b = 0; b < blocks; b++) {
        if (type == LT_COMPAT_Q4_1) {
            const uint8_t *blk = w + 20 * b;
            const float d = lt_c_half_to_float(blk), m = lt_c_half_to_float(blk + 2);
            for (int i = 0; i < 16; i++) {
                y[32 * b + i] = (float)(blk[4 + i] & 15) * d + m;
                y[32 * b + i + 16] = (float)(blk[4 + i] >> 4) * d + m;
            }
        } else {
            const uint8_t *blk = w + 34 * b;
            const float d = lt_c_half_to_float(blk);
            for (int i = 0; i < 32; i++) y[32 * b + i] = (float)(int8_t)blk[2 + i] * d;
        }
    }
}

void lt_compat_quantize_ref(const float *x, int64_t blocks, lt_q8_block *out) {
    for (int64_t b = 0; b < blocks; b++) {
        const float *v = x + 32 * b;
        float amax = 0;
        for (int i = 0; i < 32; i++) amax = fmaxf(amax, fabsf(v[i]));
        const float d = amax / 127.0f;
        const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
        int sum = 0;
        for (int i = 0; i < 32; i++) {
            int q = (int)nearbyintf(v[i] * id);
            out[b].q[i] = (int8_t)q;
            sum += q;
        }
        out[b].d = lt_c_round_half(d);
        out[b].s = lt_c_round_half(d * (float)sum);
    }
}

/// The eight lane sums of one 32-value block product: lane l sums values 4l..4l+3.
static inline void lt_c_lanes(const int8_t *wq, const int8_t *aq, int32_t *lanes) {
    for (int l = 0; l < 8; l++) {
        int32_t s = 0;
        for (int i = 4 * l; i < 4 * l + 4; i++) s += (int32_t)wq[i] * (int32_t)aq[i];
        lanes[l] = s;
    }
}

static inline float lt_c_hsum8(const float *acc) {
    float r0 = acc[4] + acc[0], r1 = acc[5] + acc[1], r2 = acc[6] + acc[2], r3 = acc[7] + acc[3];
    return (r0 + r2) + (r1 + r3);
}

static float lt_c_dot_ref(int type, const uint8_t *w, int64_t blocks, const lt_q8_block *a) {
    float acc[8] = {0}, summs = 0;
    for (int64_t b = 0; b < blocks; b++) {
        int8_t wq[32];
        float dw;
        if (type == LT_COMPAT_Q4_1) {
            const uint8_t *blk = w + 20 * b;
            dw = lt_c_half_to_float(blk);
            summs = fmaf(lt_c_half_to_float(blk + 2), a[b].s, summs);
            for (int i = 0; i < 16; i++) {
                wq[i] = (int8_t)(blk[4 + i] & 15);
                wq[i + 16] = (int8_t)(blk[4 + i] >> 4);
            }
        } else {
            const uint8_t *blk = w + 34 * b;
            dw = lt_c_half_to_float(blk);
            memcpy(wq, blk + 2, 32);
        }
        int32_t lanes[8];
        lt_c_lanes(wq, a[b].q, lanes);
        const float scale = dw * a[b].d;
        for (int l = 0; l < 8; l++) acc[l] = fmaf(scale, (float)lanes[l], acc[l]);
    }
    return lt_c_hsum8(acc) + summs;
}

void lt_compat_pack(const lt_q8_block *a, int64_t cols, int64_t blocks, int64_t c0, int64_t c1, lt_q8_pair *pairs, float *sums) {
    for (int64_t c = c0; c < c1; c++) {
        for (int64_t b = 0; b < blocks; b++) {
            lt_q8_pair *p = pairs + (c / 2) * blocks + b;
            const int half = (int)(c % 2);
            if (c < cols) {
                memcpy(p->q + 32 * half, a[c * blocks + b].q, 32);
                for (int i = 0; i < 8; i++) p->d[8 * half + i] = a[c * blocks + b].d;
                sums[((c / 8) * blocks + b) * 8 + c % 8] = a[c * blocks + b].s;
            } else {
                memset(p->q + 32 * half, 0, 32);
                for (int i = 0; i < 8; i++) p->d[8 * half + i] = 0;
                sums[((c / 8) * blocks + b) * 8 + c % 8] = 0;
            }
        }
    }
}

void lt_compat_matmul_ref(int type, const uint8_t *w, int64_t row_bytes, int64_t blocks, int64_t r0, int64_t r1,
                          const lt_q8_block *a, int64_t cols, float *y, int64_t ldy) {
    for (int64_t c = 0; c < cols; c++)
        for (int64_t r = r0; r < r1; r++) y[c * ldy + r] = lt_c_dot_ref(type, w + r * row_bytes, blocks, a + c * blocks);
}

#if LT_FAST
void lt_compat_quantize(const float *x, int64_t blocks, lt_q8_block *out) {
    const __m256 signless = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    for (int64_t b = 0; b < blocks; b++) {
        const float *v = x + 32 * b;
        __m256 v0 = _mm256_loadu_ps(v), v1 = _mm256_loadu_ps(v + 8), v2 = _mm256_loadu_ps(v + 16), v3 = _mm256_loadu_ps(v + 24);
        __m256 m = _mm256_max_ps(_mm256_max_ps(_mm256_and_ps(v0, signless), _mm256_and_ps(v1, signless)),
                                 _mm256_max_ps(_mm256_and_ps(v2, signless), _mm256_and_ps(v3, signless)));
        __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(m, 1), _mm256_castps256_ps128(m));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        const float amax = _mm_cvtss_f32(m4);
        const float d = amax / 127.0f;
        const __m256 id = _mm256_set1_ps(amax != 0.0f ? 127.0f / amax : 0.0f);
        __m256i i0 = _mm256_cvtps_epi32(_mm256_mul_ps(v0, id)), i1 = _mm256_cvtps_epi32(_mm256_mul_ps(v1, id));
        __m256i i2 = _mm256_cvtps_epi32(_mm256_mul_ps(v2, id)), i3 = _mm256_cvtps_epi32(_mm256_mul_ps(v3, id));
        _mm_storeu_si128((__m128i *)out[b].q, _mm256_cvtepi32_epi8(i0));
        _mm_storel_epi64((__m128i *)(out[b].q + 8), _mm256_cvtepi32_epi8(i1));
        _mm_storel_epi64((__m128i *)(out[b].q + 16), _mm256_cvtepi32_epi8(i2));
        _mm_storel_epi64((__m128i *)(out[b].q + 24), _mm256_cvtepi32_epi8(i3));
        __m256i s8 = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
        __m128i s4 = _mm_add_epi32(_mm256_extracti128_si256(s8, 1), _mm256_castsi256_si128(s8));
        s4 = _mm_add_epi32(s4, _mm_unpackhi_epi64(s4, s4));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 1));
        out[b].d = lt_c_round_half(d);
        out[b].s = lt_c_round_half(d * (float)_mm_cvtsi128_si32(s4));
    }
}

static inline float lt_hsum8(__m256 x) {
    __m128 r = _mm_add_ps(_mm256_extractf128_ps(x, 1), _mm256_castps256_ps128(x));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
}

/// A Q4_1 block's 32 values as unsigned bytes, low nibbles first.
static inline __m256i lt_q4_1_values(const uint8_t *blk) {
    __m128i raw = _mm_loadu_si128((const __m128i *)(blk + 4));
    __m256i both = _mm256_inserti128_si256(_mm256_castsi128_si256(raw), _mm_srli_epi16(raw, 4), 1);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

/// Up to four columns (NC) of one row: one accumulator (and for Q4_1 one offset sum) per column.
#define LT_COMPAT_ROW(TYPE, NC)                                                                            \
    {                                                                                                      \
        __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()}; \
        float summs[4] = {0, 0, 0, 0};                                                                     \
        for (int64_t b = 0; b < blocks; b++) {                                                             \
            __m256i wq;                                                                                    \
            float dw;                                                                                      \
            if ((TYPE) == LT_COMPAT_Q4_1) {                                                                \
                const uint8_t *blk = row + 20 * b;                                                         \
                dw = lt_h2f(blk);                                                                          \
                const float m = lt_h2f(blk + 2);                                                           \
                wq = lt_q4_1_values(blk);                                                                  \
                for (int c = 0; c < (NC); c++) summs[c] = fmaf(m, act[c * blocks + b].s, summs[c]);        \
                for (int c = 0; c < (NC); c++) {                                                           \
                    const lt_q8_block *ab = act + c * blocks + b;                                          \
                    __m256i dp = _mm256_dpbusd_epi32(_mm256_setzero_si256(), wq, _mm256_loadu_si256((const __m256i *)ab->q)); \
                    acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(dw * ab->d), _mm256_cvtepi32_ps(dp), acc[c]);  \
                }                                                                                          \
            } else {                                                                                       \
                const uint8_t *blk = row + 34 * b;                                                         \
                dw = lt_h2f(blk);                                                                          \
                wq = _mm256_loadu_si256((const __m256i *)(blk + 2));                                       \
                const __m256i aw = _mm256_sign_epi8(wq, wq);                                               \
                for (int c = 0; c < (NC); c++) {                                                           \
                    const lt_q8_block *ab = act + c * blocks + b;                                          \
                    __m256i sy = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)ab->q), wq);          \
                    __m256i dp = _mm256_dpbusd_epi32(_mm256_setzero_si256(), aw, sy);                     \
                    acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(dw * ab->d), _mm256_cvtepi32_ps(dp), acc[c]);  \
                }                                                                                          \
            }                                                                                              \
        }                                                                                                  \
        for (int c = 0; c < (NC); c++) y[c * ldy + r] = lt_hsum8(acc[c]) + summs[c];                       \
    }

/// NR (1 or 2) Q4_1 rows from r against eight packed activations (pairs pp, sums ss): each 512-bit
/// accumulator holds two columns' eight lanes; the m·s sums run eight columns per vector.
static inline __attribute__((always_inline)) void lt_q4_1_tile(const uint8_t *w, int64_t row_bytes, int64_t blocks, int64_t r,
                                                                const lt_q8_pair *pp, const float *ss, int nc, int NR,
                                                                float *y, int64_t ldy) {
    __m512 acc[2][4];
    __m256 sm[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};
    for (int k = 0; k < NR; k++)
        for (int p = 0; p < 4; p++) acc[k][p] = _mm512_setzero_ps();
    const uint8_t *row0 = w + r * row_bytes;
    for (int64_t b = 0; b < blocks; b++) {
        __m512i wv[2];
        __m512 dv[2];
        const __m256 sv = _mm256_loadu_ps(ss + 8 * b);
        for (int k = 0; k < NR; k++) {
            const uint8_t *blk = row0 + k * row_bytes + 20 * b;
            wv[k] = _mm512_broadcast_i64x4(lt_q4_1_values(blk));
            dv[k] = _mm512_set1_ps(lt_h2f(blk));
            sm[k] = _mm256_fmadd_ps(_mm256_set1_ps(lt_h2f(blk + 2)), sv, sm[k]);
        }
        for (int p = 0; p < 4; p++) {
            const lt_q8_pair *pr = pp + p * blocks + b;
            const __m512i qa = _mm512_loadu_si512(pr->q);
            const __m512 dd = _mm512_loadu_ps(pr->d);
            for (int k = 0; k < NR; k++) {
                const __m512i dp = _mm512_dpbusd_epi32(_mm512_setzero_si512(), wv[k], qa);
                acc[k][p] = _mm512_fmadd_ps(_mm512_mul_ps(dv[k], dd), _mm512_cvtepi32_ps(dp), acc[k][p]);
            }
        }
    }
    for (int k = 0; k < NR; k++) {
        float s8[8];
        _mm256_storeu_ps(s8, sm[k]);
        for (int c = 0; c < nc; c++) {
            const __m512 a = acc[k][c / 2];
            const __m256 half = c % 2 ? _mm512_extractf32x8_ps(a, 1) : _mm512_castps512_ps256(a);
            y[c * ldy + r + k] = lt_hsum8(half) + s8[c];
        }
    }
}

/// Q4_1 rows [r0, r1) against eight packed activations from column c8, two rows at a time.
static void lt_q4_1_batch8(const uint8_t *w, int64_t row_bytes, int64_t blocks, int64_t r0, int64_t r1,
                           const lt_q8_pair *pairs, const float *sums, int64_t c8, int64_t cols, float *y, int64_t ldy) {
    const lt_q8_pair *pp = pairs + (c8 / 2) * blocks;
    const float *ss = sums + (c8 / 8) * blocks * 8;
    const int nc = cols - c8 >= 8 ? 8 : (int)(cols - c8);
    int64_t r = r0;
    for (; r + 2 <= r1; r += 2) lt_q4_1_tile(w, row_bytes, blocks, r, pp, ss, nc, 2, y + c8 * ldy, ldy);
    if (r < r1) lt_q4_1_tile(w, row_bytes, blocks, r, pp, ss, nc, 1, y + c8 * ldy, ldy);
}

void lt_compat_matmul(int type, const uint8_t *w, int64_t row_bytes, int64_t blocks, int64_t r0, int64_t r1,
                      const lt_q8_block *a, const lt_q8_pair *pairs, const float *sums, int64_t cols, float *y0, int64_t ldy) {
    if (type == LT_COMPAT_Q4_1 && pairs && sums) {
        for (int64_t c8 = 0; c8 < cols; c8 += 8) lt_q4_1_batch8(w, row_bytes, blocks, r0, r1, pairs, sums, c8, cols, y0, ldy);
        return;
    }
    for (int64_t c0 = 0; c0 < cols; c0 += 4) {
        const int nc = cols - c0 >= 4 ? 4 : (int)(cols - c0);
        const lt_q8_block *act = a + c0 * blocks;
        float *y = y0 + c0 * ldy;
        for (int64_t r = r0; r < r1; r++) {
            const uint8_t *row = w + r * row_bytes;
            if (type == LT_COMPAT_Q4_1) {
                switch (nc) {
                case 4: LT_COMPAT_ROW(LT_COMPAT_Q4_1, 4) break;
                case 3: LT_COMPAT_ROW(LT_COMPAT_Q4_1, 3) break;
                case 2: LT_COMPAT_ROW(LT_COMPAT_Q4_1, 2) break;
                default: LT_COMPAT_ROW(LT_COMPAT_Q4_1, 1) break;
                }
            } else {
                switch (nc) {
                case 4: LT_COMPAT_ROW(LT_COMPAT_Q8_0, 4) break;
                case 3: LT_COMPAT_ROW(LT_COMPAT_Q8_0, 3) break;
                case 2: LT_COMPAT_ROW(LT_COMPAT_Q8_0, 2) break;
                default: LT_COMPAT_ROW(LT_COMPAT_Q8_0, 1) break;
                }
            }
        }
    }
}
#else
void lt_compat_quantize(const float *x, int64_t blocks, lt_q8_block *out) { lt_compat_quantize_ref(x, blocks, out); }
void lt_compat_matmul(int type, const uint8_t *w, int64_t row_bytes, int64_t blocks, int64_t r0, int64_t r1,
                      const lt_q8_block *a, const lt_q8_pair *pairs, const float *sums, int64_t cols, float *y, int64_t ldy) {
    (void)pairs; (void)sums;
    lt_compat_matmul_ref(type, w, row_bytes, blocks, r0, r1, a, cols, y, ldy);
}
#endif
