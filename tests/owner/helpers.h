/*
 * tests/owner/helpers.h — what the owner suites share: a recording
 * violation handler and test-local allocators.
 *
 * The recording handler counts violations per kind and keeps the last one
 * (thread-safe), so a test can assert both that the right violation was
 * reported and that the operation then failed safely.  The counting
 * allocator wraps malloc and counts allocations, frees and the sizes
 * passed back; the bump allocator never frees (like an arena).
 */
#ifndef FERRUM_TESTS_OWNER_HELPERS_H
#define FERRUM_TESTS_OWNER_HELPERS_H

#include <ferrum/ferrum.h>

#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static _Atomic int rec_count[FR_V_LEAK + 1];
static _Atomic int rec_total;
static fr_violation rec_last;
static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER; /* for rec_last */

static void rec_handler(const fr_violation *v, void *ctx)
{
    (void)ctx;
    atomic_fetch_add(&rec_count[v->kind], 1);
    atomic_fetch_add(&rec_total, 1);
    pthread_mutex_lock(&rec_lock);
    rec_last = *v;
    pthread_mutex_unlock(&rec_lock);
}

static inline void rec_install(void)
{
    for (int i = 0; i <= FR_V_LEAK; i++) atomic_store(&rec_count[i], 0);
    atomic_store(&rec_total, 0);
    memset(&rec_last, 0, sizeof rec_last);
    fr_set_violation_handler(rec_handler, NULL);
}

/* Exactly one violation since the last check, of this kind. */
#define ck_violation(k)                                                                \
    do {                                                                               \
        ck_assert_int_eq(atomic_load(&rec_total), 1);                                  \
        ck_assert_str_eq(fr_violation_name(rec_last.kind), fr_violation_name(k));      \
        atomic_store(&rec_total, 0);                                                   \
    } while (0)
#define ck_no_violation() ck_assert_int_eq(atomic_load(&rec_total), 0)

/* ---- A counting allocator over malloc ---- */

struct counting {
    _Atomic int allocs, frees;
    _Atomic size_t bytes_out; /* bytes allocated minus bytes freed (by the size passed back) */
};

__attribute__((unused)) static void *counting_alloc(void *ctx, size_t size, size_t align)
{
    struct counting *c = ctx;
    void *p = NULL;
    if (align < sizeof(void *)) align = sizeof(void *);
    if (posix_memalign(&p, align, size)) return NULL;
    memset(p, 0xa5, size); /* so that fr_own_new must zero it */
    atomic_fetch_add(&c->allocs, 1);
    atomic_fetch_add(&c->bytes_out, size);
    return p;
}

__attribute__((unused)) static void counting_free(void *ctx, void *ptr, size_t size)
{
    struct counting *c = ctx;
    atomic_fetch_add(&c->frees, 1);
    atomic_fetch_sub(&c->bytes_out, size);
    free(ptr);
}

static inline fr_allocator counting_allocator(struct counting *c)
{
    fr_allocator a = {counting_alloc, counting_free, c};
    return a;
}

/* ---- An allocator that always fails ---- */

__attribute__((unused)) static void *failing_alloc(void *ctx, size_t size, size_t align)
{
    (void)ctx; (void)size; (void)align;
    return NULL;
}

/* ---- Drop functions ---- */

static _Atomic int drops;
__attribute__((unused)) static void count_drop(void *obj)
{
    (void)obj;
    atomic_fetch_add(&drops, 1);
}

#endif
