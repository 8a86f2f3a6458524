/* An intrusive-list destructor: it gets the embedded link and frees the
 * container (container_of).  Its callers pass &it->l, an interior pointer,
 * and that is right: the callee frees the block it points into, not the
 * pointer itself (QA8 V4: Linux lists, libuv queues, systemd's LIST). */
#include <stddef.h>
#include <stdlib.h>

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

struct link { struct link *next; };
struct item { int v; struct link l; };
struct first { struct link l; int v; };

static void item_free(struct link *l)
{
    struct item *it = container_of(l, struct item, l);
    free(it);
}

void add_and_drop(void)
{
    struct item *it = malloc(sizeof *it);
    if (!it)
        return;
    it->v = 1;
    item_free(&it->l);
}

/* the whole list, each node freed through its link */
void drop_all(struct link *head)
{
    while (head) {
        struct link *next = head->next;
        item_free(head);
        head = next;
    }
}

/* the member at offset 0: the same address */
static void first_free(struct link *l)
{
    free(container_of(l, struct first, l));
}

void drop_first(void)
{
    struct first *f = malloc(sizeof *f);
    if (!f)
        return;
    first_free(&f->l);
}
