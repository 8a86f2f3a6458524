/*
 * tests/arena/test_slab.c — slab caches: objects, constructed state, ctor/dtor
 * accounting, reclaim of empty slabs, bad input, wrong-cache and double
 * frees, the fr_allocator interface, and threads (cross-thread frees, thread
 * exit after and before destroy, more caches than per-thread slots, slot
 * reuse after destroy).  When each bad free is detected is the contract of
 * slab.h ("What is detected when"): the tests below check each case at the
 * point the contract promises, and FERRUM_SLAB_CHECK=1 at the free itself.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ferrum/slab.h>
#if defined(FR_HAVE_VALGRIND)
#include <valgrind/valgrind.h>
#endif

#include "../../arena/slab_reap.h"
#include "../common/child.h"

struct obj { uint64_t pattern[6]; };
static long ctors, dtors;

static void ctor(void *p)
{
    struct obj *o = p;
    for (int i = 0; i < 6; i++) o->pattern[i] = 0xC0FFEE00u + (uint64_t)i;
    __atomic_add_fetch(&ctors, 1, __ATOMIC_RELAXED);
}
static long dtor_bad;
static void dtor(void *p)
{
    struct obj *o = p;
    for (int i = 0; i < 6; i++) dtor_bad += o->pattern[i] != 0xC0FFEE00u + (uint64_t)i;
    __atomic_add_fetch(&dtors, 1, __ATOMIC_RELAXED);
}

START_TEST(alloc_free_distinct_aligned)
{
    fr_slab *s = fr_slab_create("t", 40, 8, NULL, NULL);
    ck_assert_ptr_nonnull(s);
    enum { N = 20000 };
    static unsigned char *p[N];
    for (int i = 0; i < N; i++) {
        p[i] = fr_slab_alloc(s);
        ck_assert_ptr_nonnull(p[i]);
        ck_assert_uint_eq((uintptr_t)p[i] % 8, 0);
        memset(p[i], i & 0xff, 40);
    }
    int bad = 0;
    for (int i = 0; i < N; i++)
        for (int k = 0; k < 40; k++) bad += p[i][k] != (unsigned)(i & 0xff);
    ck_assert_int_eq(bad, 0); /* no two objects overlap */
    for (int i = 0; i < N; i += 2) fr_slab_free(s, p[i]);
    for (int i = 0; i < N; i += 2) ck_assert_ptr_nonnull(p[i] = fr_slab_alloc(s));
    for (int i = 0; i < N; i++) fr_slab_free(s, p[i]);
    fr_slab_free(s, NULL); /* no effect: the next alloc still returns an object */
    unsigned char *q = fr_slab_alloc(s);
    ck_assert_ptr_nonnull(q);
    fr_slab_free(s, q);
    fr_slab_destroy(s);
}
END_TEST

START_TEST(alignment_honoured)
{
    for (size_t align = 1; align <= 4096; align *= 2) {
        fr_slab *s = fr_slab_create("al", 24, align, NULL, NULL);
        ck_assert_ptr_nonnull(s);
        void *q[100];
        for (int i = 0; i < 100; i++) {
            q[i] = fr_slab_alloc(s);
            ck_assert_uint_eq((uintptr_t)q[i] % align, 0);
        }
        for (int i = 0; i < 100; i++) fr_slab_free(s, q[i]);
        fr_slab_destroy(s);
    }
}
END_TEST

START_TEST(constructed_state_kept)
{
    ctors = dtors = 0;
    fr_slab *s = fr_slab_create("obj", sizeof(struct obj), 0, ctor, dtor);
    struct obj *o[1000];
    for (int i = 0; i < 1000; i++) {
        o[i] = fr_slab_alloc(s);
        for (int k = 0; k < 6; k++) ck_assert_uint_eq(o[i]->pattern[k], 0xC0FFEE00u + (uint64_t)k);
    }
    long made = ctors;
    ck_assert_int_ge(made, 1000);
    for (int i = 0; i < 1000; i++) fr_slab_free(s, o[i]);
    for (int i = 0; i < 1000; i++) {
        o[i] = fr_slab_alloc(s);
        for (int k = 0; k < 6; k++) ck_assert_uint_eq(o[i]->pattern[k], 0xC0FFEE00u + (uint64_t)k);
    }
    ck_assert_int_eq(ctors, made); /* no object constructed twice */
    for (int i = 0; i < 1000; i++) fr_slab_free(s, o[i]);
    fr_slab_destroy(s);
    ck_assert_int_eq(dtors, ctors); /* every constructed object destroyed */
    ck_assert_int_eq(dtor_bad, 0);  /* ... in its constructed state */
}
END_TEST

START_TEST(empty_slabs_returned)
{
    ctors = dtors = 0;
    fr_slab *s = fr_slab_create("big", 1000, 0, ctor, dtor);
    void *first = fr_slab_alloc(s);
    long per_slab = ctors;
    enum { N = 20000 };
    static void *p[N];
    for (int i = 0; i < N; i++) p[i] = fr_slab_alloc(s);
    ck_assert_int_ge(ctors, N);
    ck_assert_int_eq(dtors, 0);
    for (int i = 0; i < N; i++) fr_slab_free(s, p[i]);
    long kept_soon = ctors - dtors;
    fr__slab_reap(s); /* what the delay would reclaim a little later */
    ck_assert_int_ge(kept_soon, ctors - dtors);
    /* All was reclaimed but: the thread's two magazines (64 objects each),
     * the depot's full magazines (about 1 MiB of objects), a reserve of 4
     * empty slabs and the partial ones. */
    ck_assert_int_gt(dtors, 0);
    ck_assert_int_le(ctors - dtors, 2 * 64 + (1 << 20) / 1000 + 6 * per_slab);
    fr_slab_free(s, first);
    fr_slab_destroy(s);
    ck_assert_int_eq(dtors, ctors);
}
END_TEST

START_TEST(large_objects)
{
    ctors = dtors = 0;
    fr_slab *s = fr_slab_create("large", 300000, 4096, ctor, dtor);
    ck_assert_ptr_nonnull(s);
    enum { N = 130 };
    unsigned char *p[N];
    for (int i = 0; i < N; i++) {
        p[i] = fr_slab_alloc(s);
        ck_assert_ptr_nonnull(p[i]);
        ck_assert_uint_eq((uintptr_t)p[i] % 4096, 0);
        p[i][64] = (unsigned char)i;          /* past the constructed header */
        p[i][299999] = (unsigned char)i;
    }
    long per_slab = 13;                       /* 4 MiB slabs of 303104-byte strides */
    ck_assert_int_le(ctors, N + per_slab);
    for (int i = 0; i < N; i++) {
        ck_assert_uint_eq(p[i][64], (unsigned)i);
        ck_assert_uint_eq(p[i][299999], (unsigned)i);
        fr_slab_free(s, p[i]);
    }
    fr__slab_reap(s);
    /* Kept: at most 6 free objects in magazines (two per thread of 2, one
     * magazine of 2 in the depot), each holding a slab, plus 1 reserve slab. */
    ck_assert_int_le(ctors - dtors, 7 * per_slab);
    fr_slab_destroy(s);
    ck_assert_int_eq(ctors, dtors);
    ck_assert_int_eq(dtor_bad, 0);
}
END_TEST

START_TEST(bad_input)
{
    errno = 0; ck_assert_ptr_null(fr_slab_create("z", 0, 8, NULL, NULL)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_slab_create("z", 8, 3, NULL, NULL)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_slab_create("z", 8, 1 << 20, NULL, NULL)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_slab_create("z", SIZE_MAX, 8, NULL, NULL)); ck_assert_int_eq(errno, ENOMEM);
    errno = 0; ck_assert_ptr_null(fr_slab_alloc(NULL)); ck_assert_int_eq(errno, EINVAL);
    fr_slab *s = fr_slab_create(NULL, 32, 0, NULL, NULL);
    ck_assert_ptr_nonnull(s);
    fr_allocator a = fr_slab_allocator(s);
    errno = 0; ck_assert_ptr_null(fr_allocator_alloc(a, 33, 8)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_allocator_alloc(a, 16, 64)); ck_assert_int_eq(errno, EINVAL);
    void *p = fr_allocator_alloc(a, 32, 16);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 16, 0);
    fr_allocator_free(a, p, 32);
    fr_slab_destroy(s);
    fr_slab_destroy(NULL);
}
END_TEST

/* The inline free checks the owner cache: a wrong-cache object, or a
 * pointer in no slab, aborts inside the bad fr_slab_free call, though the
 * magazine has room (two objects are taken first: a refill leaves the
 * loaded magazine full, and the free must find room in it, i.e. would stay
 * inline). */
START_TEST(wrong_cache_aborts)
{
    fr_slab *a = fr_slab_create("apples", 32, 0, NULL, NULL);
    fr_slab *b = fr_slab_create("oranges", 32, 0, NULL, NULL);
    void *p = fr_slab_alloc(a);
    (void)fr_slab_alloc(b);
    (void)fr_slab_alloc(b);
    fr_slab_free(b, p);
    ck_abort_msg("no abort at the free of an apple to the oranges");
}
END_TEST

START_TEST(wrong_cache_other_geometry_aborts)
{
    fr_slab *a = fr_slab_create("small", 16, 0, NULL, NULL);
    fr_slab *b = fr_slab_create("huge", 100000, 0, NULL, NULL);
    void *p = fr_slab_alloc(b);
    (void)fr_slab_alloc(a);
    (void)fr_slab_alloc(a);
    fr_slab_free(a, p);
    ck_abort_msg("no abort at the free");
}
END_TEST

/* QA (issue 4): a small object freed to a cache of big objects must not be
 * handed out as a big one by the next alloc of the same thread. */
START_TEST(wrong_cache_small_to_big_aborts_before_reuse)
{
    fr_slab *big = fr_slab_create("big", 256, 0, NULL, NULL);
    fr_slab *small = fr_slab_create("small", 16, 0, NULL, NULL);
    (void)fr_slab_alloc(big);
    (void)fr_slab_alloc(big);
    char *o = fr_slab_alloc(small);
    fr_slab_free(big, o);
    char *x = fr_slab_alloc(big);
    ck_abort_msg("no abort: the small object %p came back from the big cache as %p", (void *)o, (void *)x);
}
END_TEST

START_TEST(not_from_slab_aborts)
{
    fr_slab *a = fr_slab_create("x", 32, 0, NULL, NULL);
    (void)fr_slab_alloc(a);
    (void)fr_slab_alloc(a);
    static char not_slab[64];
    fr_slab_free(a, not_slab);
    ck_abort_msg("no abort at the free of a static buffer");
}
END_TEST

START_TEST(heap_and_stack_pointers_abort)
{
    fr_slab *a = fr_slab_create("x", 1 << 20, 0, NULL, NULL); /* 16 MiB+ slabs: a wide mask */
    (void)fr_slab_alloc(a);
    (void)fr_slab_alloc(a);
    char local[32];
    if (_i == 0) fr_slab_free(a, malloc(32));
    else if (_i == 1) fr_slab_free(a, local);
    else fr_slab_free(a, (void *)(uintptr_t)0x1000);
    ck_abort_msg("no abort at the free of a pointer in no slab");
}
END_TEST

/* The message names both caches, and the backtrace is that of the bad call
 * (the child's stderr is read back through a pipe). */
__attribute__((noinline)) static void the_bad_free_call(fr_slab *to, void *obj)
{
    fr_slab_free(to, obj);
    __asm__ volatile("" ::: "memory"); /* not a tail call: keep this frame */
}

static void free_to_wrong_cache(void *arg)
{
    (void)arg;
    fr_slab *a = fr_slab_create("apples", 32, 0, NULL, NULL);
    fr_slab *b = fr_slab_create("oranges", 32, 0, NULL, NULL);
    void *p = fr_slab_alloc(a);
    (void)fr_slab_alloc(b);
    (void)fr_slab_alloc(b);
    the_bad_free_call(b, p);
}

START_TEST(wrong_cache_report_has_backtrace_of_the_call)
{
    static char out[8192];
    int st = fr_test_run_child(free_to_wrong_cache, NULL, out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "child did not abort: %s", out);
    ck_assert_msg(strstr(out, "belongs to slab cache \"apples\""), "message: %s", out);
    ck_assert_msg(strstr(out, "fr_slab_free(\"oranges\""), "message: %s", out);
    ck_assert_msg(strstr(out, "at the free"), "not found at the free: %s", out);
    ck_assert_msg(strstr(out, "the_bad_free_call"), "backtrace lacks the caller: %s", out);
}
END_TEST

/* NULL cache: alloc gives NULL + EINVAL, free of NULL does nothing, free of
 * an object to NULL aborts (slab.h). */
START_TEST(null_cache)
{
    fr_slab *n = NULL;
    errno = 0; ck_assert_ptr_null(fr_slab_alloc(n)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null((fr_slab_alloc)(n)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_allocator_alloc(fr_slab_allocator(n), 8, 8));
    ck_assert_int_eq(errno, EINVAL);
    fr_slab_free(n, NULL);
    (fr_slab_free)(n, NULL);
    fr_slab_destroy(n);
}
END_TEST

START_TEST(free_to_null_cache_aborts)
{
    fr_slab *a = fr_slab_create("x", 32, 0, NULL, NULL);
    void *p = fr_slab_alloc(a);
    fr_slab *n = NULL;
    fr_slab_free(n, p);
    ck_abort_msg("no abort");
}
END_TEST

/* FERRUM_SLAB_CHECK=1: every free is checked inside the call. */
static fr_slab *checked_cache(const char *name, size_t size)
{
    setenv("FERRUM_SLAB_CHECK", "1", 1);
    fr_slab *s = fr_slab_create(name, size, 0, NULL, NULL);
    unsetenv("FERRUM_SLAB_CHECK");
    return s;
}

START_TEST(checked_wrong_cache_aborts_at_free)
{
    fr_slab *a = fr_slab_create("apples", 32, 0, NULL, NULL);
    fr_slab *b = checked_cache("oranges", 32);
    void *p = fr_slab_alloc(a);
    fr_slab_free(b, p);
    ck_abort_msg("no abort at the free of a checked cache");
}
END_TEST

START_TEST(checked_double_free_aborts_at_free)
{
    fr_slab *a = checked_cache("x", 48);
    void *p = fr_slab_alloc(a);
    fr_slab_free(a, p);
    fr_slab_free(a, p);
    ck_abort_msg("no abort at the second free");
}
END_TEST

START_TEST(checked_interior_pointer_aborts_at_free)
{
    fr_slab *a = checked_cache("x", 48);
    char *p = fr_slab_alloc(a);
    fr_slab_free(a, p + 8);
    ck_abort_msg("no abort at the free");
}
END_TEST

START_TEST(checked_cache_works)
{
    fr_slab *a = checked_cache("x", 48);
    enum { N = 3000 };
    static void *p[N];
    for (int i = 0; i < N; i++) {
        p[i] = fr_slab_alloc(a);
        ck_assert_ptr_nonnull(p[i]);
        memset(p[i], 0x5a, 48);
    }
    for (int i = 0; i < N; i++) fr_slab_free(a, p[i]);
    fr_slab_free(a, NULL);
    fr_slab_destroy(a);
}
END_TEST

/* A magazine holding a wrong-cache object, parked in the depot, is checked
 * before another thread gets it. */
enum { CROSS_N = 2000 };
static void *alloc_cross(void *arg)
{
    for (int i = 0; i < CROSS_N; i++) (void)fr_slab_alloc((fr_slab *)arg); /* takes the depot's magazines */
    return NULL;
}

START_TEST(wrong_cache_aborts_before_other_thread)
{
    fr_slab *a = fr_slab_create("apples", 32, 0, NULL, NULL);
    fr_slab *b = fr_slab_create("oranges", 32, 0, NULL, NULL);
    static void *p[CROSS_N];
    for (int i = 0; i < CROSS_N; i++) p[i] = fr_slab_alloc(b);
    fr_slab_free(b, fr_slab_alloc(a));
    for (int i = 0; i < CROSS_N; i++) fr_slab_free(b, p[i]); /* magazines go to the depot */
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, alloc_cross, b), 0);
    pthread_join(th, NULL);
    ck_abort_msg("no abort: the apple reached another thread unchecked");
}
END_TEST

/* A destroyed cache's slot index and descriptor go to the next cache; no
 * object of the old cache may come out of the new one. */
START_TEST(slot_reuse_after_destroy)
{
    fr_slab *a = fr_slab_create("old", 64, 0, NULL, NULL);
    void *p[10];
    for (int i = 0; i < 10; i++) p[i] = fr_slab_alloc(a);
    for (int i = 0; i < 10; i++) fr_slab_free(a, p[i]); /* in this thread's magazine */
    fr_slab_destroy(a);
    fr_slab *b = fr_slab_create("new", 16, 0, NULL, NULL);
    void *q[10];
    for (int i = 0; i < 10; i++) {
        q[i] = fr_slab_alloc(b);
        ck_assert_ptr_nonnull(q[i]);
        memset(q[i], 1, 16);
    }
    for (int i = 0; i < 10; i++) fr_slab_free(b, q[i]);
    fr_slab_destroy(b); /* aborts if one of them was not b's */
}
END_TEST

/* A pointer inside an object: for a power-of-two stride caught at the
 * call (QA F21: the next alloc used to return o + 8), for other strides when
 * misaligned; an aligned one of a 48-byte cache is caught when its
 * magazine leaves the thread, at the latest at fr_slab_destroy (slab.h). */
START_TEST(interior_pointer_pow2_aborts_at_free)
{
    static const size_t sizes[] = { 8, 16, 32, 64, 256, 4096, 65536 };
    fr_slab *a = fr_slab_create("p2", sizes[_i], 0, NULL, NULL);
    char *p = fr_slab_alloc(a);
    (void)fr_slab_alloc(a);
    (void)fr_slab_alloc(a);
    fr_slab_free(a, p + sizes[_i] / 2);
    ck_abort_msg("no abort at the free of an interior pointer (size %zu)", sizes[_i]);
}
END_TEST

START_TEST(interior_pointer_misaligned_aborts_at_free)
{
    fr_slab *a = fr_slab_create("x", 48, 0, NULL, NULL);
    char *p = fr_slab_alloc(a);
    (void)fr_slab_alloc(a);
    (void)fr_slab_alloc(a);
    fr_slab_free(a, p + 8);
    ck_abort_msg("no abort at the free of a misaligned interior pointer");
}
END_TEST

/* A stride odd x 2^k that is not a power of two: objects start at
 * multiples of 2^k, not only of the alignment, so a pointer into an object
 * by a multiple of the alignment but not of 2^k aborts at the free (it went
 * into the magazine before: the mask kept only the alignment's bits). */
START_TEST(interior_pointer_stride_factor_aborts_at_free)
{
    static const struct { size_t size, align, offset; } c[] = {
        { 96, 0, 16 },   /* 3 x 32, aligned to 16 */
        { 160, 0, 48 },  /* 5 x 32 */
        { 192, 0, 32 },  /* 3 x 64 */
        { 48, 8, 8 },    /* 3 x 16, aligned to 8 */
        { 320, 0, 80 },  /* 5 x 64 */
    };
    fr_slab *a = fr_slab_create("odd", c[_i].size, c[_i].align, NULL, NULL);
    char *p = fr_slab_alloc(a);
    (void)fr_slab_alloc(a);
    (void)fr_slab_alloc(a);
    fr_slab_free(a, p + c[_i].offset);
    ck_abort_msg("no abort at the free of p + %zu (stride of %zu)", c[_i].offset, c[_i].size);
}
END_TEST

static bool caches_checked(void);

/* ...and the layout keeps every object clean: objects of such caches start
 * at multiples of 2^k and all free inline. */
START_TEST(stride_factor_layout_objects_free)
{
    static const size_t sizes[] = { 48, 80, 96, 160, 192, 320, 384, 1536, 3072, 12288 };
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t size = sizes[k], stride = (size + 15) & ~(size_t)15, step = stride & -stride;
        size_t cap = 65536 / stride < 2 ? 2 : 65536 / stride > 511 ? 511 : 65536 / stride;
        fr_slab *a = fr_slab_create("odd", size, 0, NULL, NULL);
        static void *p[2000];
        unsigned long slow = fr__slab_slow_frees();
        for (int i = 0; i < 2000; i++) {
            p[i] = fr_slab_alloc(a);
            ck_assert_ptr_nonnull(p[i]);
            ck_assert_uint_eq((uintptr_t)p[i] % step, 0);
            memset(p[i], 0x5A, size);
        }
        for (int i = 0; i < 2000; i++) fr_slab_free(a, p[i]);
        /* out of line only when a magazine fills (cap: slab.h) */
        if (!caches_checked()) ck_assert_uint_le(fr__slab_slow_frees() - slow, 2000 / cap + 2);
        fr_slab_destroy(a);
    }
}
END_TEST

/* Every object of power-of-two caches is a clean free (the stride-aligned
 * layout loses no object: as many per slab as before). */
START_TEST(pow2_layout_objects_free_inline)
{
    for (size_t size = 8; size <= 8192; size *= 2) {
        fr_slab *a = fr_slab_create("p2", size, 0, NULL, NULL);
        static void *p[3000];
        for (int i = 0; i < 3000; i++) {
            p[i] = fr_slab_alloc(a);
            ck_assert_ptr_nonnull(p[i]);
            ck_assert_uint_eq((uintptr_t)p[i] % size, 0);
            memset(p[i], 0x5A, size);
        }
        for (int i = 0; i < 3000; i++) fr_slab_free(a, p[i]);
        fr_slab_destroy(a);
    }
}
END_TEST

START_TEST(interior_pointer_aborts)
{
    fr_slab *a = fr_slab_create("x", 48, 0, NULL, NULL);
    char *p = fr_slab_alloc(a);
    fr_slab_free(a, p + 16);
    fr_slab_destroy(a);
}
END_TEST

/* ...and before a magazine that holds one, parked in the depot, reaches
 * another thread (since session 6 already when the frees fill it: below). */
enum { INTERIOR_N = 2000 }; /* more than a thread's two magazines hold (2 x 511) */

static void *alloc_many(void *arg)
{
    fr_slab *a = arg;
    for (int i = 0; i < INTERIOR_N; i++) (void)fr_slab_alloc(a); /* takes the depot's magazines */
    return NULL;
}

START_TEST(interior_pointer_aborts_at_depot)
{
    fr_slab *a = fr_slab_create("x", 48, 0, NULL, NULL);
    static char *p[INTERIOR_N];
    for (int i = 0; i < INTERIOR_N; i++) p[i] = fr_slab_alloc(a);
    fr_slab_free(a, p[0] + 16); /* aligned, stride 48: not caught inline */
    for (int i = 1; i < INTERIOR_N; i++) fr_slab_free(a, p[i]); /* magazines go to the depot */
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, alloc_many, a), 0);
    pthread_join(th, NULL);
    ck_abort_msg("no abort: the interior pointer reached another thread unchecked");
}
END_TEST

/* A pointer a multiple of 2^k into an object of stride odd x 2^k passes the
 * inline free's mask; the magazine it went into is checked when the frees
 * fill it, before it can hand the pointer out (before session 6: only when
 * the magazine left the thread, so the allocs below handed it out). */
static const struct { size_t size, align, offset; } odd_interior[] = {
    { 48, 0, 16 },  /* 3 x 16 */
    { 48, 8, 32 },  /* 3 x 16, aligned to 8 */
    { 80, 0, 16 },  /* 5 x 16 */
    { 96, 0, 64 },  /* 3 x 32 */
    { 320, 0, 192 }, /* 5 x 64 */
};

static void free_odd_interior_then_fill(void *arg)
{
    int k = (int)(uintptr_t)arg;
    fr_slab *a = fr_slab_create("odd", odd_interior[k].size, odd_interior[k].align, NULL, NULL);
    enum { N = 1200 }; /* more than a magazine (at most 511 places) */
    static char *p[N];
    for (int i = 0; i < N; i++) p[i] = fr_slab_alloc(a);
    char *bad = p[N / 2] + odd_interior[k].offset;
    fprintf(stderr, "pointer %p\n", (void *)bad);
    fr_slab_free(a, bad);
    for (int i = 0; i < N; i++)
        if (i != N / 2) fr_slab_free(a, p[i]);
    int seen = 0;
    for (int i = 0; i < N; i++) seen += fr_slab_alloc(a) == bad;
    fprintf(stderr, "no abort; the interior pointer was handed out %d times\n", seen);
}

START_TEST(interior_pointer_stride_multiple_aborts_when_magazine_fills)
{
    static char out[8192];
    int st = fr_test_run_child(free_odd_interior_then_fill, (void *)(uintptr_t)_i, out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "case %d: child did not abort: %s", _i, out);
    const char *at = strstr(out, "pointer ");
    ck_assert_msg(at, "case %d: %s", _i, out);
    char ptr[40], want[128];
    ck_assert_int_eq(sscanf(at, "pointer %39s", ptr), 1);
    snprintf(want, sizeof want, "%s): not the start of an object of this cache", ptr);
    ck_assert_msg(strstr(out, want), "case %d: message: %s", _i, out);
    if (!caches_checked()) /* checked caches: at the free itself */
        ck_assert_msg(strstr(out, "filled up"), "case %d: message: %s", _i, out);
}
END_TEST

/* The same check refuses a pointer past a slab's last object (the bytes a
 * stride that is not a power of two leaves at the slab's end: 16 KiB holds
 * 341 objects of 48 bytes, 16 bytes are left; before session 6 the header
 * in front left 32, from offset 16368 too). */
static void free_slab_tail_then_fill(void *arg)
{
    (void)arg;
    fr_slab *a = fr_slab_create("odd", 48, 0, NULL, NULL);
    enum { N = 1200 };
    static char *p[N];
    for (int i = 0; i < N; i++) p[i] = fr_slab_alloc(a);
    char *tail = (char *)(((uintptr_t)p[0] & ~(uintptr_t)16383) + 341 * 48);
    fprintf(stderr, "pointer %p\n", (void *)tail);
    fr_slab_free(a, tail);
    for (int i = 0; i < N; i++) fr_slab_free(a, p[i]);
    int seen = 0;
    for (int i = 0; i < N; i++) seen += fr_slab_alloc(a) == tail;
    fprintf(stderr, "no abort; the pointer was handed out %d times\n", seen);
}

START_TEST(pointer_past_last_object_aborts_when_magazine_fills)
{
    static char out[8192];
    int st = fr_test_run_child(free_slab_tail_then_fill, NULL, out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "child did not abort: %s", out);
    const char *at = strstr(out, "pointer ");
    ck_assert_msg(at, "%s", out);
    char ptr[40], want[128];
    ck_assert_int_eq(sscanf(at, "pointer %39s", ptr), 1);
    snprintf(want, sizeof want, "%s): not the start of an object of this cache", ptr);
    ck_assert_msg(strstr(out, want), "message: %s", out);
}
END_TEST

START_TEST(double_free_aborts)
{
    fr_slab *a = fr_slab_create("x", 48, 0, NULL, NULL);
    void *p = fr_slab_alloc(a);
    fr_slab_free(a, p);
    fr_slab_free(a, p);
    fr_slab_destroy(a); /* the magazine is emptied: the second free is seen */
}
END_TEST

START_TEST(destroy_twice_aborts)
{
    fr_slab *a = fr_slab_create("x", 48, 0, NULL, NULL);
    fr_slab_destroy(a);
    fr_slab_destroy(a);
}
END_TEST

/* QA F21: free(p); free(p) with p still in the thread's magazine aborts at
 * the second free, with its backtrace (the inline free compares obj with
 * the object freed last). */
static void free_twice_back_to_back(void *arg)
{
    size_t size = (size_t)(uintptr_t)arg;
    fr_slab *a = fr_slab_create("twice", size, 0, NULL, NULL);
    void *keep[3];
    for (int i = 0; i < 3; i++) keep[i] = fr_slab_alloc(a);
    void *p = fr_slab_alloc(a);
    fr_slab_free(a, keep[0]); /* the magazine is not empty: p is not its first object */
    fr_slab_free(a, p);
    the_bad_free_call(a, p);
    /* without the check, the next two allocations would both be p */
    void *x = fr_slab_alloc(a), *y = fr_slab_alloc(a);
    fprintf(stderr, "no abort; allocations %p %p\n", x, y);
}

START_TEST(double_free_back_to_back_aborts_at_free)
{
    static const size_t sizes[] = { 32, 48, 100 };
    static char out[8192];
    int st = fr_test_run_child(free_twice_back_to_back, (void *)(uintptr_t)sizes[_i], out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "child did not abort: %s", out);
    ck_assert_msg(strstr(out, "object freed twice (found at the free"), "message: %s", out);
    ck_assert_msg(strstr(out, "the_bad_free_call"), "backtrace lacks the caller: %s", out);
}
END_TEST

/* free(p); free(q); free(p): the inline free does not see it (p is not the
 * object freed last), but p is in the magazine twice, two places apart, and
 * the next alloc that would hand it out aborts first.  Before session 6,
 * the three allocs returned p, q and p: one object for two callers. */
static void free_p_q_p(void *arg)
{
    size_t size = (size_t)(uintptr_t)arg;
    fr_slab *a = fr_slab_create("pqp", size, 0, NULL, NULL);
    void *keep[3];
    for (int i = 0; i < 3; i++) keep[i] = fr_slab_alloc(a);
    void *p = fr_slab_alloc(a), *q = fr_slab_alloc(a);
    fr_slab_free(a, keep[0]); /* the magazine is not empty: p is not its first object */
    fr_slab_free(a, p);
    fr_slab_free(a, q);
    fr_slab_free(a, p);
    void *x = fr_slab_alloc(a), *y = fr_slab_alloc(a), *z = fr_slab_alloc(a);
    fprintf(stderr, "no abort; allocations %p %p %p (p = %p)\n", x, y, z, p);
}

START_TEST(double_free_p_q_p_aborts_before_handing_out_twice)
{
    static const size_t sizes[] = { 32, 48, 100, 4096 };
    static char out[8192];
    int st = fr_test_run_child(free_p_q_p, (void *)(uintptr_t)sizes[_i], out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "child did not abort: %s", out);
    ck_assert_msg(strstr(out, "object freed twice"), "message: %s", out);
}
END_TEST

/* A magazine with the pattern that goes to the depot and is taken by
 * another thread: that thread's alloc (out of line, just after taking it)
 * aborts the same way. */
static void *alloc_three(void *arg)
{
    fr_slab *a = arg;
    void *x = fr_slab_alloc(a), *y = fr_slab_alloc(a), *z = fr_slab_alloc(a);
    fprintf(stderr, "no abort in the other thread; allocations %p %p %p\n", x, y, z);
    return NULL;
}

START_TEST(double_free_p_q_p_caught_in_other_thread)
{
    fr_slab *a = fr_slab_create("pqp", 64, 0, NULL, NULL);
    enum { CAP = 511, N = 3 * CAP }; /* 64-byte objects: full magazines of 511 (slab.h) */
    static void *p[N];
    for (int i = 0; i < N; i++) p[i] = fr_slab_alloc(a); /* the loaded magazine ends empty */
    for (int i = 2; i < CAP - 1; i++) fr_slab_free(a, p[i]);
    fr_slab_free(a, p[0]);
    fr_slab_free(a, p[1]);
    fr_slab_free(a, p[0]); /* the magazine's last place: full, with p[0] twice */
    for (int i = CAP - 1; i < 2 * CAP; i++) fr_slab_free(a, p[i]); /* it goes to the depot */
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, alloc_three, a), 0);
    pthread_join(th, NULL);
    ck_abort_msg("no abort");
}
END_TEST

/* The same when the second free goes out of line (magazine full). */
START_TEST(double_free_when_magazine_full_aborts_at_free)
{
    fr_slab *a = fr_slab_create("x", 64, 0, NULL, NULL);
    enum { N = 5000 };
    static void *p[N];
    for (int i = 0; i < N; i++) p[i] = fr_slab_alloc(a);
    for (int i = 0; i < N; i++) {
        fr_slab_free(a, p[i]);
        fr_slab_free(a, p[i]); /* every second free: caught, inline or not */
    }
    ck_abort_msg("no abort at a second free");
}
END_TEST

/* A destroyed cache's descriptor goes to the next cache; the stale pointer
 * still names no live cache (generation-checked handles). */
START_TEST(destroy_twice_after_reuse_aborts)
{
    fr_slab *a = fr_slab_create("first", 48, 0, NULL, NULL);
    fr_slab_destroy(a);
    fr_slab *b = fr_slab_create("second", 48, 0, NULL, NULL);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b); /* same descriptor, another generation */
    void *p = fr_slab_alloc(b);
    ck_assert_ptr_nonnull(p);
    fr_slab_free(b, p);
    fr_slab_destroy(a);
    ck_abort_msg("no abort at the second destroy of the first cache");
}
END_TEST

START_TEST(destroy_twice_after_many_reuses_aborts)
{
    fr_slab *a = fr_slab_create("first", 48, 0, NULL, NULL);
    fr_slab_destroy(a);
    for (int i = 0; i < 300; i++) {
        fr_slab *b = fr_slab_create("other", 16 + (size_t)i % 7 * 8, 0, NULL, NULL);
        ck_assert_ptr_nonnull(fr_slab_alloc(b));
        fr_slab_destroy(b);
    }
    fr_slab *live = fr_slab_create("live", 48, 0, NULL, NULL);
    ck_assert_ptr_nonnull(live);
    fr_slab_destroy(a);
    ck_abort_msg("no abort at the second destroy");
}
END_TEST

static void destroy_stale_after_reuse(void *arg)
{
    (void)arg;
    fr_slab *a = fr_slab_create("first", 48, 0, NULL, NULL);
    fr_slab_destroy(a);
    fr_slab *b = fr_slab_create("second", 48, 0, NULL, NULL);
    (void)b;
    fr_slab_destroy(a);
}

START_TEST(destroy_twice_report)
{
    static char out[8192];
    int st = fr_test_run_child(destroy_stale_after_reuse, NULL, out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "child did not abort: %s", out);
    ck_assert_msg(strstr(out, "not a live slab cache (destroyed twice?)"), "message: %s", out);
}
END_TEST

/* An out-of-line call through a stale handle aborts too (the new cache on
 * the same descriptor is not touched). */
START_TEST(alloc_from_destroyed_cache_aborts)
{
    fr_slab *a = fr_slab_create("first", 48, 0, NULL, NULL);
    fr_slab_destroy(a);
    fr_slab *b = fr_slab_create("second", 48, 0, NULL, NULL);
    (void)b;
    (void)(fr_slab_alloc)(a);
    ck_abort_msg("no abort");
}
END_TEST

/* The inline paths with a destroyed cache's handle, after another cache
 * was made: the new cache takes another slot index (they go round in
 * turn), so the stale handle's slot is empty, the call goes out of line
 * and aborts.  With lowest-first indices the new cache took the same slot:
 * the free went into its magazine and its next alloc returned the dead
 * cache's object (session 5 misuse round). */
START_TEST(stale_handle_inline_free_aborts)
{
    fr_slab *a = fr_slab_create("first", 48, 0, NULL, NULL);
    void *p = fr_slab_alloc(a);
    (void)fr_slab_alloc(a);
    fr_slab_destroy(a);
    fr_slab *b = fr_slab_create("second", 48, 0, NULL, NULL);
    (void)fr_slab_alloc(b);
    fr_slab_free(a, p); /* the inline macro */
    ck_abort_msg("no abort at the free with a destroyed cache's handle");
}
END_TEST

START_TEST(stale_handle_inline_alloc_aborts)
{
    fr_slab *a = fr_slab_create("first", 48, 0, NULL, NULL);
    (void)fr_slab_alloc(a);
    fr_slab_destroy(a);
    fr_slab *b = fr_slab_create("second", 48, 0, NULL, NULL);
    (void)fr_slab_alloc(b);
    (void)fr_slab_alloc(a); /* the inline macro */
    ck_abort_msg("no abort at the alloc with a destroyed cache's handle");
}
END_TEST

/* The inline free does its job: alloc/free pairs and a batch of frees of
 * a slotted cache stay inline but for magazine exchanges (a free goes out of
 * line only when the loaded magazine is full, or for the first free of the
 * thread).  Counted, not timed. */
/* Caches made now are checked (slab.h: every call out of line): under ASan,
 * under valgrind unless FERRUM_NOTRACK is set, or with FERRUM_SLAB_CHECK. */
static bool caches_checked(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#else
    const char *c = getenv("FERRUM_SLAB_CHECK"), *nt = getenv("FERRUM_NOTRACK");
    if (c && *c && strcmp(c, "0") != 0) return true;
#if defined(FR_HAVE_VALGRIND)
    if (RUNNING_ON_VALGRIND && !(nt && *nt && strcmp(nt, "0") != 0)) return true;
#else
    (void)nt;
#endif
    return false;
#endif
}

START_TEST(frees_stay_inline)
{
    if (caches_checked()) return; /* by design every free is out of line then */
    static const size_t sizes[] = { 8, 32, 48, 64, 100, 4096 };
    fr_slab *a = fr_slab_create("inline", sizes[_i], 0, NULL, NULL);
    enum { PAIRS = 20000, N = 3000 };
    static void *p[N];
    void *first = fr_slab_alloc(a);
    fr_slab_free(a, first); /* the thread's first free: out of line */
    unsigned long before = fr__slab_slow_frees();
    for (int i = 0; i < PAIRS; i++) fr_slab_free(a, fr_slab_alloc(a));
    ck_assert_uint_eq(fr__slab_slow_frees() - before, 0);
    for (int r = 0; r < 3; r++) {
        for (int i = 0; i < N; i++) p[i] = fr_slab_alloc(a);
        before = fr__slab_slow_frees();
        for (int i = 0; i < N; i++) fr_slab_free(a, p[i]);
        /* at most one out-of-line free per magazine's worth (2 places at least) */
        unsigned long slow = fr__slab_slow_frees() - before, cap = 65536 / sizes[_i];
        if (cap > 511) cap = 511;
        if (cap < 2) cap = 2;
        ck_assert_msg(slow <= N / cap + 1, "size %zu: %lu of %d frees out of line", sizes[_i], slow, N);
    }
    fr_slab_destroy(a);
}
END_TEST

/* A write just before a slab's first object (like QA3 Q29 for arenas):
 * under ASan and valgrind the red zone reports it.  In other builds it
 * reaches no header: headers live outside the slab space (slab_space.c),
 * so the cache goes on working (until session 6 the header sat there: its
 * check word made the next use of the slab abort, "the header of slab ...
 * was overwritten"). */
static void smash_before_first_object(void *arg)
{
    (void)arg;
    fr_slab *a = fr_slab_create("smash", 32, 0, NULL, NULL);
    enum { N = 1200 }; /* more than a magazine: the slab's first object is among them */
    static unsigned char *p[N];
    unsigned char *low = NULL;
    for (int i = 0; i < N; i++) {
        p[i] = fr_slab_alloc(a);
        if (!low || p[i] < low) low = p[i];
    }
#if !defined(__SANITIZE_ADDRESS__)
    /* a slab's first object whose slab follows another of ours (the first
     * slab of the space may have unmapped memory before it) */
    unsigned char *q = NULL;
    for (int i = 0; i < N && !q; i++)
        for (int j = 0; j < N && ((uintptr_t)p[i] & 16383) == 0; j++)
            if (p[j] == p[i] - 32) q = p[i];
    if (!q) {
        fprintf(stderr, "no two adjacent slabs among %d objects\n", N);
        abort();
    }
    low = q; /* the 16 bytes before it: in the previous slab's last object, ours */
#endif
    memset(low - 16, 0x41, 16); /* the first object of its slab: the 16 bytes before it */
    for (int i = 0; i < N; i++) fr_slab_free(a, p[i]);
    fr_slab_destroy(a); /* the magazines go back to the slabs: their headers are checked */
}

/* A pointer into a slab header, freed.  The header was in front of the
 * slab's first object, in the cache's part, at a multiple of a power-of-two
 * stride: the inline free took it, and the next fr_slab_alloc handed the
 * header out (caught only when the magazine left the thread).  Headers now
 * live outside the slab space: such a free leaves the inline path and
 * aborts at the call, naming the pointer. */
static void free_header_pointer(void *arg)
{
    size_t size = (size_t)(uintptr_t)arg;
    fr_slab *a = fr_slab_create("hdr", size, 0, NULL, NULL);
    void *keep[3];
    for (int i = 0; i < 3; i++) keep[i] = fr_slab_alloc(a);
    fr_slab_free(a, keep[2]); /* the magazine holds an object: the next free goes inline */
    unsigned char *h = fr__slab_header_of(keep[0]);
    if (!h) {
        fprintf(stderr, "no header found for %p\n", keep[0]);
        return;
    }
    h += size <= 64 ? size : 0; /* into it, at a multiple of the stride */
    fprintf(stderr, "pointer %p\n", (void *)h);
    the_bad_free_call(a, h);
    void *x = fr_slab_alloc(a);
    fprintf(stderr, "no abort; fr_slab_alloc then gave %p\n", x);
}

/* A constructor that allocates from its own cache (slab.h forbids it: it
 * runs with the cache locked) used to wait for that lock forever; now the
 * call aborts with a message.  The same for a destructor that creates a
 * cache at thread exit (it runs under the caches' registry lock). */
static fr_slab *selfish;
static void selfish_ctor(void *p)
{
    memset(p, 0, 64);
    void *q = fr_slab_alloc(selfish);
    fr_slab_free(selfish, q);
}

static void ctor_allocates(void *arg)
{
    (void)arg;
    signal(SIGALRM, SIG_DFL);
    alarm(5); /* before the fix: a hang */
    selfish = fr_slab_create("selfish", 64, 0, selfish_ctor, NULL);
    (void)fr_slab_alloc(selfish);
}

static void creating_dtor(void *p)
{
    (void)p;
    fr_slab *x = fr_slab_create("made in a destructor", 8, 0, NULL, NULL);
    fr_slab_destroy(x);
}

static fr_slab *exit_cache;
static void *use_and_exit(void *arg)
{
    (void)arg;
    enum { N = 17 }; /* 9 MiB objects: 8 a slab, 2 a magazine, no depot; so at
                        the thread's exit its magazines empty a slab, and the
                        second empty one is reclaimed there */
    void *o[N];
    for (int i = 0; i < N; i++) o[i] = fr_slab_alloc(exit_cache);
    for (int i = 0; i < N; i++) fr_slab_free(exit_cache, o[i]);
    return NULL;
}

static void dtor_creates_at_thread_exit(void *arg)
{
    (void)arg;
    signal(SIGALRM, SIG_DFL);
    alarm(5); /* before the fix: a hang */
    exit_cache = fr_slab_create("exit", (size_t)9 << 20, 0, NULL, creating_dtor);
    pthread_t t;
    if (pthread_create(&t, NULL, use_and_exit, NULL) != 0) _exit(3);
    pthread_join(t, NULL);
    _exit(0);
}

START_TEST(ctor_using_own_cache_aborts)
{
    if (caches_checked()) return; /* checked caches never refill a magazine under the lock */
    static char out[8192];
    int st = fr_test_run_child(ctor_allocates, NULL, out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "child did not abort (status %d): %s", st, out);
    ck_assert_msg(strstr(out, "slab cache \"selfish\" used again: called from a slab constructor or destructor"),
                  "message: %s", out);
}
END_TEST

START_TEST(dtor_creating_cache_at_thread_exit_aborts)
{
    if (caches_checked()) return; /* no magazines: the slab is reclaimed in the thread */
    static char out[8192];
    int st = fr_test_run_child(dtor_creates_at_thread_exit, NULL, out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "child did not abort (status %d): %s", st, out);
    ck_assert_msg(strstr(out, "fr_slab_create: called from a slab constructor or destructor"), "message: %s", out);
}
END_TEST

START_TEST(write_before_first_object_reaches_no_header)
{
    static char out[8192];
    int st = fr_test_run_child(smash_before_first_object, NULL, out, sizeof out);
#if defined(__SANITIZE_ADDRESS__)
    ck_assert_msg(st != 0 && strstr(out, "AddressSanitizer"), "no ASan report (status %d): %s", st, out);
#else
    ck_assert_msg(st == 0, "child failed (status %d): %s", st, out);
#endif
}
END_TEST

START_TEST(pointer_into_slab_header_aborts_at_free)
{
    static const size_t sizes[] = { 16, 32, 64, 256, 4096 };
    static char out[8192];
    int st = fr_test_run_child(free_header_pointer, (void *)(uintptr_t)sizes[_i], out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "size %zu: child did not abort: %s", sizes[_i], out);
    const char *at = strstr(out, "pointer ");
    ck_assert_msg(at, "size %zu: %s", sizes[_i], out);
    char ptr[40];
    ck_assert_int_eq(sscanf(at, "pointer %39s", ptr), 1);
    char want[128];
    snprintf(want, sizeof want, "%s): the object does not come from any slab (found at the free", ptr);
    ck_assert_msg(strstr(out, want), "size %zu: message: %s", sizes[_i], out);
    ck_assert_msg(strstr(out, "the_bad_free_call"), "backtrace lacks the caller: %s", out);
}
END_TEST

/* ---- threads ---- */

enum { NT = 4, ROUNDS = 20000, RING = 256 };
static fr_slab *shared;
static void *ring[NT][RING]; /* each thread frees what its neighbour allocated */
static pthread_barrier_t bar;

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    unsigned seed = (unsigned)id * 7919u + 1;
    struct obj *mine[64];
    int n = 0;
    for (int r = 0; r < ROUNDS; r++) {
        seed = seed * 1103515245u + 12345u;
        if (n < 64 && (seed >> 16) % 3 != 0) {
            struct obj *o = fr_slab_alloc(shared);
            ck_assert_ptr_nonnull(o);
            for (int k = 0; k < 6; k++) ck_assert_uint_eq(o->pattern[k], 0xC0FFEE00u + (uint64_t)k);
            mine[n++] = o;
        } else if (n > 0) {
            struct obj *o = mine[--n];
            /* hand it to the neighbour's ring slot; free what was there */
            void *old = __atomic_exchange_n(&ring[(id + 1) % NT][r % RING], o, __ATOMIC_ACQ_REL);
            if (old) fr_slab_free(shared, old);
        }
    }
    while (n > 0) fr_slab_free(shared, mine[--n]);
    pthread_barrier_wait(&bar);
    return NULL;
}

START_TEST(threads_cross_free)
{
    ctors = dtors = 0;
    shared = fr_slab_create("shared", sizeof(struct obj), 0, ctor, dtor);
    memset(ring, 0, sizeof ring);
    pthread_barrier_init(&bar, NULL, NT);
    pthread_t t[NT];
    for (int i = 0; i < NT; i++) pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    for (int i = 0; i < NT; i++) pthread_join(t[i], NULL); /* magazines handed back at exit */
    for (int i = 0; i < NT; i++)
        for (int k = 0; k < RING; k++)
            if (ring[i][k]) fr_slab_free(shared, ring[i][k]);
    fr_slab_destroy(shared);
    ck_assert_int_eq(ctors, dtors);
    pthread_barrier_destroy(&bar);
}
END_TEST

static pthread_barrier_t b2;
static void *use_then_wait(void *arg)
{
    fr_slab *s = arg;
    void *p[100];
    for (int i = 0; i < 100; i++) p[i] = fr_slab_alloc(s);
    for (int i = 0; i < 100; i++) fr_slab_free(s, p[i]); /* stays in this thread's magazine */
    pthread_barrier_wait(&b2); /* main destroys s now */
    pthread_barrier_wait(&b2);
    return NULL;                /* exits after the destroy */
}

/* fork() while two threads allocate and free from a cache: the child can
 * use that cache, make and destroy its own, and destroy the shared one
 * (a child once hung on the cache's lock, or aborted walking a dead
 * thread's half-updated magazine: QA4 R9).  Under ASan the child's malloc
 * is ASan's, which is not fork-safe: skipped there. */
static fr_slab *fork_cache;
static int fork_stop; /* __atomic */

static __attribute__((unused)) void *fork_churn(void *arg) /* not under ASan */
{
    (void)arg;
    /* rounds of 1..2000 objects: past a magazine, into the cache's lock */
    static __thread void *o[2000];
    unsigned n = 1;
    while (!__atomic_load_n(&fork_stop, __ATOMIC_ACQUIRE)) {
        n = n * 1103515245u + 12345u;
        unsigned k = 1 + (n >> 16) % 2000;
        for (unsigned i = 0; i < k; i++) o[i] = fr_slab_alloc(fork_cache);
        for (unsigned i = 0; i < k; i++) fr_slab_free(fork_cache, o[i]);
    }
    return NULL;
}

START_TEST(fork_while_threads_use_a_cache)
{
#if !defined(__SANITIZE_ADDRESS__)
    fork_cache = fr_slab_create("fork", 48, 16, NULL, NULL);
    ck_assert_ptr_nonnull(fork_cache);
    pthread_t t[2];
    for (int i = 0; i < 2; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, fork_churn, NULL), 0);
    int bad = 0;
    for (int f = 0; f < 60; f++) {
        pid_t pid = fork();
        if (pid == 0) {
            alarm(3);
            void *o[300];
            for (int i = 0; i < 300; i++) o[i] = fr_slab_alloc(fork_cache);
            for (int i = 0; i < 300; i++) fr_slab_free(fork_cache, o[i]);
            fr_slab *mine = fr_slab_create("child", 24, 8, NULL, NULL);
            void *x = fr_slab_alloc(mine);
            fr_slab_free(mine, x);
            fr_slab_destroy(mine);
            fr_slab_destroy(fork_cache);
            _exit(0);
        }
        int st = 0;
        ck_assert_int_eq(waitpid(pid, &st, 0), pid);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) bad++;
    }
    __atomic_store_n(&fork_stop, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    fr_slab_destroy(fork_cache);
    ck_assert_int_eq(bad, 0);
#endif
}
END_TEST

/* fork() with 100 live caches while a thread uses some of them: the child
 * can use every cache.  The fork handlers used to lock every live cache,
 * which ThreadSanitizer stops past 64 locks held by one thread (this test
 * aborted under -fsanitize=thread); they now take FR_FORK_GATES read-write
 * locks, whatever the number of caches. */
#define MANY_CACHES 100
static fr_slab *many[MANY_CACHES];

static __attribute__((unused)) void *many_churn(void *arg) /* not under ASan */
{
    (void)arg;
    void *o[600];
    while (!__atomic_load_n(&fork_stop, __ATOMIC_ACQUIRE))
        for (int c = 0; c < MANY_CACHES; c += 7) {
            for (int i = 0; i < 600; i++) o[i] = fr_slab_alloc(many[c]);
            for (int i = 0; i < 600; i++) fr_slab_free(many[c], o[i]);
        }
    return NULL;
}

START_TEST(fork_with_many_caches)
{
#if !defined(__SANITIZE_ADDRESS__)
    for (int c = 0; c < MANY_CACHES; c++) {
        many[c] = fr_slab_create("many", 16 + 8 * (size_t)(c % 9), 0, NULL, NULL);
        ck_assert_ptr_nonnull(many[c]);
    }
    __atomic_store_n(&fork_stop, 0, __ATOMIC_RELEASE);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, many_churn, NULL), 0);
    int bad = 0;
    for (int f = 0; f < 10; f++) {
        pid_t pid = fork();
        if (pid == 0) {
            alarm(5);
            for (int c = 0; c < MANY_CACHES; c++) {
                void *o = fr_slab_alloc(many[c]);
                if (!o) _exit(2);
                fr_slab_free(many[c], o);
                fr_slab_destroy(many[c]);
            }
            _exit(0);
        }
        int st = 0;
        ck_assert_int_eq(waitpid(pid, &st, 0), pid);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) bad++;
    }
    __atomic_store_n(&fork_stop, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    for (int c = 0; c < MANY_CACHES; c++) fr_slab_destroy(many[c]);
    ck_assert_int_eq(bad, 0);
#endif
}
END_TEST

START_TEST(thread_exit_after_destroy)
{
    ctors = dtors = 0;
    fr_slab *s = fr_slab_create("gone", 64, 0, ctor, dtor);
    pthread_barrier_init(&b2, NULL, 2);
    pthread_t t;
    pthread_create(&t, NULL, use_then_wait, s);
    pthread_barrier_wait(&b2);
    fr_slab_destroy(s); /* takes back the other thread's magazine */
    ck_assert_int_eq(ctors, dtors);
    fr_slab *s2 = fr_slab_create("next", 64, 0, NULL, NULL); /* a new id */
    void *q = fr_slab_alloc(s2);
    pthread_barrier_wait(&b2);
    pthread_join(t, NULL);
    fr_slab_free(s2, q);
    fr_slab_destroy(s2);
    pthread_barrier_destroy(&b2);
}
END_TEST

static void *many_caches(void *arg)
{
    (void)arg;
    enum { NC = 40 };
    fr_slab *c[NC];
    void *p[NC][10];
    for (int i = 0; i < NC; i++) c[i] = fr_slab_create("many", 16 + (size_t)i * 8, 0, NULL, NULL);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < NC; i++)
            for (int k = 0; k < 10; k++) {
                p[i][k] = fr_slab_alloc(c[i]);
                memset(p[i][k], i, 16 + (size_t)i * 8);
            }
        for (int i = 0; i < NC; i++)
            for (int k = 0; k < 10; k++) {
                ck_assert_uint_eq(((unsigned char *)p[i][k])[0], (unsigned)i);
                fr_slab_free(c[i], p[i][k]);
            }
    }
    for (int i = 0; i < NC; i += 2) fr_slab_destroy(c[i]);
    return c[1]; /* odd caches outlive the thread */
}

START_TEST(more_caches_than_slots_and_thread_exit)
{
    pthread_t t;
    void *ret;
    pthread_create(&t, NULL, many_caches, NULL);
    pthread_join(t, &ret);
    fr_slab *c1 = ret;
    void *p = fr_slab_alloc(c1); /* still works after the thread is gone */
    ck_assert_ptr_nonnull(p);
    fr_slab_free(c1, p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("slab");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, alloc_free_distinct_aligned);
    tcase_add_test(tc, alignment_honoured);
    tcase_add_test(tc, constructed_state_kept);
    tcase_add_test(tc, empty_slabs_returned);
    tcase_add_test(tc, large_objects);
    tcase_add_test(tc, bad_input);
    tcase_add_test_raise_signal(tc, wrong_cache_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, wrong_cache_other_geometry_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, not_from_slab_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, wrong_cache_small_to_big_aborts_before_reuse, SIGABRT);
    tcase_add_loop_test_raise_signal(tc, heap_and_stack_pointers_abort, SIGABRT, 0, 3);
    tcase_add_test(tc, wrong_cache_report_has_backtrace_of_the_call);
    tcase_add_test(tc, null_cache);
    tcase_add_test_raise_signal(tc, free_to_null_cache_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, interior_pointer_aborts, SIGABRT);
    tcase_add_loop_test_raise_signal(tc, interior_pointer_pow2_aborts_at_free, SIGABRT, 0, 7);
    tcase_add_test_raise_signal(tc, interior_pointer_misaligned_aborts_at_free, SIGABRT);
    tcase_add_loop_test_raise_signal(tc, interior_pointer_stride_factor_aborts_at_free, SIGABRT, 0, 5);
    tcase_add_test(tc, stride_factor_layout_objects_free);
    tcase_add_test(tc, pow2_layout_objects_free_inline);
    tcase_add_test_raise_signal(tc, interior_pointer_aborts_at_depot, SIGABRT);
    tcase_add_test_raise_signal(tc, double_free_aborts, SIGABRT);
    tcase_add_loop_test(tc, interior_pointer_stride_multiple_aborts_when_magazine_fills, 0, 5);
    tcase_add_test(tc, pointer_past_last_object_aborts_when_magazine_fills);
    tcase_add_test_raise_signal(tc, destroy_twice_aborts, SIGABRT);
    tcase_add_loop_test(tc, double_free_back_to_back_aborts_at_free, 0, 3);
    tcase_add_loop_test(tc, double_free_p_q_p_aborts_before_handing_out_twice, 0, 4);
    tcase_add_loop_test(tc, frees_stay_inline, 0, 6);
    tcase_add_test(tc, write_before_first_object_reaches_no_header);
    tcase_add_loop_test(tc, pointer_into_slab_header_aborts_at_free, 0, 5);
    tcase_add_test(tc, ctor_using_own_cache_aborts);
    tcase_add_test_raise_signal(tc, stale_handle_inline_free_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, stale_handle_inline_alloc_aborts, SIGABRT);
    tcase_add_test(tc, dtor_creating_cache_at_thread_exit_aborts);
    tcase_add_test_raise_signal(tc, double_free_when_magazine_full_aborts_at_free, SIGABRT);
    tcase_add_test_raise_signal(tc, destroy_twice_after_reuse_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, destroy_twice_after_many_reuses_aborts, SIGABRT);
    tcase_add_test(tc, destroy_twice_report);
    tcase_add_test_raise_signal(tc, alloc_from_destroyed_cache_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, checked_wrong_cache_aborts_at_free, SIGABRT);
    tcase_add_test_raise_signal(tc, checked_double_free_aborts_at_free, SIGABRT);
    tcase_add_test_raise_signal(tc, checked_interior_pointer_aborts_at_free, SIGABRT);
    tcase_add_test(tc, checked_cache_works);
    tcase_add_test(tc, slot_reuse_after_destroy);
    suite_add_tcase(s, tc);
    TCase *th = tcase_create("threads");
    tcase_set_timeout(th, 30);
    tcase_add_test(th, threads_cross_free);
    tcase_add_test_raise_signal(th, double_free_p_q_p_caught_in_other_thread, SIGABRT);
    tcase_add_test(th, thread_exit_after_destroy);
    tcase_add_test(th, fork_while_threads_use_a_cache);
    tcase_add_test(th, fork_with_many_caches);
    tcase_add_test(th, more_caches_than_slots_and_thread_exit);
    tcase_add_test_raise_signal(th, wrong_cache_aborts_before_other_thread, SIGABRT);
    suite_add_tcase(s, th);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
