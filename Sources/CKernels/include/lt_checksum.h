#ifndef LT_CHECKSUM_H
#define LT_CHECKSUM_H
#include <stdint.h>

// A fast 64-bit checksum for the KV state files (not cryptographic): eight 64-bit lanes, each
// taking one word of every 64-byte block as h = rotl(h ^ w, 29) * P, so a change to any single
// word always changes the result; the lanes, the length and a zero-padded tail are mixed at the
// end. Streaming: update with any chunk sizes, the result depends only on the bytes.

typedef struct {
    uint64_t lanes[8];
    uint8_t pending[64];
    uint64_t pendingCount;
    uint64_t total;
} lt_checksum_state;

void lt_checksum_init(lt_checksum_state *s);
void lt_checksum_update(lt_checksum_state *s, const void *bytes, int64_t count);
uint64_t lt_checksum_final(const lt_checksum_state *s);

// The same with plain scalar code, one byte block at a time (the reference the test compares to).
uint64_t lt_checksum_ref(const void *bytes, int64_t count);

#endif
