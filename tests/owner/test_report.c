/*
 * tests/owner/test_report.c — the default handler's report text.
 *
 * Each case runs a violation in a child process with the default handler,
 * captures its stderr and checks that the report says what happened in
 * plain words, names the handle, and names both places: the violating call
 * and the earlier event it conflicts with (each in a function of its own
 * here, noinline, so the backtraces must name them), then that the child
 * aborted (or, with FERRUM_OWNER=warn, went on).  Leaks are reported at
 * exit with the allocation's backtrace.
 */
#include "helpers.h"

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noclone))
#endif

static char out[32768];

/* Run fn in a child with stderr captured into out; return the wait status. */
static int run_child(void (*fn)(void), const char *env)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        if (env) setenv("FERRUM_OWNER", env, 1);
        else unsetenv("FERRUM_OWNER");
        fr_set_violation_handler(NULL, NULL);
        fn();
        exit(0);
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < sizeof out && (r = read(fds[0], out + n, sizeof out - 1 - n)) > 0) n += (size_t)r;
    out[n] = 0;
    close(fds[0]);
    int st;
    waitpid(pid, &st, 0);
    return st;
}

#define ck_has(s) ck_assert_msg(strstr(out, s) != NULL, "report lacks \"%s\":\n%s", s, out)
#define ck_before(a, b) \
    ck_assert_msg(strstr(out, a) && strstr(out, b) && strstr(out, a) < strstr(out, b), \
                  "\"%s\" should come before \"%s\":\n%s", a, b, out)

static fr_handle g;

NOINLINE void site_make(void) { g = fr_own_new(fr_heap_allocator(), 12, NULL); }
NOINLINE fr_handle site_move_away(void) { return fr_move(&g); }
NOINLINE void site_borrow_after_move(void) { fr_borrow(g); }
NOINLINE void site_drop(fr_handle *h) { fr_drop(h); }
NOINLINE void site_borrow_dropped(fr_handle h) { fr_borrow(h); }
NOINLINE void site_hold_shared(void) { fr_borrow(g); }
NOINLINE void site_take_mut(void) { fr_borrow_mut(g); }

NOINLINE static void uam(void)
{
    site_make();
    fr_handle other = site_move_away();
    (void)other;
    site_borrow_after_move();
}

START_TEST(use_after_move_report_names_both_sites)
{
    int st = run_child(uam, NULL);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "child should abort:\n%s", out);
    ck_has("error[use-after-move]: borrow of moved value");
    ck_has("handle ");
    ck_has("moved from");
    ck_has("12-byte object");
    ck_before("value borrowed here after move", "site_borrow_after_move");
    ck_before("value moved here", "site_move_away");
    ck_before("value allocated here", "site_make");
    ck_before("site_borrow_after_move", "value moved here");
    ck_has("aborting");
}
END_TEST

static void uaf(void)
{
    site_make();
    fr_handle copy = g;
    site_drop(&g);
    site_borrow_dropped(copy);
}

START_TEST(use_after_free_report_names_both_sites)
{
    int st = run_child(uaf, NULL);
    ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
    ck_has("error[use-after-free]: value used after being dropped");
    ck_before("value used here after being dropped", "site_borrow_dropped");
    ck_before("value dropped here", "site_drop");
}
END_TEST

static void conflict(void)
{
    site_make();
    site_hold_shared();
    site_take_mut();
}

START_TEST(borrow_conflict_report_names_both_sites)
{
    int st = run_child(conflict, NULL);
    ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
    ck_has("error[borrow-conflict]: cannot borrow as mutable because it is also borrowed as immutable");
    ck_before("mutable borrow occurs here", "site_take_mut");
    ck_before("immutable borrow occurs here", "site_hold_shared");
}
END_TEST

static void double_drop(void)
{
    site_make();
    fr_handle copy = g;
    site_drop(&g);
    site_drop(&copy);
}

START_TEST(double_drop_report)
{
    int st = run_child(double_drop, NULL);
    ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
    ck_has("error[double-drop]: value dropped twice");
    ck_has("value dropped again here");
    ck_has("value first dropped here");
    ck_has("site_drop");
}
END_TEST

/* A handle over an arena that fr_arena_reset dropped, dropped once more by
 * the program: the report says what dropped it first, and shows the reset's
 * caller, not ferrum's frames (QA14 Y6: "value first dropped here" at the
 * reset, no word of it, and with a static libferrum its internal frames). */
NOINLINE void site_reset(fr_arena *a) { fr_arena_reset(a); }

static void drop_after_reset(void)
{
    fr_arena *a = fr_arena_create(0);
    fr_handle h = fr_own_new(fr_arena_allocator(a), 8, NULL);
    site_reset(a);
    site_drop(&h);
}

START_TEST(drop_after_reset_names_the_reset)
{
    int st = run_child(drop_after_reset, NULL);
    ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
    ck_has("error[double-drop]: value dropped twice");
    ck_has("value first dropped here, by fr_arena_reset() of the allocator it was made over");
    ck_before("value first dropped here", "site_reset");
    ck_assert_msg(strstr(out, "scope_ending") == NULL && strstr(out, "fr__drop_unlinked") == NULL,
                  "ferrum's own frames in the trace:\n%s", out);
}
END_TEST

START_TEST(warn_reports_and_continues)
{
    int st = run_child(uam, "warn");
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child should exit 0:\n%s", out);
    ck_has("error[use-after-move]: borrow of moved value");
    ck_has("FERRUM_OWNER=warn: continuing");
    /* the moved-to handle was never dropped: a leak at exit */
    ck_has("warning[leak]: value never dropped (leaked)");
    ck_before("value allocated here", "site_make");
    ck_has("1 handle (12 bytes) never dropped");
}
END_TEST

START_TEST(trace_option_records_the_whole_move_backtrace)
{
    /* By default a move records its call site only ... */
    run_child(uam, NULL);
    const char *moved = strstr(out, "value moved here");
    ck_assert_ptr_nonnull(moved);
    const char *next = strstr(moved, "value allocated here");
    ck_assert_ptr_nonnull(next);
    const char *caller = strstr(moved, " in uam+");
    ck_assert_msg(caller == NULL || caller > next, "one frame expected:\n%s", out);
    /* ... FERRUM_OWNER=trace records the whole call stack. */
    run_child(uam, "trace");
    moved = strstr(out, "value moved here");
    ck_assert_ptr_nonnull(moved);
    next = strstr(moved, "value allocated here");
    caller = strstr(moved, " in uam+");
    ck_assert_msg(caller && caller < next, "whole backtrace expected:\n%s", out);
}
END_TEST

static void leaky(void) { site_make(); }

START_TEST(leak_report_can_be_turned_off)
{
    int st = run_child(leaky, NULL);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    ck_has("warning[leak]");
    ck_before("value allocated here", "site_make");
    st = run_child(leaky, "noleaks");
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    ck_assert_msg(out[0] == 0, "noleaks should print nothing:\n%s", out);
}
END_TEST

START_TEST(unknown_option_is_reported)
{
    /* "warn=1" is not "warn": said so, and the default (abort) stays. */
    int st = run_child(uam, "warn=1,noleaks");
    ck_has("FERRUM_OWNER: unknown option 'warn=1'");
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "child should abort:\n%s", out);
}
END_TEST

static void *drop_twice_thread(void *arg)
{
    (void)arg;
    site_make();
    site_drop(&g);
    site_drop(&g);
    return NULL;
}

static void double_drop_in_thread(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, drop_twice_thread, NULL) == 0) pthread_join(t, NULL);
}

START_TEST(frames_outside_any_symbol_are_not_misnamed)
{
    /* The frame below the thread's function is glibc's start_thread, a
     * static function: without libc's symbol table it has no name, and
     * must not be given the exported one before it
     * (pthread_condattr_setpshared+0x515 before; QA5 S19). */
    run_child(double_drop_in_thread, NULL);
    ck_has("error[double-drop]");
    const char *t = strstr(out, "in drop_twice_thread+");
    ck_assert_msg(t != NULL, "no frame for the thread function:\n%s", out);
    const char *next = strchr(t, '\n');
    ck_assert_msg(next != NULL && !strncmp(next, "\n    #", 6), "no frame below the thread function:\n%s", out);
    const char *end = strchr(next + 1, '\n');
    char line[256];
    size_t len = end ? (size_t)(end - next - 1) : strlen(next + 1);
    snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line - 1 ? len : sizeof line - 1), next + 1);
    /* (under ThreadSanitizer the thread starts in its runtime) */
    ck_assert_msg(strstr(line, " in ?? (libc.so") || strstr(line, " in start_thread+") || strstr(line, " in __tsan_"),
                  "frame below the thread function misnamed: %s\n%s", line, out);
}
END_TEST

/* A child of fork() does not report the handles it inherited (the parent
 * owns and drops them), only its own (QA5 S40). */
static void fork_child_exits(void)
{
    site_make();
    pid_t c = fork();
    if (c == 0) exit(0);
    waitpid(c, NULL, 0);
    site_drop(&g);
}

static void fork_child_leaks_its_own(void)
{
    site_make();
    pid_t c = fork();
    if (c == 0) {
        fr_handle mine = fr_own_new(fr_heap_allocator(), 24, NULL);
        (void)mine;
        exit(0);
    }
    waitpid(c, NULL, 0);
    site_drop(&g);
}

START_TEST(fork_child_reports_only_its_own_leaks)
{
    int st = run_child(fork_child_exits, NULL);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    ck_assert_msg(strstr(out, "warning[leak]") == NULL, "inherited handle reported:\n%s", out);
    st = run_child(fork_child_leaks_its_own, NULL);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    ck_has("1 handle (24 bytes) never dropped");
    ck_assert_msg(strstr(out, "(12 bytes)") == NULL, "inherited handle reported:\n%s", out);
}
END_TEST

START_TEST(quiet_abort_still_names_the_violation)
{
    /* quiet drops the report, not the reason for the abort (QA5 S20) */
    int st = run_child(uam, "quiet");
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "child should abort:\n%s", out);
    ck_has("error[use-after-move]: borrow of moved value (report suppressed by FERRUM_OWNER=quiet; aborting)");
    ck_assert_msg(strstr(out, "value moved here") == NULL, "no report expected:\n%s", out);
    /* quiet,warn: fails safely without a word */
    st = run_child(uam, "quiet,warn,noleaks");
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child should exit 0:\n%s", out);
    ck_assert_msg(out[0] == 0, "quiet,warn should print nothing:\n%s", out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("owner-report");
    TCase *tc = tcase_create("report");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, use_after_move_report_names_both_sites);
    tcase_add_test(tc, use_after_free_report_names_both_sites);
    tcase_add_test(tc, borrow_conflict_report_names_both_sites);
    tcase_add_test(tc, double_drop_report);
    tcase_add_test(tc, drop_after_reset_names_the_reset);
    tcase_add_test(tc, warn_reports_and_continues);
    tcase_add_test(tc, leak_report_can_be_turned_off);
    tcase_add_test(tc, trace_option_records_the_whole_move_backtrace);
    tcase_add_test(tc, unknown_option_is_reported);
    tcase_add_test(tc, quiet_abort_still_names_the_violation);
    tcase_add_test(tc, frames_outside_any_symbol_are_not_misnamed);
    tcase_add_test(tc, fork_child_reports_only_its_own_leaks);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
