/* Fields of structs that may be the same struct: a store through one may
 * change the other, so no finding relies on them being apart. */
#include <stdlib.h>

struct conn { char *buf; };

void maybe_same(struct conn *a, struct conn *b)
{
    a->buf = malloc(10);
    b->buf = NULL;
    free(a->buf);
}

void copy_then_replace(void)
{
    struct conn x, y;
    x.buf = malloc(4);
    if (!x.buf)
        return;
    y = x;
    y.buf = malloc(4);
    free(x.buf);
    free(y.buf);
}
