/* double-free: the same block released twice on every path. */
#include <stdlib.h>
#include <stdio.h>

void twice(void)
{
    char *p = malloc(8);
    free(p);
    free(p);                            /* expect: double-free */
}

void through_alias(void)
{
    char *p = malloc(8);
    char *q = p;
    free(p);
    free(q);                            /* expect: double-free */
}

void in_both_branches_then_again(int c)
{
    char *p = malloc(8);
    if (c > 3)
        free(p);
    else
        free(p);
    free(p);                            /* expect: double-free */
}

void error_path(int fail)
{
    char *buf = malloc(32);
    if (!buf)
        return;
    if (fail) {
        free(buf);
        goto out;
    }
    buf[0] = 0;
    free(buf);
out:
    free(buf);                          /* expect: double-free */
}

void param_twice(char *p)
{
    free(p);
    free(p);                            /* expect: double-free */
}

void close_twice(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return;
    fclose(f);
    fclose(f);                          /* expect: double-free */
}

struct holder { char *data; };

void field_twice(struct holder *h)
{
    free(h->data);
    free(h->data);                      /* expect: double-free */
}

void realloc_then_free_old(void)
{
    char *p = malloc(8);
    char *q = realloc(p, 16);
    if (q == NULL)
        return;                         /* expect: leak */
    free(p);                            /* expect: double-free */
    free(q);
}

void while_break(int n)
{
    char *p = malloc(8);
    while (n-- > 0) {
        if (n == 5) {
            free(p);
            break;
        }
    }
    if (n < 0)
        return;                         /* expect: leak (the path that ran to n < 0) */
    free(p);                            /* expect: double-free (after the break at n == 5) */
}

void comma_and_ternary(int c)
{
    char *p = malloc(4), *q;
    q = (free(p), p);
    c ? free(q) : free(q);              /* expect: double-free, double-free */
}

void after_a_long_loop(void)
{
    char *p = malloc(100);
    if (!p)
        return;
    for (int i = 0; i < 100; i++)      /* clang --analyze gives up on paths through this loop */
        p[i] = (char)i;
    free(p);
    free(p);                            /* expect: double-free */
}

/* A case that frees and falls through into one that frees again: every
 * execution of case 1 frees twice, though case 2 alone is fine. */
void switch_fallthrough_frees_twice(int k)
{
    char *p = malloc(8);
    switch (k) {
    case 1:
        free(p);
        /* fall through */
    case 2:
        free(p);                        /* expect: double-free */
        break;
    default:
        free(p);
    }
}

/* The same through a label: the path from the first free to the second
 * takes no branch. */
void free_then_goto_free(int k)
{
    char *p = malloc(8);
    if (k > 3) {
        free(p);
        goto done;
    }
    p[0] = 1;
done:
    free(p);                            /* expect: double-free */
}
