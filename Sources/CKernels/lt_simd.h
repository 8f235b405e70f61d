// Shared helpers of the quantized kernels (private to CKernels).
#ifndef LT_SIMD_H
#define LT_SIMD_H
#include <stdint.h>
#include <string.h>
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512VNNI__)
#define LT_FAST 1
#include <immintrin.h>

/// The f16 at p (any alignment) as a float.
static inline float lt_h2f(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

static inline uint32_t lt_u32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/// 32 bytes at p0 and 32 at p1 as one 512-bit vector.
static inline __m512i lt_load2x256(const uint8_t *p0, const uint8_t *p1) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)p0)),
                              _mm256_loadu_si256((const __m256i *)p1), 1);
}

/// The 16 nibble bytes at p0 and p1 expanded to 64 values 0..15 in the order
/// [p0 low nibbles, p1 low nibbles, p0 high nibbles, p1 high nibbles].
static inline __m512i lt_nibbles2x16(const uint8_t *p0, const uint8_t *p1) {
    __m256i raw = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)p0)),
                                          _mm_loadu_si128((const __m128i *)p1), 1);
    __m512i q = _mm512_inserti64x4(_mm512_castsi256_si512(raw), _mm256_srli_epi16(raw, 4), 1);
    return _mm512_and_si512(q, _mm512_set1_epi8(0x0F));
}

/// The 32 nibble bytes at p expanded to 64 values: [low nibbles, high nibbles].
static inline __m512i lt_nibbles32(const uint8_t *p) {
    __m256i raw = _mm256_loadu_si256((const __m256i *)p);
    __m512i q = _mm512_inserti64x4(_mm512_castsi256_si512(raw), _mm256_srli_epi16(raw, 4), 1);
    return _mm512_and_si512(q, _mm512_set1_epi8(0x0F));
}

/// Activation bytes of two consecutive 32-blocks reordered to match lt_nibbles2x16.
static inline __m512i lt_act2x32_nibble_order(const int8_t *q) {
    return _mm512_permutexvar_epi64(_mm512_setr_epi64(0, 1, 4, 5, 2, 3, 6, 7), _mm512_loadu_si512(q));
}

/// Defines `NAME`, the matrix-vector product over rows r0..<r1 (y[r] = DOT(row r, a)), from a
/// one-row dot product `DOT(row, blocks, a)`.
#define LT_MATVEC(NAME, DOT)                                                                                      \
    void NAME(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y) { \
        for (int64_t r = r0; r < r1; r++) y[r] = DOT(w + r * row_bytes, blocks, a);                             \
    }
#else
#define LT_FAST 0
/// Without the AVX-512 kernels the matrix-vector functions exist but do nothing (Swift asks
/// `lt_fast_kernels_available()` first and takes its own path).
#define LT_MATVEC(NAME, DOT)                                                                                      \
    void NAME(const uint8_t *w, int64_t row_bytes, int64_t blocks, const lt_activation *a, int64_t r0, int64_t r1, float *y) { \
        (void)w; (void)row_bytes; (void)blocks; (void)a; (void)r0; (void)r1; (void)y;                            \
    }
#endif
#endif
