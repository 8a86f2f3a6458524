/* use-after-free: correct code that must stay silent. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

struct node {
    int value;
    struct node *next;
};

void free_list(struct node *head)
{
    while (head) {
        struct node *next = head->next;
        free(head);
        head = next;
    }
}

void free_list_for(struct node *head)
{
    struct node *n, *next;
    for (n = head; n != NULL; n = next) {
        next = n->next;
        free(n);
    }
}

void reassigned(void)
{
    char *p = malloc(4);
    free(p);
    p = malloc(8);
    if (p)
        p[0] = 1;
    free(p);
}

void set_null(void)
{
    char *p = malloc(4);
    free(p);
    p = NULL;
    if (p)
        p[0] = 1;
}

void sizeof_is_not_a_use(void)
{
    int *p = malloc(sizeof *p);
    free(p);
    size_t n = sizeof(*p);
    (void)n;
}

void correlated(int c)
{
    char *p = malloc(4);
    if (c)
        free(p);
    if (!c && p)
        p[0] = 1;           /* correlated with the free: not provably freed */
    if (!c)
        free(p);
}

void realloc_ok(size_t n)
{
    char *p = malloc(4);
    if (!p)
        return;
    char *q = realloc(p, n);
    if (!q) {
        p[0] = 0;           /* realloc failed: p is still ours */
        free(p);
        return;
    }
    q[0] = 1;
    free(q);
}

void compare_after_free(void)
{
    char *p = malloc(4);
    char *q = p;
    free(p);
    if (p == q)             /* comparing the value is not a use of the memory */
        puts("same");
}

void loop_realloc(size_t n)
{
    char *buf = NULL;
    for (size_t i = 0; i < n; i++) {
        char *nb = realloc(buf, i + 1);
        if (!nb) {
            free(buf);
            return;
        }
        buf = nb;
        buf[i] = 'a';
    }
    free(buf);
}

void assert_guard(char *p)
{
    assert(p != NULL);
    p[0] = 0;
    free(p);
}

void do_while_free(int n)
{
    do {
        char *p = malloc(2);
        if (!p)
            break;
        p[0] = (char)n;
        free(p);
    } while (--n > 0);
}

void print_pointer_after_free(void)
{
    char *p = malloc(4);
    free(p);
    printf("freed %p\n", (void *)p);    /* the value, not the memory */
}
