/*
 * tests/common/test_headers.c — the public headers compile and hold together.
 *
 * Built with -std=c17 -pedantic-errors (not gnu17) so that the headers stay
 * portable C17.  Checks the fr_allocator interface through its inline
 * wrappers with an allocator defined here (a counting bump allocator), and
 * the annotation macros' expansion.
 */
#include <ferrum/ferrum.h>

#include <check.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

struct bump { unsigned char buf[256]; size_t used; int frees; };

static void *bump_alloc(void *ctx, size_t size, size_t align)
{
    struct bump *b = ctx;
    size_t at = (b->used + align - 1) & ~(align - 1);
    if (at + size > sizeof b->buf) return NULL;
    b->used = at + size;
    return b->buf + at;
}

static void bump_free(void *ctx, void *ptr, size_t size)
{
    (void)ptr; (void)size;
    ((struct bump *)ctx)->frees++;
}

START_TEST(allocator_interface_dispatches)
{
    alignas(64) struct bump b = {0};
    fr_allocator a = { bump_alloc, bump_free, &b };
    char *p = fr_allocator_alloc(a, 10, 1);
    ck_assert_ptr_nonnull(p);
    void *q = fr_allocator_alloc(a, 8, 64);
    ck_assert_ptr_nonnull(q);
    ck_assert_uint_eq((uintptr_t)q % 64, 0);
    ck_assert_ptr_null(fr_allocator_alloc(a, 1000, 1));
    fr_allocator_free(a, p, 10);
    ck_assert_int_eq(b.frees, 1);
    fr_allocator no_free = { bump_alloc, NULL, &b };
    fr_allocator_free(no_free, q, 8); /* a NULL free does nothing */
    ck_assert_int_eq(b.frees, 1);
}
END_TEST

FR_RETURNS_OWNED static char *annotated_dup(FR_BORROWS const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static void annotated_free(FR_TAKES char *s) { free(s); }

START_TEST(annotations_are_transparent)
{
    char *d = annotated_dup("ferrum");
    ck_assert_str_eq(d, "ferrum");
    annotated_free(d);
    ck_assert_int_eq(FR_VERSION_MAJOR * 10000 + FR_VERSION_MINOR * 100 + FR_VERSION_PATCH >= 100, 1);
}
END_TEST

START_TEST(null_handle_is_zero)
{
    fr_handle h = {0};
    ck_assert_uint_eq(h.bits, 0);
    ck_assert_uint_eq(sizeof(fr_handle), sizeof(uint64_t));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("headers");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, allocator_interface_dispatches);
    tcase_add_test(tc, annotations_are_transparent);
    tcase_add_test(tc, null_handle_is_zero);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
