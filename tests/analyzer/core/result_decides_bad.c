/* Ownership decided by the callee's result (QA5 S34): an "add" that frees
 * its argument when it fails, or keeps it only when it succeeds.  The
 * caller's test of the result tells which happened. */
#include <stdlib.h>
#include <string.h>

struct list { char *items[8]; int n; };

/* takes the item whatever happens: stores it, or frees it and fails
 * (a NULL item is refused: a caller with a block never gets there) */
static int add_takes(struct list *l, char *item)
{
    if (!item)
        return -1;
    if (l->n >= 8) {
        free(item);
        return -1;
    }
    l->items[l->n++] = item;
    return 0;
}

/* keeps the item only when it succeeds */
static int add_keeps(struct list *l, char *item)
{
    if (l->n >= 8)
        return -1;
    l->items[l->n++] = item;
    return 0;
}

/* the same with 1 for failure */
static int put(struct list *l, char *item)
{
    if (l->n >= 8)
        return 1;
    l->items[l->n++] = item;
    return 0;
}

int takes_then_free(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    if (add_takes(l, s) < 0) {
        free(s);                        /* expect: double-free */
        return -1;
    }
    return 0;
}

int takes_status_var(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    int r = add_takes(l, s);
    if (r != 0)
        free(s);                        /* expect: double-free */
    return r;
}

int keeps_not_freed(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    if (add_keeps(l, s) < 0)
        return -1;                      /* expect: leak */
    return 0;
}

int put_not_freed(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    if (put(l, s))
        return -1;                      /* expect: leak */
    return 0;
}
