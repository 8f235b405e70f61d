// Dot products of F32, F16 and BF16 rows with the float activation (16 columns per step).
#include "lt_quant.h"
#include "lt_simd.h"

#if LT_FAST
static inline float lt_dot_f16(const uint8_t *w, int64_t n, const lt_activation *a) {
    const uint16_t *h = (const uint16_t *)w;
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(h + i))), _mm512_loadu_ps(a->values + i), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(h + i + 16))), _mm512_loadu_ps(a->values + i + 16), acc1);
    }
    float s = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
    for (; i < n; i++) s += _cvtsh_ss(h[i]) * a->values[i];
    return s;
}

static inline float lt_bf16_to_f32(uint16_t v) {
    uint32_t u = (uint32_t)v << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline float lt_dot_bf16(const uint8_t *w, int64_t n, const lt_activation *a) {
    const uint16_t *h = (const uint16_t *)w;
    __m512 acc = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i v = _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(h + i))), 16);
        acc = _mm512_fmadd_ps(_mm512_castsi512_ps(v), _mm512_loadu_ps(a->values + i), acc);
    }
    float s = _mm512_reduce_add_ps(acc);
    for (; i < n; i++) s += lt_bf16_to_f32(h[i]) * a->values[i];
    return s;
}

static inline float lt_dot_f32(const uint8_t *w, int64_t n, const lt_activation *a) {
    const float *f = (const float *)w;
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(f + i), _mm512_loadu_ps(a->values + i), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(f + i + 16), _mm512_loadu_ps(a->values + i + 16), acc1);
    }
    float s = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
    for (; i < n; i++) s += f[i] * a->values[i];
    return s;
}

#endif

LT_MATVEC(lt_matvec_f16, lt_dot_f16)
LT_MATVEC(lt_matvec_bf16, lt_dot_bf16)
LT_MATVEC(lt_matvec_f32, lt_dot_f32)
