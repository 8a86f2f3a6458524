/*
 * QA F22: borrow checks on handles received as parameters, exactly as on
 * handles the function created (dangling-borrow, borrow-conflict).
 */
#include <ferrum/ferrum.h>

struct point { int x, y; };

int read_after_release(fr_handle p)
{
    const struct point *q = fr_borrow(p);
    fr_release(p);
    return q->x; /* expect: dangling-borrow */
}

const struct point *return_after_release(fr_handle p)
{
    const struct point *q = fr_borrow(p);
    fr_release(p);
    return q; /* expect: dangling-borrow */
}

void mut_while_shared(fr_handle p)
{
    const struct point *q = fr_borrow(p);
    struct point *m = fr_borrow_mut(p); /* expect: borrow-conflict */
    (void)q;
    (void)m;
    fr_release(p);
    fr_release(p);
}

void shared_while_mut(fr_handle p)
{
    struct point *m = fr_borrow_mut(p);
    const struct point *q = fr_borrow(p); /* expect: borrow-conflict */
    (void)q;
    m->x = 1;
    fr_release(p);
    fr_release(p);
}

int through_pointer_param(fr_handle *hp)
{
    const struct point *q = fr_borrow(*hp);
    fr_release(*hp);
    return q->y; /* expect: dangling-borrow */
}
