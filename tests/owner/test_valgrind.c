/*
 * tests/owner/test_valgrind.c — memcheck sees what fr_drop freed.
 *
 * Runs dangling.c under valgrind: reading through a pointer kept past its
 * borrow and the drop is an invalid read (valgrind exits with 99); the
 * correct run is clean.  argv[1]: valgrind, argv[2]: the dangling program.
 * Registered only when valgrind is installed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const char *vg, *prog;
static char out[65536];

static int run(const char *mode)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' --error-exitcode=99 --leak-check=no '%s' %s 2>&1", vg, prog, mode);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    int st = pclose(p);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

START_TEST(memcheck_catches_pointer_kept_past_drop)
{
    ck_assert_msg(run("dangling") == 99, "%s", out);
    ck_assert_msg(strstr(out, "Invalid read") != NULL, "%s", out);
}
END_TEST

START_TEST(memcheck_is_quiet_on_the_correct_program)
{
    ck_assert_msg(run("clean") == 0, "%s", out);
    ck_assert_msg(strstr(out, "ERROR SUMMARY: 0 errors") != NULL, "%s", out);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc < 3) return 2;
    vg = argv[1];
    prog = argv[2];
    Suite *s = suite_create("owner-valgrind");
    TCase *tc = tcase_create("valgrind");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, memcheck_catches_pointer_kept_past_drop);
    tcase_add_test(tc, memcheck_is_quiet_on_the_correct_program);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
