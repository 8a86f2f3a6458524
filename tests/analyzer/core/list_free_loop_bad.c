/* list_free_loop_good.c's list freer, then the first node used or freed
 * again: the loop frees it on every path on which it exists. */
#include <stdlib.h>

struct ref {
    struct ref *next;
    char *name;
};

static void free_one(struct ref *r)
{
    free(r->name);
    free(r);
}

void free_refs(struct ref *ref)
{
    struct ref *next;
    while (ref) {
        next = ref->next;
        free_one(ref);
        ref = next;
    }
}

struct ref *copy_ref(const struct ref *r)
{
    struct ref *c = malloc(sizeof *c);
    if (c) {
        c->next = NULL;
        c->name = r->name ? malloc(8) : NULL;
    }
    return c;
}

int used_after(const struct ref *refs)
{
    struct ref *head = copy_ref(refs);
    if (!head)
        return -1;
    free_refs(head);
    return head->name != NULL;          /* expect: use-after-free */
}

void freed_twice(const struct ref *refs)
{
    struct ref *head = copy_ref(refs);
    free_refs(head);
    free(head);                         /* expect: double-free */
}
