/*
 * QA F9, the other side: stores that do not touch the place an alias was
 * read from leave the alias standing, so these overlaps are still found.
 */
#include <string.h>

struct wc { int *a; int n; int *b; };

void other_field_stored(struct wc *w, int *fresh)
{
    int *old = w->a;
    w->b = fresh;
    w->n = 4;
    memcpy(w->a, old, 16);        /* expect: restrict-overlap */
}

void other_variable_stored(struct wc *w, struct wc *v)
{
    int *old = w->a;
    v = w;
    memcpy(w->a, old, 16);        /* expect: restrict-overlap */
    (void)v;
}
