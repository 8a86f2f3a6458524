/*
 * tests/alloc/test_secure.c — Check suite of FERRUM_OPTIONS=secure=1: guard
 * pages after huge blocks and at the end of every segment, and allocation
 * order randomized within a page.
 *
 * The options are read once, at the first allocation, so main re-executes
 * the program with FERRUM_OPTIONS=secure=1 when it is not already set; every
 * test then runs (forked by Check) in a process whose engine started in
 * secure mode.  An overflow that reaches a guard page must end the process
 * with SIGSEGV (tcase_add_test_raise_signal), at the faulting write.
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ferrum/alloc.h>

#define SEG_SIZE ((uintptr_t)4 << 20) /* alloc/internal.h: FR_SEG_SIZE */

/* Is [a, a+4096) mapped PROT_NONE?  (/proc/self/maps: "---p"), so that
 * the fault below is the guard's, not the end of the address range's */
static int is_guard(uintptr_t a)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (f == NULL) return 0;
    char line[512];
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && a >= lo && a + 4096 <= hi)
            found = strncmp(perms, "---", 3) == 0;
    }
    fclose(f);
    return found;
}

/* one byte past the usable end of a 1 MiB block is the guard page */
START_TEST(test_huge_overflow_faults)
{
    unsigned char *p = fr_malloc(1u << 20);
    ck_assert_ptr_nonnull(p);
    size_t n = fr_usable_size(p);
    ck_assert_uint_ge(n, 1u << 20);
    ck_assert_msg(is_guard((uintptr_t)p + n), "no PROT_NONE page after the block");
    memset(p, 0xa5, n); /* the whole usable block is writable */
    unsigned char *volatile q = p; /* hide the block's size from the compiler */
    q[n] = 1;                      /* raises SIGSEGV */
    fprintf(stderr, "overflow past a huge block was not stopped\n");
}
END_TEST

/* a huge block resized by realloc keeps a guard page after it */
START_TEST(test_huge_realloc_overflow_faults)
{
    unsigned char *p = fr_malloc(300u << 10);
    ck_assert_ptr_nonnull(p);
    p = fr_realloc(p, 3u << 20);
    ck_assert_ptr_nonnull(p);
    size_t n = fr_usable_size(p);
    ck_assert_msg(is_guard((uintptr_t)p + n), "no PROT_NONE page after the block");
    memset(p, 0x3c, n);
    unsigned char *volatile q = p;
    q[n] = 1; /* raises SIGSEGV */
    fprintf(stderr, "overflow past a reallocated huge block was not stopped\n");
}
END_TEST

/* blocks never lie on a segment's guard page: fill several segments with
 * 1 KiB blocks and write every byte of each */
START_TEST(test_blocks_avoid_segment_guard)
{
    enum { N = 12000 };
    static unsigned char *b[N];
    for (int i = 0; i < N; i++) {
        b[i] = fr_malloc(1024);
        ck_assert_ptr_nonnull(b[i]);
        memset(b[i], i & 0xff, 1024);
    }
    for (int i = 0; i < N; i++) {
        ck_assert_uint_eq(b[i][0], (unsigned)(i & 0xff));
        ck_assert_uint_eq(b[i][1023], (unsigned)(i & 0xff));
        fr_free(b[i]);
    }
}
END_TEST

/* the last 4 KiB of a segment is inaccessible */
START_TEST(test_segment_end_faults)
{
    void *p = fr_malloc(64);
    ck_assert_ptr_nonnull(p);
    uintptr_t seg = (uintptr_t)p & ~(SEG_SIZE - 1);
    ck_assert_msg(is_guard(seg + SEG_SIZE - 4096), "the segment's last page is not PROT_NONE");
    ((volatile unsigned char *)(seg + SEG_SIZE - 1))[0] = 1; /* raises SIGSEGV */
    fprintf(stderr, "the segment's last page is writable\n");
}
END_TEST

/* consecutive allocations from fresh pages do not come out in address
 * order (without secure=1 nearly all are exactly one block apart) */
/* calloc between 128 KiB and 1 MiB: a mapping of its own with its guard
 * page, zeroed, usable to its last byte (QA6 T19: a memset of the size
 * class ran past it into the guard page). */
START_TEST(test_calloc_large_sizes)
{
    static const size_t sizes[] = {131073, 150000, 200001, 600000, 1000000, 1048576};
    for (int r = 0; r < 3; r++)
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
            unsigned char *p = fr_calloc(1, sizes[i]);
            ck_assert_ptr_nonnull(p);
            for (size_t k = 0; k < sizes[i]; k += 997) ck_assert_uint_eq(p[k], 0);
            ck_assert_uint_eq(p[sizes[i] - 1], 0);
            memset(p, 0xab, sizes[i]);
            fr_free(p);
        }
}
END_TEST

START_TEST(test_random_order)
{
    enum { N = 256, SIZE = 48 };
    uintptr_t a[N];
    int adjacent = 0;
    for (int i = 0; i < N; i++) {
        a[i] = (uintptr_t)fr_malloc(SIZE);
        ck_assert(a[i] != 0);
        for (int j = 0; j < i; j++) ck_assert(a[j] != a[i]);
        if (i > 0 && a[i] == a[i - 1] + SIZE) adjacent++;
    }
    ck_assert_msg(adjacent < N / 4, "%d of %d allocations followed their predecessor", adjacent, N - 1);
    for (int i = 0; i < N; i++) fr_free((void *)a[i]);
}
END_TEST

int main(int argc, char **argv)
{
    (void)argc;
    const char *opt = getenv("FERRUM_OPTIONS");
    if (opt == NULL || strstr(opt, "secure=1") == NULL) {
        /* meson sets the option; run by hand, the program re-executes
         * itself with it (by argv[0]: under valgrind /proc/self/exe is the
         * tool, not this program) */
        setenv("FERRUM_OPTIONS", "secure=1", 1);
        execv(argv[0], argv);
        perror("execv argv[0]");
        return EXIT_FAILURE;
    }
    Suite *s = suite_create("alloc-secure");
    TCase *tc = tcase_create("secure");
    tcase_set_timeout(tc, 60);
    tcase_add_test_raise_signal(tc, test_huge_overflow_faults, SIGSEGV);
    tcase_add_test_raise_signal(tc, test_huge_realloc_overflow_faults, SIGSEGV);
    tcase_add_test_raise_signal(tc, test_segment_end_faults, SIGSEGV);
    tcase_add_test(tc, test_blocks_avoid_segment_guard);
    tcase_add_test(tc, test_random_order);
    tcase_add_test(tc, test_calloc_large_sizes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
