/* Loop-carried use-after-free and double free (QA F14): a pointer freed in
 * one iteration and used, or freed again, before it is reassigned — in the
 * same iteration or the next one. */
#include <stdlib.h>

struct node {
    struct node *next;
    int v;
};

void while_free_then_next(struct node *n)
{
    while (n) {
        free(n);
        n = n->next;                    /* expect: use-after-free */
    }
}

void for_free_in_body(struct node *n)
{
    for (; n; n = n->next)              /* expect: use-after-free */
        free(n);
}

void do_free_then_next(struct node *n)
{
    do {
        free(n);
        n = n->next;                    /* expect: use-after-free */
    } while (n);
}

int read_value_after_free(struct node *n)
{
    int sum = 0;
    while (n) {
        struct node *next = n->next;
        free(n);
        sum += n->v;                    /* expect: use-after-free */
        n = next;
    }
    return sum;
}
