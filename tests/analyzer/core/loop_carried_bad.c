/* Loop-carried use-after-free and double free (QA F14): a pointer freed in
 * one iteration and used, or freed again, before it is reassigned — in the
 * same iteration or the next one. */
#include <stdio.h>
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

void free_in_counted_loop(int k)
{
    char *p = malloc(4);
    for (int i = 0; i < k; i++)
        free(p);                        /* expect: double-free */
}                                       /* expect: leak (k == 0) */

void free_in_two_iterations(void)
{
    char *p = malloc(4);
    for (int i = 0; i < 2; i++)
        free(p);                        /* expect: double-free */
}

void close_in_while(FILE *out, const char *path, int k)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    while (k-- > 0) {
        fputc('x', f);                  /* expect: use-after-free */
        fclose(f);
    }
    (void)out;
}                                       /* expect: leak (k <= 0) */

void write_then_free_on_round_two(int k)
{
    char *p = malloc(4);
    if (!p)
        return;
    for (int i = 0; i < k; i++) {
        p[0] = 1;                       /* expect: use-after-free */
        if (i == 2)
            free(p);
    }
}                                       /* expect: leak (k <= 2) */

void use_then_free_on_round_three(void)
{
    char *p = malloc(8);
    if (!p)
        return;
    for (int i = 0; i < 8; i++) {
        p[i] = 0;                       /* expect: use-after-free */
        if (i == 3)
            free(p);
    }
}

void free_after_optional_step(char *p, int k, int x)
{
    for (int i = 0; i < k; i++) {
        if (x)
            p[0] = 1;                   /* expect: use-after-free */
        free(p);                        /* expect: double-free (round 2 frees it again when x is 0) */
    }
}
