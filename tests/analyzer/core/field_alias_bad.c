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

/* a struct returned by value: its field is one pointer, freed twice
 * (QA5 S11 d4 and addendum g9) */
struct str { char *s; };
struct str get_str(void);
static struct str make_str(void)
{
    struct str r = { malloc(3) };
    return r;
}

void struct_from_call(void)
{
    struct str a = get_str();
    free(a.s);
    free(a.s);                          /* expect: double-free */
}

void struct_from_summarized_call(void)
{
    struct str a = make_str();
    free(a.s);
    free(a.s);                          /* expect: double-free */
}

void struct_assigned_from_call(struct str *out)
{
    struct str a;
    a = get_str();
    free(a.s);
    out->s = NULL;
    a.s[0] = 'x';                       /* expect: use-after-free */
}

/* a getter returning its argument's field: the result is that pointer
 * (QA5 S11 f2) */
struct box { char *buf; int n; };
static char *box_buf(struct box *b) { return b->buf; }
static char *box_buf_checked(struct box *b)
{
    if (!b)
        return NULL;
    return b->buf;
}

void getter_then_field(struct box *b)
{
    free(box_buf(b));
    free(b->buf);                       /* expect: double-free */
}

void field_then_getter(struct box *b)
{
    char *p = box_buf_checked(b);
    free(b->buf);
    p[0] = 'x';                         /* expect: use-after-free */
}
