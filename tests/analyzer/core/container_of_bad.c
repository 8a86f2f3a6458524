/* The bad twin of container_of_good.c: a callee that frees the pointer it
 * is given (no container_of) still makes &it->l an interior free. */
#include <stdlib.h>

struct link { struct link *next; };
struct item { int v; struct link l; };

static void link_free(struct link *l)
{
    free(l);
}

void drop_link(void)
{
    struct item *it = malloc(sizeof *it);
    if (!it)
        return;
    it->v = 1;
    link_free(&it->l);          /* expect: free-nonheap */
    free(it);
}

void free_member(void)
{
    struct item *it = malloc(sizeof *it);
    if (!it)
        return;
    free(&it->l);               /* expect: free-nonheap */
    free(it);
}
