/*
 * tests/reliability/stress_alloc.c — multi-threaded allocator stress that
 * verifies every byte it ever wrote.
 *
 * Built twice: against the malloc names (run under LD_PRELOAD of
 * libferrum-malloc.so, and once plainly against glibc as a control) and,
 * with -DSTRESS_FR, against fr_malloc & co. from libferrum.  Four scenarios:
 *
 *  - mixed: many more threads than cores (32 by default), each running a
 *    random mix of malloc, calloc (checked zero), free, realloc chains
 *    (prefix checked after every step), posix_memalign/aligned_alloc
 *    (alignment and usable size checked) and hand-offs through a shared
 *    mailbox, where the receiving thread verifies and frees the block
 *    (cross-thread frees);
 *  - churn: threads created and exiting in a loop, each leaving blocks
 *    behind that the next generation verifies and frees (memory that
 *    outlives its thread, heaps reclaimed at thread exit);
 *  - fork: worker threads allocate while the main thread forks; each child
 *    verifies and frees every block it inherited from the mailbox,
 *    allocates on its own and from a new thread, and must finish within
 *    20 s (a lock held across fork would hang it; the parent then prints
 *    the hung child's stack with gdb, kills it and fails);
 *  - huge: realloc chains across the direct-mapped size range (mremap).
 *
 * Every block is filled with a per-block pattern (pattern.h); a single wrong
 * byte anywhere fails the test with the block, size and offset.  Scale:
 * FR_STRESS_SCALE multiplies operation counts (the long run uses 20+),
 * FR_STRESS_THREADS sets the thread count.  FR_STRESS_EXPECT=ferrum makes
 * the malloc build fail unless `malloc` really resolves into a ferrum
 * library (so a broken LD_PRELOAD cannot pass silently as glibc).
 */
#include <check.h>
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stress_common.h"

static long g_scale, g_threads;
static atomic_ulong g_ops;

/* ---- One thread's private blocks ---- */

typedef struct blk { void *p; size_t n; uint64_t seed; } blk;
#define LOCAL_SLOTS 256

static int verify_local(const blk *b, const char *who)
{
    size_t bad = pat_check(b->p, b->n, b->seed);
    if (bad != (size_t)-1) {
        s_error("%s: block %p of %zu bytes corrupt at offset %zu", who, b->p, b->n, bad);
        return 0;
    }
    return 1;
}

static void drop_local(blk *b, const char *who)
{
    if (!b->p) return;
    verify_local(b, who);
    S_FREE(b->p);
    b->p = NULL;
}

static void new_local(blk *b, pat_rng *r, size_t n, const char *who)
{
    b->n = n;
    b->seed = pat_next(r);
    b->p = S_MALLOC(n);
    if (!b->p) { s_error("%s: malloc(%zu) failed: %s", who, n, strerror(errno)); return; }
    if (S_USABLE(b->p) < n) s_error("%s: usable_size %zu < %zu", who, (size_t)S_USABLE(b->p), n);
    pat_fill(b->p, n, b->seed);
}

/* A chain of reallocs on one block: the common prefix must survive each. */
static void realloc_chain(blk *b, pat_rng *r, int steps, int big_ok, const char *who)
{
    for (int i = 0; i < steps && b->p; i++) {
        size_t n = pat_size(r, big_ok);
        if (pat_below(r, 2)) n = b->n + n / 4;  /* grow in place often */
        if (n == 0) n = 1;  /* realloc(p, 0) is implementation-defined (glibc frees) */
        void *q = S_REALLOC(b->p, n);
        if (!q) { s_error("%s: realloc(%zu) failed", who, n); return; }
        size_t keep = n < b->n ? n : b->n;
        size_t bad = pat_check(q, keep, b->seed);
        if (bad != (size_t)-1)
            s_error("%s: realloc %zu -> %zu lost byte %zu", who, b->n, n, bad);
        b->p = q;
        b->n = n;
        b->seed = pat_next(r);
        pat_fill(q, n, b->seed);
    }
}

static void aligned_op(blk *b, pat_rng *r, const char *who)
{
    size_t align = (size_t)1 << (3 + pat_below(r, 10)); /* 8 .. 4096 */
    size_t n = pat_size(r, 0);
    void *p = NULL;
    if (pat_below(r, 2)) {
        int e = S_MEMALIGN(&p, align, n);
        if (e) { s_error("%s: posix_memalign(%zu, %zu) = %d", who, align, n, e); return; }
    } else {
        n = (n + align - 1) / align * align;
        if (!n) n = align;
        p = S_ALIGNED(align, n);
        if (!p) { s_error("%s: aligned_alloc(%zu, %zu) failed", who, align, n); return; }
    }
    if ((uintptr_t)p % align) s_error("%s: %p not aligned to %zu", who, p, align);
    if (S_USABLE(p) < n) s_error("%s: aligned usable_size < %zu", who, n);
    b->p = p;
    b->n = n;
    b->seed = pat_next(r);
    pat_fill(p, n, b->seed);
}

static void calloc_op(blk *b, pat_rng *r, const char *who)
{
    size_t n = pat_size(r, 1), cnt = 1 + pat_below(r, 8), each = n / cnt + 1;
    unsigned char *p = S_CALLOC(cnt, each);
    if (!p) { s_error("%s: calloc(%zu, %zu) failed", who, cnt, each); return; }
    for (size_t i = 0; i < cnt * each; i++)
        if (p[i]) { s_error("%s: calloc block %p not zero at %zu", who, (void *)p, i); break; }
    b->p = p;
    b->n = cnt * each;
    b->seed = pat_next(r);
    pat_fill(p, b->n, b->seed);
}

/* One step of the mixed workload on this thread's table. */
static void mixed_step(blk *tab, pat_rng *r, int big_ok, const char *who)
{
    blk *b = &tab[pat_below(r, LOCAL_SLOTS)];
    unsigned op = (unsigned)pat_below(r, 100);
    if (op < 40) {
        drop_local(b, who);
        new_local(b, r, pat_size(r, big_ok), who);
    } else if (op < 58) {
        drop_local(b, who);
    } else if (op < 70) {
        if (!b->p) new_local(b, r, pat_size(r, 0), who);
        realloc_chain(b, r, 1 + (int)pat_below(r, 6), big_ok, who);
    } else if (op < 78) {
        drop_local(b, who);
        aligned_op(b, r, who);
    } else if (op < 83) {
        drop_local(b, who);
        calloc_op(b, r, who);
    } else {
        /* hand a fresh block to whichever thread takes this slot next */
        size_t n = SB_HDR + pat_size(r, big_ok);
        void *p = S_MALLOC(n);
        if (!p) { s_error("%s: malloc(%zu) failed", who, n); return; }
        sb_fill(p, n, pat_next(r));
        mailbox_swap(r, p, who);
    }
    atomic_fetch_add_explicit(&g_ops, 1, memory_order_relaxed);
}

typedef struct worker { pthread_t t; uint64_t seed; long ops; atomic_int *stop; } worker;

static void *mixed_thread(void *arg)
{
    worker *w = arg;
    pat_rng r = pat_rng_new(w->seed);
    blk tab[LOCAL_SLOTS];
    memset(tab, 0, sizeof tab);
    for (long i = 0; w->stop ? !atomic_load(w->stop) : i < w->ops; i++)
        mixed_step(tab, &r, 1, "mixed");
    for (int i = 0; i < LOCAL_SLOTS; i++) drop_local(&tab[i], "mixed-exit");
    return NULL;
}

static void assert_no_errors(const char *what)
{
    ck_assert_msg(atomic_load(&s_errors) == 0, "%s: %lu errors; first: %s", what,
                  atomic_load(&s_errors), s_first_error);
}

/* ---- Scenarios ---- */

START_TEST(mixed)
{
    long n = g_threads, ops = 3000 * g_scale;
    worker *w = calloc((size_t)n, sizeof *w);
    ck_assert_ptr_nonnull(w);
    s_reset_errors();
    for (long i = 0; i < n; i++) {
        w[i].seed = 0x5eed0000u + (uint64_t)i;
        w[i].ops = ops;
        ck_assert_int_eq(pthread_create(&w[i].t, NULL, mixed_thread, &w[i]), 0);
    }
    for (long i = 0; i < n; i++) pthread_join(w[i].t, NULL);
    unsigned long left = mailbox_drain("drain");
    free(w);
    printf("mixed[%s]: %ld threads, %lu operations, %lu cross-thread frees, %lu drained\n",
           S_API, n, atomic_load(&g_ops), atomic_load(&s_cross_frees), left);
    assert_no_errors("mixed");
}
END_TEST

static void *churn_thread(void *arg)
{
    worker *w = arg;
    pat_rng r = pat_rng_new(w->seed);
    blk tab[LOCAL_SLOTS];
    memset(tab, 0, sizeof tab);
    for (long i = 0; i < w->ops; i++) mixed_step(tab, &r, 0, "churn");
    /* leave about half the private blocks behind, through the mailbox */
    for (int i = 0; i < LOCAL_SLOTS; i++) {
        if (!tab[i].p) continue;
        if (i % 2 && tab[i].n >= SB_HDR) {
            verify_local(&tab[i], "churn-leave");
            sb_fill(tab[i].p, tab[i].n, pat_next(&r));
            mailbox_swap(&r, tab[i].p, "churn-leave");
            tab[i].p = NULL;
        } else {
            drop_local(&tab[i], "churn-exit");
        }
    }
    return NULL;
}

START_TEST(churn)
{
    long rounds = 30 * g_scale, per = 8;
    unsigned long threads = 0;
    s_reset_errors();
    for (long k = 0; k < rounds; k++) {
        worker w[8];
        for (long i = 0; i < per; i++) {
            w[i] = (worker){ .seed = (uint64_t)(k * per + i) * 7919u, .ops = 300 };
            ck_assert_int_eq(pthread_create(&w[i].t, NULL, churn_thread, &w[i]), 0);
        }
        for (long i = 0; i < per; i++) pthread_join(w[i].t, NULL);
        threads += per;
        /* a detached thread that exits on its own, while the next round starts */
        pthread_t d;
        worker *dw = calloc(1, sizeof *dw);
        ck_assert_ptr_nonnull(dw);
        *dw = (worker){ .seed = (uint64_t)k, .ops = 50 };
        if (pthread_create(&d, NULL, churn_thread, dw) == 0) {
            pthread_join(d, NULL);
            threads++;
        }
        free(dw);
    }
    unsigned long left = mailbox_drain("churn-drain");
    printf("churn[%s]: %lu threads created and exited, %lu operations, %lu blocks outlived their thread\n",
           S_API, threads, atomic_load(&g_ops), left + atomic_load(&s_cross_frees));
    assert_no_errors("churn");
}
END_TEST

/* What a forked child does: it owns copies of every mailbox block. */
#if !defined(__SANITIZE_THREAD__)
static void *child_thread(void *arg)
{
    (void)arg;
    pat_rng r = pat_rng_new(42);
    blk tab[64] = { { 0 } };
    for (int i = 0; i < 2000; i++) {
        blk *b = &tab[pat_below(&r, 64)];
        drop_local(b, "child-thread");
        new_local(b, &r, pat_size(&r, 1), "child-thread");
    }
    for (int i = 0; i < 64; i++) drop_local(&tab[i], "child-thread");
    return NULL;
}
#endif

static int child_main(void)
{
    mailbox_drain("child");
    pat_rng r = pat_rng_new((uint64_t)getpid());
    blk tab[LOCAL_SLOTS];
    memset(tab, 0, sizeof tab);
    for (int i = 0; i < 3000; i++) mixed_step(tab, &r, 1, "child");
    for (int i = 0; i < LOCAL_SLOTS; i++) drop_local(&tab[i], "child");
#if !defined(__SANITIZE_THREAD__)
    /* (ThreadSanitizer refuses to start a thread in the child of a
     * multi-threaded fork and exits with 66: not done there.) */
    pthread_t t;
    if (pthread_create(&t, NULL, child_thread, NULL) != 0) return 3;
    pthread_join(t, NULL);
#endif
    mailbox_drain("child");
    if (atomic_load(&s_errors)) {
        fprintf(stderr, "child %d: %s\n", (int)getpid(), s_first_error);
        return 1;
    }
    return 0;
}

enum { CHILD_BUDGET_S = 20 };

/* Wait for a forked child for at most CHILD_BUDGET_S.  A child still
 * running then is hung (a lock held across fork): its stack is printed
 * (gdb in batch mode, when installed), it is killed, and the result says
 * "hung".  The parent watches rather than an alarm in the child, so that
 * a hang shows where it is. */
static int wait_child(pid_t pid, bool *hung)
{
    int st = 0;
    *hung = false;
    for (long ms = 0;; ms++) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) return st;
        if (r < 0 && errno != EINTR) return -1;
        if (ms == CHILD_BUDGET_S * 1000L) {
            char cmd[200];
            fprintf(stderr, "child %d still running after %d s; its stack:\n", (int)pid,
                    CHILD_BUDGET_S);
            snprintf(cmd, sizeof cmd,
                     "gdb -batch -nx -p %d -ex 'thread apply all bt' </dev/null 2>&1 "
                     "| grep -E '^(#|Thread)' >&2",
                     (int)pid);
            if (system(cmd) != 0) fprintf(stderr, "(no stack: gdb is missing or failed)\n");
            kill(pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
            *hung = true;
            return st;
        }
        struct timespec one = {0, 1000000};
        nanosleep(&one, NULL);
    }
}

START_TEST(fork_while_allocating)
{
    long n = 8, forks = 10 * g_scale;
    atomic_int stop = 0;
    worker w[8];
    s_reset_errors();
    for (long i = 0; i < n; i++) {
        w[i] = (worker){ .seed = 0xf0f0u + (uint64_t)i, .stop = &stop };
        ck_assert_int_eq(pthread_create(&w[i].t, NULL, mixed_thread, &w[i]), 0);
    }
    int failed = 0;
    char why[128] = "";
    for (long k = 0; k < forks; k++) {
#ifdef __SANITIZE_ADDRESS__
        /* Under gcc 12's AddressSanitizer, a child forked in the first
         * milliseconds, while the 8 workers are still being created, hung
         * in most runs (never in the normal build, and never once the
         * workers had started: 0 of 6 runs with this delay, against 5 of 6
         * without).  ASan's own allocator (thread start-up allocates
         * through it) keeps its locks across fork: the glibc variant of
         * this test, whose malloc is ASan's under ASan, hangs in children
         * on ASan's size-class mutex (gdb stack in docs/reliability.md).
         * Let the workers start first: the forks still land while they
         * allocate. */
        usleep(k == 0 ? 300000 : 2000);
#else
        usleep(2000);
#endif
        pid_t pid = fork();
        if (pid == 0) _exit(child_main());
        ck_assert_int_ge(pid, 0);
        bool hung;
        int st = wait_child(pid, &hung);
        ck_assert_int_ne(st, -1);
        if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
            failed++;
            if (!why[0] && hung)
                snprintf(why, sizeof why, "child %ld: hung for %d s", k, CHILD_BUDGET_S);
            else if (!why[0])
                snprintf(why, sizeof why, "child %ld: %s %d", k,
                         WIFEXITED(st) ? "exit status" : "killed by signal",
                         WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
        }
    }
    atomic_store(&stop, 1);
    for (long i = 0; i < n; i++) pthread_join(w[i].t, NULL);
    mailbox_drain("fork-drain");
    printf("fork[%s]: %ld forks while %ld threads allocated (%lu operations), %d children failed\n",
           S_API, forks, n, atomic_load(&g_ops), failed);
    ck_assert_msg(failed == 0, "%d of %ld forked children failed; first: %s", failed, forks, why);
    assert_no_errors("fork");
}
END_TEST

START_TEST(huge_realloc)
{
    pat_rng r = pat_rng_new(99);
    s_reset_errors();
    for (long k = 0; k < 20 * g_scale; k++) {
        blk b = { 0 };
        new_local(&b, &r, 100, "huge");
        size_t sizes[] = { 200000, 5u << 20, 33u << 20, 1u << 20, 9u << 20, 64, 17u << 20 };
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes && b.p; i++) {
            void *q = S_REALLOC(b.p, sizes[i]);
            if (!q) { s_error("huge: realloc(%zu) failed", sizes[i]); break; }
            size_t keep = sizes[i] < b.n ? sizes[i] : b.n;
            size_t bad = pat_check(q, keep, b.seed);
            if (bad != (size_t)-1) s_error("huge: realloc %zu -> %zu lost byte %zu", b.n, sizes[i], bad);
            b.p = q;
            b.n = sizes[i];
            b.seed = pat_next(&r);
            pat_fill(q, b.n, b.seed);
        }
        drop_local(&b, "huge");
    }
    assert_no_errors("huge");
}
END_TEST

START_TEST(preload_in_effect)
{
    void *m = dlsym(RTLD_DEFAULT, "malloc");
    Dl_info info;
    ck_assert_ptr_nonnull(m);
    ck_assert_int_ne(dladdr(m, &info), 0);
    ck_assert_msg(info.dli_fname && strstr(info.dli_fname, "ferrum"),
                  "malloc resolves to %s, not to ferrum: LD_PRELOAD not in effect",
                  info.dli_fname ? info.dli_fname : "?");
}
END_TEST

int main(void)
{
    g_scale = s_env_long("FR_STRESS_SCALE", 1);
    g_threads = s_env_long("FR_STRESS_THREADS", 32);
    Suite *s = suite_create("stress_alloc_" S_API);
    TCase *tc = tcase_create("stress");
    tcase_set_timeout(tc, 60 + 30 * (double)g_scale);
    const char *expect = getenv("FR_STRESS_EXPECT");
    if (expect && strcmp(expect, "ferrum") == 0) tcase_add_test(tc, preload_in_effect);
    tcase_add_test(tc, mixed);
    tcase_add_test(tc, churn);
    tcase_add_test(tc, fork_while_allocating);
    tcase_add_test(tc, huge_realloc);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
