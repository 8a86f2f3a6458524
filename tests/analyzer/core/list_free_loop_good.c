/* A list freed node by node in a loop of the file (git's free_refs):
 * its summary frees the first node, so a caller that hands its copy to it
 * leaks nothing (git clone.c:542 was reported as leaked: the loop's
 * `while (ref)` NULL test took the freed first node for "not made"). */
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

int wanted(const struct ref *refs, int single)
{
    struct ref *head = NULL;
    if (single) {
        head = copy_ref(refs);
        free_refs(head);
    }
    return 0;
}
