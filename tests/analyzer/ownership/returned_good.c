/* Handles received from a call, used correctly; never reported as leaked. */
#include <ferrum/ferrum.h>

struct point { int x, y; };

fr_handle lookup(int key);
void sink(fr_handle h);

int peek(int key)
{
    fr_handle h = lookup(key);
    const struct point *q = fr_borrow(h);
    int x = q->x;
    fr_release(h);
    return x;
}

void not_dropped(int key)
{
    fr_handle h = lookup(key); /* the table keeps it */
    (void)fr_is_live(h);
}

void moved_then_dropped(int key)
{
    fr_handle h = lookup(key);
    sink(fr_move(&h));
    fr_drop(&h); /* a no-op: h was moved from */
}

void two_lookups(void)
{
    fr_handle a = lookup(1), b = lookup(2);
    struct point *pa = fr_borrow_mut(a);
    struct point *pb = fr_borrow_mut(b);
    pa->x = pb->x;
    fr_release(b);
    fr_release(a);
}
