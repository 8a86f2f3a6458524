/* A pointer loaded from memory the function does not track (an array
 * element of a parameter, a bucket of a table reached through a pointer):
 * freed, then used or freed again through the same local, with no write to
 * that local in between (QA16 Z4: `e = arr[i]; free(e); return e->val;`
 * was missed while `e = *pp` was found). */
#include <stdlib.h>

struct ent { struct ent *next; int val; };
struct table { struct ent *buckets[64]; struct ent *first; };

int take_elem(struct ent **arr, int i)
{
    struct ent *e = arr[i];
    free(e);
    return e->val;                      /* expect: use-after-free */
}

int take_bucket(struct table *t, unsigned h)
{
    struct ent *e = t->buckets[h & 63];
    free(e);
    return e->val;                      /* expect: use-after-free */
}

int take_first_bucket(struct table *t)
{
    struct ent *e = *t->buckets;
    free(e);
    return e->val;                      /* expect: use-after-free */
}

int take_through_slot(struct table *t, unsigned h)
{
    struct ent **pp = &t->buckets[h & 63];
    struct ent *e = *pp;
    if (!e)
        return -1;
    *pp = e->next;
    free(e);
    return e->val;                      /* expect: use-after-free */
}

void drop_twice(struct ent **arr, int i)
{
    struct ent *e = arr[i];
    free(e);
    free(e);                            /* expect: double-free */
}

/* the hash-bucket unlink of QA16's c50: the entry found is freed, then
 * its successor is read through it */
int remove_key(struct table *t, unsigned h, int key)
{
    struct ent *prev = NULL;
    struct ent *e = t->buckets[h & 63];
    while (e && e->val != key) {
        prev = e;
        e = e->next;
    }
    if (!e)
        return -1;
    free(e);
    if (prev)
        prev->next = e->next;           /* expect: use-after-free */
    return 0;
}
