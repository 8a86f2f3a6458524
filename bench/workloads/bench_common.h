/*
 * bench_common.h — the few helpers every allocator workload shares.
 *
 * What: a seeded pseudo-random generator (splitmix64), argument parsing for
 * the "size" and "threads" arguments, a value mixer used to fill and verify
 * blocks, and the one RESULT line that bench/run parses.
 *
 * How: each workload is one C file that includes this header and calls only
 * the plain malloc API, so it runs unchanged under any allocator put in front
 * of it with LD_PRELOAD.  Everything random is drawn from generators seeded
 * with fixed constants (per thread when there are threads), and every block
 * is filled with values derived from an allocation id, not from its address:
 * the checksum a workload prints is therefore the same under every correct
 * allocator, and bench/run reports a mismatch as an error.  Checksums of
 * threaded workloads combine per-thread sums with addition, which does not
 * depend on the order in which threads finish.
 *
 * Why: the published allocator benchmark suites are not packaged in Debian,
 * and their sources differ in licence and in harness; these are our own
 * programs written after the suites' descriptions, small enough to read.
 *
 * The measured part of each program is a non-inlined function whose name
 * starts with "bench_body" so that `valgrind --tool=callgrind
 * --toggle-collect=bench_body*` counts only it (instructions per operation).
 */
#ifndef FERRUM_BENCH_COMMON_H
#define FERRUM_BENCH_COMMON_H

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_NOINLINE __attribute__((noinline, used))

/* ---- Threads ---- */

#define BENCH_MAX_THREADS 64

/* Run fn((void *)t) for t = 0..n-1 on n threads and wait for all of them;
 * `who` names the program in the error message (exit 3) when a thread cannot
 * be created. */
static inline void bench_run_threads(const char *who, int n, void *(*fn)(void *))
{
    pthread_t th[BENCH_MAX_THREADS];
    if (n > BENCH_MAX_THREADS) {
        fprintf(stderr, "%s: at most %d threads\n", who, BENCH_MAX_THREADS);
        exit(3);
    }
    for (int t = 0; t < n; t++)
        if (pthread_create(&th[t], NULL, fn, (void *)(intptr_t)t) != 0) {
            fprintf(stderr, "%s: pthread_create failed\n", who);
            exit(3);
        }
    for (int t = 0; t < n; t++)
        pthread_join(th[t], NULL);
}

/* ---- Random numbers: splitmix64, one state per thread ---- */

typedef struct bench_rng { uint64_t s; } bench_rng;

static inline uint64_t bench_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline bench_rng bench_rng_seed(uint64_t seed)
{
    bench_rng r = { bench_mix(seed + 0x9e3779b97f4a7c15ULL) };
    return r;
}

static inline uint64_t bench_next(bench_rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return bench_mix(r->s);
}

/* Uniform in [0, n), n > 0 (the small modulo bias does not matter here). */
static inline uint64_t bench_below(bench_rng *r, uint64_t n)
{
    return bench_next(r) % n;
}

/* Sizes with a roughly 1/size distribution in [lo, hi]: mostly small blocks,
 * a few large ones, as real programs allocate. */
static inline size_t bench_size_pow(bench_rng *r, size_t lo, size_t hi)
{
    unsigned lo_bits = 63u - (unsigned)__builtin_clzll((unsigned long long)lo | 1);
    unsigned hi_bits = 63u - (unsigned)__builtin_clzll((unsigned long long)hi | 1);
    unsigned b = lo_bits + (unsigned)bench_below(r, hi_bits - lo_bits + 1);
    size_t base = (size_t)1 << b;
    size_t s = base + (size_t)bench_below(r, base);
    if (s < lo) s = lo;
    if (s > hi) s = hi;
    return s;
}

/* ---- Arguments ---- */

/* Parse argv[i] as a positive integer, or return dflt when absent.  Bad input
 * is an error with a message, never a silent default. */
static inline long bench_arg(int argc, char **argv, int i, long dflt, const char *what)
{
    if (argc <= i)
        return dflt;
    char *end = NULL;
    errno = 0;
    long v = strtol(argv[i], &end, 10);
    if (errno || end == argv[i] || *end || v <= 0) {
        fprintf(stderr, "%s: bad %s '%s' (want a positive integer)\n", argv[0], what, argv[i]);
        exit(2);
    }
    return v;
}

static inline void *bench_xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p && n) {
        fprintf(stderr, "bench: out of memory allocating %zu bytes\n", n);
        exit(3);
    }
    return p;
}

/* ---- Filling and verifying blocks ---- */

/* Write an id-derived tag at both ends of a block of n >= 16 bytes. */
static inline void bench_tag(void *p, size_t n, uint64_t v)
{
    memcpy(p, &v, 8);
    uint64_t w = ~v;
    memcpy((char *)p + n - 8, &w, 8);
}

/* Check both tags; a mismatch means the allocator corrupted or overlapped
 * blocks: stop at once, naming the workload. */
static inline uint64_t bench_check(const void *p, size_t n, uint64_t v, const char *who)
{
    uint64_t a, b;
    memcpy(&a, p, 8);
    memcpy(&b, (const char *)p + n - 8, 8);
    if (a != v || b != ~v) {
        fprintf(stderr, "%s: block %p of %zu bytes corrupted (tag %016" PRIx64 " want %016" PRIx64 ")\n",
                who, p, n, a, v);
        exit(4);
    }
    return v;
}

/* ---- Timing (informational: bench/run measures wall and CPU itself) ---- */

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The one line bench/run parses. */
static inline void bench_result(const char *name, uint64_t ops, uint64_t checksum, double secs)
{
    printf("RESULT workload=%s ops=%" PRIu64 " checksum=%016" PRIx64 " inner_seconds=%.6f\n",
           name, ops, checksum, secs);
    fflush(stdout);
}

#endif
