/*
 * tests/reliability/pattern.h — per-block fill patterns and a small PRNG,
 * shared by the stress, fault and fuzz programs.  Private to the tests.
 *
 * Every block a reliability test owns is filled with a pattern derived from
 * a 64-bit seed and the byte offset, so that any byte written by someone
 * else (a block handed out twice, a free-list pointer written into a live
 * block, a realloc that lost the prefix, a fork that copied a half-updated
 * page) shows up as a mismatch at a known offset.  The pattern is computed
 * word by word (splitmix64 of seed ^ word index), so verifying a 1 MiB block
 * costs about as much as a memcmp.  The PRNG is xorshift64*: tiny, fast,
 * deterministic per thread, and good enough to pick sizes and operations.
 */
#ifndef FR_TEST_PATTERN_H
#define FR_TEST_PATTERN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The fuzz targets include this file: keep libFuzzer's comparison tracing
 * out of the byte loops (they would cost 90% of the run and teach the
 * fuzzer nothing about the allocator); not inlined, or the callers'
 * instrumentation would cover them again. */
#if defined(__clang__) && __clang_major__ >= 13
#define PAT_NOCOV __attribute__((no_sanitize("coverage"), noinline))
#else
#define PAT_NOCOV
#endif

static inline uint64_t pat_mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* Fill p[0..n) with the pattern of seed. */
static inline PAT_NOCOV void pat_fill(void *p, size_t n, uint64_t seed)
{
    unsigned char *b = p;
    size_t words = n / 8, i;
    for (i = 0; i < words; i++) {
        uint64_t w = pat_mix(seed ^ i);
        memcpy(b + 8 * i, &w, 8);
    }
    if (n % 8) {
        uint64_t w = pat_mix(seed ^ i);
        memcpy(b + 8 * i, &w, n % 8);
    }
}

/* Offset of the first byte of p[0..n) that differs from the pattern of
 * seed, or (size_t)-1 when the block is intact. */
static inline PAT_NOCOV size_t pat_check(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *b = p;
    size_t words = n / 8, i;
    for (i = 0; i < words; i++) {
        uint64_t w = pat_mix(seed ^ i), got;
        memcpy(&got, b + 8 * i, 8);
        if (got != w) {
            for (size_t k = 0; k < 8; k++)
                if (((w >> (8 * k)) & 0xff) != b[8 * i + k]) return 8 * i + k;
        }
    }
    if (n % 8) {
        uint64_t w = pat_mix(seed ^ i);
        unsigned char t[8];
        memcpy(t, &w, 8);
        for (size_t k = 0; k < n % 8; k++)
            if (t[k] != b[8 * i + k]) return 8 * i + k;
    }
    return (size_t)-1;
}

typedef struct pat_rng { uint64_t s; } pat_rng;

static inline pat_rng pat_rng_new(uint64_t seed)
{
    pat_rng r = { pat_mix(seed) | 1 };
    return r;
}

static inline uint64_t pat_next(pat_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, n) (n > 0; the modulo bias is irrelevant here). */
static inline uint64_t pat_below(pat_rng *r, uint64_t n)
{
    return pat_next(r) % n;
}

/* A size drawn like real programs draw them: mostly small, some medium,
 * rarely large, and (when big_ok) occasionally huge enough to be mapped
 * directly by the allocator. */
static inline size_t pat_size(pat_rng *r, int big_ok)
{
    uint64_t k = pat_below(r, 1000);
    if (k < 700) return (size_t)pat_below(r, 257);             /* 0..256 */
    if (k < 950) return 257 + (size_t)pat_below(r, 4096 - 257);
    if (k < 995 || !big_ok) return 4096 + (size_t)pat_below(r, 60 * 1024);
    return 256 * 1024 + (size_t)pat_below(r, 3 * 1024 * 1024);
}

#endif /* FR_TEST_PATTERN_H */
