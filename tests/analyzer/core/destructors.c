/* What a destructor-style callee frees inside its argument (b->data in
 * buf_destroy(b), s.first in a struct passed by value), seen by the caller
 * through the callee's summary: outside tester QA3's Q5, with good forms. */
#include <stdlib.h>

struct buf {
    char *data;
    int len;
};

static void buf_destroy(struct buf *b)
{
    if (!b)
        return;
    free(b->data);
    free(b);
}

static struct buf *buf_new(void)
{
    struct buf *b = malloc(sizeof *b);
    if (!b)
        return NULL;
    b->data = malloc(16);
    if (!b->data) {
        free(b);
        return NULL;
    }
    b->len = 16;
    return b;
}

int data_used_after_destroy(void)
{
    struct buf *b = buf_new();
    if (!b)
        return -1;
    char *d = b->data;
    buf_destroy(b);
    return d[0];                        /* expect: use-after-free */
}

int data_freed_twice(void)
{
    struct buf *b = buf_new();
    if (!b)
        return -1;
    free(b->data);
    buf_destroy(b);                     /* expect: double-free */
    return 0;
}

int data_freed_then_cleared(void)
{
    struct buf *b = buf_new();
    if (!b)
        return -1;
    free(b->data);
    b->data = NULL;
    buf_destroy(b);
    return 0;
}

int data_read_before_destroy(void)
{
    struct buf *b = buf_new();
    if (!b)
        return -1;
    int c = b->data[0];
    buf_destroy(b);
    return c;
}

struct pair {
    char *first;
    int n;
};

static void pair_release(struct pair p)
{
    free(p.first);
}

void pair_freed_twice(void)
{
    struct pair p;
    p.first = malloc(8);
    p.n = 1;
    free(p.first);
    pair_release(p);                    /* expect: double-free */
}

void pair_freed_once(void)
{
    struct pair p;
    p.first = malloc(8);
    p.n = 1;
    pair_release(p);
}

static void pair_clear(struct pair *p)
{
    free(p->first);
    p->first = NULL;
}

void pair_cleared_then_freed(void)
{
    struct pair p;
    p.first = malloc(8);
    pair_clear(&p);
    free(p.first);
}

/* A callee that frees every element of an array parameter, then the
 * array: p[i] with a variable i is not one place. */
static void free_all(char **a, int n)
{
    for (int i = 0; i < n; i++)
        free(a[i]);
    free(a);
}

void free_all_of_them(int n)
{
    char **a = calloc((size_t)n + 1, sizeof *a);
    if (!a)
        return;
    for (int i = 0; i < n; i++)
        a[i] = malloc(4);
    free_all(a, n);
}

/* A callee that frees what a record points to and clears it: the caller
 * may go on using the record itself. */
struct rec {
    char **names;
    size_t n;
    int valid;
};

void keep_rec(struct rec *r);

static void rec_clear(struct rec *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->names[i]);
    free(r->names);
    r->names = NULL;
    r->n = 0;
    r->valid = 0;
}

void rec_reuse(struct rec *r)
{
    rec_clear(r);
    r->valid = 1;
    keep_rec(r);
}

/* *(char **)(a + k * size) with a void *a parameter is not *a. */
void free_strings_at(void *a, size_t size, size_t n)
{
    for (size_t i = 1; i < n; i++)
        free(*(char **)((char *)a + size * i));
}

/* A callee that frees *pp and stores a new block there, called through a
 * char ** variable: the caller's pointer holds the new block (QA3 Q34). */
static void replace_str(char **pp)
{
    free(*pp);
    *pp = malloc(2);
}

int replace_through_pp(void)
{
    char *p = malloc(2);
    char **pp = &p;
    replace_str(pp);
    free(*pp);
    return 0;
}

/* A callee that frees a global the caller set (QA3 Q35). */
static char *gbuf_owned;

static void drop_gbuf(void)
{
    free(gbuf_owned);
}

void global_used_after_drop(void)
{
    gbuf_owned = malloc(4);
    drop_gbuf();
    gbuf_owned[0] = 1;                  /* expect: use-after-free */
}
