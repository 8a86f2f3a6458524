/*
 * tests/reliability/stress_owner.c — owned handles moved between threads,
 * and borrow counters under contention.
 *
 * Two scenarios, both with many more threads than cores:
 *
 *  - relay: threads create objects with fr_own_new over the heap allocator,
 *    check they come zeroed, fill them through fr_borrow_mut, and pass
 *    them on with fr_move through a mailbox of handles.  The thread that
 *    takes a handle verifies the object through fr_borrow, then either
 *    rewrites it and passes it on again or drops it.  The drop function
 *    verifies the object one last time.  Proves: a moved handle stays
 *    valid in another thread, contents survive every hop, every object is
 *    dropped exactly once (creates == drops), and the moved-from handle is
 *    dead (fr_is_live false) in the sending thread.
 *  - contend: a few shared handles borrowed by reader threads (fr_borrow)
 *    and writer threads (fr_borrow_mut) at once.  A custom violation
 *    handler counts refusals; RefCell rules say a writer is refused while
 *    any borrow is live and a reader while a writer is, so the only
 *    violation allowed is borrow-conflict, a refused borrow must return
 *    NULL, and a reader must never see a half-written object (the pattern
 *    is checked under every shared borrow).  Writers keep trying until
 *    each has made its count of exclusive borrows and every reader its
 *    quota of shared ones (everyone yields between borrows), so the test
 *    does not depend on timing.
 */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include <ferrum/alloc.h>
#include <ferrum/owner.h>

#include "stress_common.h"

#define HSLOTS 256
static _Atomic uint64_t g_hbox[HSLOTS];
static atomic_long g_created, g_dropped, g_hops, g_conflicts, g_other_violations, g_reads, g_writes;
static long g_scale = 1, g_threads = 16;

static void on_violation(const fr_violation *v, void *ctx)
{
    (void)ctx;
    if (v->kind == FR_V_BORROW_CONFLICT) atomic_fetch_add(&g_conflicts, 1);
    else {
        atomic_fetch_add(&g_other_violations, 1);
        s_error("unexpected violation %s: %s", fr_violation_name(v->kind), v->message ? v->message : "");
    }
}

static void drop_obj(void *obj)
{
    sb_verify(obj, "drop");
    atomic_fetch_add(&g_dropped, 1);
}

static void fill_through_borrow(fr_handle h, pat_rng *r)
{
    unsigned char *p = fr_borrow_mut(h);
    if (!p) { s_error("relay: fr_borrow_mut of a fresh handle refused"); return; }
    uint64_t n;
    memcpy(&n, p, 8);
    sb_fill(p, n ? n : SB_HDR, pat_next(r));
    fr_release(h);
}

static void *relay_thread(void *arg)
{
    pat_rng r = pat_rng_new((uint64_t)(uintptr_t)arg);
    long ops = 3000 * g_scale;
    for (long i = 0; i < ops; i++) {
        size_t n = SB_HDR + (size_t)pat_below(&r, 2000);
        fr_handle h = fr_own_new(fr_heap_allocator(), n, drop_obj);
        if (!h.bits) { s_error("relay: fr_own_new(%zu) failed", n); continue; }
        atomic_fetch_add(&g_created, 1);
        unsigned char *p = fr_borrow_mut(h);
        if (!p) { s_error("relay: borrow_mut of new handle refused"); continue; }
        for (size_t k = 0; k < n; k++)
            if (p[k]) { s_error("relay: fr_own_new object not zeroed at %zu", k); break; }
        sb_fill(p, n, pat_next(&r));
        fr_release(h);

        fr_handle moved = fr_move(&h);
        if (fr_is_live(h)) s_error("relay: moved-from handle still live");
        uint64_t got = atomic_exchange(&g_hbox[pat_below(&r, HSLOTS)], moved.bits);
        if (!got) continue;
        fr_handle t = { .bits = got };
        atomic_fetch_add(&g_hops, 1);
        const unsigned char *q = fr_borrow(t);
        if (!q) { s_error("relay: borrow of a received handle refused"); continue; }
        sb_verify(q, "relay-receive");
        fr_release(t);
        if (pat_below(&r, 2)) {
            fill_through_borrow(t, &r);
            fr_handle again = fr_move(&t);
            uint64_t other = atomic_exchange(&g_hbox[pat_below(&r, HSLOTS)], again.bits);
            if (other) { fr_handle o = { .bits = other }; fr_drop(&o); }
        } else {
            fr_drop(&t);
        }
    }
    return NULL;
}

START_TEST(relay)
{
    pthread_t t[256];
    fr_set_violation_handler(on_violation, NULL);
    s_reset_errors();
    for (long i = 0; i < g_threads; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, relay_thread, (void *)(uintptr_t)(i + 1)), 0);
    for (long i = 0; i < g_threads; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < HSLOTS; i++) {
        uint64_t b = atomic_exchange(&g_hbox[i], 0);
        if (b) { fr_handle h = { .bits = b }; fr_drop(&h); }
    }
    printf("relay: %ld threads, %ld handles created, %ld moved between threads, %ld dropped\n",
           g_threads, atomic_load(&g_created), atomic_load(&g_hops), atomic_load(&g_dropped));
    ck_assert_msg(atomic_load(&s_errors) == 0, "%lu errors; first: %s", atomic_load(&s_errors), s_first_error);
    ck_assert_int_eq(atomic_load(&g_created), atomic_load(&g_dropped));
    ck_assert_int_eq(atomic_load(&g_other_violations), 0);
}
END_TEST

#define SHARED 4
static fr_handle g_shared[SHARED];
static atomic_int g_stop;

static atomic_long g_readers_pending;   /* readers still short of their quota */

static void *reader(void *arg)
{
    pat_rng r = pat_rng_new((uint64_t)(uintptr_t)arg);
    long mine = 0, quota = 300 * g_scale;
    while (!atomic_load(&g_stop)) {
        fr_handle h = g_shared[pat_below(&r, SHARED)];
        const unsigned char *p = fr_borrow(h);
        if (p) {
            sb_verify(p, "reader");
            atomic_fetch_add(&g_reads, 1);
            fr_release(h);
            if (++mine == quota) atomic_fetch_sub(&g_readers_pending, 1);
        }                               /* else refused: a writer holds it */
        sched_yield();                  /* let writers find a moment with no borrow */
    }
    return NULL;
}

static void *writer(void *arg)
{
    pat_rng r = pat_rng_new((uint64_t)(uintptr_t)arg);
    long writes = 300 * g_scale;        /* successful exclusive borrows to make */
    /* until this writer made its count and every reader its quota, so that
     * both kinds of borrow really meet */
    for (long done = 0; done < writes || atomic_load(&g_readers_pending) > 0;) {
        fr_handle h = g_shared[pat_below(&r, SHARED)];
        unsigned char *p = fr_borrow_mut(h);
        if (!p) {                       /* refused: another borrow is live */
            sched_yield();
            continue;
        }
        done++;
        atomic_fetch_add(&g_writes, 1);
        sb_verify(p, "writer");
        sb_fill(p, 512, pat_next(&r));
        fr_release(h);
        sched_yield();
    }
    return NULL;
}

START_TEST(contend)
{
    pat_rng r = pat_rng_new(7);
    fr_set_violation_handler(on_violation, NULL);
    s_reset_errors();
    for (int i = 0; i < SHARED; i++) {
        g_shared[i] = fr_own_new(fr_heap_allocator(), 512, NULL);
        ck_assert_uint_ne(g_shared[i].bits, 0);
        unsigned char *p = fr_borrow_mut(g_shared[i]);
        ck_assert_ptr_nonnull(p);
        sb_fill(p, 512, pat_next(&r));
        fr_release(g_shared[i]);
    }
    long nr = g_threads / 2, nw = g_threads - nr;
    atomic_store(&g_readers_pending, nr);
    pthread_t tr[256], tw[256];
    for (long i = 0; i < nr; i++) ck_assert_int_eq(pthread_create(&tr[i], NULL, reader, (void *)(uintptr_t)(i + 100)), 0);
    for (long i = 0; i < nw; i++) ck_assert_int_eq(pthread_create(&tw[i], NULL, writer, (void *)(uintptr_t)(i + 200)), 0);
    for (long i = 0; i < nw; i++) pthread_join(tw[i], NULL);
    atomic_store(&g_stop, 1);
    for (long i = 0; i < nr; i++) pthread_join(tr[i], NULL);
    for (int i = 0; i < SHARED; i++) {
        ck_assert(fr_is_live(g_shared[i]));
        fr_drop(&g_shared[i]);
        ck_assert(!fr_is_live(g_shared[i]));
    }
    printf("contend: %ld readers, %ld writers on %d handles: %ld shared borrows, %ld exclusive, "
           "%ld refused as borrow-conflict\n", nr, nw, SHARED, atomic_load(&g_reads),
           atomic_load(&g_writes), atomic_load(&g_conflicts));
    ck_assert_msg(atomic_load(&s_errors) == 0, "%lu errors; first: %s", atomic_load(&s_errors), s_first_error);
    ck_assert_int_eq(atomic_load(&g_other_violations), 0);
    ck_assert_int_ge(atomic_load(&g_writes), 300 * g_scale * nw);
    ck_assert_int_ge(atomic_load(&g_reads), 300 * g_scale * nr);
}
END_TEST

int main(void)
{
    g_scale = s_env_long("FR_STRESS_SCALE", 1);
    g_threads = s_env_long("FR_STRESS_THREADS", 16);
    if (g_threads > 256) g_threads = 256;
    if (g_threads < 2) g_threads = 2;
    Suite *s = suite_create("stress_owner");
    TCase *tc = tcase_create("owner");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, relay);
    tcase_add_test(tc, contend);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
