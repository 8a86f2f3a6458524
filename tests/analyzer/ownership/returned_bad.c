/*
 * Handles received from a call (not fr_own_new, not FR_RETURNS_OWNED) are
 * checked like handles received as parameters (QA F22's sibling): moves,
 * borrows and drops are followed.  They are never reported as leaked: the
 * function that returned one may keep it (returned_good.c).
 */
#include <ferrum/ferrum.h>

struct point { int x, y; };

fr_handle lookup(int key);
void sink(fr_handle h);

static fr_handle make(void)
{
    return fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
}

void borrow_after_move(void)
{
    fr_handle h = make();
    sink(fr_move(&h));
    (void)fr_borrow(h); /* expect: use-after-move */
}

void dropped_twice(void)
{
    fr_handle h = lookup(1);
    fr_drop(&h);
    fr_drop(&h); /* expect: double-free */
}

int read_after_release(void)
{
    fr_handle h = lookup(2);
    const struct point *q = fr_borrow(h);
    fr_release(h);
    return q->x; /* expect: dangling-borrow */
}

void assigned_later(void)
{
    fr_handle h;
    h = lookup(3);
    struct point *m = fr_borrow_mut(h);
    const struct point *q = fr_borrow(h); /* expect: borrow-conflict */
    (void)m;
    (void)q;
    fr_release(h);
    fr_release(h);
}
