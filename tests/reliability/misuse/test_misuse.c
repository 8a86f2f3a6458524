/*
 * tests/reliability/misuse/test_misuse.c — ferrum must stop every double
 * free and invalid free, with a diagnostic.
 *
 * Runs the misuse program (misuse.c) once per case below, with
 * libferrum-malloc.so preloaded, and asserts that the process was stopped
 * by SIGABRT after writing a diagnostic to stderr — not left to run on
 * corrupted memory, and not killed by a segmentation fault with no word of
 * explanation.  The cases are the ones the allocator issue requires (double
 * free and free of a pointer ferrum never returned: stack, global, literal,
 * interior, misaligned, foreign mapping, realloc of such pointers); the
 * heuristic cases (use after free, overflows) are only recorded, by
 * misuse_table.sh, since no allocator of this kind catches them all.
 * Usage: test_misuse MISUSE_BINARY LIBFERRUM_MALLOC_SO [OPTIONS]
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *g_bin, *g_so, *g_opts = "";

static const char *const required[] = {
    "double_free_16", "double_free_100", "double_free_1k", "double_free_64k", "double_free_1m",
    "double_free_64m", "double_free_zero_size", "double_free_interleaved",
    "double_free_after_other_alloc", "double_free_calloc", "double_free_aligned",
    "double_free_realloc", "double_free_cross_thread",
    "free_stack", "free_global", "free_literal", "free_interior_8", "free_interior_16",
    "free_interior_large", "free_misaligned", "free_never_allocated", "free_wild_low",
    "free_foreign_mmap", "free_fake_header", "realloc_freed", "realloc_stack", "realloc_interior",
};
#define NREQ (int)(sizeof required / sizeof *required)

START_TEST(caught)
{
    const char *name = required[_i];
    char errpath[] = "/tmp/fr-misuse-XXXXXX";
    int fd = mkstemp(errpath);
    ck_assert_int_ge(fd, 0);
    unlink(errpath);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char pre[4096], opt[512];
        snprintf(pre, sizeof pre, "LD_PRELOAD=%s", g_so);
        snprintf(opt, sizeof opt, "FERRUM_OPTIONS=%s", g_opts);
        char *envp[] = { pre, opt, NULL };
        dup2(fd, 2);
        int nul = open("/dev/null", O_WRONLY);
        dup2(nul, 1);
        alarm(20);
        execle(g_bin, g_bin, name, (char *)NULL, envp);
        _exit(127);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    char msg[512] = "";
    ssize_t n = pread(fd, msg, sizeof msg - 1, 0);
    close(fd);
    if (n > 0) msg[n] = 0;
    for (char *c = msg; *c; c++) if (*c == '\n') *c = ' ';
    ck_assert_msg(!(WIFEXITED(st) && WEXITSTATUS(st) == 127), "%s: could not run %s", name, g_bin);
    ck_assert_msg(WIFSIGNALED(st), "%s: not detected (the program ran on, exit %d)", name,
                  WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    ck_assert_msg(WTERMSIG(st) == SIGABRT, "%s: died of signal %d without a diagnostic: %.200s",
                  name, WTERMSIG(st), msg);
    ck_assert_msg(n > 0, "%s: aborted without any diagnostic on stderr", name);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_misuse MISUSE_BINARY LIBFERRUM_MALLOC_SO [FERRUM_OPTIONS]\n");
        return 2;
    }
    g_bin = argv[1];
    g_so = argv[2];
    if (argc > 3) g_opts = argv[3];
    if (access(g_bin, X_OK) != 0 || access(g_so, R_OK) != 0) {
        fprintf(stderr, "test_misuse: %s or %s is missing\n", g_bin, g_so);
        return 1;
    }
    Suite *s = suite_create("misuse");
    TCase *tc = tcase_create("double and invalid free");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, caught, 0, NREQ);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
