/* double-free: a pointer that may hold blocks of two allocation calls, one
 * of them freed with no branch between that free and the next (outside
 * tester QA10 J8, Juliet's variant 12). */
#include <stdlib.h>

int cond(void);
void use(char *);

void two_sites(void)
{
    char *p;
    if (cond()) {
        p = malloc(4);
        if (!p)
            exit(1);
        free(p);
    } else {
        p = malloc(8);
        if (!p)
            exit(1);
        use(p);
    }
    free(p);                            /* expect: double-free */
}

void site_or_null(int c)
{
    char *p = NULL;
    if (c) {
        p = malloc(4);
        free(p);
    }
    free(p);                            /* expect: double-free */
}
