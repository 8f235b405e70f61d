#ifndef LT_COMPAT_H
#define LT_COMPAT_H
// Kernels that round exactly as llama.cpp's CPU backend does (build 4748, AVX-512), so that a model
// gives the same logits, bit for bit, as llama.cpp on the same file: every product and sum happens in
// the same order and precision. Each vectorized kernel has a plain C reference (`_ref`) computing the
// same bits with scalar operations; the tests compare the two, and the references run where AVX-512
// is missing. The rest (norm, RoPE, lookup, packing) is scalar C, written in the same order.
#include <stdint.h>

/// One 32-value block of an activation quantized to 8 bits as llama.cpp does for Q4_1 (its Q8_1)
/// and Q8_0 weights: d = f16(amax/127), s = f16(amax/127 · Σq), q = round(x · 127/amax).
typedef struct lt_q8_block {
    float d;
    float s;
    int8_t q[32];
} lt_q8_block;

/// Weight encodings with a matching kernel.
enum { LT_COMPAT_Q4_1 = 0, LT_COMPAT_Q8_0 = 1 };

/// One row of Q4_1 or Q8_0 values as floats, as llama.cpp's token-embedding lookup computes them
/// (Q4_1: q·d rounded, then + m rounded; no fused multiply-add).
void lt_compat_dequantize_row(int type, const uint8_t *w, int64_t blocks, float *y);

/// Quantizes `blocks`·32 floats.
void lt_compat_quantize(const float *x, int64_t blocks, lt_q8_block *out);
void lt_compat_quantize_ref(const float *x, int64_t blocks, lt_q8_block *out);

/// Two activations' blocks side by side (the Q4_1 batch kernel's layout): quants of the first then
/// the second, and each one's d repeated 8 times.
typedef struct lt_q8_pair {
    int8_t q[64];
    float d[16];
} lt_q8_pair;

/// Packs activations [c0, c1) (c0 a multiple of 8) for `lt_compat_matmul`'s Q4_1 batch kernel: pairs
/// at pairs + (c/2)·blocks + b, and the sums s at sums + ((c/8)·blocks + b)·8 + c%8 (columns up to a
/// multiple of 8, the missing ones zero).
void lt_compat_pack(const lt_q8_block *a, int64_t cols, int64_t blocks, int64_t c0, int64_t c1, lt_q8_pair *pairs, float *sums);

/// y[c·ldy + r] = dot(row r, activation c) for rows r0..<r1 and `cols` activations of `blocks`
/// blocks each (activation c at a + c·blocks). Row r starts at w + r·row_bytes.
/// `pairs` and `sums` (from lt_compat_pack, or NULL) let Q4_1 take the batch kernel.
void lt_compat_matmul(int type, const uint8_t *w, int64_t row_bytes, int64_t blocks, int64_t r0, int64_t r1,
                      const lt_q8_block *a, const lt_q8_pair *pairs, const float *sums, int64_t cols, float *y, int64_t ldy);
void lt_compat_matmul_ref(int type, const uint8_t *w, int64_t row_bytes, int64_t blocks, int64_t r0, int64_t r1,
                          const lt_q8_block *a, int64_t cols, float *y, int64_t ldy);

/// exp as llama.cpp's vector code computes it (a degree-5 polynomial after range reduction), for n
/// values in place.
void lt_compat_exp(float *x, int64_t n);
void lt_compat_exp_ref(float *x, int64_t n);

/// y = silu(g) · u elementwise, rounded after each operation as llama.cpp does.
void lt_compat_silu_mul(float *g, const float *u, int64_t n);
void lt_compat_silu_mul_ref(float *g, const float *u, int64_t n);

/// y = (x · 1/sqrt(mean(x²) + eps)) · w: a double sum of float squares, two roundings.
void lt_compat_rms_norm(const float *x, const float *w, float *y, int64_t n, float eps);

/// cos/sin pairs for `dims` rotated dimensions at `position` (cache[2i], cache[2i+1]).
void lt_compat_rope_cache(int64_t position, int64_t dims, float base, float freq_scale, float *cache);
/// Rotates adjacent pairs of the first `dims` values of each of `heads` heads of `hs` values.
void lt_compat_rope(float *x, int64_t heads, int64_t hs, int64_t dims, const float *cache);

/// Softmax over count scores scaled by `scale`, as llama.cpp's masked softmax over a KV window
/// padded to a multiple of 32 (exponentials summed per 16 in double).
void lt_compat_softmax(float *x, int64_t count, float scale);
void lt_compat_softmax_ref(float *x, int64_t count, float scale);

/// Attention products over a half-precision cache (rows of hs values per position); q and p are
/// half precision. `batch` selects llama.cpp's prompt-processing order (one 16-lane chain) over its
/// single-token order (four 16-lane chains, leftovers in double).
/// Scores of nq queries (hs values each, one after another) against count keys: query a's scores
/// at s + a·lds.
void lt_compat_scores(const uint16_t *q, int64_t nq, const uint16_t *k, int64_t count, int64_t hs, int batch,
                      float *s, int64_t lds);
void lt_compat_scores_ref(const uint16_t *q, int64_t nq, const uint16_t *k, int64_t count, int64_t hs, int batch,
                          float *s, int64_t lds);
/// out[d] = Σ_p p[p]·v[p·hs + d] over count positions of a window of `window` (≥ count) positions.
/// `scratch` holds 64·hs floats.
void lt_compat_values(const uint16_t *p, const uint16_t *v, int64_t count, int64_t window, int64_t hs, int batch,
                      float *scratch, float *out);
void lt_compat_values_ref(const uint16_t *p, const uint16_t *v, int64_t count, int64_t window, int64_t hs, int batch,
                          float *scratch, float *out);
/// lt_compat_values for nq heads sharing the values (weights p + a·ldp, output out + a·ldo), each
/// value row read once for all of them; `scratch` holds nq·64·hs floats.
void lt_compat_values_group(const uint16_t *p, int64_t nq, int64_t ldp, const uint16_t *v, int64_t count, int64_t window,
                            int64_t hs, int batch, float *scratch, float *out, int64_t ldo);
void lt_compat_values_group_ref(const uint16_t *p, int64_t nq, int64_t ldp, const uint16_t *v, int64_t count, int64_t window,
                                int64_t hs, int batch, float *scratch, float *out, int64_t ldo);
#endif
