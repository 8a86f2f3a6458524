/* QA F22, clean forms: borrows of parameter handles used while live. */
#include <ferrum/ferrum.h>

struct point { int x, y; };

int read_then_release(fr_handle p)
{
    const struct point *q = fr_borrow(p);
    int x = q->x;
    fr_release(p);
    return x;
}

void two_shared(fr_handle p)
{
    const struct point *a = fr_borrow(p);
    const struct point *b = fr_borrow(p);
    (void)(a->x + b->y);
    fr_release(p);
    fr_release(p);
}

void mut_after_release(fr_handle p)
{
    const struct point *q = fr_borrow(p);
    int x = q->x;
    fr_release(p);
    struct point *m = fr_borrow_mut(p);
    m->y = x;
    fr_release(p);
}

/* Handing the borrow back to the caller is fine while it stays borrowed. */
const struct point *lend(fr_handle p)
{
    return fr_borrow(p);
}
