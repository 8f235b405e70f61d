#include "lt_checksum.h"
#include <string.h>
#include <immintrin.h>

#define LT_CK_PRIME 0x9E3779B97F4A7C15ull
#define LT_CK_ROT 29

static inline uint64_t lt_ck_rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

void lt_checksum_init(lt_checksum_state *s) {
    for (int i = 0; i < 8; i++) s->lanes[i] = 0x243F6A8885A308D3ull + (uint64_t)i * 0x13198A2E03707344ull;
    s->pendingCount = 0;
    s->total = 0;
}

// Blocks of 64 bytes into the lanes.
static void lt_ck_blocks(uint64_t *lanes, const uint8_t *p, int64_t blocks) {
#if defined(__AVX512F__) && defined(__AVX512DQ__)
    __m512i h = _mm512_loadu_si512(lanes);
    const __m512i prime = _mm512_set1_epi64((long long)LT_CK_PRIME);
    for (int64_t b = 0; b < blocks; b++) {
        __m512i w = _mm512_loadu_si512(p + 64 * b);
        h = _mm512_mullo_epi64(_mm512_rol_epi64(_mm512_xor_si512(h, w), LT_CK_ROT), prime);
    }
    _mm512_storeu_si512(lanes, h);
#else
    for (int64_t b = 0; b < blocks; b++) {
        for (int i = 0; i < 8; i++) {
            uint64_t w;
            memcpy(&w, p + 64 * b + 8 * i, 8);
            lanes[i] = lt_ck_rotl(lanes[i] ^ w, LT_CK_ROT) * LT_CK_PRIME;
        }
    }
#endif
}

void lt_checksum_update(lt_checksum_state *s, const void *bytes, int64_t count) {
    const uint8_t *p = (const uint8_t *)bytes;
    if (count <= 0) return;
    s->total += (uint64_t)count;
    if (s->pendingCount > 0) {
        int64_t take = 64 - (int64_t)s->pendingCount;
        if (take > count) take = count;
        memcpy(s->pending + s->pendingCount, p, (size_t)take);
        s->pendingCount += (uint64_t)take;
        p += take;
        count -= take;
        if (s->pendingCount < 64) return;
        lt_ck_blocks(s->lanes, s->pending, 1);
        s->pendingCount = 0;
    }
    int64_t blocks = count / 64;
    lt_ck_blocks(s->lanes, p, blocks);
    p += 64 * blocks;
    count -= 64 * blocks;
    memcpy(s->pending, p, (size_t)count);
    s->pendingCount = (uint64_t)count;
}

static uint64_t lt_ck_mix(uint64_t h) {
    h ^= h >> 33; h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33; h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
}

uint64_t lt_checksum_final(const lt_checksum_state *s) {
    uint64_t lanes[8];
    memcpy(lanes, s->lanes, sizeof lanes);
    if (s->pendingCount > 0) {
        uint8_t tail[64] = {0};
        memcpy(tail, s->pending, (size_t)s->pendingCount);
        lt_ck_blocks(lanes, tail, 1);
    }
    uint64_t h = s->total * LT_CK_PRIME;
    for (int i = 0; i < 8; i++) h = lt_ck_rotl(h ^ lanes[i], LT_CK_ROT) * LT_CK_PRIME;
    return lt_ck_mix(h);
}

uint64_t lt_checksum_ref(const void *bytes, int64_t count) {
    const uint8_t *p = (const uint8_t *)bytes;
    uint64_t lanes[8];
    for (int i = 0; i < 8; i++) lanes[i] = 0x243F6A8885A308D3ull + (uint64_t)i * 0x13198A2E03707344ull;
    for (int64_t off = 0; off < count; off += 64) {
        uint8_t block[64] = {0};
        int64_t n = count - off < 64 ? count - off : 64;
        for (int64_t j = 0; j < n; j++) block[j] = p[off + j];
        for (int i = 0; i < 8; i++) {
            uint64_t w = 0;
            for (int j = 7; j >= 0; j--) w = (w << 8) | block[8 * i + j];
            lanes[i] = lt_ck_rotl(lanes[i] ^ w, LT_CK_ROT) * LT_CK_PRIME;
        }
    }
    uint64_t h = (uint64_t)count * LT_CK_PRIME;
    for (int i = 0; i < 8; i++) h = lt_ck_rotl(h ^ lanes[i], LT_CK_ROT) * LT_CK_PRIME;
    return lt_ck_mix(h);
}
