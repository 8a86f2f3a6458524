/* double-free: correct code that must stay silent. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void null_after_free(void)
{
    char *p = malloc(8);
    free(p);
    p = NULL;
    free(p);                    /* free(NULL) does nothing */
}

void one_owner(int fail)
{
    char *buf = malloc(32);
    if (fail)
        goto out;
    if (buf)
        buf[0] = 0;
out:
    free(buf);
}

void each_in_loop(int n)
{
    for (int i = 0; i < n; i++) {
        char *p = malloc(8);
        free(p);
    }
}

void maybe_freed(int c)
{
    char *p = malloc(8);
    if (c)
        free(p);
    if (!c)
        free(p);                /* correlated: never twice */
}

void realloc_grow(char **out, size_t n)
{
    char *p = malloc(8);
    char *q = realloc(p, n);
    if (q == NULL) {
        free(p);
        return;
    }
    *out = q;
}

void two_blocks(void)
{
    char *a = malloc(1), *b = malloc(1);
    free(a);
    free(b);
}

void switch_fallthrough(int k)
{
    char *p = malloc(8);
    switch (k) {
    case 1:
        if (p)
            p[0] = 1;
        /* fall through */
    case 2:
        free(p);
        p = NULL;
        break;
    default:
        break;
    }
    free(p);
}

void ternary_free(int c)
{
    char *a = malloc(2), *b = malloc(2);
    free(c ? a : b);
    free(c ? b : a);
}

void close_once(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    fclose(f);
    f = fopen(path, "r");
    if (f)
        fclose(f);
}

struct holder { char *buf; };

void aliased_struct_pointers(struct holder *p)
{
    struct holder *q = p;
    free(p->buf);
    q->buf = NULL;          /* p->buf is NULL too */
    free(p->buf);
}

void cleared_by_memset(struct holder *h)
{
    free(h->buf);
    memset(h, 0, sizeof *h);    /* h->buf is NULL now */
    free(h->buf);
}

void through_address_of_local(void)
{
    struct holder st;
    struct holder *p = &st;
    st.buf = malloc(4);
    free(p->buf);
    st.buf = NULL;          /* p->buf is st.buf */
    free(p->buf);
}

void through_pointer_to_pointer(void)
{
    char *p = malloc(4);
    char **pp = &p;
    free(p);
    *pp = NULL;             /* p is NULL now */
    free(p);
}
