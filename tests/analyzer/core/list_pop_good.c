/* A callee that frees *stack's head and advances *stack (git's pop_commit):
 * after pop(&list), list names the next node, so `while (list) pop(&list);`
 * frees each node once (QA8 V17, git commit.c:637, show-branch.c:504).  The
 * overwrite of *stack happens on one path only (`if (top)`), and the
 * callers here are themselves summarized (each has a caller), which is
 * where the false double free / use-after-free came from. */
#include <stdlib.h>

struct item { int v; struct list *parents; };
struct list { struct item *item; struct list *next; };
struct item *pop(struct list **stack);
void free_list(struct list *list);
void pop_twice(struct list *list);
void clear_slot(struct list **pp);

void reparse(struct item *it)
{
    free_list(it->parents);
    pop_twice(it->parents);
    it->parents = NULL;
}

void free_list(struct list *list)
{
    while (list)
        pop(&list);
}

void pop_twice(struct list *list)
{
    pop(&list);
    pop(&list);
}

struct item *pop(struct list **stack)
{
    struct list *top = *stack;
    struct item *item = top ? top->item : NULL;

    if (top) {
        *stack = top->next;
        free(top);
    }
    return item;
}

/* *pp set to NULL on the freeing path only */
void clear_slot(struct list **pp)
{
    struct list *t = *pp;
    if (t) {
        *pp = NULL;
        free(t);
    }
}

void clear_twice(struct list *l)
{
    clear_slot(&l);
    clear_slot(&l);
}

void users(struct list *l)
{
    clear_twice(l);
}
