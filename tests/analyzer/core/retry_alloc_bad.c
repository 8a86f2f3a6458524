/* The bad twins of retry_alloc_good.c: a retry that does not wait for the
 * first allocation to fail, and a NULL test of one of two pointers that
 * both still hold their blocks. */
#include <stdlib.h>

void *retry_always(size_t size)
{
    void *ret = malloc(size);
    if (!size)
        ret = malloc(1);        /* expect: leak */
    if (!ret)
        return NULL;
    return ret;
}

int pick_one(int flag)
{
    char *a = malloc(8);
    char *b = malloc(8);
    char *r = flag ? a : b;
    if (!r)
        return -1;              /* expect: leak, leak */
    r[0] = 1;
    free(a);
    free(b);
    return 0;
}

void *retry_then_drop(size_t n)
{
    void *p = malloc(n);
    if (!p)
        p = malloc(1);
    if (!p)
        return NULL;
    return NULL;                /* expect: leak */
}
