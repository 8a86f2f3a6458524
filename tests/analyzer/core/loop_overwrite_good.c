/* Loops that allocate each iteration and keep or free the previous block:
 * silent. */
#include <stdlib.h>
#include <string.h>

struct node { struct node *next; };
void keep(void *p);

void free_before_next(int n)
{
    char *name = NULL;
    for (int i = 0; i < n; i++) {
        free(name);
        name = strdup("x");
    }
    free(name);
}

/* a sliding window of two blocks from one call: prev and cur are never
 * the same block */
void previous_kept_aside(int n)
{
    char *cur = NULL, *prev = NULL;
    for (int i = 0; i < n; i++) {
        free(prev);
        prev = cur;
        cur = malloc(8);
    }
    free(prev);
    free(cur);
}

void handed_over(int n)
{
    for (int i = 0; i < n; i++) {
        char *p = malloc(8);
        keep(p);
    }
}

void retry_until_allocated(void)
{
    char *p;
    int tries = 0;
    do {
        p = malloc(64);
    } while (!p && ++tries < 3);
    free(p);
}

struct node *build(int n)
{
    struct node *head = NULL;
    for (int i = 0; i < n; i++) {
        struct node *nd = malloc(sizeof *nd);
        if (!nd)
            break;
        nd->next = head;
        head = nd;
    }
    return head;
}
