/* One block reached through the fields of two structs (QA5 S11). */
#include <stdlib.h>

struct conn { char *buf; };

/* two heap structs: a store to b->buf leaves a->buf alone */
void two_structs(void)
{
    struct conn *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return;
    }
    a->buf = malloc(10);
    b->buf = a->buf;
    free(a->buf);
    free(b->buf);                       /* expect: double-free */
    free(a);
    free(b);
}

/* a struct assignment copies the pointer */
void struct_copy(void)
{
    struct conn x, y;
    x.buf = malloc(4);
    if (!x.buf)
        return;
    y = x;
    free(x.buf);
    y.buf[0] = 1;                       /* expect: use-after-free */
}

/* and so does an initializer from another struct */
void struct_init(void)
{
    struct conn x;
    x.buf = malloc(4);
    if (!x.buf)
        return;
    struct conn y = x;
    free(y.buf);
    free(x.buf);                        /* expect: double-free */
}
