/* leak: a block that is live on every path on which it exists, when its
 * last pointer dies, is leaked, even if other paths never allocate it
 * (outside tester QA10 J1/J9: a block allocated under a condition, in
 * each iteration of a loop, in some cases of a switch, or returned by a
 * callee that may return NULL, and never freed). */
#include <stdlib.h>
#include <string.h>

void use(const char *);
int cond(void);

void alloc_under_param(int c)
{
    char *p = NULL;
    if (c) {
        p = malloc(10);
        if (p == NULL)
            exit(1);
        strcpy(p, "x");
        use(p);
    }
}                                       /* expect: leak */

void alloc_under_call(void)
{
    char *p = NULL;
    if (cond()) {
        p = malloc(10);
        if (!p)
            return;
        use(p);
    }
}                                       /* expect: leak */

void for_body(int n)
{
    for (int i = 0; i < n; i++) {
        char *p = malloc(10);
        if (!p)
            exit(1);
        use(p);
    }
}                                       /* expect: leak */

void while_body(void)
{
    while (cond()) {
        char *p = malloc(10);
        if (!p)
            exit(1);
        use(p);
    }
}                                       /* expect: leak */

void switch_cases(int k)
{
    char *p = NULL;
    switch (k) {
    case 1: p = strdup("one"); break;
    case 2: p = strdup("two"); break;
    default: break;
    }
    use(p);
}                                       /* expect: leak */

static char *maybe(int k)
{
    return k ? strdup("x") : NULL;
}

void callee_may_return_null(int k)
{
    char *p = maybe(k);
    use(p);
}                                       /* expect: leak */

int returned_early(int c, int d)
{
    char *p = NULL;
    if (c)
        p = malloc(4);
    if (d)
        return -1;                      /* expect: leak */
    free(p);
    return 0;
}

void overwritten_under_condition(int c)
{
    char *p = NULL;
    if (c)
        p = malloc(4);
    p = malloc(8);                      /* expect: leak */
    free(p);
}
