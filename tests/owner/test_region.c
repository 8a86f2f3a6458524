/*
 * tests/owner/test_region.c — handles owned by regions.
 *
 * A handle made over fr_region_allocator(r) is dropped (its drop function
 * runs) when r, or an ancestor of r, is destroyed, before r's deferred
 * functions; dropping it earlier unlinks it; destroying a region while one
 * of its handles is borrowed is FR_V_REGION_OUTLIVED and the destroy is
 * refused (with the default handler: abort).  The same holds for handles
 * made over an arena (fr_arena_destroy, fr_arena_reset) and over a slab
 * cache (fr_slab_destroy): they never outlive their memory.
 */
#include "helpers.h"

#include <signal.h>

static int order[16], norder;
static void note_drop(void *obj) { order[norder++] = *(int *)obj; }
static void note_defer(void *arg) { order[norder++] = (int)(intptr_t)arg; }

static fr_handle make(fr_region *r, int v)
{
    fr_handle h = fr_own_new(fr_region_allocator(r), sizeof(int), note_drop);
    ck_assert_uint_ne(h.bits, 0);
    *(int *)fr_borrow_mut(h) = v;
    fr_release(h);
    return h;
}

START_TEST(region_destroy_drops_its_handles)
{
    rec_install();
    norder = 0;
    fr_region *r = fr_region_create(NULL);
    ck_assert_int_eq(fr_region_defer(r, note_defer, (void *)(intptr_t)100), 0);
    fr_handle a = make(r, 1), b = make(r, 2), c = make(r, 3);
    fr_drop(&b); /* dropped early: unlinked, not dropped again */
    ck_assert_int_eq(norder, 1);
    fr_region_destroy(r);
    ck_assert(!fr_is_live(a));
    ck_assert(!fr_is_live(c));
    ck_assert_int_eq(norder, 4);
    ck_assert_int_eq(order[0], 2);
    ck_assert(order[1] + order[2] == 4 && order[1] * order[2] == 3); /* a and c */
    ck_assert_int_eq(order[3], 100); /* the deferred function runs after the drops */
    ck_assert_ptr_null(fr_borrow(a)); /* and the handles are stale */
    ck_violation(FR_V_USE_AFTER_FREE);
}
END_TEST

START_TEST(child_region_handles_go_with_the_parent)
{
    rec_install();
    norder = 0;
    fr_region *p = fr_region_create(NULL);
    fr_region *k = fr_region_create(p);
    fr_handle hp = make(p, 1), hk = make(k, 2);
    fr_region_destroy(p);
    ck_assert(!fr_is_live(hp));
    ck_assert(!fr_is_live(hk));
    ck_assert_int_eq(norder, 2);
    ck_assert_int_eq(order[0], 2); /* children first */
    ck_assert_int_eq(order[1], 1);
    ck_no_violation();
}
END_TEST

START_TEST(destroy_while_borrowed_is_refused)
{
    rec_install();
    norder = 0;
    fr_region *p = fr_region_create(NULL);
    fr_region *k = fr_region_create(p);
    fr_handle hk = make(k, 7);
    const int *v = fr_borrow(hk);
    fr_region_destroy(p); /* a descendant's handle is borrowed */
    ck_violation(FR_V_REGION_OUTLIVED);
    ck_assert_str_eq(rec_last.message, "region destroyed while a value it owns is borrowed");
    ck_assert_uint_eq(rec_last.handle.bits, hk.bits);
    ck_assert(fr_is_live(hk));
    ck_assert_int_eq(*v, 7); /* nothing was freed */
    ck_assert_int_eq(norder, 0);
    fr_release(hk);
    fr_region_destroy(p);
    ck_assert_int_eq(norder, 1);
    ck_assert(!fr_is_live(hk));
    ck_no_violation();
}
END_TEST

START_TEST(destroy_while_borrowed_aborts_by_default)
{
    fr_set_violation_handler(NULL, NULL);
    fr_region *r = fr_region_create(NULL);
    fr_handle h = make(r, 1);
    fr_borrow_mut(h);
    fr_region_destroy(r);
}
END_TEST

START_TEST(many_regions_many_handles)
{
    rec_install();
    atomic_store(&drops, 0);
    fr_region *root = fr_region_create(NULL);
    for (int i = 0; i < 20; i++) {
        fr_region *r = fr_region_create(root);
        for (int j = 0; j < 100; j++) {
            fr_handle h = fr_own_new(fr_region_allocator(r), 32, count_drop);
            ck_assert_uint_ne(h.bits, 0);
            if (j % 3 == 0) fr_drop(&h);
        }
        if (i % 2) fr_region_destroy(r);
    }
    fr_region_destroy(root);
    ck_assert_int_eq(drops, 20 * 100);
    ck_no_violation();
}
END_TEST

/* Handles over an arena: reset and destroy drop them, then they are stale. */
START_TEST(arena_end_drops_its_handles)
{
    rec_install();
    norder = 0;
    fr_arena *ar = fr_arena_create(0);
    fr_allocator al = fr_arena_allocator(ar);
    fr_handle a = fr_own_new(al, sizeof(int), note_drop);
    *(int *)fr_borrow_mut(a) = 1;
    fr_release(a);
    fr_arena_reset(ar);
    ck_assert_int_eq(norder, 1);
    ck_assert_int_eq(order[0], 1);
    ck_assert(!fr_is_live(a));
    ck_assert_ptr_null(fr_borrow_mut(a));
    ck_violation(FR_V_USE_AFTER_FREE);

    fr_handle b = fr_own_new(al, sizeof(int), note_drop), c = fr_own_new(al, 64, NULL);
    *(int *)fr_borrow_mut(b) = 2;
    fr_release(b);
    fr_drop(&c); /* dropped early: unlinked */
    fr_arena_destroy(ar);
    ck_assert_int_eq(norder, 2);
    ck_assert_int_eq(order[1], 2);
    ck_assert(!fr_is_live(b));
    ck_assert_ptr_null(fr_borrow(b));
    ck_violation(FR_V_USE_AFTER_FREE);
}
END_TEST

START_TEST(arena_destroy_while_borrowed_is_refused)
{
    rec_install();
    norder = 0;
    fr_arena *ar = fr_arena_create(0);
    fr_handle h = fr_own_new(fr_arena_allocator(ar), sizeof(int), note_drop);
    int *v = fr_borrow_mut(h);
    *v = 5;
    fr_arena_destroy(ar);
    ck_violation(FR_V_REGION_OUTLIVED);
    ck_assert_str_eq(rec_last.message, "arena destroyed while a value it owns is borrowed");
    ck_assert_int_eq(*v, 5); /* nothing was freed */
    ck_assert_int_eq(norder, 0);
    fr_release(h);
    fr_arena_destroy(ar);
    ck_assert_int_eq(norder, 1);
    ck_assert(!fr_is_live(h));
    ck_no_violation();
}
END_TEST

START_TEST(slab_destroy_drops_its_handles)
{
    rec_install();
    norder = 0;
    fr_slab *sl = fr_slab_create("owner-test", 64, 8, NULL, NULL);
    ck_assert_ptr_nonnull(sl);
    fr_handle hs[10];
    for (int i = 0; i < 10; i++) {
        hs[i] = fr_own_new(fr_slab_allocator(sl), sizeof(int), note_drop);
        *(int *)fr_borrow_mut(hs[i]) = i;
        fr_release(hs[i]);
    }
    fr_drop(&hs[3]);
    const int *v = fr_borrow(hs[4]);
    fr_slab_destroy(sl); /* refused: hs[4] is borrowed */
    ck_violation(FR_V_REGION_OUTLIVED);
    ck_assert_int_eq(*v, 4);
    fr_release(hs[4]);
    fr_slab_destroy(sl);
    ck_assert_int_eq(norder, 10);
    for (int i = 0; i < 10; i++) ck_assert(!fr_is_live(hs[i]));
    ck_assert_ptr_null(fr_borrow(hs[0]));
    ck_violation(FR_V_USE_AFTER_FREE);
}
END_TEST

START_TEST(arena_destroy_while_borrowed_aborts_by_default)
{
    fr_set_violation_handler(NULL, NULL);
    fr_arena *ar = fr_arena_create(0);
    fr_handle h = fr_own_new(fr_arena_allocator(ar), 16, NULL);
    fr_borrow(h);
    fr_arena_destroy(ar);
}
END_TEST

/* Many arenas come and go, each with handles: the owner's map stays right. */
START_TEST(many_arenas)
{
    rec_install();
    atomic_store(&drops, 0);
    fr_arena *keep = fr_arena_create(0);
    fr_handle kept = fr_own_new(fr_arena_allocator(keep), 8, count_drop);
    for (int i = 0; i < 300; i++) {
        fr_arena *ar = fr_arena_create(0);
        for (int j = 0; j < 10; j++) {
            fr_handle h = fr_own_new(fr_arena_allocator(ar), 32, count_drop);
            ck_assert_uint_ne(h.bits, 0);
            if (j % 2) fr_drop(&h);
        }
        fr_arena_destroy(ar);
    }
    ck_assert_int_eq(drops, 300 * 10);
    ck_assert(fr_is_live(kept));
    fr_arena_destroy(keep);
    ck_assert(!fr_is_live(kept));
    ck_assert_int_eq(drops, 300 * 10 + 1);
    ck_no_violation();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("owner-region");
    TCase *tc = tcase_create("regions");
    tcase_add_test(tc, region_destroy_drops_its_handles);
    tcase_add_test(tc, child_region_handles_go_with_the_parent);
    tcase_add_test(tc, destroy_while_borrowed_is_refused);
    tcase_add_test_raise_signal(tc, destroy_while_borrowed_aborts_by_default, SIGABRT);
    tcase_add_test(tc, many_regions_many_handles);
    tcase_add_test(tc, arena_end_drops_its_handles);
    tcase_add_test(tc, arena_destroy_while_borrowed_is_refused);
    tcase_add_test(tc, slab_destroy_drops_its_handles);
    tcase_add_test_raise_signal(tc, arena_destroy_while_borrowed_aborts_by_default, SIGABRT);
    tcase_add_test(tc, many_arenas);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
