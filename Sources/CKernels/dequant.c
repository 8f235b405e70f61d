// Dequantization of rows for the batched (sgemm) path: every supported block type expanded to
// floats with AVX-512, 16 values per store. Layouts as in the Swift `Dequantize` reference.
#include "lt_quant.h"
#include "lt_simd.h"

#if LT_FAST
static const int8_t lt_iq4_values[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

/// y[0..16) = s·u + o for 16 unsigned bytes u.
static inline void lt_affine_u8(float *y, __m128i u, float s, float o) {
    __m512 v = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(u));
    _mm512_storeu_ps(y, _mm512_fmadd_ps(v, _mm512_set1_ps(s), _mm512_set1_ps(o)));
}

/// y[0..16) = s·v for 16 signed bytes v.
static inline void lt_scale_i8(float *y, __m128i v, float s) {
    _mm512_storeu_ps(y, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(v)), _mm512_set1_ps(s)));
}

/// The 16 nibble bytes at p as [low nibbles, high nibbles] (32 values).
static inline __m256i lt_nib32(const uint8_t *p) {
    __m128i raw = _mm_loadu_si128((const __m128i *)p);
    return _mm256_and_si256(_mm256_inserti128_si256(_mm256_castsi128_si256(raw), _mm_srli_epi16(raw, 4), 1),
                            _mm256_set1_epi8(0x0F));
}

static inline __m128i lo128(__m256i v) { return _mm256_castsi256_si128(v); }
static inline __m128i hi128(__m256i v) { return _mm256_extracti128_si256(v, 1); }

static void lt_deq_q4_0(const uint8_t *b, float *y) {
    float d = lt_h2f(b);
    __m256i q = lt_nib32(b + 2);
    lt_affine_u8(y, lo128(q), d, -8 * d);
    lt_affine_u8(y + 16, hi128(q), d, -8 * d);
}

static void lt_deq_q4_1(const uint8_t *b, float *y) {
    float d = lt_h2f(b), m = lt_h2f(b + 2);
    __m256i q = lt_nib32(b + 4);
    lt_affine_u8(y, lo128(q), d, m);
    lt_affine_u8(y + 16, hi128(q), d, m);
}

static void lt_deq_q5_0(const uint8_t *b, float *y) {
    float d = lt_h2f(b);
    __m256i q = _mm256_mask_add_epi8(lt_nib32(b + 6), lt_u32(b + 2), lt_nib32(b + 6), _mm256_set1_epi8(0x10));
    lt_affine_u8(y, lo128(q), d, -16 * d);
    lt_affine_u8(y + 16, hi128(q), d, -16 * d);
}

static void lt_deq_q5_1(const uint8_t *b, float *y) {
    float d = lt_h2f(b), m = lt_h2f(b + 2);
    __m256i q = _mm256_mask_add_epi8(lt_nib32(b + 8), lt_u32(b + 4), lt_nib32(b + 8), _mm256_set1_epi8(0x10));
    lt_affine_u8(y, lo128(q), d, m);
    lt_affine_u8(y + 16, hi128(q), d, m);
}

static void lt_deq_q8_0(const uint8_t *b, float *y) {
    float d = lt_h2f(b);
    lt_scale_i8(y, _mm_loadu_si128((const __m128i *)(b + 2)), d);
    lt_scale_i8(y + 16, _mm_loadu_si128((const __m128i *)(b + 18)), d);
}

static void lt_deq_iq4_nl(const uint8_t *b, float *y) {
    float d = lt_h2f(b);
    __m256i q = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)lt_iq4_values)), lt_nib32(b + 2));
    lt_scale_i8(y, lo128(q), d);
    lt_scale_i8(y + 16, hi128(q), d);
}

/// Q4_K / Q5_K: eight groups of 32 with 6-bit scales and mins.
static void lt_deq_q45_K(const uint8_t *b, float *y, int five) {
    const float d = lt_h2f(b), dmin = lt_h2f(b + 2);
    const uint8_t *s = b + 4;
    const uint32_t u0 = lt_u32(s), u1 = lt_u32(s + 4), u2 = lt_u32(s + 8);
    const uint32_t m6 = 0x3f3f3f3f, m4 = 0x0f0f0f0f, m2 = 0x03030303;
    uint32_t packed[4] = {u0 & m6, (u2 & m4) | (((u0 >> 6) & m2) << 4), u1 & m6, ((u2 >> 4) & m4) | (((u1 >> 6) & m2) << 4)};
    const uint8_t *sc = (const uint8_t *)packed, *mn = sc + 8;
    const uint8_t *qs = b + (five ? 48 : 16);
    __m256i qh = five ? _mm256_loadu_si256((const __m256i *)(b + 16)) : _mm256_setzero_si256();
    for (int pr = 0; pr < 4; pr++) {
        __m256i raw = _mm256_loadu_si256((const __m256i *)(qs + 32 * pr));
        __m256i lo = _mm256_and_si256(raw, _mm256_set1_epi8(0x0F));
        __m256i hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), _mm256_set1_epi8(0x0F));
        if (five) {
            lo = _mm256_mask_add_epi8(lo, _mm256_test_epi8_mask(qh, _mm256_set1_epi8((char)(1 << (2 * pr)))), lo, _mm256_set1_epi8(0x10));
            hi = _mm256_mask_add_epi8(hi, _mm256_test_epi8_mask(qh, _mm256_set1_epi8((char)(2 << (2 * pr)))), hi, _mm256_set1_epi8(0x10));
        }
        float s1 = d * sc[2 * pr], o1 = -dmin * mn[2 * pr], s2 = d * sc[2 * pr + 1], o2 = -dmin * mn[2 * pr + 1];
        float *o = y + 64 * pr;
        lt_affine_u8(o, lo128(lo), s1, o1);
        lt_affine_u8(o + 16, hi128(lo), s1, o1);
        lt_affine_u8(o + 32, lo128(hi), s2, o2);
        lt_affine_u8(o + 48, hi128(hi), s2, o2);
    }
}

static void lt_deq_q4_K(const uint8_t *b, float *y) { lt_deq_q45_K(b, y, 0); }
static void lt_deq_q5_K(const uint8_t *b, float *y) { lt_deq_q45_K(b, y, 1); }

static void lt_deq_q6_K(const uint8_t *b, float *y) {
    const float d = lt_h2f(b + 208);
    const int8_t *sc = (const int8_t *)(b + 192);
    const __m256i m4 = _mm256_set1_epi8(0x0F), m3 = _mm256_set1_epi8(0x03);
    for (int h = 0; h < 2; h++) {
        __m256i l0 = _mm256_loadu_si256((const __m256i *)(b + 64 * h));
        __m256i l1 = _mm256_loadu_si256((const __m256i *)(b + 64 * h + 32));
        __m256i qh = _mm256_loadu_si256((const __m256i *)(b + 128 + 32 * h));
        __m256i v[4] = {
            _mm256_or_si256(_mm256_and_si256(l0, m4), _mm256_slli_epi16(_mm256_and_si256(qh, m3), 4)),
            _mm256_or_si256(_mm256_and_si256(l1, m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), m3), 4)),
            _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), m3), 4)),
            _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), m3), 4)),
        };
        for (int k = 0; k < 4; k++) {
            float *o = y + 128 * h + 32 * k;
            float s0 = d * sc[8 * h + 2 * k], s1 = d * sc[8 * h + 2 * k + 1];
            lt_affine_u8(o, lo128(v[k]), s0, -32 * s0);
            lt_affine_u8(o + 16, hi128(v[k]), s1, -32 * s1);
        }
    }
}

static void lt_deq_q2_K(const uint8_t *b, float *y) {
    const float d = lt_h2f(b + 80), dmin = lt_h2f(b + 82);
    const __m256i m3 = _mm256_set1_epi8(0x03);
    int g = 0;
    for (int h = 0; h < 2; h++) {
        __m256i q = _mm256_loadu_si256((const __m256i *)(b + 16 + 32 * h));
        for (int shift = 0; shift < 8; shift += 2) {
            __m256i v = _mm256_and_si256(_mm256_srli_epi16(q, shift), m3);
            float *o = y + 128 * h + 16 * shift;
            uint8_t s0 = b[g], s1 = b[g + 1];
            lt_affine_u8(o, lo128(v), d * (s0 & 0xF), -dmin * (s0 >> 4));
            lt_affine_u8(o + 16, hi128(v), d * (s1 & 0xF), -dmin * (s1 >> 4));
            g += 2;
        }
    }
}

static void lt_deq_q3_K(const uint8_t *b, float *y) {
    const float d = lt_h2f(b + 108);
    const uint32_t a0 = lt_u32(b + 96), a1 = lt_u32(b + 100), t = lt_u32(b + 104);
    const uint32_t m4 = 0x0f0f0f0f, m2 = 0x03030303;
    uint32_t packed[4] = {(a0 & m4) | ((t & m2) << 4), (a1 & m4) | (((t >> 2) & m2) << 4),
                          ((a0 >> 4) & m4) | (((t >> 4) & m2) << 4), ((a1 >> 4) & m4) | (((t >> 6) & m2) << 4)};
    const uint8_t *sc = (const uint8_t *)packed;
    const __m256i hm = _mm256_loadu_si256((const __m256i *)b), m3 = _mm256_set1_epi8(0x03);
    int g = 0, bit = 0;
    for (int h = 0; h < 2; h++) {
        __m256i q = _mm256_loadu_si256((const __m256i *)(b + 32 + 32 * h));
        for (int shift = 0; shift < 8; shift += 2, bit++) {
            __m256i v = _mm256_and_si256(_mm256_srli_epi16(q, shift), m3);
            v = _mm256_mask_add_epi8(v, _mm256_test_epi8_mask(hm, _mm256_set1_epi8((char)(1 << bit))), v, _mm256_set1_epi8(4));
            float *o = y + 128 * h + 16 * shift;
            float s0 = d * (float)(sc[g] - 32), s1 = d * (float)(sc[g + 1] - 32);
            lt_affine_u8(o, lo128(v), s0, -4 * s0);
            lt_affine_u8(o + 16, hi128(v), s1, -4 * s1);
            g += 2;
        }
    }
}

static void lt_deq_iq4_xs(const uint8_t *b, float *y) {
    const float d = lt_h2f(b);
    uint16_t sh;
    memcpy(&sh, b + 2, 2);
    const __m256i table = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)lt_iq4_values));
    for (int g = 0; g < 8; g++) {
        int l = ((b[4 + g / 2] >> (4 * (g % 2))) & 0xF) | (((sh >> (2 * g)) & 3) << 4);
        __m256i q = _mm256_shuffle_epi8(table, lt_nib32(b + 8 + 16 * g));
        float s = d * (float)(l - 32);
        lt_scale_i8(y + 32 * g, lo128(q), s);
        lt_scale_i8(y + 32 * g + 16, hi128(q), s);
    }
}

static void lt_deq_f16(const uint8_t *src, int64_t n, float *y) {
    const uint16_t *h = (const uint16_t *)src;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(h + i))));
    for (; i < n; i++) y[i] = _cvtsh_ss(h[i]);
}

static void lt_deq_bf16(const uint8_t *src, int64_t n, float *y) {
    const uint16_t *h = (const uint16_t *)src;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_si512(y + i, _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(h + i))), 16));
    for (; i < n; i++) {
        uint32_t u = (uint32_t)h[i] << 16;
        memcpy(y + i, &u, 4);
    }
}

int lt_dequantize_row(uint32_t type, const uint8_t *src, int64_t n, float *y) {
    void (*block)(const uint8_t *, float *) = 0;
    int64_t bs = 32, bytes = 0;
    switch (type) {
    case 0: memcpy(y, src, (size_t)n * 4); return 1;
    case 1: lt_deq_f16(src, n, y); return 1;
    case 30: lt_deq_bf16(src, n, y); return 1;
    case 2: block = lt_deq_q4_0; bytes = 18; break;
    case 3: block = lt_deq_q4_1; bytes = 20; break;
    case 6: block = lt_deq_q5_0; bytes = 22; break;
    case 7: block = lt_deq_q5_1; bytes = 24; break;
    case 8: block = lt_deq_q8_0; bytes = 34; break;
    case 20: block = lt_deq_iq4_nl; bytes = 18; break;
    case 10: block = lt_deq_q2_K; bytes = 84; bs = 256; break;
    case 11: block = lt_deq_q3_K; bytes = 110; bs = 256; break;
    case 12: block = lt_deq_q4_K; bytes = 144; bs = 256; break;
    case 13: block = lt_deq_q5_K; bytes = 176; bs = 256; break;
    case 14: block = lt_deq_q6_K; bytes = 210; bs = 256; break;
    case 23: block = lt_deq_iq4_xs; bytes = 136; bs = 256; break;
    default: return 0;
    }
    for (int64_t i = 0; i < n / bs; i++) block(src + i * bytes, y + i * bs);
    return 1;
}
#else
int lt_dequantize_row(uint32_t type, const uint8_t *src, int64_t n, float *y) {
    (void)type; (void)src; (void)n; (void)y;
    return 0;
}
#endif
