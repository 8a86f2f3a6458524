/* Clean twins of loaded_ptr_bad.c: a pointer loaded from memory the
 * function does not track is freed, and the local is written (or not read)
 * before any later use. */
#include <stdlib.h>

struct ent { struct ent *next; int val; };
struct table { struct ent *buckets[64]; struct ent *first; };

int take_elem(struct ent **arr, int i)
{
    struct ent *e = arr[i];
    int v = e->val;
    free(e);
    arr[i] = NULL;
    return v;
}

void free_all(struct ent **arr, int n)
{
    for (int i = 0; i < n; i++) {
        struct ent *e = arr[i];
        free(e);
    }
}

int remove_key(struct table *t, unsigned h, int key)
{
    struct ent **pp = &t->buckets[h & 63];
    struct ent *e;
    while ((e = *pp) != NULL) {
        if (e->val == key) {
            *pp = e->next;
            free(e);
            return 0;
        }
        pp = &e->next;
    }
    return -1;
}

void clear_buckets(struct table *t)
{
    for (unsigned h = 0; h < 64; h++) {
        struct ent *e = t->buckets[h], *next;
        for (; e; e = next) {
            next = e->next;
            free(e);
        }
        t->buckets[h] = NULL;
    }
}

void reuse(struct ent **arr, int i)
{
    struct ent *e = arr[i];
    free(e);
    e = arr[i + 1];
    if (e)
        e->val = 0;
}

int freed_then_null(struct ent **arr, int i)
{
    struct ent *e = arr[i];
    free(e);
    e = NULL;
    return e == NULL;
}

/* prev is NULL or an entry loaded from the table: both branches of
 * `if (prev)` are taken */
int unlink_key(struct table *t, unsigned h, int key)
{
    struct ent *prev = NULL;
    struct ent *e = t->buckets[h & 63];
    while (e && e->val != key) {
        prev = e;
        e = e->next;
    }
    if (!e)
        return -1;
    if (prev)
        prev->next = e->next;
    else
        t->buckets[h & 63] = e->next;
    free(e);
    return 0;
}

/* the caller's block, or a new one: freed once either way */
void drop_one(struct ent **arr, int i, int fresh)
{
    struct ent *e = NULL;
    if (fresh)
        e = malloc(sizeof *e);
    else
        e = arr[i];
    if (e)
        free(e);
}
