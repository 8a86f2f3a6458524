/*
 * tests/owner/test_unchecked.c — the checked and the unchecked build of
 * one correct program (same_program.c) give the same results.
 *
 * argv[1] and argv[2] are the two executables (meson passes their paths).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *exe_checked, *exe_unchecked;

static void run(const char *exe, char *out, size_t cap)
{
    FILE *p = popen(exe, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = 0;
    ck_assert_int_eq(pclose(p), 0);
}

START_TEST(same_results_checked_and_unchecked)
{
    static char a[4096], b[4096];
    run(exe_checked, a, sizeof a);
    run(exe_unchecked, b, sizeof b);
    ck_assert_msg(strncmp(a, "build: checked\n", 15) == 0, "%s", a);
    ck_assert_msg(strncmp(b, "build: unchecked\n", 17) == 0, "%s", b);
    ck_assert_msg(strstr(a, "errno after the first fr_own_new: 0\n") != NULL, "%s", a);
    ck_assert_msg(strstr(a, "fr_move(NULL): live 0, errno EINVAL\n") != NULL, "%s", a);
    ck_assert_msg(strstr(a, "heap: nodes=5000 ") != NULL, "%s", a);
    ck_assert_msg(strstr(a, "arena: nodes=3000 ") != NULL, "%s", a);
    ck_assert_msg(strstr(a, "misaligned over the heap: 0\n") != NULL, "%s", a);
    ck_assert_msg(strstr(a, "misaligned over an arena: 0\n") != NULL, "%s", a);
    ck_assert_msg(strstr(a, "slab of sizeof(T): sum 4950, drops 100\n") != NULL, "%s", a);
    ck_assert_msg(strstr(a, "region: dropped before the destroy, after it: 13\n") != NULL, "%s", a);
    ck_assert_msg(strstr(a, "slab of sizeof(T): 4 of 4 refused with EINVAL\n") != NULL, "%s", a);
    ck_assert_msg(strstr(a, "did not finish: 0\n") != NULL || strstr(a, "did not finish: -1\n") != NULL, "%s", a);
    /* everything after the first line is identical */
    ck_assert_str_eq(strchr(a, '\n') + 1, strchr(b, '\n') + 1);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s CHECKED_EXE UNCHECKED_EXE\n", argv[0]);
        return 2;
    }
    exe_checked = argv[1];
    exe_unchecked = argv[2];
    Suite *s = suite_create("owner-unchecked");
    TCase *tc = tcase_create("unchecked");
    tcase_add_test(tc, same_results_checked_and_unchecked);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
