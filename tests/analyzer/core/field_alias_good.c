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

/* a struct returned by value: each call's fields are new pointers */
struct str { char *s; };
struct str get_str(void);

void struct_from_call_each_time(int n)
{
    for (int i = 0; i < n; i++) {
        struct str a = get_str();
        free(a.s);
    }
    struct str b;
    b = get_str();
    free(b.s);
    b = get_str();
    free(b.s);
}

/* not freed here: the caller's business, not a leak we can tell */
int struct_from_call_kept(void)
{
    struct str a = get_str();
    return a.s != NULL;
}

char *struct_from_call_returned(void)
{
    struct str a = get_str();
    char *s = a.s;
    a = get_str();
    free(a.s);
    return s;
}

/* getters: what they return is the field only where they say so */
struct box { char *buf; int n; };
static char *box_take(struct box *b)
{
    char *p = b->buf;
    b->buf = NULL;
    return p;
}
static char *box_buf_if(struct box *b)
{
    if (b->n)
        return b->buf;
    return NULL;
}
static char *box_buf_or_new(struct box *b)
{
    if (b->n)
        return b->buf;
    return malloc(4);
}

void getter_take(struct box *b)
{
    free(box_take(b));
    free(b->buf);
}

void getter_maybe(struct box *b)
{
    free(box_buf_if(b));
    free(b->buf);
}

void getter_or_new(struct box *b)
{
    free(box_buf_or_new(b));
    free(b->buf);
}

/* a pointer moved to the next struct of an array: its field is another
 * pointer each time (lighttpd mod_evhost.c:47) */
typedef struct { char *ptr; int used; } piece;

void free_pieces(piece *b)
{
    for (; b->ptr; ++b)
        free(b->ptr);
}

void free_pieces_step(piece *b, int n)
{
    while (n-- > 0) {
        free(b->ptr);
        b += 1;
    }
}

/* a callee that reads c->buf and then overwrites the whole struct: the
 * caller's c->buf is not what it was */
static void box_reset(struct box *b)
{
    if (b->buf[0]) {
        struct box z = { 0 };
        *b = z;
    }
}

static void box_clear(struct box *b)
{
    struct box z = { 0 };
    if (b->buf[0])
        b[0] = z;
    else
        b[0] = z;
}

void reset_then_free(struct box *b)
{
    char *p = malloc(4);
    if (!p)
        return;
    b->buf = p;
    box_reset(b);
    free(p);
    free(b->buf);
}

void clear_then_free(struct box *b)
{
    char *p = malloc(4);
    if (!p)
        return;
    b->buf = p;
    box_clear(b);
    free(p);
    free(b->buf);
}
