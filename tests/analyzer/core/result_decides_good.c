/* Ownership decided by the callee's result, handled right: no finding. */
#include <stdlib.h>
#include <string.h>

struct list { char *items[8]; int n; };

static int add_takes(struct list *l, char *item)
{
    if (l->n >= 8) {
        free(item);
        return -1;
    }
    l->items[l->n++] = item;
    return 0;
}

static int add_keeps(struct list *l, char *item)
{
    if (l->n >= 8)
        return -1;
    l->items[l->n++] = item;
    return 0;
}

/* returns the index on success: its sign is not known, no split */
static int put_index(struct list *l, char *item)
{
    if (l->n >= 8)
        return -1;
    l->items[l->n] = item;
    return l->n++;
}

int takes_ok(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    if (add_takes(l, s) < 0)
        return -1;
    return 0;
}

int keeps_ok(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    if (add_keeps(l, s) != 0) {
        free(s);
        return -1;
    }
    return 0;
}

int keeps_negated(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    if (!add_keeps(l, s))
        return 0;
    free(s);
    return -1;
}

/* the result not tested: whatever the callee did, it may keep it */
int keeps_untested(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    add_keeps(l, s);
    return 0;
}

int index_result(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    if (put_index(l, s) < 0) {
        free(s);
        return -1;
    }
    return 0;
}

/* fails only for a NULL item: a caller with a block always succeeds */
static int add_nonnull(struct list *l, char *item)
{
    if (!item)
        return -1;
    l->items[0] = item;
    return 0;
}

int nonnull_ok(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    if (add_nonnull(l, s) < 0)
        return -1;
    return 0;
}

/* the result kept in a variable, the item stored elsewhere before the
 * test: the failure path does not leak it */
void keep_elsewhere(char *item);

int keeps_then_stored(struct list *l)
{
    char *s = strdup("a");
    if (!s)
        return -1;
    int r = add_keeps(l, s);
    keep_elsewhere(s);
    if (r < 0)
        return -1;
    return 0;
}
