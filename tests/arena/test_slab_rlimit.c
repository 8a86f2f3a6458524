/*
 * tests/arena/test_slab_rlimit.c — slab caches under a low RLIMIT_AS.
 *
 * The slab space (arena/slab_space.c) is one reserved address range; under a
 * finite RLIMIT_AS it must shrink to fit instead of failing, so that caches
 * work in a process limited to, say, 512 MiB, and running out still gives
 * NULL + ENOMEM.  Each test forks a child that sets the limit before the
 * first slab exists in it (Check forks every test from a runner that never
 * makes a slab), creates and uses caches, and reports through its exit
 * status; one raises the limit again and expects the space to grow.  Not
 * in the sanitize suite: ASan's shadow needs terabytes of
 * address space, so no ASan process runs under such a limit.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ferrum/slab.h>

#include "../common/child.h"

/* Exit codes of the child: 0 fine, else the step that failed. */
static int use_caches(void)
{
    fr_slab *small = fr_slab_create("small", 48, 0, NULL, NULL);
    fr_slab *big = fr_slab_create("big", 100000, 0, NULL, NULL);
    if (!small || !big) return 10;
    enum { N = 20000 };
    static unsigned char *p[N];
    for (int i = 0; i < N; i++) {
        p[i] = fr_slab_alloc(small);
        if (!p[i]) return 11;
        memset(p[i], i & 0xff, 48);
    }
    for (int i = 0; i < N; i++)
        for (int k = 0; k < 48; k++)
            if (p[i][k] != (unsigned char)(i & 0xff)) return 12; /* overlap */
    void *b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = fr_slab_alloc(big);
        if (!b[i]) return 13;
        memset(b[i], 7, 100000);
    }
    for (int i = 0; i < 8; i++) fr_slab_free(big, b[i]);
    for (int i = 0; i < N; i++) fr_slab_free(small, p[i]);
    fr_slab_destroy(big);
    fr_slab_destroy(small);
    return 0;
}

/* Allocate until the space is exhausted: NULL + ENOMEM, then everything
 * goes back and allocation works again. */
static int exhaust(void)
{
    fr_slab *s = fr_slab_create("fill", 4096, 0, NULL, NULL);
    if (!s) return 20;
    size_t cap = 1 << 16, n = 0;
    void **keep = malloc(cap * sizeof *keep);
    if (!keep) return 21;
    for (;;) {
        errno = 0;
        void *q = fr_slab_alloc(s);
        if (!q) {
            if (errno != ENOMEM) return 22;
            break;
        }
        if (n == cap) {
            void **k = realloc(keep, 2 * cap * sizeof *keep);
            if (!k) return 23;
            keep = k;
            cap *= 2;
        }
        keep[n++] = q;
        if (n > ((size_t)1 << 20)) return 24; /* 4 GiB: the limit did not hold */
    }
    if (n < 1000) return 25; /* some real space was had */
    for (size_t i = 0; i < n; i++) fr_slab_free(s, keep[i]);
    void *q = fr_slab_alloc(s);
    if (!q) return 26;
    fr_slab_free(s, q);
    fr_slab_destroy(s);
    free(keep);
    return 0;
}

/* Exhausted under a low soft limit; the limit is raised: the space grows
 * (a new range) and allocation works again, the old objects intact. */
static int grow_after_raise(void)
{
    fr_slab *s = fr_slab_create("grow", 8192, 0, NULL, NULL);
    if (!s) return 30;
    size_t n = 0;
    static unsigned char *keep[1 << 17];
    for (;;) {
        if (n == sizeof keep / sizeof keep[0]) return 31; /* 1 GiB: the limit did not hold */
        errno = 0;
        unsigned char *q = fr_slab_alloc(s);
        if (!q) break;
        q[0] = (unsigned char)n;
        keep[n++] = q;
    }
    if (errno != ENOMEM || n < 100) return 32;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0) return 33;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_AS, &rl) != 0) return 34;
    for (int i = 0; i < 1000; i++) {
        unsigned char *q = fr_slab_alloc(s);
        if (!q) return 35;
        q[0] = 1;
    }
    for (size_t i = 0; i < n; i++)
        if (keep[i][0] != (unsigned char)i) return 36;
    return 0;
}

static int run_limited_soft(rlim_t limit, int (*body)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct rlimit rl;
        if (getrlimit(RLIMIT_AS, &rl) != 0) _exit(98);
        rl.rlim_cur = limit; /* the hard limit stays: the child may raise it again */
        if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(99);
        _exit(body());
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st), "child died by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return WEXITSTATUS(st);
}

static int run_limited(rlim_t limit, int (*body)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct rlimit rl = { limit, limit };
        if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(99);
        _exit(body());
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st), "child died by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return WEXITSTATUS(st);
}

/* Under 128 MiB the first range is 16 MiB, so each cache's own part of it
 * (slab.h: where its inline free checks with one compare) is 512 KiB; past
 * that its slabs come from the shared space, and their objects are freed
 * out of line: checked there, at the call, as exactly. */
enum { PART = 512 << 10 };

/* An object of `a` outside the part its first object is in (NULL: none). */
static void *beyond_part(fr_slab *a, size_t size, void **first)
{
    enum { N = 60000 };
    static void *p[N];
    void *far = NULL;
    for (int i = 0; i < N && !far; i++) {
        p[i] = fr_slab_alloc(a);
        if (!p[i]) return NULL;
        memset(p[i], 1, size);
        if (((uintptr_t)p[i] ^ (uintptr_t)p[0]) >= PART) far = p[i];
    }
    *first = p[0];
    return far;
}

static void limit_128(void)
{
    struct rlimit rl = { (rlim_t)128 << 20, (rlim_t)128 << 20 };
    if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(99);
}

static void wrong_cache_beyond_part(void *arg)
{
    (void)arg;
    limit_128();
    fr_slab *a = fr_slab_create("apples", 32, 0, NULL, NULL);
    fr_slab *b = fr_slab_create("oranges", 32, 0, NULL, NULL);
    void *first, *far = beyond_part(a, 32, &first);
    if (!far) _exit(97);
    (void)fr_slab_alloc(b);
    fr_slab_free(a, first); /* an object in the part, fine */
    fr_slab_free(a, far);   /* one beyond it: out of line, fine */
    fr_slab_free(b, fr_slab_alloc(a));
    _exit(0);
}

static void interior_beyond_part(void *arg)
{
    (void)arg;
    limit_128();
    fr_slab *a = fr_slab_create("apples", 64, 0, NULL, NULL);
    void *first, *far = beyond_part(a, 64, &first);
    if (!far) _exit(97);
    fr_slab_free(a, (char *)far + 8);
    _exit(0);
}

START_TEST(beyond_the_part_wrong_cache_aborts_at_free)
{
    static char out[8192];
    int st = fr_test_run_child(wrong_cache_beyond_part, NULL, out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "child did not abort (status %d): %s", st, out);
    ck_assert_msg(strstr(out, "belongs to slab cache \"apples\", freed to the wrong cache (found at the free)"),
                  "message: %s", out);
}
END_TEST

START_TEST(beyond_the_part_interior_pointer_aborts_at_free)
{
    static char out[8192];
    int st = fr_test_run_child(interior_beyond_part, NULL, out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "child did not abort (status %d): %s", st, out);
    ck_assert_msg(strstr(out, "not the start of an object of this cache"), "message: %s", out);
}
END_TEST

START_TEST(slabs_work_under_512_mib)
{
    ck_assert_int_eq(run_limited((rlim_t)512 << 20, use_caches), 0);
}
END_TEST

START_TEST(slabs_work_under_128_mib)
{
    ck_assert_int_eq(run_limited((rlim_t)128 << 20, use_caches), 0);
}
END_TEST

START_TEST(exhausted_space_gives_enomem)
{
    ck_assert_int_eq(run_limited((rlim_t)512 << 20, exhaust), 0);
}
END_TEST

START_TEST(space_grows_when_the_limit_is_raised)
{
    ck_assert_int_eq(run_limited_soft((rlim_t)256 << 20, grow_after_raise), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("slab-rlimit");
    TCase *tc = tcase_create("rlimit");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, slabs_work_under_512_mib);
    tcase_add_test(tc, slabs_work_under_128_mib);
    tcase_add_test(tc, exhausted_space_gives_enomem);
    tcase_add_test(tc, space_grows_when_the_limit_is_raised);
    tcase_add_test(tc, beyond_the_part_wrong_cache_aborts_at_free);
    tcase_add_test(tc, beyond_the_part_interior_pointer_aborts_at_free);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
