/*
 * tests/alloc/test_malloc_api.c — the standard malloc names exported by
 * libferrum-malloc.so, with glibc's semantics.  This program is linked with
 * -lferrum-malloc, so every malloc in it (Check's own too) is ferrum's.
 */
#include <check.h>
#include <dlfcn.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ferrum/alloc.h>

#include "../common/unwind_scope.h"

#if defined(FR_HAVE_VALGRIND) && FR_HAVE_VALGRIND
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND RUNNING_ON_VALGRIND
#else
#define UNDER_VALGRIND 0
#endif

/* C23, not yet declared by glibc 2.36 */
void free_sized(void *p, size_t size);
void free_aligned_sized(void *p, size_t align, size_t size);

static size_t opaque(size_t x)
{
    volatile size_t v = x;
    return v;
}

/* ---- before main: a constructor allocates, and uses dlopen/dlsym ---- */

static char *ctor_str;
static double (*ctor_cos)(double);

__attribute__((constructor)) static void early_allocations(void)
{
    ctor_str = strdup("allocated in a constructor");
    void *keep[100];
    for (int i = 0; i < 100; i++) keep[i] = malloc((size_t)i * 10);
    for (int i = 0; i < 100; i++) free(keep[i]);
    void *h = dlopen("libm.so.6", RTLD_NOW);
    if (h) ctor_cos = (double (*)(double))dlsym(h, "cos");
}

START_TEST(test_before_main)
{
    ck_assert_str_eq(ctor_str, "allocated in a constructor");
    ck_assert_uint_eq(malloc_usable_size(ctor_str), 32); /* a ferrum block */
    ck_assert_ptr_nonnull(ctor_cos);
    ck_assert(ctor_cos(0.0) == 1.0);
    free(ctor_str);
}
END_TEST

/* ---- exit() from a thread while others allocate ---- */

static void *churn(void *arg)
{
    (void)arg;
    for (;;) {
        void *p[16];
        for (int i = 0; i < 16; i++) p[i] = malloc((size_t)i * 100 + 1);
        for (int i = 0; i < 16; i++) free(p[i]);
    }
    return NULL;
}

static void *exiter(void *arg)
{
    (void)arg;
    usleep(20000);
    exit(7); /* runs atexit handlers and stdio flushing while churn() allocates */
}

START_TEST(test_exit_from_thread)
{
    for (int round = 0; round < 5; round++) {
        pid_t pid = fork();
        if (pid == 0) {
            pthread_t t[3], e;
            for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, churn, NULL);
            pthread_create(&e, NULL, exiter, NULL);
            churn(NULL);
        }
        int st;
        waitpid(pid, &st, 0);
        ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 7, "status %d", st);
    }
}
END_TEST

START_TEST(test_malloc_is_ferrum)
{
    void *p = malloc(1);
    /* glibc would say 24; ferrum's smallest class is 16 */
    ck_assert_uint_eq(malloc_usable_size(p), 16);
    ck_assert_uint_eq(fr_usable_size(p), 16);
    fr_free(p); /* the fr_ names are the same engine in this library */
    char *s = strdup("ferrum");
    ck_assert_str_eq(s, "ferrum");
    ck_assert_uint_eq(malloc_usable_size(s), 16);
    free(s);
}
END_TEST

START_TEST(test_malloc_free_calloc)
{
    void *a = malloc(0), *b = malloc(0);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_ne(a, b);
    free(a);
    free(b);
    free(NULL);
    unsigned char *c = calloc(100, 100);
    for (int i = 0; i < 10000; i++) ck_assert_uint_eq(c[i], 0);
    free(c);
    errno = 0;
    ck_assert_ptr_null(calloc(opaque(SIZE_MAX / 4), 8));
    ck_assert_int_eq(errno, ENOMEM);
    errno = 0;
    ck_assert_ptr_null(malloc(opaque(SIZE_MAX)));
    ck_assert_int_eq(errno, ENOMEM);
}
END_TEST

START_TEST(test_realloc_reallocarray)
{
    char *p = realloc(NULL, 5);
    memcpy(p, "abcd", 5);
    p = realloc(p, 100000);
    ck_assert_str_eq(p, "abcd");
    p = realloc(p, 10u << 20);
    ck_assert_str_eq(p, "abcd");
    p = reallocarray(p, 10, 10);
    ck_assert_str_eq(p, "abcd");
    errno = 0;
    ck_assert_ptr_null(reallocarray(p, opaque(SIZE_MAX / 2), 3));
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_str_eq(p, "abcd"); /* untouched */
    ck_assert_ptr_null(realloc(p, 0)); /* glibc: frees, returns NULL */
}
END_TEST

START_TEST(test_aligned_family)
{
    void *p = NULL;
    ck_assert_int_eq(posix_memalign(&p, 4096, 100), 0);
    ck_assert_uint_eq((uintptr_t)p % 4096, 0);
    free(p);
    ck_assert_int_eq(posix_memalign(&p, 3 * sizeof(void *), 100), EINVAL);
    p = aligned_alloc(256, 512);
    ck_assert_uint_eq((uintptr_t)p % 256, 0);
    free_aligned_sized(p, 256, 512);
    errno = 0;
    ck_assert_ptr_null(aligned_alloc(opaque(48), 96));
    ck_assert_int_eq(errno, EINVAL);
    /* memalign rounds a non-power-of-two alignment up, like glibc */
    p = memalign(48, 100);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 64, 0);
    free(p);
    long page = sysconf(_SC_PAGESIZE);
    p = valloc(10);
    ck_assert_uint_eq((uintptr_t)p % (uintptr_t)page, 0);
    free(p);
    /* pvalloc + malloc_usable_size: Debian's jemalloc crashes here */
    p = pvalloc(10);
    ck_assert_uint_eq((uintptr_t)p % (uintptr_t)page, 0);
    ck_assert_uint_ge(malloc_usable_size(p), (size_t)page);
    free(p);
    p = pvalloc(0);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_ge(malloc_usable_size(p), (size_t)page);
    free(p);
}
END_TEST

START_TEST(test_sized_frees_and_usable)
{
    ck_assert_uint_eq(malloc_usable_size(NULL), 0);
    for (size_t n = 1; n < (1u << 22); n = n * 3 + 1) {
        void *p = malloc(n);
        ck_assert_uint_ge(malloc_usable_size(p), n);
        memset(p, 1, malloc_usable_size(p));
        free_sized(p, n);
    }
    ck_assert_int_eq(malloc_trim(0), 1);
}
END_TEST

/* ---- sized frees: the size must fit the block ---- */

START_TEST(test_sized_frees_accept_every_legal_size)
{
    /* every size malloc could have been asked for this block with */
    for (size_t n = 0; n <= 4096; n++) free_sized(malloc(n), n);
    free_sized(calloc(3, 33), 99);
    /* realloc: a block kept in place, grown or shrunk within its class */
    char *p = malloc(1000);
    char *q = realloc(p, 1010);
    free_sized(q, 1010);
    p = malloc(1000);
    q = realloc(p, 520);
    free_sized(q, 520);
    /* shrunk in place into a smaller class (1024 -> 640), down to half */
    /* (under memcheck ferrum's realloc copies: memcheck tracks the block) */
    p = malloc(1000);
    q = realloc(p, 600);
    if (!UNDER_VALGRIND) ck_assert_ptr_eq(q, p);
    free_sized(q, 600);
    p = malloc(1000);
    q = realloc(p, 512);
    if (!UNDER_VALGRIND) ck_assert_ptr_eq(q, p);
    free_sized(q, 512);
    p = malloc(3u << 20);
    q = realloc(p, (3u << 20) / 2 + 4096);
    free_sized(q, (3u << 20) / 2 + 4096);
    /* aligned: over-allocated by the alignment, or rounded up to it */
    static const size_t aligns[] = {16, 32, 64, 256, 4096, 65536, 1u << 22};
    static const size_t sizes[] = {0, 1, 10, 100, 1000, 5000, 70000, 300000};
    for (size_t i = 0; i < sizeof aligns / sizeof *aligns; i++)
        for (size_t j = 0; j < sizeof sizes / sizeof *sizes; j++)
            free_aligned_sized(aligned_alloc(aligns[i], sizes[j]), aligns[i], sizes[j]);
    /* every size, at the start of a block and inside one (the kept block
     * makes the next ones land elsewhere in the page) */
    static const size_t dense[] = {32, 64, 128, 256, 1024, 4096};
    for (size_t i = 0; i < sizeof dense / sizeof *dense; i++)
        for (size_t n = 0; n <= 6000; n += n < 600 ? 1 : 7) {
            void *keep = aligned_alloc(dense[i], n);
            free_aligned_sized(aligned_alloc(dense[i], n), dense[i], n);
            free_aligned_sized(keep, dense[i], n);
        }
    free_sized(NULL, 10);
}
END_TEST

START_TEST(test_free_sized_smaller_class_aborts)
{
    free_sized(malloc(opaque(100)), opaque(10)); /* a 112-byte block: 10 is a 16-byte request */
}
END_TEST

START_TEST(test_free_sized_next_class_down_aborts)
{
    free_sized(malloc(opaque(100)), opaque(96)); /* 96 is a request of the 96-byte class */
}
END_TEST

START_TEST(test_free_sized_larger_than_block_aborts)
{
    free_sized(malloc(opaque(100)), opaque(200));
}
END_TEST

START_TEST(test_free_sized_huge_wrong_aborts)
{
    free_sized(malloc(opaque(8u << 20)), opaque(1u << 20));
}
END_TEST

START_TEST(test_free_aligned_sized_wrong_size_aborts)
{
    free_aligned_sized(aligned_alloc(256, opaque(5000)), 256, opaque(100));
}
END_TEST

START_TEST(test_free_aligned_sized_wrong_alignment_aborts)
{
    char *p = aligned_alloc(64, opaque(64));
    /* p + 64 is a live block start or not: either way it is not aligned to
     * what is claimed; use the block itself with an alignment it lacks */
    size_t claim = 128;
    while (((uintptr_t)p & (claim - 1)) == 0) claim <<= 1;
    free_aligned_sized(p, opaque(claim), 64);
}
END_TEST

/* the report names the function, the pointer, the size given, the block's
 * size class, and starts its backtrace at the caller */
__attribute__((noinline)) static void wrong_sized_free(void *p)
{
    free_sized(p, opaque(24));
    __asm__ volatile("" ::: "memory");
}

/* mallinfo2/mallinfo/malloc_info describe ferrum's heap, not glibc's idle
 * arena (which would say 0 bytes); memalign of an alignment that cannot
 * be served is ENOMEM as in glibc, one that cannot round up EINVAL. */
/* glibc's __libc_* names reach ferrum too: a block from one name family is
 * freed by the other (QA11 A3) */
extern void *__libc_malloc(size_t);
extern void __libc_free(void *);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
START_TEST(test_libc_names_are_ferrums)
{
    void *p = __libc_malloc(opaque(100));
    ck_assert_uint_ge(malloc_usable_size(p), 100);
    free(p);
    void *q = malloc(opaque(100));
    __libc_free(q);
    char *c = __libc_calloc(opaque(10), 10);
    ck_assert_int_eq(c[99], 0);
    c = __libc_realloc(c, opaque(5000));
    ck_assert_ptr_nonnull(c);
    free(c);
    void *a = __libc_memalign(opaque(256), 100);
    ck_assert_uint_eq((uintptr_t)a % 256, 0);
    free(a);
}
END_TEST

START_TEST(test_mallinfo_is_ferrums)
{
    enum { N = 2000 };
    static void *v[N];
    for (int i = 0; i < N; i++) v[i] = malloc(opaque(1000));
    void *big = malloc(opaque(8u << 20));
    ck_assert_ptr_nonnull(big);
    struct mallinfo2 m = mallinfo2();
    ck_assert_uint_ge(m.arena, N * 1000u);
    ck_assert_uint_ge(m.uordblks, N * 1000u);
    ck_assert_uint_eq(m.uordblks + m.fordblks, m.arena);
    ck_assert_uint_ge(m.hblks, 1);
    ck_assert_uint_ge(m.hblkhd, 8u << 20);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    struct mallinfo old = mallinfo();
#pragma GCC diagnostic pop
    ck_assert_int_gt(old.arena, 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(malloc_info(0, f), 0);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "<malloc version=\"ferrum-1\">"));
    free(buf);
    errno = 0;
    ck_assert_int_eq(malloc_info(1, stdout), -1);
    ck_assert_int_eq(errno, EINVAL);
    free(big);
    for (int i = 0; i < N; i++) free(v[i]);
    errno = 0;
    ck_assert_ptr_null(memalign((size_t)1 << 63, 100));
    ck_assert_int_eq(errno, ENOMEM);
    errno = 0;
    ck_assert_ptr_null(memalign(((size_t)1 << 63) + 1, 100));
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* Run fn(arg) in a forked child whose stderr goes to child_out; return the
 * child's wait status (a child that returns from fn exits 0). */
static char child_out[8192];

static int run_child(void (*fn)(void *), void *arg)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        fn(arg);
        _exit(0);
    }
    close(fds[1]);
    size_t len = 0;
    ssize_t r;
    while (len < sizeof child_out - 1 &&
           (r = read(fds[0], child_out + len, sizeof child_out - 1 - len)) > 0)
        len += (size_t)r;
    child_out[len] = 0;
    close(fds[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    return st;
}

/* A shell script run under ferrum (LD_PRELOAD of FR_TEST_MALLOC_SO) with
 * stats=1; with close_stderr, started without fd 2.  Called in the child. */
struct shell_run {
    const char *shell, *script;
    bool close_stderr;
};

static void exec_shell_with_stats(void *arg)
{
    const struct shell_run *r = arg;
    char *envp[] = {"FERRUM_OPTIONS=stats=1", NULL, NULL};
    static char pre[4096], script[4096];
    const char *lp = getenv("FR_TEST_MALLOC_SO");
    if (!lp) _exit(3);
    snprintf(pre, sizeof pre, "LD_PRELOAD=%s", lp);
    envp[1] = pre;
    snprintf(script, sizeof script, "%s", r->script);
    char *sh[] = {(char *)r->shell, "-c", script, NULL};
    if (r->close_stderr) close(2);
    execve(r->shell, sh, envp);
    _exit(4);
}

/* A temporary file for a script to write, and what it holds afterwards. */
static void temp_path(char *path)
{
    int tfd = mkstemp(path);
    ck_assert_int_ge(tfd, 0);
    close(tfd);
}

static void read_and_unlink(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = 0;
    fclose(f);
    unlink(path);
}

/* The summary never lands in a program's own file that took the number of
 * ferrum's stderr copy (fd 64), as in a daemon that closes every
 * descriptor and opens many files: it goes to stderr (QA11 A2). */
START_TEST(test_stats_not_into_reused_fd)
{
    if (access("/bin/bash", X_OK) != 0) return;
    char path[] = "/tmp/ferrum-stats-fd-XXXXXX", script[256], file[512];
    temp_path(path);
    snprintf(script, sizeof script, "exec 64>&-; exec 64>'%s'; echo data >&64", path);
    struct shell_run r = {"/bin/bash", script, false};
    int st = run_child(exec_shell_with_stats, &r);
    read_and_unlink(path, file, sizeof file);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d: %s", st, child_out);
    ck_assert_msg(strcmp(file, "data\n") == 0, "the program's file holds: %s", file);
    ck_assert_msg(strstr(child_out, "ferrum statistics") != NULL, "no summary on stderr: %s", child_out);
}
END_TEST

/* A program started without stderr gets no summary in the file that took
 * fd 2 (QA11 A2, closed2.c). */
START_TEST(test_stats_not_into_file_at_fd2)
{
    if (access("/bin/bash", X_OK) != 0) return;
    char path[] = "/tmp/ferrum-stats-fd2-XXXXXX", script[256], file[512];
    temp_path(path);
    snprintf(script, sizeof script, "exec 2>'%s'; echo data >&2", path);
    struct shell_run r = {"/bin/bash", script, true};
    int st = run_child(exec_shell_with_stats, &r);
    read_and_unlink(path, file, sizeof file);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d: %s", st, child_out);
    ck_assert_msg(strcmp(file, "data\n") == 0, "the program's file holds: %s", file);
}
END_TEST

/* A program that never allocates prints no summary (QA12 R3: ferrum's own
 * start, which then loaded libunwind, made it print one); a program that
 * does allocate prints it. */
START_TEST(test_stats_silent_for_a_program_that_never_allocates)
{
    if (access("/bin/true", X_OK) != 0 || access("/bin/echo", X_OK) != 0) return;
    struct shell_run r = {"/bin/true", "", false};
    int st = run_child(exec_shell_with_stats, &r);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d: %s", st, child_out);
    ck_assert_msg(strstr(child_out, "ferrum statistics") == NULL, "a summary for /bin/true: %s", child_out);
    struct shell_run e = {"/bin/echo", "", false};
    st = run_child(exec_shell_with_stats, &e);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d: %s", st, child_out);
    ck_assert_msg(strstr(child_out, "ferrum statistics") != NULL, "no summary for echo: %s", child_out);
}
END_TEST

/* libunwind (for reports) is loaded by the first report, not at start
 * (each exec under LD_PRELOAD paid ~0.25 ms for it: QA12 R5), and then not
 * into the program's global scope, where its _Unwind_* would replace
 * libgcc_s's for C++ code (QA11 A5).  The child checks both: before a bad
 * free, and from its SIGABRT handler after the report. */
static int libunwind_loaded(void)
{
    void *h = dlopen("libunwind.so.8", RTLD_LAZY | RTLD_NOLOAD);
    if (h) dlclose(h);
    return h != NULL;
}

static void scope_after_report(int sig)
{
    (void)sig;
    if (!libunwind_loaded()) _exit(4); /* the report did not load it: this test checks nothing */
    if (dlsym(RTLD_DEFAULT, "_ULx86_64_step") != NULL) _exit(5);
    void *raise_exc = dlsym(RTLD_DEFAULT, "_Unwind_RaiseException");
    Dl_info di;
    if (raise_exc && dladdr(raise_exc, &di) && di.dli_fname && strstr(di.dli_fname, "libunwind")) _exit(6);
    _exit(0);
}

static void report_then_check_scope(void *arg)
{
    (void)arg;
    if (libunwind_loaded()) _exit(3);
    signal(SIGABRT, scope_after_report);
    static char buf[64] __attribute__((aligned(16)));
    free((char *)opaque((size_t)(buf + 16)));
    _exit(7);
}

/* FERRUM_OPTIONS=early_unwind=1 loads it at start, for a process that will
 * chroot, sandbox itself or run out of memory before it reports (QA15 R1:
 * the first report could then not open it) */
static void exec_shell_early_unwind(void *arg)
{
    const struct shell_run *r = arg;
    static char pre[4096];
    const char *lp = getenv("FR_TEST_MALLOC_SO");
    if (!lp) _exit(3);
    snprintf(pre, sizeof pre, "LD_PRELOAD=%s", lp);
    char *envp[] = {"FERRUM_OPTIONS=early_unwind=1", pre, NULL};
    char *sh[] = {(char *)r->shell, "-c", (char *)r->script, NULL};
    execve(r->shell, sh, envp);
    _exit(4);
}

START_TEST(test_early_unwind_option_loads_it_at_start)
{
    if (access("/bin/sh", X_OK) != 0) return;
    struct shell_run r = {"/bin/sh", "grep -c libunwind /proc/$$/maps >&2", false};
    int st = run_child(exec_shell_early_unwind, &r);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d: %s", st, child_out);
    ck_assert_msg(atoi(child_out) > 0, "libunwind not mapped at start: %s", child_out);
    r.script = "grep -c libunwind /proc/$$/maps >&2; exit 0";
    st = run_child(exec_shell_with_stats, &r);   /* without the option: not mapped */
    ck_assert_msg(strncmp(child_out, "0", 1) == 0, "libunwind mapped without early_unwind: %s", child_out);
}
END_TEST

START_TEST(test_libunwind_loaded_by_the_first_report_and_not_global)
{
    int st = run_child(report_then_check_scope, NULL);
    ck_assert_msg(WIFEXITED(st), "child status %d: %s", st, child_out);
    ck_assert_msg(WEXITSTATUS(st) != 3, "libunwind loaded before any report");
    ck_assert_msg(WEXITSTATUS(st) == 0, "child exit %d (4 not loaded by the report, 5/6 global): %s",
                  WEXITSTATUS(st), child_out);
    ck_assert_msg(strstr(child_out, "#0 ") != NULL, "the report has no frames: %s", child_out);
    assert_libunwind_not_global();
}
END_TEST

/* A forked child's summary says it is one, and whose counts it carries
 * (QA11 A4); the program's own summary does not. */
START_TEST(test_stats_of_forked_child_marked)
{
    if (access("/bin/bash", X_OK) != 0) return;
    struct shell_run r = {"/bin/bash", "x=$(echo 1; exit 0); echo $x >/dev/null", false};
    int st = run_child(exec_shell_with_stats, &r);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d: %s", st, child_out);
    const char *forked = strstr(child_out, "forked from pid");
    ck_assert_msg(forked != NULL, "no marked summary: %s", child_out);
    int plain = 0;
    for (const char *l = child_out; (l = strstr(l, "ferrum statistics (pid ")) != NULL; l++) {
        const char *eol = strchr(l, '\n');
        const char *f = strstr(l, "forked");
        if (!f || (eol && f > eol)) plain++;
    }
    ck_assert_msg(plain == 1, "%d unmarked summaries: %s", plain, child_out);
}
END_TEST

/* stats=1 reaches the stderr the program started with, even when the
 * program closes fd 2 before exit (coreutils do). */
START_TEST(test_stats_survive_closed_stderr)
{
    struct shell_run r = {"/bin/sh", "x=$(seq 1 2000 | tr '\\n' ,); exec 2>&-; echo \"$x\" >/dev/null", false};
    int st = run_child(exec_shell_with_stats, &r);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d: %s", st, child_out);
    ck_assert_msg(strstr(child_out, "ferrum statistics") != NULL, "no summary: %s", child_out);
}
END_TEST

START_TEST(test_free_sized_report)
{
    void *p = malloc(opaque(200)); /* a 224-byte block */
    int st = run_child(wrong_sized_free, p);
    const char *out = child_out;
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "no abort: %s", out);
    char want[128];
    snprintf(want, sizeof want, "free_sized(): wrong size: 24 given, but the block is of size class 224");
    ck_assert_msg(strstr(out, want) != NULL, "'%s' not in: %s", want, out);
    snprintf(want, sizeof want, "(pointer %p)", p);
    ck_assert_msg(strstr(out, want) != NULL, "'%s' not in: %s", want, out);
    char *first = strstr(out, "#0 ");
    ck_assert_msg(first && strstr(first, "wrong_sized_free") && strstr(first, "wrong_sized_free") < strchr(first, '\n'),
                  "first frame is not the caller: %s", out);
    free(p);
}
END_TEST

/* Overflow a block into the free block after it (its link), then allocate
 * that size until malloc meets the damaged link. */
static void overflow_into_free_link(void *arg)
{
    size_t sz = (size_t)(uintptr_t)arg;
    static char *blk[512];
    for (int i = 0; i < 512; i++) blk[i] = malloc(opaque(sz));
    for (int i = 0; i + 1 < 512; i++) {
        size_t room = malloc_usable_size(blk[i]);
        if (blk[i + 1] != blk[i] + room) continue;
        free(blk[i + 1]);
        memset(blk[i], 'A', opaque(room + 16));
        for (int k = 0; k < 100000; k++) (void)opaque((size_t)(uintptr_t)malloc(opaque(sz)));
        break;
    }
    fprintf(stderr, "not caught\n");
}

/* A report of a damaged free list shows the caller's frames, whatever size
 * the damage is in: naming frames makes libunwind call malloc (Debian's
 * 1.6, for a 48-byte block), which used to meet the same damaged list and
 * abort the report before its first frame (QA11 A1); and no allocator frame
 * (malloc_full) comes first. */
START_TEST(test_corruption_report_keeps_its_frames)
{
    for (size_t sz = 16; sz <= 160; sz += 16) {
        int st = run_child(overflow_into_free_link, (void *)(uintptr_t)sz);
        const char *out = child_out;
        if (strstr(out, "not caught")) continue; /* the layout did not put b after a */
        ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "size %zu: no abort: %s", sz, out);
        ck_assert_msg(strstr(out, "heap corruption") != NULL, "size %zu: %s", sz, out);
        const char *first = strstr(out, "#0 ");
        ck_assert_msg(first != NULL, "size %zu: no frame in the report: %s", sz, out);
        const char *eol = strchr(first, '\n');
        const char *mf = strstr(first, "malloc_full");
        ck_assert_msg(!mf || (eol && mf > eol), "size %zu: the allocator's frame comes first: %s", sz, out);
    }
}
END_TEST

START_TEST(test_free_of_glibc_style_pointer_aborts)
{
    static char buf[64] __attribute__((aligned(16)));
    free((char *)opaque((size_t)(buf + 16))); /* SIGABRT: never returned by malloc */
}
END_TEST

/* A page that served memalign still rejects interior pointers of its other
 * blocks, at the bad call, naming the function (QA F3, F4). */
static char *aligned_page_block(void)
{
    static void *volatile keep[3]; /* reachable: no leak report under memcheck */
    for (int i = 0; i < 3; i++) ck_assert_ptr_nonnull(keep[i] = memalign(256, opaque(100)));
    char *q = malloc(opaque(340)); /* same class as the memaligns' blocks */
    strcpy(q, "precious data");
    return q;
}

static void child_expect(void (*fn)(void *), char *q, const char *want)
{
    int st = run_child(fn, q);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "no abort for %s: %s", want, child_out);
    ck_assert_msg(strstr(child_out, want) != NULL, "'%s' not in: %s", want, child_out);
}

static char *inside(void *q) { return (char *)opaque((size_t)((char *)q + 32)); }
static void free_interior(void *q) { free(inside(q)); }
static void usable_interior(void *q) { (void)malloc_usable_size(inside(q)); }
static void realloc_interior(void *q)
{
    void *r = realloc(inside(q), 1000);
    (void)r;
}

/* realloc checks its pointer on ordinary pages too (alloc.c takes a quick
 * path there since session 6): a pointer inside a block, a freed block and
 * an address that was never a block are reported, not resized. */
static void realloc_interior_in_place(void *q) /* a size the block would keep in place */
{
    void *r = realloc(inside(q), 2000);
    (void)r;
}
static void realloc_freed(void *q)
{
    void *r = realloc(q, 5000);
    (void)r;
}
static void realloc_wild(void *q)
{
    (void)q;
    static char buf[64] __attribute__((aligned(16)));
    void *r = realloc((char *)opaque((size_t)(buf + 16)), 100);
    (void)r;
}

START_TEST(test_realloc_misuse_on_ordinary_page)
{
    char *q = malloc(opaque(3000));
    strcpy(q, "precious data");
    child_expect(realloc_interior, q, "realloc(): invalid pointer (inside a block, not its start)");
    child_expect(realloc_interior_in_place, q, "realloc(): invalid pointer (inside a block, not its start)");
    ck_assert_str_eq(q, "precious data");
    char *f = malloc(opaque(3000));
    size_t freed = (size_t)f;
    free(f);
    child_expect(realloc_freed, (char *)opaque(freed), "realloc(): use after free (block is free)");
    child_expect(realloc_wild, NULL, "realloc(): invalid pointer");
    q = realloc(q, opaque(2900)); /* the real pointer still resizes */
    ck_assert_str_eq(q, "precious data");
    free(q);
}
END_TEST

START_TEST(test_interior_pointer_in_aligned_page)
{
    char *q = aligned_page_block();
    child_expect(free_interior, q, "free(): invalid pointer (inside a block, not its start)");
    child_expect(usable_interior, q, "malloc_usable_size(): invalid pointer (inside a block");
    child_expect(realloc_interior, q, "realloc(): invalid pointer (inside a block");
    ck_assert_str_eq(q, "precious data");
    /* the aligned pointers themselves stay valid everywhere */
    void *a = memalign(256, opaque(100));
    ck_assert_uint_ge(malloc_usable_size(a), 100);
    a = realloc(a, opaque(60));
    ck_assert_ptr_nonnull(a);
    free(a);
    free(q);
}
END_TEST

/* QA7 U7/U8: aligned_alloc(64, 100) served 32 bytes into a 160-byte block
 * (usable 128), once a block of the page was freed.  Others met on the way
 * are kept (freed by the test). */
static void *inside_keep[64];

static char *aligned_inside_block(void)
{
    for (int i = 0; i < 64; i++) {
        char *p = aligned_alloc(64, opaque(100));
        if (i == 0) {
            free(p);
            continue;
        }
        if (malloc_usable_size(p) < 160) return p;
        inside_keep[i] = p;
    }
    ck_abort_msg("no aligned block served inside a larger block");
    return NULL;
}

static void fas_size(void *p)
{
    size_t *v = p;
    free_aligned_sized((void *)v[0], opaque(64), opaque(v[1]));
}

/* An alignment no request of the block's class can have had, on a
 * pointer that happens to have it (a 160-byte block on a 4 KiB boundary,
 * given 4096): said as a wrong alignment, not as an empty size range
 * "requests of 0..0 bytes" (QA14 Y5). */
static void fas_align4096(void *p)
{
    free_aligned_sized(p, opaque(4096), opaque(100));
}

START_TEST(test_free_aligned_sized_impossible_alignment)
{
    static void *keep[4096];
    char *p = NULL;
    for (int i = 0; i < 4096 && p == NULL; i++) {
        char *q = aligned_alloc(64, opaque(100));
        if (((uintptr_t)q & 4095) == 0 && malloc_usable_size(q) >= 160) p = q;
        else keep[i] = q;
    }
    if (p) {
        int st = run_child(fas_align4096, p);
        ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "accepted: %s", child_out);
        ck_assert_msg(strstr(child_out, "wrong alignment: 4096 given, but no request aligned to it is served from a "
                                        "block of size class 160") != NULL, "%s", child_out);
        ck_assert_msg(strstr(child_out, "0..0") == NULL, "%s", child_out);
        free(p);
    }
    for (int i = 0; i < 4096; i++) free(keep[i]);
}
END_TEST

/* the size of an aligned block is held to the requests that land in its
 * size class wherever in the block the pointer is (1 and 70 were accepted
 * inside a block before), and the report gives the range enforced */
START_TEST(test_free_aligned_sized_inside_block)
{
    char *p = aligned_inside_block();
    static const size_t bad[] = {1, 70, 80, 113, 129};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        size_t v[2] = {(size_t)p, bad[i]};
        int st = run_child(fas_size, v);
        ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "size %zu accepted: %s", bad[i], child_out);
        char want[160];
        snprintf(want, sizeof want, "free_aligned_sized(): wrong size: %zu given, but the block is of size class 160 "
                 "(requests of 81..112 bytes aligned to 64) (pointer %p)", bad[i], (void *)p);
        ck_assert_msg(strstr(child_out, want) != NULL, "'%s' not in: %s", want, child_out);
    }
    /* the bounds themselves are accepted (81 and 112 land in the class) */
    static const size_t good[] = {81, 100, 112};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        size_t v[2] = {(size_t)p, good[i]};
        int st = run_child(fas_size, v);
        ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "size %zu refused: %s", good[i], child_out);
    }
    free_aligned_sized(p, 64, 100);
    for (int i = 0; i < 64; i++) free(inside_keep[i]);
}
END_TEST

/* free, realloc and malloc_usable_size of the start of that block (an
 * address never returned) freed the block holding p before */
static char *block_base(void *p) { return (char *)opaque((size_t)((char *)p - 32)); }
static void free_base(void *p) { free(block_base(p)); }
static void usable_base(void *p) { (void)malloc_usable_size(block_base(p)); }
static void realloc_base(void *p)
{
    void *r = realloc(block_base(p), 400);
    (void)r;
}

START_TEST(test_aligned_block_base_is_invalid)
{
    char *p = aligned_inside_block();
    strcpy(p, "p's data");
    const char *what = "invalid pointer (the start of the block an aligned allocation was served in";
    char want[200];
    snprintf(want, sizeof want, "free(): %s", what);
    child_expect(free_base, p, want);
    snprintf(want, sizeof want, "malloc_usable_size(): %s", what);
    child_expect(usable_base, p, want);
    snprintf(want, sizeof want, "realloc(): %s", what);
    child_expect(realloc_base, p, want);
    snprintf(want, sizeof want, "not the pointer %p it returned) (pointer %p)", (void *)p, (void *)(p - 32));
    child_expect(free_base, p, want);
    ck_assert_str_eq(p, "p's data");
    free(p);
    for (int i = 0; i < 64; i++) free(inside_keep[i]);
}
END_TEST

/* calloc zeroes the whole block, as glibc: malloc_usable_size gives all of
 * it to the program (QA5 S16: the tail held the previous owner's bytes). */
START_TEST(test_calloc_zeroes_the_usable_size)
{
    /* under memcheck the tail past the request is no-access and left alone
     * (alloc.c): only the request is zeroed there */
    if (UNDER_VALGRIND) return;
    size_t dirty = 0;
    for (size_t n = 1; n <= 20000; n += (n < 512 ? 1 : 7)) {
        unsigned char *p = malloc(opaque(n));
        ck_assert_ptr_nonnull(p);
        memset(p, 0xcc, malloc_usable_size(p));
        free(p);
        unsigned char *q = calloc(opaque(n), 1);
        ck_assert_ptr_nonnull(q);
        size_t u = malloc_usable_size(q);
        for (size_t i = 0; i < u; i++)
            if (q[i]) {
                dirty++;
                break;
            }
        free(q);
    }
    ck_assert_msg(dirty == 0, "%zu sizes with a non-zero byte in calloc's usable size", dirty);
}
END_TEST

/* Under a low RLIMIT_DATA (`ulimit -d`, systemd's LimitDATA=) a program
 * with the allocator preloaded still loads and runs: the segment map is
 * not charged as data until segments live in it (QA5 S13: below ~35 MB
 * the loader failed, "failed to map segment from shared object"). */
START_TEST(test_low_rlimit_data_still_runs)
{
    const char *lp = getenv("FR_TEST_MALLOC_SO");
    ck_assert_ptr_nonnull(lp);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct rlimit rl = {24u << 20, 24u << 20};
        if (setrlimit(RLIMIT_DATA, &rl) != 0) _exit(3);
        static char pre[4096];
        snprintf(pre, sizeof pre, "LD_PRELOAD=%s", lp);
        char *envp[] = {pre, NULL};
        char *sh[] = {"/bin/sh", "-c", "x=$(seq 1 20000 | sort -r | tr '\\n' ,); test ${#x} -gt 100000", NULL};
        execve("/bin/sh", sh, envp);
        _exit(4);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
}
END_TEST

/* VmSize (kB) of `cat /proc/self/status`, run with envp. */
static long cat_vmsize(char **envp)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        char *argv[] = {"/bin/cat", "/proc/self/status", NULL};
        execve("/bin/cat", argv, envp);
        _exit(4);
    }
    close(fd[1]);
    static char buf[16384];
    size_t n = 0;
    ssize_t r;
    while (n < sizeof buf - 1 && (r = read(fd[0], buf + n, sizeof buf - 1 - n)) > 0) n += (size_t)r;
    buf[n] = 0;
    close(fd[0]);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "cat status %d", st);
    const char *v = strstr(buf, "VmSize:");
    ck_assert_ptr_nonnull(v);
    return atol(v + 7);
}

/* A program run with the preload takes little more address space than
 * under glibc: a segment (4 MiB) for its blocks, the library, a 512 KiB
 * segment map.  Until session 8 the map alone reserved 32 MiB at start
 * (QA3 Q26: VmSize 39.7 MB against glibc's 2.5 MB for a program that
 * allocates one block; under `ulimit -v` those 37 MB were gone). */
START_TEST(test_preload_adds_little_address_space)
{
    const char *lp = getenv("FR_TEST_MALLOC_SO");
    ck_assert_ptr_nonnull(lp);
    static char pre[4096];
    snprintf(pre, sizeof pre, "LD_PRELOAD=%s", lp);
    char *with[] = {pre, NULL};
    char *without[] = {NULL};
    long g = cat_vmsize(without), f = cat_vmsize(with);
    ck_assert_msg(f - g <= 12 * 1024, "VmSize %ld kB under the preload, %ld kB without (bound +12 MiB)", f, g);
}
END_TEST

/* ---- RTLD_DEEPBIND (alloc/deepbind.c) ---- */

/* A plugin opened with RTLD_DEEPBIND, by its bare name: found through this
 * program's RUNPATH ($ORIGIN), so dlopen still sees its real caller; its
 * free, realloc and strdup are ferrum's, so blocks cross both ways (glibc
 * would abort on the first free of a ferrum block). */
START_TEST(test_deepbind_plugin_shares_the_heap)
{
    void *h = dlopen("libdeepbind_plugin.so", RTLD_NOW | RTLD_DEEPBIND);
    ck_assert_msg(h != NULL, "dlopen: %s", dlerror());
    void (*pfree)(void *) = (void (*)(void *))dlsym(h, "plugin_free");
    void *(*prealloc)(void *, size_t) = (void *(*)(void *, size_t))dlsym(h, "plugin_realloc");
    char *(*pstrdup)(const char *) = (char *(*)(const char *))dlsym(h, "plugin_strdup");
    ck_assert(pfree && prealloc && pstrdup);
    for (int i = 0; i < 1000; i++) {
        char *mine = malloc(opaque(24 + (size_t)i));
        ck_assert_ptr_nonnull(mine);
        strcpy(mine, "allocated by the host");
        mine = prealloc(mine, opaque(4096 + (size_t)i));  /* the plugin's realloc */
        ck_assert_ptr_nonnull(mine);
        ck_assert_str_eq(mine, "allocated by the host");
        pfree(mine);                                       /* the plugin's free */
        char *theirs = pstrdup("allocated by the plugin");
        ck_assert_ptr_nonnull(theirs);
        ck_assert_uint_ge(malloc_usable_size(theirs), 24);
        free(theirs);                                      /* ours */
    }
    dlclose(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("malloc-api");
    TCase *tc = tcase_create("names");
    tcase_add_test(tc, test_malloc_is_ferrum);
    tcase_add_test(tc, test_before_main);
    tcase_add_test(tc, test_exit_from_thread);
    tcase_add_test(tc, test_malloc_free_calloc);
    tcase_add_test(tc, test_realloc_reallocarray);
    tcase_add_test(tc, test_calloc_zeroes_the_usable_size);
    tcase_add_test(tc, test_aligned_family);
    tcase_add_test(tc, test_sized_frees_and_usable);
    tcase_add_test(tc, test_mallinfo_is_ferrums);
    tcase_add_test(tc, test_libc_names_are_ferrums);
    tcase_add_test(tc, test_stats_survive_closed_stderr);
    tcase_add_test(tc, test_stats_not_into_reused_fd);
    tcase_add_test(tc, test_stats_of_forked_child_marked);
    tcase_add_test(tc, test_stats_not_into_file_at_fd2);
    tcase_add_test(tc, test_libunwind_loaded_by_the_first_report_and_not_global);
    tcase_add_test(tc, test_early_unwind_option_loads_it_at_start);
    tcase_add_test(tc, test_stats_silent_for_a_program_that_never_allocates);
    tcase_add_test(tc, test_low_rlimit_data_still_runs);
    tcase_add_test(tc, test_preload_adds_little_address_space);
    tcase_add_test_raise_signal(tc, test_free_of_glibc_style_pointer_aborts, SIGABRT);
    suite_add_tcase(s, tc);
    TCase *mis = tcase_create("sized");
    tcase_add_test(mis, test_sized_frees_accept_every_legal_size);
    tcase_add_test_raise_signal(mis, test_free_sized_smaller_class_aborts, SIGABRT);
    tcase_add_test_raise_signal(mis, test_free_sized_next_class_down_aborts, SIGABRT);
    tcase_add_test_raise_signal(mis, test_free_sized_larger_than_block_aborts, SIGABRT);
    tcase_add_test_raise_signal(mis, test_free_sized_huge_wrong_aborts, SIGABRT);
    tcase_add_test_raise_signal(mis, test_free_aligned_sized_wrong_size_aborts, SIGABRT);
    tcase_add_test_raise_signal(mis, test_free_aligned_sized_wrong_alignment_aborts, SIGABRT);
    tcase_add_test(mis, test_free_sized_report);
    tcase_add_test(mis, test_free_aligned_sized_impossible_alignment);
    tcase_add_test(mis, test_corruption_report_keeps_its_frames);
    tcase_add_test(mis, test_interior_pointer_in_aligned_page);
    tcase_add_test(mis, test_realloc_misuse_on_ordinary_page);
    tcase_add_test(mis, test_free_aligned_sized_inside_block);
    tcase_add_test(mis, test_aligned_block_base_is_invalid);
    suite_add_tcase(s, mis);
#if defined(__x86_64__)
    TCase *db = tcase_create("deepbind");
    tcase_add_test(db, test_deepbind_plugin_shares_the_heap);
    suite_add_tcase(s, db);
#endif
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
