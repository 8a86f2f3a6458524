/* Clean twins of callee_field_free_bad.c: the callee frees the field and
 * writes it (NULL or a new block), or the caller writes it before any use. */
#include <stdlib.h>
#include <string.h>

struct buf { char *data; size_t len; };

static void buf_clear(struct buf *b)
{
    free(b->data);
    b->data = NULL;
}

static void buf_drop(struct buf *b)
{
    free(b->data);
}

static int buf_regrow(struct buf *b, size_t n)
{
    free(b->data);
    b->data = malloc(n);
    return b->data ? 0 : -1;
}

int buf_reset(struct buf *b)
{
    buf_clear(b);
    free(b->data);
    b->len = 0;
    return 0;
}

void refill(struct buf *b)
{
    buf_drop(b);
    b->data = strdup("x");
    if (b->data)
        b->data[0] = 'y';
}

int regrow(struct buf *b)
{
    if (buf_regrow(b, 32) != 0)
        return -1;
    b->data[0] = 0;
    return 0;
}

void destroy(struct buf *b)
{
    buf_drop(b);
    free(b);
}

void maybe_drop(struct buf *b, int c)
{
    if (c)
        buf_drop(b);
    else
        free(b->data);
    b->data = NULL;
}
