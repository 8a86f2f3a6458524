/*
 * tests/reliability/stress_common.h — what the stress programs share: the
 * API under test (the malloc names, or ferrum's fr_ names with -DSTRESS_FR),
 * a shared "mailbox" through which threads hand blocks to each other, the
 * error record, and the run-time scale.  Private to tests/reliability.
 *
 * A block that travels between threads carries its own description in its
 * first 24 bytes (size, seed, and a check word binding the two), so the
 * thread that frees it can verify every byte without any side table.  A
 * thread never calls ck_assert (Check's failure path is not thread-safe);
 * it records the first error here, and the test's main thread asserts that
 * none happened once every thread has been joined.
 */
#ifndef FR_STRESS_COMMON_H
#define FR_STRESS_COMMON_H

#include <errno.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>

#include "pattern.h"

#ifdef STRESS_FR
#include <ferrum/alloc.h>
#define S_MALLOC(n) fr_malloc(n)
#define S_CALLOC(n, s) fr_calloc(n, s)
#define S_REALLOC(p, n) fr_realloc(p, n)
#define S_FREE(p) fr_free(p)
#define S_MEMALIGN(pp, a, n) fr_posix_memalign(pp, a, n)
#define S_ALIGNED(a, n) fr_aligned_alloc(a, n)
#define S_USABLE(p) fr_usable_size(p)
#define S_API "fr_malloc"
#else
#define S_MALLOC(n) malloc(n)
#define S_CALLOC(n, s) calloc(n, s)
#define S_REALLOC(p, n) realloc(p, n)
#define S_FREE(p) free(p)
#define S_MEMALIGN(pp, a, n) posix_memalign(pp, a, n)
#define S_ALIGNED(a, n) aligned_alloc(a, n)
#define S_USABLE(p) malloc_usable_size(p)
#define S_API "malloc"
#endif

/* ---- Errors recorded by any thread, asserted by the main one ---- */

static atomic_ulong s_errors;
static char s_first_error[256];
static atomic_flag s_first_taken = ATOMIC_FLAG_INIT;

static inline void s_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void s_error(const char *fmt, ...)
{
    atomic_fetch_add(&s_errors, 1);
    if (!atomic_flag_test_and_set(&s_first_taken)) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s_first_error, sizeof s_first_error, fmt, ap);
        va_end(ap);
    }
}

static inline void s_reset_errors(void)
{
    atomic_store(&s_errors, 0);
    atomic_flag_clear(&s_first_taken);
    s_first_error[0] = 0;
}

/* Scale of a run: FR_STRESS_SCALE (default 1) multiplies operation counts;
 * FR_STRESS_THREADS overrides the thread count. */
static inline long s_env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    if (!v || !*v) return dflt;
    char *end;
    long x = strtol(v, &end, 10);
    return (*end || x <= 0) ? dflt : x;
}

/* ---- Self-describing blocks (for blocks that change hands) ---- */

#define SB_HDR 24

static inline uint64_t sb_check(size_t size, uint64_t seed)
{
    return pat_mix(size * 0x100000001B3ull ^ seed ^ 0xfe44u);
}

/* Fill a block of n >= SB_HDR bytes so that it describes itself. */
static inline void sb_fill(void *p, size_t n, uint64_t seed)
{
    uint64_t h[3] = { n, seed, sb_check(n, seed) };
    memcpy(p, h, sizeof h);
    pat_fill((char *)p + SB_HDR, n - SB_HDR, seed);
}

/* Verify a self-describing block; returns its size, or 0 (and records an
 * error) when any byte is wrong. */
static inline size_t sb_verify(const void *p, const char *who)
{
    uint64_t h[3];
    memcpy(h, p, sizeof h);
    if (h[0] < SB_HDR || h[0] > ((size_t)1 << 32) || h[2] != sb_check(h[0], h[1])) {
        s_error("%s: block %p header corrupt (size %llu)", who, p, (unsigned long long)h[0]);
        return 0;
    }
    size_t bad = pat_check((const char *)p + SB_HDR, h[0] - SB_HDR, h[1]);
    if (bad != (size_t)-1) {
        s_error("%s: block %p of %llu bytes corrupt at offset %zu", who, p,
                (unsigned long long)h[0], bad + SB_HDR);
        return 0;
    }
    return h[0];
}

/* ---- The mailbox: slots of blocks any thread may take or replace ---- */

#define MAILBOX_SLOTS 1024
static _Atomic(void *) s_mailbox[MAILBOX_SLOTS];
static atomic_ulong s_cross_frees;

/* Put a filled self-describing block into a random slot; whatever was
 * there is verified and freed by this thread (a cross-thread free). */
static inline void mailbox_swap(pat_rng *r, void *blk, const char *who)
{
    void *old = atomic_exchange(&s_mailbox[pat_below(r, MAILBOX_SLOTS)], blk);
    if (old) {
        sb_verify(old, who);
        S_FREE(old);
        atomic_fetch_add_explicit(&s_cross_frees, 1, memory_order_relaxed);
    }
}

/* Verify and free every block left in the mailbox. */
static inline unsigned long mailbox_drain(const char *who)
{
    unsigned long n = 0;
    for (size_t i = 0; i < MAILBOX_SLOTS; i++) {
        void *old = atomic_exchange(&s_mailbox[i], NULL);
        if (old) {
            sb_verify(old, who);
            S_FREE(old);
            n++;
        }
    }
    return n;
}

#endif /* FR_STRESS_COMMON_H */
