/* A function of this file frees a field of its parameter and leaves the
 * field as it was: the caller's b->data is freed after the call, so freeing
 * or using it again is a bug (QA16 Z2: buf_clear(b); free(b->data); was
 * missed on c1d2e22, whose call invalidated b->data instead). */
#include <stdlib.h>
#include <string.h>

struct buf { char *data; size_t len; };

static void buf_clear(struct buf *b)
{
    free(b->data);
}

void reset_twice(void)
{
    struct buf *b = malloc(sizeof *b);
    if (!b)
        return;
    b->data = malloc(10);
    buf_clear(b);
    free(b->data);                      /* expect: double-free */
    free(b);
}

void write_after_clear(struct buf *b)
{
    buf_clear(b);
    b->data[0] = 1;                     /* expect: use-after-free */
}

int buf_reset(struct buf *b)
{
    buf_clear(b);
    free(b->data);                      /* expect: double-free */
    b->data = NULL;
    b->len = 0;
    return 0;
}
