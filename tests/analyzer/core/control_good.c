/* Every statement kind, correct: must stay silent. */
#include <assert.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf env;

__attribute__((noreturn)) static void die(const char *m)
{
    fputs(m, stderr);
    exit(2);
}

static void fatal(const char *m)      /* never returns, no attribute: found by its summary */
{
    fputs(m, stderr);
    abort();
}

void noreturn_calls(int k)
{
    char *p = malloc(4);
    if (k == 1) {
        free(p);
        die("x");
    }
    if (k == 2) {
        free(p);
        fatal("y");
    }
    if (k == 3) {
        free(p);
        longjmp(env, 1);
    }
    if (k == 4) {
        free(p);
        exit(1);
    }
    free(p);
}

void assert_fail_path(char *p)
{
    char *q = malloc(4);
    assert(q != NULL);
    q[0] = *p;
    free(q);
}

void for_forever_return(void)
{
    char *p = malloc(4);
    for (;;) {
        if (p)
            break;
        p = malloc(4);
    }
    free(p);
}

void continue_ok(int n)
{
    while (n-- > 0) {
        char *p = malloc(4);
        if (!p)
            continue;
        p[0] = 1;
        free(p);
    }
}

void goto_cleanup(int a, int b)
{
    char *x = NULL, *y = NULL;
    x = malloc(4);
    if (!x)
        goto out;
    if (a)
        goto out;
    y = malloc(4);
    if (!y || b)
        goto out;
    x[0] = 1;
    y[0] = x[0];
out:
    free(y);
    free(x);
}

void switch_return(int k)
{
    char *p = malloc(4);
    switch (k) {
    case 0:
        free(p);
        return;
    case 1:
    case 2:
        free(p);
        break;
    default:
        free(p);
        return;
    }
}

void and_guard(char **pp)
{
    if (pp && *pp) {
        free(*pp);
        *pp = NULL;
    }
}

void or_guard(char *p)
{
    if (!p || p[0] == 0)
        return;
    free(p);
}

void ternary_value(int c)
{
    char *p = c ? malloc(4) : NULL;
    free(p);
}

void statement_expression(void)
{
    char *p = ({ char *t = malloc(4); t; });
    free(p);
}

void indirect_goto(int k)
{
    void *targets[] = { &&one, &&two };
    char *p = malloc(4);
    goto *targets[k & 1];
one:
    free(p);
    return;
two:
    free(p);
}

void empty_statements(void)
{
    char *p = malloc(1);
    ;
    {}
    free(p);
}
