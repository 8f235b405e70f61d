// Dot products of the 256-value K block types (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K) and IQ4_XS with an
// activation quantized to Q8_K (8-bit, d per 256, Σq per 16). Weights are expanded to unsigned
// bytes 64 at a time, multiplied with the activation (vpmaddubsw → int16 pairs), and the pairs
// weighted by their sub-block scale and summed with VNNI (vpdpwssd). Minimums and offsets are
// taken out with the activation's per-16 sums.
#include "lt_quant.h"
#include "lt_simd.h"

#if LT_FAST
/// Permutation index: int16 lane k of 32 takes scale (first + k / per).
static inline __m512i lt_scale_index(int first, int per) {
    int16_t idx[32];
    for (int k = 0; k < 32; k++) idx[k] = (int16_t)(first + k / per);
    return _mm512_loadu_si512(idx);
}

/// Bit-test vector: low 256 bits test bit 2k, high 256 bits bit 2k+1.
static inline __m512i lt_bit_pair(int k) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi8((char)(1 << (2 * k)))),
                              _mm256_set1_epi8((char)(2 << (2 * k))), 1);
}

static inline float lt_hsum256_ps(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// The 8 six-bit scales (bytes 0-7) and 8 mins (bytes 8-15) of a Q4_K / Q5_K block.
static inline __m128i lt_k4_scales_mins(const uint8_t *s) {
    uint32_t u0 = lt_u32(s), u1 = lt_u32(s + 4), u2 = lt_u32(s + 8);
    const uint32_t m6 = 0x3f3f3f3f, m4 = 0x0f0f0f0f, m2 = 0x03030303;
    // Built in registers: storing four words and reloading them as one vector stalls the
    // store-to-load forwarding on every block.
    return _mm_setr_epi32((int)(u0 & m6), (int)((u2 & m4) | (((u0 >> 6) & m2) << 4)),
                          (int)(u1 & m6), (int)(((u2 >> 4) & m4) | (((u1 >> 6) & m2) << 4)));
}

/// Index for the scale permutation: int16 lanes 0-15 take scale g0, lanes 16-31 scale g1.
static inline __m512i lt_scale_index2(int g0, int g1) {
    int16_t idx[32];
    for (int k = 0; k < 32; k++) idx[k] = (int16_t)(k < 16 ? g0 : g1);
    return _mm512_loadu_si512(idx);
}

/// Bit-test vector: low 256 bits test bit i0, high 256 bits bit i1.
static inline __m512i lt_bit_test2(int i0, int i1) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi8((char)(1 << i0))), _mm256_set1_epi8((char)(1 << i1)), 1);
}

/// Shared Q4_K / Q5_K body. 64 bytes of nibbles at a time hold four groups of 32: their low
/// nibbles are groups 4k and 4k+2, their high nibbles 4k+1 and 4k+3, which is the order of the
/// activation's `kquants`. Q5_K adds its fifth bit from the 32 qh bytes (bit g of qh[l] for
/// value l of group g).
static inline float lt_dot_q45_K(const uint8_t *w, int64_t nb, const lt_activation *a, int five) {
    const int64_t ds = five ? 176 : 144, qs_off = five ? 48 : 16;
    const __m512i idx_lo0 = lt_scale_index2(0, 2), idx_hi0 = lt_scale_index2(1, 3);
    const __m512i idx_lo1 = lt_scale_index2(4, 6), idx_hi1 = lt_scale_index2(5, 7);
    const __m512i bit_lo0 = lt_bit_test2(0, 2), bit_hi0 = lt_bit_test2(1, 3);
    const __m512i bit_lo1 = lt_bit_test2(4, 6), bit_hi1 = lt_bit_test2(5, 7);
    const __m512i m4 = _mm512_set1_epi8(0x0F), b4 = _mm512_set1_epi8(0x10);
    __m512 acc = _mm512_setzero_ps();
    __m256 accm = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *p = w + b * ds;
        const int8_t *x = a->kquants + b * 256;
        __m128i scm = lt_k4_scales_mins(p + 4);
        __m512i sc16 = _mm512_castsi256_si512(_mm256_cvtepu8_epi16(scm));
        __m512i hb = five ? _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(p + 16))) : _mm512_setzero_si512();
        __m512i iacc = _mm512_setzero_si512();
        for (int k = 0; k < 2; k++) {
            __m512i v = _mm512_loadu_si512(p + qs_off + 64 * k);
            __m512i lo = _mm512_and_si512(v, m4), hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), m4);
            if (five) {
                lo = _mm512_mask_add_epi8(lo, _mm512_test_epi8_mask(hb, k ? bit_lo1 : bit_lo0), lo, b4);
                hi = _mm512_mask_add_epi8(hi, _mm512_test_epi8_mask(hb, k ? bit_hi1 : bit_hi0), hi, b4);
            }
            iacc = _mm512_dpwssd_epi32(iacc, _mm512_maddubs_epi16(lo, _mm512_loadu_si512(x + 128 * k)),
                                       _mm512_permutexvar_epi16(k ? idx_lo1 : idx_lo0, sc16));
            iacc = _mm512_dpwssd_epi32(iacc, _mm512_maddubs_epi16(hi, _mm512_loadu_si512(x + 128 * k + 64)),
                                       _mm512_permutexvar_epi16(k ? idx_hi1 : idx_hi0, sc16));
        }
        const float dx = a->scales[b];
        acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(iacc), _mm512_set1_ps(lt_h2f(p) * dx), acc);
        __m256i mins = _mm256_cvtepu8_epi16(_mm_unpackhi_epi8(scm, scm));
        __m256i pm = _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(a->bsums + b * 16)), mins);
        accm = _mm256_fmadd_ps(_mm256_cvtepi32_ps(pm), _mm256_set1_ps(lt_h2f(p + 2) * dx), accm);
    }
    return _mm512_reduce_add_ps(acc) - lt_hsum256_ps(accm);
}

static inline float lt_dot_q4_K(const uint8_t *w, int64_t nb, const lt_activation *a) { return lt_dot_q45_K(w, nb, a, 0); }
static inline float lt_dot_q5_K(const uint8_t *w, int64_t nb, const lt_activation *a) { return lt_dot_q45_K(w, nb, a, 1); }

/// Q6_K: values (6 bits) − 32, signed 8-bit scales per 16.
static inline float lt_dot_q6_K(const uint8_t *w, int64_t nb, const lt_activation *a) {
    __m512i idx[4];
    for (int k = 0; k < 4; k++) idx[k] = lt_scale_index(4 * k, 8);
    const __m512i m4 = _mm512_set1_epi8(0x0F), m2 = _mm512_set1_epi8(0x03), m30 = _mm512_set1_epi8(0x30);
    __m512 acc = _mm512_setzero_ps();
    __m256 accc = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *p = w + b * 210;
        const int8_t *x = a->quants + b * 256;
        __m256i sc = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(p + 192)));
        __m512i sc16 = _mm512_castsi256_si512(sc);
        __m512i iacc = _mm512_setzero_si512();
        for (int h = 0; h < 2; h++) {
            __m512i lo = _mm512_loadu_si512(p + 64 * h);
            __m256i hraw = _mm256_loadu_si256((const __m256i *)(p + 128 + 32 * h));
            __m512i hi = _mm512_inserti64x4(_mm512_castsi256_si512(hraw), _mm256_srli_epi16(hraw, 2), 1);
            __m512i v0 = _mm512_or_si512(_mm512_and_si512(lo, m4), _mm512_slli_epi16(_mm512_and_si512(hi, m2), 4));
            __m512i v1 = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(lo, 4), m4), _mm512_and_si512(hi, m30));
            iacc = _mm512_dpwssd_epi32(iacc, _mm512_maddubs_epi16(v0, _mm512_loadu_si512(x + 128 * h)),
                                       _mm512_permutexvar_epi16(idx[2 * h], sc16));
            iacc = _mm512_dpwssd_epi32(iacc, _mm512_maddubs_epi16(v1, _mm512_loadu_si512(x + 128 * h + 64)),
                                       _mm512_permutexvar_epi16(idx[2 * h + 1], sc16));
        }
        const float dd = lt_h2f(p + 208) * a->scales[b];
        acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(iacc), _mm512_set1_ps(dd), acc);
        __m256i corr = _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(a->bsums + b * 16)), sc);
        accc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(corr), _mm256_set1_ps(32.0f * dd), accc);
    }
    return _mm512_reduce_add_ps(acc) - lt_hsum256_ps(accc);
}

/// Q2_K: 2-bit values, 4-bit scale and min per 16.
static inline float lt_dot_q2_K(const uint8_t *w, int64_t nb, const lt_activation *a) {
    __m512i idx[4];
    for (int k = 0; k < 4; k++) idx[k] = lt_scale_index(4 * k, 8);
    const __m512i m3 = _mm512_set1_epi8(0x03);
    __m512 acc = _mm512_setzero_ps();
    __m256 accm = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *p = w + b * 84;
        const int8_t *x = a->quants + b * 256;
        __m128i raw = _mm_loadu_si128((const __m128i *)p);
        __m512i sc16 = _mm512_castsi256_si512(_mm256_cvtepu8_epi16(_mm_and_si128(raw, _mm_set1_epi8(0x0F))));
        __m256i mins = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(raw, 4), _mm_set1_epi8(0x0F)));
        __m512i iacc = _mm512_setzero_si512();
        for (int h = 0; h < 2; h++) {
            __m256i q = _mm256_loadu_si256((const __m256i *)(p + 16 + 32 * h));
            __m512i q2 = _mm512_inserti64x4(_mm512_castsi256_si512(q), _mm256_srli_epi16(q, 2), 1);
            __m512i v0 = _mm512_and_si512(q2, m3);
            __m512i v1 = _mm512_and_si512(_mm512_srli_epi16(q2, 4), m3);
            iacc = _mm512_dpwssd_epi32(iacc, _mm512_maddubs_epi16(v0, _mm512_loadu_si512(x + 128 * h)),
                                       _mm512_permutexvar_epi16(idx[2 * h], sc16));
            iacc = _mm512_dpwssd_epi32(iacc, _mm512_maddubs_epi16(v1, _mm512_loadu_si512(x + 128 * h + 64)),
                                       _mm512_permutexvar_epi16(idx[2 * h + 1], sc16));
        }
        const float dx = a->scales[b];
        acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(iacc), _mm512_set1_ps(lt_h2f(p + 80) * dx), acc);
        __m256i pm = _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(a->bsums + b * 16)), mins);
        accm = _mm256_fmadd_ps(_mm256_cvtepi32_ps(pm), _mm256_set1_ps(lt_h2f(p + 82) * dx), accm);
    }
    return _mm512_reduce_add_ps(acc) - lt_hsum256_ps(accm);
}

/// Q3_K: 2 low bits plus a high bit (set means +0, clear means −4), signed 6-bit scales per 16.
/// Computed as (low | high<<2) − 4.
static inline float lt_dot_q3_K(const uint8_t *w, int64_t nb, const lt_activation *a) {
    __m512i idx[4], bits[4];
    for (int k = 0; k < 4; k++) { idx[k] = lt_scale_index(4 * k, 8); bits[k] = lt_bit_pair(k); }
    const __m512i m3 = _mm512_set1_epi8(0x03), four = _mm512_set1_epi8(0x04);
    __m512 acc = _mm512_setzero_ps();
    __m256 accc = _mm256_setzero_ps();
    const uint32_t m4 = 0x0f0f0f0f, m2 = 0x03030303;
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *p = w + b * 110;
        const int8_t *x = a->quants + b * 256;
        const uint32_t a0 = lt_u32(p + 96), a1 = lt_u32(p + 100), t = lt_u32(p + 104);
        const __m128i s = _mm_setr_epi32((int)((a0 & m4) | ((t & m2) << 4)), (int)((a1 & m4) | (((t >> 2) & m2) << 4)),
                                         (int)(((a0 >> 4) & m4) | (((t >> 4) & m2) << 4)),
                                         (int)(((a1 >> 4) & m4) | (((t >> 6) & m2) << 4)));
        __m256i sc = _mm256_sub_epi16(_mm256_cvtepu8_epi16(s), _mm256_set1_epi16(32));
        __m512i sc16 = _mm512_castsi256_si512(sc);
        __m512i hb = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)p));
        __m512i iacc = _mm512_setzero_si512();
        for (int h = 0; h < 2; h++) {
            __m256i q = _mm256_loadu_si256((const __m256i *)(p + 32 + 32 * h));
            __m512i q2 = _mm512_inserti64x4(_mm512_castsi256_si512(q), _mm256_srli_epi16(q, 2), 1);
            __m512i v0 = _mm512_and_si512(q2, m3);
            __m512i v1 = _mm512_and_si512(_mm512_srli_epi16(q2, 4), m3);
            v0 = _mm512_mask_add_epi8(v0, _mm512_test_epi8_mask(hb, bits[2 * h]), v0, four);
            v1 = _mm512_mask_add_epi8(v1, _mm512_test_epi8_mask(hb, bits[2 * h + 1]), v1, four);
            iacc = _mm512_dpwssd_epi32(iacc, _mm512_maddubs_epi16(v0, _mm512_loadu_si512(x + 128 * h)),
                                       _mm512_permutexvar_epi16(idx[2 * h], sc16));
            iacc = _mm512_dpwssd_epi32(iacc, _mm512_maddubs_epi16(v1, _mm512_loadu_si512(x + 128 * h + 64)),
                                       _mm512_permutexvar_epi16(idx[2 * h + 1], sc16));
        }
        const float dd = lt_h2f(p + 108) * a->scales[b];
        acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(iacc), _mm512_set1_ps(dd), acc);
        __m256i corr = _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(a->bsums + b * 16)), sc);
        accc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(corr), _mm256_set1_ps(4.0f * dd), accc);
    }
    return _mm512_reduce_add_ps(acc) - lt_hsum256_ps(accc);
}

/// IQ4_XS: code-book values (signed, so |value| times the activation with the value's sign),
/// signed 6-bit scales per 32. 64 nibble bytes hold groups 4k..4k+3: their low nibbles (values
/// 0-15) and high nibbles (16-31) match the activation's `nquants` order.
static inline float lt_dot_iq4_xs(const uint8_t *w, int64_t nb, const lt_activation *a) {
    static const int8_t kv[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
    const __m512i table = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)kv));
    const __m512i m4 = _mm512_set1_epi8(0x0F), zero = _mm512_setzero_si512();
    const __m512i idx0 = lt_scale_index(0, 8), idx1 = lt_scale_index(4, 8);
    __m512 acc = _mm512_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *p = w + b * 136;
        const int8_t *x = a->nquants + b * 256;
        uint16_t sh;
        memcpy(&sh, p + 2, 2);
        int16_t ls[8];
        for (int g = 0; g < 8; g++)
            ls[g] = (int16_t)((((p[4 + g / 2] >> (4 * (g % 2))) & 0xF) | (((sh >> (2 * g)) & 3) << 4)) - 32);
        const __m512i sc16 = _mm512_castsi128_si512(_mm_setr_epi16(ls[0], ls[1], ls[2], ls[3], ls[4], ls[5], ls[6], ls[7]));
        __m512i iacc = _mm512_setzero_si512();
        for (int k = 0; k < 2; k++) {
            __m512i v = _mm512_loadu_si512(p + 8 + 64 * k);
            const __m512i scale = _mm512_permutexvar_epi16(k ? idx1 : idx0, sc16);
            for (int half = 0; half < 2; half++) {
                __m512i q = _mm512_shuffle_epi8(table, half ? _mm512_and_si512(_mm512_srli_epi16(v, 4), m4) : _mm512_and_si512(v, m4));
                __m512i xv = _mm512_loadu_si512(x + 128 * k + 64 * half);
                xv = _mm512_mask_sub_epi8(xv, _mm512_movepi8_mask(q), zero, xv);
                iacc = _mm512_dpwssd_epi32(iacc, _mm512_maddubs_epi16(_mm512_abs_epi8(q), xv), scale);
            }
        }
        acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(iacc), _mm512_set1_ps(lt_h2f(p) * a->scales[b]), acc);
    }
    return _mm512_reduce_add_ps(acc);
}

#endif

LT_MATVEC(lt_matvec_q2_K, lt_dot_q2_K)
LT_MATVEC(lt_matvec_q3_K, lt_dot_q3_K)
LT_MATVEC(lt_matvec_q4_K, lt_dot_q4_K)
LT_MATVEC(lt_matvec_q5_K, lt_dot_q5_K)
LT_MATVEC(lt_matvec_q6_K, lt_dot_q6_K)
LT_MATVEC(lt_matvec_iq4_xs, lt_dot_iq4_xs)
