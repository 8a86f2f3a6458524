/*
 * QA F9: a local pointer stands for its initializer only while the place
 * the initializer read is not stored to.  `old = w->a; w->a = malloc(...);
 * memcpy(w->a, old, n)` copies the old block into a fresh one (SQLite's
 * whereClauseInsert does exactly this).  restrict_stale_bad.c keeps the
 * overlaps that a store elsewhere does not excuse.
 */
#include <stdlib.h>
#include <string.h>

struct wc { int *a; int n; int *b; };

void field_reassigned(struct wc *w)
{
    int *old = w->a;
    w->a = malloc(64);
    if (w->a)
        memcpy(w->a, old, 16);
}

int field_grown(struct wc *w)
{
    int *old = w->a;
    w->a = malloc(sizeof(int) * (size_t)w->n * 2);
    if (w->a == 0) {
        w->a = old;
        return 0;
    }
    memcpy(w->a, old, sizeof(int) * (size_t)w->n);
    free(old);
    return 1;
}

void base_pointer_reassigned(struct wc *w, struct wc *other)
{
    int *old = w->a;
    w = other;
    memcpy(w->a, old, 16);
}

void element_reassigned(int **slots)
{
    int *old = slots[0];
    slots[0] = malloc(64);
    if (slots[0])
        memcpy(slots[0], old, 16);
}

void through_deref(int **pp)
{
    int *old = *pp;
    *pp = malloc(64);
    if (*pp)
        memcpy(*pp, old, 16);
}

void regrow(struct wc *w);

void changed_by_a_call(struct wc *w)
{
    int *old = w->a;
    regrow(w);
    memcpy(w->a, old, 16);
}
