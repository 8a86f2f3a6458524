/* A borrow lives until fr_release, as at run time (not until its pointer's
 * last use, as in Rust): a drop, a second exclusive borrow or a move that
 * meets a borrow never released is what the runtime refuses; and a loop
 * body meets, in its second iteration, what its first left behind. */
#include <ferrum/ferrum.h>

static void consume(fr_handle h) { fr_drop(&h); }

int release_forgotten(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int *p = fr_borrow_mut(h);
    *p = 1;
    fr_drop(&h); /* expect: dangling-borrow */
    return 0;
}

int error_path_forgets(int k)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *p = fr_borrow(h);
    if (k) {
        fr_drop(&h); /* expect: dangling-borrow */
        return -1;
    }
    int v = *p;
    fr_release(h);
    fr_drop(&h);
    return v;
}

int borrow_in_loop(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    for (int i = 0; i < 3; i++) {
        int *p = fr_borrow_mut(h); /* expect: borrow-conflict */
        *p = i;
    }
    fr_release(h);
    fr_drop(&h);
    return 0;
}

int move_in_loop(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    for (int i = 0; i < 3; i++)
        consume(fr_move(&h)); /* expect: use-after-move */
    return 0;
}

int move_in_counted_loop(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int i = 0;
    while (i < n) {
        consume(fr_move(&h)); /* expect: use-after-move */
        i++;
    }
    fr_drop(&h);
    return 0;
}

/* A scoped borrow in a loop ends at its closing brace; what follows the
 * loop is still checked (QA3 Q12: it was not). */
struct point { int x, y; };
FR_OWN_TYPE(point_own, struct point);

int after_scoped_loop(void)
{
    point_own h = point_own_new(fr_heap_allocator(), NULL);
    int n = 0;
    for (int i = 0; i < 3; i++) {
        FR_WITH_BORROW(h, p) { n += p->x; }
    }
    struct point *p = point_own_borrow_mut(h);
    const struct point *q = point_own_borrow(h); /* expect: borrow-conflict */
    p->x = q->y;
    point_own_release(h);
    point_own_release(h);
    point_own_drop(&h);
    return n;
}

int drop_then_scoped(int k)
{
    point_own h = point_own_new(fr_heap_allocator(), NULL);
    int n = 0;
    for (int i = 0; i < k; i++) {
        FR_WITH_BORROW(h, p) { n += p->y; }
    }
    point_own_drop(&h);
    FR_WITH_BORROW(h, p) { n += p->x; } /* expect: use-after-free */
    return n;
}

/* Helpers that look at the handle, or take and release a borrow of their
 * own, end no borrow of their caller's (QA4 R1). */
static int looks(fr_handle h) { return fr_is_live(h); }
static int shows(fr_handle h)
{
    const int *q = fr_borrow(h);
    int v = q ? *q : 0;
    if (q)
        fr_release(h);
    return v;
}

int helper_looks(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *p = fr_borrow(h);
    int v = *p;
    if (!looks(h))
        v = 0;
    fr_drop(&h); /* expect: dangling-borrow */
    return v;
}

int helper_borrows_its_own(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *p = fr_borrow(h);
    int v = *p + shows(h);
    fr_drop(&h); /* expect: dangling-borrow */
    return v;
}

/* A callee that keeps a copy of the handle takes nothing from the caller:
 * a use after the caller's drop, a second drop and a conflicting borrow
 * through the caller's own variable are still errors (QA4 R7). */
struct holder {
    fr_handle h;
    int n;
};
static void keep(struct holder *c, fr_handle h)
{
    c->h = h;
    c->n = 0;
}

int kept_then_used_after_drop(void)
{
    struct holder c;
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    keep(&c, h);
    fr_drop(&h);
    const int *p = fr_borrow(h); /* expect: use-after-free */
    return p ? *p + c.n : c.n;
}

void kept_then_dropped_twice(void)
{
    struct holder c;
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    keep(&c, h);
    fr_drop(&h);
    fr_drop(&h); /* expect: double-free */
}
