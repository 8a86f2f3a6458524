/* The other half of the cross-file fixpoint test (see test_fixpoint.py). */
#include <stdlib.h>

#include "chain.h"

void mid(char *p)
{
    bottom(p);
}

void l2(char *p) { l3(p); }
void l4(char *p) { l5(p); }
void l6(char *p) { free(p); }

void h_mid(fr_handle h)
{
    h_bottom(h);
}

void swap2(fr_handle x, fr_handle y)
{
    long *a = fr_borrow_mut(x);
    long *b = fr_borrow_mut(y);
    long t = *a;
    *a = *b;
    *b = t;
    fr_release(y);
    fr_release(x);
}

void noop(char *p)
{
    (void)p;
}

void rest_free(struct node *n)
{
    list_free(n);
}

void pong(char *p, int n)
{
    ping(p, n);
}

void user(void)
{
    char *q = wrap();
    if (q)
        q[0] = 0;
} /* expect: leak */

int use_list(struct node *h)
{
    list_free(h);
    return h->v; /* expect: use-after-free */
}

void ping_once(void)
{
    char *p = malloc(4);
    ping(p, 3);
}
