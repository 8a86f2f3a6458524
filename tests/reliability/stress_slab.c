/*
 * tests/reliability/stress_slab.c — slab magazines under many threads.
 *
 * Threads (4x more than cores by default) allocate objects from one shared
 * slab, fill them with a per-object pattern, and hand them to each other
 * through a mailbox; the taker verifies and frees them into the slab from
 * its own magazine, so objects constantly migrate between per-thread
 * magazines and the shared slab lists.  What it proves:
 *  - no object is handed out twice (the pattern of a live object never
 *    changes under its owner);
 *  - an object always comes back constructed: the constructor writes a magic
 *    word in the first 8 bytes, which the test never touches, and every
 *    fr_slab_alloc must return an object carrying it;
 *  - alignment is honoured for every object;
 *  - constructors and destructors balance: after fr_slab_destroy, every
 *    constructed object has been destroyed exactly once (counted).
 * Threads are also created and torn down in rounds, so magazines of
 * exited threads must be flushed back.  FR_STRESS_SCALE multiplies counts.
 */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <ferrum/slab.h>

#include "pattern.h"

#define OBJ_SIZE 200
#define OBJ_ALIGN 64
#define CTOR_MAGIC 0xC0457EC7ED0B1EC7ull
#define SLOTS 512

static atomic_long g_ctor, g_dtor, g_errors, g_ops, g_moves;
static fr_slab *g_slab;
static _Atomic(unsigned char *) g_box[SLOTS];
static long g_scale = 1;

static void ctor(void *p)
{
    uint64_t m = CTOR_MAGIC;
    memcpy(p, &m, 8);
    atomic_fetch_add(&g_ctor, 1);
}

static void dtor(void *p)
{
    uint64_t m;
    memcpy(&m, p, 8);
    if (m != CTOR_MAGIC) atomic_fetch_add(&g_errors, 1);
    atomic_fetch_add(&g_dtor, 1);
}

/* Layout: [magic 8][seed 8][pattern ...] */
static unsigned char *take_new(pat_rng *r)
{
    unsigned char *p = fr_slab_alloc(g_slab);
    if (!p) { atomic_fetch_add(&g_errors, 1); return NULL; }
    uint64_t m, seed = pat_next(r);
    memcpy(&m, p, 8);
    if (m != CTOR_MAGIC || (uintptr_t)p % OBJ_ALIGN) atomic_fetch_add(&g_errors, 1);
    memcpy(p + 8, &seed, 8);
    pat_fill(p + 16, OBJ_SIZE - 16, seed);
    return p;
}

static void give_back(unsigned char *p)
{
    uint64_t seed, m;
    memcpy(&m, p, 8);
    memcpy(&seed, p + 8, 8);
    if (m != CTOR_MAGIC || pat_check(p + 16, OBJ_SIZE - 16, seed) != (size_t)-1)
        atomic_fetch_add(&g_errors, 1);
    fr_slab_free(g_slab, p);
}

static void *worker(void *arg)
{
    pat_rng r = pat_rng_new((uint64_t)(uintptr_t)arg);
    unsigned char *mine[32] = { 0 };
    long ops = 20000 * g_scale;
    for (long i = 0; i < ops; i++) {
        unsigned k = (unsigned)pat_below(&r, 32);
        switch (pat_below(&r, 4)) {
        case 0: case 1:
            if (mine[k]) give_back(mine[k]);
            mine[k] = take_new(&r);
            break;
        case 2: {  /* swap with the mailbox: the object changes threads */
            unsigned char *old = atomic_exchange(&g_box[pat_below(&r, SLOTS)], mine[k]);
            mine[k] = old;
            atomic_fetch_add(&g_moves, 1);
            break;
        }
        default:
            if (mine[k]) { give_back(mine[k]); mine[k] = NULL; }
        }
        atomic_fetch_add_explicit(&g_ops, 1, memory_order_relaxed);
    }
    for (int k = 0; k < 32; k++) if (mine[k]) give_back(mine[k]);
    return NULL;
}

START_TEST(slab_threads)
{
    long threads = 8;
    const char *v = getenv("FR_STRESS_THREADS");
    if (v && atol(v) > 0) threads = atol(v);
    v = getenv("FR_STRESS_SCALE");
    if (v && atol(v) > 0) g_scale = atol(v);
    g_slab = fr_slab_create("stress", OBJ_SIZE, OBJ_ALIGN, ctor, dtor);
    ck_assert_ptr_nonnull(g_slab);
    long rounds = 5;
    for (long round = 0; round < rounds; round++) {
        pthread_t t[256];
        if (threads > 256) threads = 256;
        for (long i = 0; i < threads; i++)
            ck_assert_int_eq(pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(round * 1000 + i + 1)), 0);
        for (long i = 0; i < threads; i++) pthread_join(t[i], NULL);
    }
    for (int i = 0; i < SLOTS; i++) {
        unsigned char *p = atomic_exchange(&g_box[i], NULL);
        if (p) give_back(p);
    }
    fr_slab_destroy(g_slab);
    printf("slab: %ld rounds x %ld threads, %ld operations, %ld objects moved between threads, "
           "%ld constructed, %ld destroyed\n", rounds, threads, atomic_load(&g_ops),
           atomic_load(&g_moves), atomic_load(&g_ctor), atomic_load(&g_dtor));
    ck_assert_msg(atomic_load(&g_errors) == 0, "%ld corrupt, misaligned or unconstructed objects",
                  atomic_load(&g_errors));
    ck_assert_msg(atomic_load(&g_ctor) == atomic_load(&g_dtor), "constructed %ld != destroyed %ld",
                  atomic_load(&g_ctor), atomic_load(&g_dtor));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stress_slab");
    TCase *tc = tcase_create("slab");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, slab_threads);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
