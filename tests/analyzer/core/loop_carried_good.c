/* Loops that free correctly must stay silent (companion of
 * loop_carried_bad.c): save the next pointer first, reassign after the free,
 * leave the loop after the free, or clear through an alias. */
#include <stdlib.h>

struct node {
    struct node *next;
    int v;
};

struct s {
    char *buf;
};

void reinit(struct s *x);
void get(char **pp);

void save_next_first(struct node *n)
{
    while (n) {
        struct node *next = n->next;
        free(n);
        n = next;
    }
}

void for_with_saved_next(struct node *n)
{
    struct node *nx;
    for (; n; n = nx) {
        nx = n->next;
        free(n);
    }
}

void break_after_free(struct node *n)
{
    for (;;) {
        if (!n)
            break;
        free(n);
        break;
    }
}

void free_and_reallocate(void)
{
    char *p = malloc(3);
    for (int i = 0; i < 3; i++) {
        free(p);
        p = malloc(3);
    }
    free(p);
}

void free_slots(char **v, int k)
{
    for (int i = 0; i < k; i++) {
        free(v[i]);
        v[i] = NULL;
    }
}

void refilled_through_address(void)
{
    char *p = malloc(3);
    free(p);
    get(&p);                /* writes a new block into p */
    if (p)
        p[0] = 1;
    free(p);
}

void field_reinitialized(struct s *x)
{
    free(x->buf);
    reinit(x);
    x->buf[0] = 1;
}

void pointer_value_after_free(struct node *n)
{
    while (n) {
        struct node *next = n->next;
        free(n);
        if (n == next)      /* compares the value, reads no memory */
            break;
        n = next;
    }
}

void free_then_leave(int k)
{
    char *p = malloc(4);
    for (int i = 0; i < k; i++) {
        if (i == 3) {
            free(p);
            return;
        }
    }
    free(p);
}

void free_on_last_round(char *p)
{
    for (int i = 0; i < 4; i++) {
        if (i == 3)
            free(p);
    }
}

void reallocate_each_round(int k)
{
    char *p = NULL;
    for (int i = 0; i < k; i++) {
        free(p);
        p = malloc(8);
        if (!p)
            return;
        p[0] = 1;
    }
    free(p);
}

void nested_loops_free_inner(char **rows, int n, int m)
{
    for (int i = 0; i < n; i++) {
        char *row = malloc(8);
        for (int j = 0; j < m; j++)
            if (row)
                row[0] = (char)j;
        free(row);
        rows[i] = NULL;
    }
}

void loop_until_done(void)
{
    char *p = malloc(4);
    int done = 0;
    while (!done) {         /* runs at least once: no zero-trip leak */
        free(p);
        done = 1;
    }
}

void free_after_loop(const char *s, int k)
{
    char *copy = malloc(16);
    for (int i = 0; i < k; i++)
        if (copy)
            copy[i % 16] = s[i];
    free(copy);
}

void use_then_free_on_last_round(char *p, int n)
{
    for (int i = 0; i < n; i++) {
        p[i] = 0;
        if (i == n - 1)
            free(p);
    }
}

void use_then_free_on_constant_last_round(void)
{
    char *p = malloc(8);
    if (!p)
        return;
    for (int i = 0; i < 8; i++) {
        p[i] = 0;
        if (i == 7)
            free(p);
    }
}
