/* Every statement kind, with a bug that the control flow must carry. */
#include <setjmp.h>
#include <stdlib.h>

void for_forever(void)
{
    char *p = malloc(4);
    for (;;) {
        free(p);
        break;
    }
    p[0] = 0;                           /* expect: use-after-free */
}

void for_cond_only(int n)
{
    char *p = malloc(4);
    free(p);
    for (; n > 0;)
        n--;
    free(p);                            /* expect: double-free */
}

void for_init_only(void)
{
    char *p;
    for (p = malloc(4);;) {
        free(p);
        break;
    }
    free(p);                            /* expect: double-free */
}

void continue_then_use(int n)
{
    char *p = malloc(4);
    free(p);
    while (n-- > 0) {
        if (n & 1)
            continue;
        p[0] = 1;                       /* expect: use-after-free */
    }
}

void nested_loops(int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            char *p = malloc(1);
            free(p);
            free(p);                    /* expect: double-free */
        }
}

void backward_goto(int n)
{
    char *p = malloc(4);
again:
    if (n-- > 0)
        goto again;
    free(p);
    p[0] = 1;                           /* expect: use-after-free */
}

enum mode { MODE_READ = 1, MODE_WRITE = 2 };
static const enum mode mode = MODE_READ;

void switch_fallthrough_bug(void)
{
    char *p = malloc(4);
    switch (mode) {                     /* a constant: only `case MODE_READ` is taken */
    case MODE_READ:
        free(p);
        /* fall through (the bug) */
    case MODE_WRITE:
        free(p);                        /* expect: double-free */
        break;
    default:
        free(p);
    }
}

void and_or(char *a, int c)
{
    char *p = malloc(4);
    if (c && a) {
        free(p);
        p[0] = 1;                       /* expect: use-after-free */
    } else if (c || a) {
        free(p);
    } else {
        free(p);
    }
}

void comma_expression(void)
{
    char *p = malloc(4), *q;
    q = p, free(p);
    q[0] = 1;                           /* expect: use-after-free */
}

void ternary_statement(int c)
{
    char *p = malloc(4);
    c ? free(p) : free(p);
    free(p);                            /* expect: double-free */
}

void gnu_case_range(int k)
{
    char *p = malloc(4);
    switch (k) {
    case 1 ... 5:
        free(p);
        break;
    default:
        free(p);
        break;
    }
    free(p);                            /* expect: double-free */
}

void do_while_zero(void)
{
    char *p = malloc(4);
    do {
        free(p);
    } while (0);
    free(p);                            /* expect: double-free */
}

void leak_in_block_scope(int c)
{
    {
        char *p = malloc(4);
        if (c)
            return;                     /* expect: leak */
        free(p);
    }
}

void indirect_goto_bug(int k)
{
    void *targets[] = { &&one, &&two };
    char *p = malloc(4);
    free(p);
    goto *targets[k & 1];
one:
    p[0] = 1;                           /* expect: use-after-free */
    return;
two:
    p[1] = 1;                           /* expect: use-after-free */
}

void statement_expression_bug(void)
{
    char *p = ({ char *t = malloc(4); free(t); t; });
    p[0] = 0;                           /* expect: use-after-free */
}

void exit_only_on_one_side(int bad)
{
    char *p = malloc(4);
    if (bad) {
        free(p);
        exit(1);
    }
    free(p);
    free(p);                            /* expect: double-free */
}

void empty_statement_and_label(void)
{
    char *p = malloc(4);
    ;
done:
    free(p);
    p[0] = 1;                           /* expect: use-after-free */
    goto end;
end:
    ;
    (void)&&done;
}
