/* `&p[0]` and the first member's address are the block's start. */
#include <stdlib.h>

struct h { int n; char data[8]; };

void first_element(void)
{
    int *a = malloc(16);
    if (!a)
        return;
    free(&a[0]);
}

void first_member(void)
{
    struct h *p = malloc(sizeof *p);
    if (!p)
        return;
    free(&p->n);
}

void back_to_start(void)
{
    char *s = malloc(16);
    if (!s)
        return;
    char *t = &s[4];
    t -= 4;
    free(t);
}
