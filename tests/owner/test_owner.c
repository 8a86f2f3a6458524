/*
 * tests/owner/test_owner.c — the ownership and borrowing rules, and every
 * violation kind, through a recording handler.
 *
 * Suite "rules": what correct programs get (zeroed objects, the allocator
 * and size recorded, moves, shared and exclusive borrows, drops, typed
 * handles, scoped borrows, stale handles after slot reuse, table growth).
 * Suite "violations": each fr_violation_kind is reported with the right
 * kind and handle, and the operation fails safely as DESIGN.md says (a
 * borrow returns NULL, a move the null handle, a drop or release does
 * nothing).  The default handler's abort and FERRUM_OWNER=warn are here
 * too; the report text is checked in test_report.c.
 */
#include "helpers.h"
#include "../common/unwind_scope.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

struct point {
    int x, y;
    double w;
};
FR_OWN_TYPE(point_own, struct point);
FR_OWN_TYPE(int_own, int);

/* ---- rules ---- */

/* libferrum records traces with libunwind opened RTLD_LOCAL: its _Unwind_*
 * must not enter the program's global scope, where they would replace
 * libgcc_s's for the program's C++ code (a cancelled C++ thread ran no
 * destructors and hung: QA12 V1) */
START_TEST(libunwind_stays_out_of_the_global_scope)
{
    struct counting c = {0};
    fr_handle h = fr_own_new(counting_allocator(&c), 16, NULL);
    (void)fr_borrow(h);
    fr_release(h);
    fr_drop(&h);
    assert_libunwind_not_global();
}
END_TEST

START_TEST(new_is_zeroed_and_uses_the_allocator)
{
    rec_install();
    struct counting c = {0};
    fr_handle h = fr_own_new(counting_allocator(&c), 100, NULL);
    ck_assert_uint_ne(h.bits, 0);
    ck_assert(fr_is_live(h));
    ck_assert_int_eq(c.allocs, 1);
    const unsigned char *p = fr_borrow(h);
    ck_assert_ptr_nonnull(p);
    for (int i = 0; i < 100; i++) ck_assert_uint_eq(p[i], 0);
    ck_assert_uint_eq((uintptr_t)p % 4, 0);
    fr_release(h);
    fr_drop(&h);
    ck_assert_int_eq(c.frees, 1);
    ck_assert_uint_eq(c.bytes_out, 0); /* freed with the size it was allocated with */
    ck_assert(!fr_is_live(h));
    ck_no_violation();
}
END_TEST

START_TEST(new_of_size_zero_is_a_distinct_object)
{
    rec_install();
    struct counting c = {0};
    fr_handle a = fr_own_new(counting_allocator(&c), 0, NULL);
    fr_handle b = fr_own_new(counting_allocator(&c), 0, NULL);
    ck_assert(fr_is_live(a) && fr_is_live(b));
    ck_assert_uint_ne(a.bits, b.bits);
    const void *pa = fr_borrow(a), *pb = fr_borrow(b);
    ck_assert_ptr_ne(pa, pb);
    fr_release(a);
    fr_release(b);
    fr_drop(&a);
    fr_drop(&b);
    ck_assert_int_eq(c.frees, 2);
    ck_no_violation();
}
END_TEST

START_TEST(new_fails_cleanly)
{
    rec_install();
    fr_allocator bad = {failing_alloc, NULL, NULL};
    errno = 0;
    fr_handle h = fr_own_new(bad, 16, NULL);
    ck_assert_uint_eq(h.bits, 0);
    ck_assert_int_eq(errno, ENOMEM);
    fr_allocator none = {NULL, NULL, NULL};
    errno = 0;
    h = fr_own_new(none, 16, NULL);
    ck_assert_uint_eq(h.bits, 0);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(!fr_is_live(h));
    fr_drop(&h); /* dropping the null handle does nothing */
    ck_no_violation();
}
END_TEST

START_TEST(drop_runs_drop_fn_once_and_invalidates_every_copy)
{
    rec_install();
    struct counting c = {0};
    atomic_store(&drops, 0);
    fr_handle h = fr_own_new(counting_allocator(&c), 8, count_drop);
    fr_handle copy = h;
    ck_assert(fr_is_live(copy));
    fr_drop(&h);
    ck_assert_int_eq(drops, 1);
    ck_assert_int_eq(c.frees, 1);
    ck_assert(!fr_is_live(h));
    ck_assert(!fr_is_live(copy));
    ck_no_violation();
}
END_TEST

static void *seen_by_drop;
static void remember_drop(void *obj)
{
    seen_by_drop = obj;
    ck_assert_int_eq(((struct point *)obj)->x, 42); /* the object is intact when drop runs */
}

START_TEST(drop_fn_gets_the_object)
{
    rec_install();
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), remember_drop);
    struct point *p = fr_borrow_mut(h);
    p->x = 42;
    fr_release(h);
    fr_drop(&h);
    ck_assert_ptr_eq(seen_by_drop, p);
    ck_no_violation();
}
END_TEST

START_TEST(move_transfers_ownership)
{
    rec_install();
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int *p = fr_borrow_mut(a);
    *p = 7;
    fr_release(a);
    fr_handle b = fr_move(&a);
    ck_assert(!fr_is_live(a)); /* moved from */
    ck_assert(fr_is_live(b));
    ck_assert_uint_ne(a.bits, 0);
    const int *q = fr_borrow(b);
    ck_assert_int_eq(*q, 7);
    fr_release(b);
    fr_handle c = fr_move(&b);
    fr_drop(&c);
    ck_assert(!fr_is_live(c));
    fr_handle none = {0};
    fr_handle n2 = fr_move(&none); /* moving the null handle moves nothing */
    ck_assert_uint_eq(n2.bits, 0);
    ck_no_violation();
}
END_TEST

START_TEST(shared_borrows_are_counted)
{
    rec_install();
    fr_handle h = fr_own_new(fr_heap_allocator(), 32, NULL);
    const void *p1 = fr_borrow(h), *p2 = fr_borrow(h), *p3 = fr_borrow(h);
    ck_assert_ptr_eq(p1, p2);
    ck_assert_ptr_eq(p2, p3);
    fr_release(h);
    fr_release(h);
    ck_assert_ptr_null(fr_borrow_mut(h)); /* one shared borrow still live */
    ck_violation(FR_V_BORROW_CONFLICT);
    fr_release(h);
    void *m = fr_borrow_mut(h); /* all released: exclusive is fine now */
    ck_assert_ptr_eq(m, p1);
    fr_release(h);
    fr_drop(&h);
    ck_no_violation();
}
END_TEST

START_TEST(release_ends_the_most_recent_borrow)
{
    rec_install();
    fr_handle h = fr_own_new(fr_heap_allocator(), 4, NULL);
    for (int round = 0; round < 3; round++) {
        ck_assert_ptr_nonnull(fr_borrow_mut(h));
        fr_release(h);
        ck_assert_ptr_nonnull(fr_borrow(h));
        ck_assert_ptr_nonnull(fr_borrow(h));
        fr_release(h);
        fr_release(h);
    }
    fr_drop(&h);
    ck_no_violation();
}
END_TEST

START_TEST(typed_handles)
{
    rec_install();
    atomic_store(&drops, 0);
    point_own p = point_own_new(fr_heap_allocator(), count_drop);
    ck_assert(point_own_is_live(p));
    struct point *m = point_own_borrow_mut(p);
    m->x = 1;
    m->y = 2;
    m->w = 0.5;
    point_own_release(p);
    point_own q = point_own_move(&p);
    ck_assert(!point_own_is_live(p));
    const struct point *r = point_own_borrow(q);
    ck_assert_int_eq(r->x + r->y, 3);
    ck_assert(r->w == 0.5);
    point_own_release(q);
    ck_assert(fr_is_live(point_own_handle(q)));
    point_own_drop(&q);
    ck_assert_int_eq(drops, 1);
    ck_assert(!point_own_is_live(q));

    int_own i = int_own_new(fr_heap_allocator(), NULL);
    FR_WITH_BORROW_MUT(i, ip) { *ip = 5; }
    int seen = 0;
    FR_WITH_BORROW(i, ip) { seen = *ip; }
    ck_assert_int_eq(seen, 5);
    int_own_drop(&i);
    ck_no_violation();
}
END_TEST

static int scoped_return(fr_handle h)
{
    FR_WITH_BORROW(h, p) {
        return *(const int *)p;
    }
    return -1;
}

START_TEST(scoped_borrow_releases_at_the_brace)
{
    rec_install();
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    FR_WITH_BORROW_MUT(h, p) { *(int *)p = 9; }
    /* released: an exclusive borrow works */
    ck_assert_ptr_nonnull(fr_borrow_mut(h));
    fr_release(h);
    /* released on break */
    for (int i = 0; i < 3; i++) {
        FR_WITH_BORROW(h, p) {
            if (*(const int *)p == 9) break;
        }
    }
    ck_assert_ptr_nonnull(fr_borrow_mut(h));
    fr_release(h);
    /* released on return */
    ck_assert_int_eq(scoped_return(h), 9);
    ck_assert_ptr_nonnull(fr_borrow_mut(h));
    fr_release(h);
    /* nested shared scopes */
    FR_WITH_BORROW(h, a) {
        FR_WITH_BORROW(h, b) { ck_assert_ptr_eq(a, b); }
    }
    ck_assert_ptr_nonnull(fr_borrow_mut(h));
    fr_release(h);
    fr_drop(&h);
    ck_no_violation();
}
END_TEST

START_TEST(scoped_borrow_skips_the_block_when_refused)
{
    rec_install();
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int ran = 0;
    FR_WITH_BORROW_MUT(h, outer) {
        FR_WITH_BORROW(h, inner) { ran = 1; (void)inner; } /* conflicts: refused */
        (void)outer;
    }
    ck_assert_int_eq(ran, 0);
    ck_violation(FR_V_BORROW_CONFLICT);
    ck_assert_ptr_nonnull(fr_borrow_mut(h)); /* nothing left borrowed */
    fr_release(h);
    fr_drop(&h);
    ck_no_violation();
}
END_TEST

START_TEST(stale_handle_stays_stale_after_slot_reuse)
{
    rec_install();
    fr_handle old = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle copy = old;
    fr_drop(&old);
    /* Churn through enough handles that the slot is reused. */
    uint32_t idx = (uint32_t)(copy.bits & 0x1fffff);
    bool reused = false;
    for (int i = 0; i < 2000 && !reused; i++) {
        fr_handle n = fr_own_new(fr_heap_allocator(), 8, NULL);
        if ((uint32_t)(n.bits & 0x1fffff) == idx) {
            reused = true;
            ck_assert_uint_ne(n.bits, copy.bits); /* new generation */
            ck_assert(!fr_is_live(copy));
            ck_assert_ptr_null(fr_borrow(copy));
            ck_violation(FR_V_USE_AFTER_FREE);
            ck_assert(fr_is_live(n)); /* the stale borrow did not touch the new object */
            ck_assert_ptr_nonnull(fr_borrow_mut(n));
            fr_release(n);
        }
        fr_drop(&n);
    }
    ck_assert(reused);
    ck_no_violation();
}
END_TEST

START_TEST(table_grows_without_moving_slots)
{
    rec_install();
    enum { N = 10000 };
    static fr_handle hs[N];
    hs[0] = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int *first = fr_borrow_mut(hs[0]); /* held across the growth */
    *first = 123;
    for (int i = 1; i < N; i++) {
        hs[i] = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
        ck_assert_uint_ne(hs[i].bits, 0);
        int *p = fr_borrow_mut(hs[i]);
        *p = i;
        fr_release(hs[i]);
    }
    ck_assert_int_eq(*first, 123);
    fr_release(hs[0]); /* the slot is where it was */
    for (int i = 1; i < N; i++) {
        const int *p = fr_borrow(hs[i]);
        ck_assert_int_eq(*p, i);
        fr_release(hs[i]);
    }
    for (int i = 0; i < N; i++) fr_drop(&hs[i]);
    ck_no_violation();
}
END_TEST

START_TEST(works_over_ferrum_allocators)
{
    rec_install();
    atomic_store(&drops, 0);
    fr_arena *ar = fr_arena_create(0);
    fr_slab *sl = fr_slab_create("owner-test", sizeof(struct point), 8, NULL, NULL);
    ck_assert_ptr_nonnull(ar);
    ck_assert_ptr_nonnull(sl);
    fr_allocator als[3] = {fr_heap_allocator(), fr_arena_allocator(ar), fr_slab_allocator(sl)};
    for (int k = 0; k < 3; k++) {
        fr_handle h[50];
        for (int i = 0; i < 50; i++) {
            h[i] = fr_own_new(als[k], sizeof(struct point), count_drop);
            ck_assert_msg(h[i].bits != 0, "allocator %d", k);
            struct point *p = fr_borrow_mut(h[i]);
            ck_assert_int_eq(p->x, 0);
            p->x = i;
            fr_release(h[i]);
        }
        for (int i = 0; i < 50; i++) {
            const struct point *p = fr_borrow(h[i]);
            ck_assert_int_eq(p->x, i);
            fr_release(h[i]);
            fr_drop(&h[i]);
        }
    }
    ck_assert_int_eq(drops, 150);
    fr_slab_destroy(sl);
    fr_arena_destroy(ar);
    ck_no_violation();
}
END_TEST

/* ---- violations ---- */

START_TEST(use_after_move)
{
    rec_install();
    atomic_store(&drops, 0);
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, count_drop);
    fr_handle b = fr_move(&a);

    ck_assert_ptr_null(fr_borrow(a));
    ck_violation(FR_V_USE_AFTER_MOVE);
    ck_assert_str_eq(rec_last.message, "borrow of moved value");
    ck_assert_uint_eq(rec_last.handle.bits, a.bits);

    ck_assert_ptr_null(fr_borrow_mut(a));
    ck_violation(FR_V_USE_AFTER_MOVE);

    fr_handle c = fr_move(&a);
    ck_assert_uint_eq(c.bits, 0);
    ck_violation(FR_V_USE_AFTER_MOVE);

    fr_release(a);
    ck_violation(FR_V_USE_AFTER_MOVE);

    fr_drop(&a); /* does nothing, silently: b owns the object (a drop flag) */
    ck_no_violation();
    ck_assert_int_eq(drops, 0);
    ck_assert(fr_is_live(b));
    fr_drop(&b);
    ck_assert_int_eq(drops, 1);
    ck_no_violation();
}
END_TEST

START_TEST(use_after_free)
{
    rec_install();
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle copy = a;
    fr_drop(&a);

    ck_assert_ptr_null(fr_borrow(copy));
    ck_violation(FR_V_USE_AFTER_FREE);
    ck_assert_str_eq(rec_last.message, "value used after being dropped");
    ck_assert_uint_eq(rec_last.handle.bits, copy.bits);
    ck_assert_ptr_null(fr_borrow_mut(copy));
    ck_violation(FR_V_USE_AFTER_FREE);
    fr_handle m = fr_move(&copy);
    ck_assert_uint_eq(m.bits, 0);
    ck_violation(FR_V_USE_AFTER_FREE);
    ck_assert_uint_eq(copy.bits, a.bits); /* a failed move leaves the source alone */
    fr_release(copy);
    ck_violation(FR_V_USE_AFTER_FREE);

    fr_handle forged = {.bits = 0x123456};
    ck_assert_ptr_null(fr_borrow(forged));
    ck_violation(FR_V_USE_AFTER_FREE);
    ck_assert_str_eq(rec_last.message, "not a handle made by fr_own_new");
    fr_handle null = {0};
    ck_assert_ptr_null(fr_borrow(null));
    ck_violation(FR_V_USE_AFTER_FREE);
}
END_TEST

START_TEST(double_drop)
{
    rec_install();
    atomic_store(&drops, 0);
    struct counting c = {0};
    fr_handle a = fr_own_new(counting_allocator(&c), 8, count_drop);
    fr_handle copy = a;
    fr_drop(&a);
    fr_drop(&copy);
    ck_violation(FR_V_DOUBLE_DROP);
    ck_assert_str_eq(rec_last.message, "value dropped twice");
    fr_drop(&a); /* through the same variable too */
    ck_violation(FR_V_DOUBLE_DROP);
    ck_assert_int_eq(drops, 1);
    ck_assert_int_eq(c.frees, 1);
}
END_TEST

START_TEST(borrow_conflicts)
{
    rec_install();
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);

    ck_assert_ptr_nonnull(fr_borrow(h));
    ck_assert_ptr_null(fr_borrow_mut(h));
    ck_violation(FR_V_BORROW_CONFLICT);
    ck_assert_str_eq(rec_last.message,
                     "cannot borrow as mutable because it is also borrowed as immutable");
    fr_release(h);

    ck_assert_ptr_nonnull(fr_borrow_mut(h));
    ck_assert_ptr_null(fr_borrow(h));
    ck_violation(FR_V_BORROW_CONFLICT);
    ck_assert_str_eq(rec_last.message,
                     "cannot borrow as immutable because it is also borrowed as mutable");
    ck_assert_ptr_null(fr_borrow_mut(h));
    ck_violation(FR_V_BORROW_CONFLICT);
    ck_assert_str_eq(rec_last.message, "cannot borrow as mutable more than once at a time");

    fr_handle moved = fr_move(&h); /* cannot move out of a borrowed value */
    ck_violation(FR_V_BORROW_CONFLICT);
    ck_assert_uint_eq(moved.bits, 0);
    ck_assert(fr_is_live(h)); /* the source is untouched */
    fr_release(h); /* the refused borrows did not count: one release frees it */
    ck_assert_ptr_nonnull(fr_borrow_mut(h));
    fr_release(h);
    fr_drop(&h);
    ck_no_violation();
}
END_TEST

START_TEST(drop_while_borrowed)
{
    rec_install();
    atomic_store(&drops, 0);
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, count_drop);
    const void *p = fr_borrow(h);
    fr_drop(&h);
    ck_violation(FR_V_DROP_WHILE_BORROWED);
    ck_assert_str_eq(rec_last.message, "cannot drop value because it is borrowed");
    ck_assert_int_eq(drops, 0);
    ck_assert(fr_is_live(h));
    ck_assert_ptr_eq(fr_borrow(h), p); /* still there */
    fr_release(h);
    fr_release(h);
    fr_drop(&h);
    ck_assert_int_eq(drops, 1);
    ck_no_violation();
}
END_TEST

START_TEST(release_unborrowed)
{
    rec_install();
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_release(h);
    ck_violation(FR_V_RELEASE_UNBORROWED);
    ck_assert_str_eq(rec_last.message, "release of a value that is not borrowed");
    ck_assert_ptr_nonnull(fr_borrow(h));
    fr_release(h);
    fr_release(h); /* one too many */
    ck_violation(FR_V_RELEASE_UNBORROWED);
    ck_assert_ptr_nonnull(fr_borrow_mut(h)); /* the state is intact */
    fr_release(h);
    fr_drop(&h);
    ck_no_violation();
}
END_TEST

START_TEST(violation_names)
{
    const char *want[] = {"use-after-free", "use-after-move", "double-drop", "borrow-conflict",
                          "drop-while-borrowed", "release-unborrowed", "region-outlived", "leak"};
    for (int k = 0; k <= FR_V_LEAK; k++)
        ck_assert_str_eq(fr_violation_name((fr_violation_kind)k), want[k]);
    ck_assert_str_eq(fr_violation_name((fr_violation_kind)99), "unknown-violation");
}
END_TEST

/* Leaks are reported at exit: run a child that leaks and read what its
 * handler saw through a pipe. */
static int leak_pipe = -1;
static void leak_handler(const fr_violation *v, void *ctx)
{
    (void)ctx;
    char c = (char)('0' + v->kind);
    if (write(leak_pipe, &c, 1) != 1) _exit(3);
}

START_TEST(leaks_reported_at_exit)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        leak_pipe = fds[1];
        fr_set_violation_handler(leak_handler, NULL);
        fr_handle kept1 = fr_own_new(fr_heap_allocator(), 24, NULL);
        fr_handle kept2 = fr_own_new(fr_heap_allocator(), 24, NULL);
        fr_handle gone = fr_own_new(fr_heap_allocator(), 24, NULL);
        fr_drop(&gone);
        (void)kept1;
        (void)kept2;
        exit(0);
    }
    close(fds[1]);
    char buf[16];
    ssize_t n = 0, r;
    while ((r = read(fds[0], buf + n, sizeof buf - (size_t)n)) > 0) n += r;
    close(fds[0]);
    int st;
    waitpid(pid, &st, 0);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(buf[0], '0' + FR_V_LEAK);
    ck_assert_int_eq(buf[1], '0' + FR_V_LEAK);
}
END_TEST

START_TEST(default_handler_aborts)
{
    fr_set_violation_handler(NULL, NULL);
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle g = fr_move(&h);
    (void)g;
    fr_borrow(h); /* use after move: the default handler aborts */
}
END_TEST

START_TEST(custom_handler_then_default_again)
{
    rec_install();
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_release(h);
    ck_violation(FR_V_RELEASE_UNBORROWED);
    fr_set_violation_handler(NULL, NULL);
    fr_release(h); /* aborts */
}
END_TEST

START_TEST(warn_option_continues)
{
    setenv("FERRUM_OWNER", "warn,noleaks", 1);
    fr_set_violation_handler(NULL, NULL);
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle copy = h;
    fr_drop(&h);
    ck_assert_ptr_null(fr_borrow(copy)); /* reported, not aborted */
    fr_drop(&copy);                       /* double drop: reported, nothing done */
    fr_handle leak = fr_own_new(fr_heap_allocator(), 8, NULL);
    (void)leak; /* noleaks: nothing at exit */
}
END_TEST

Suite *owner_suite(void)
{
    Suite *s = suite_create("owner");
    TCase *r = tcase_create("rules");
    tcase_add_test(r, new_is_zeroed_and_uses_the_allocator);
    tcase_add_test(r, libunwind_stays_out_of_the_global_scope);
    tcase_add_test(r, new_of_size_zero_is_a_distinct_object);
    tcase_add_test(r, new_fails_cleanly);
    tcase_add_test(r, drop_runs_drop_fn_once_and_invalidates_every_copy);
    tcase_add_test(r, drop_fn_gets_the_object);
    tcase_add_test(r, move_transfers_ownership);
    tcase_add_test(r, shared_borrows_are_counted);
    tcase_add_test(r, release_ends_the_most_recent_borrow);
    tcase_add_test(r, typed_handles);
    tcase_add_test(r, scoped_borrow_releases_at_the_brace);
    tcase_add_test(r, scoped_borrow_skips_the_block_when_refused);
    tcase_add_test(r, stale_handle_stays_stale_after_slot_reuse);
    tcase_add_test(r, table_grows_without_moving_slots);
    tcase_add_test(r, works_over_ferrum_allocators);
    suite_add_tcase(s, r);

    TCase *v = tcase_create("violations");
    tcase_add_test(v, use_after_move);
    tcase_add_test(v, use_after_free);
    tcase_add_test(v, double_drop);
    tcase_add_test(v, borrow_conflicts);
    tcase_add_test(v, drop_while_borrowed);
    tcase_add_test(v, release_unborrowed);
    tcase_add_test(v, violation_names);
    tcase_add_test(v, leaks_reported_at_exit);
    tcase_add_test_raise_signal(v, default_handler_aborts, SIGABRT);
    tcase_add_test_raise_signal(v, custom_handler_then_default_again, SIGABRT);
    tcase_add_test(v, warn_option_continues);
    suite_add_tcase(s, v);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(owner_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
