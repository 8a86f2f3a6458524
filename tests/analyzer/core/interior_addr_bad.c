/* An interior pointer spelled `&p[k]` (k > 0) or `&p->member` (not the
 * first) is freed like `p + k` (QA5 S21). */
#include <stdlib.h>

struct h { int n; char data[8]; long tail; };

void element(void)
{
    int *a = malloc(16);
    if (!a)
        return;
    free(&a[1]);                        /* expect: free-nonheap */
}

void through_a_copy(void)
{
    char *s = malloc(16);
    if (!s)
        return;
    char *t = &s[4];
    free(t);                            /* expect: free-nonheap */
}

void member(void)
{
    struct h *p = malloc(sizeof *p);
    if (!p)
        return;
    free(&p->tail);                     /* expect: free-nonheap */
}
