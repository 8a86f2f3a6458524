/* Half of the cross-file fixpoint test (see test_fixpoint.py). */
#include <stdlib.h>

#include "chain.h"

static void release(char *p)
{
    free(p);
}

void bottom(char *p)
{
    release(p);
}

static void step(char *p)
{
    mid(p);
}

void top(char *p)
{
    step(p);
}

void l1(char *p) { l2(p); }
void l3(char *p) { l4(p); }
void l5(char *p) { l6(p); }

void h_top(fr_handle h)
{
    h_mid(h);
}

void h_bottom(fr_handle h)
{
    fr_drop(&h);
}

char *wrap(void)
{
    char *p = malloc(8);
    noop(p);
    return p;
}

void list_free(struct node *n)
{
    if (!n)
        return;
    rest_free(n->next);
    free(n);
}

/* Recursion inside one unit: summarized again until it settles. */
static void drain(char *p, int n)
{
    if (n == 0) {
        free(p);
        return;
    }
    drain(p, n - 1);
}

void drain_all(char *p)
{
    drain(p, 4);
}

void ping(char *p, int n)
{
    if (n <= 0) {
        free(p);
        return;
    }
    pong(p, n - 1);
}

/* Callers: the bugs are visible only with the whole chain's summaries. */
int use_after_top(void)
{
    char *p = malloc(8);
    if (!p)
        return 0;
    top(p);
    return p[0]; /* expect: use-after-free */
}

void deep_twice(void)
{
    char *p = malloc(8);
    l1(p);
    free(p); /* expect: double-free */
}

void handle_after_top(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
    h_top(h);
    fr_drop(&h); /* expect: double-free */
}

void same_handle_across_files(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(long), NULL);
    fr_handle g = fr_own_new(fr_heap_allocator(), sizeof(long), NULL);
    swap2(h, g);
    swap2(g, g); /* expect: borrow-conflict */
    fr_drop(&h);
    fr_drop(&g);
}

int correct_chain(void)
{
    char *p = malloc(8);
    if (!p)
        return 0;
    p[0] = 1;
    int v = p[0];
    top(p);
    return v;
}
