/* A "pop" that frees *stack's head but never advances *stack: the caller's
 * pointer still names the freed node (the bad twin of list_pop_good.c). */
#include <stdlib.h>

struct list { int *item; struct list *next; };

void drop_head(struct list **stack)
{
    struct list *top = *stack;
    if (top)
        free(top);
}

void drop_head_twice(struct list *l)
{
    drop_head(&l);
    drop_head(&l);             /* expect: double-free */
}

void drain_without_advance(struct list *l)
{
    while (l)
        drop_head(&l);         /* expect: double-free */
}

void local_list(void)
{
    struct list *l = malloc(sizeof *l);
    if (!l)
        return;
    l->next = NULL;
    drop_head(&l);
    drop_head(&l);             /* expect: double-free */
}

/* the head saved before a correct pop is freed by it */
struct list *pop_node(struct list **stack)
{
    struct list *top = *stack;
    struct list *next = NULL;
    if (top) {
        next = top->next;
        *stack = next;
        free(top);
    }
    return next;
}

void free_saved_head(void)
{
    struct list *l = malloc(sizeof *l);
    if (!l)
        return;
    l->next = NULL;
    struct list *old = l;
    pop_node(&l);
    free(old);                 /* expect: double-free */
}

void users(struct list *l)
{
    drop_head_twice(l);
    drain_without_advance(l);
}
