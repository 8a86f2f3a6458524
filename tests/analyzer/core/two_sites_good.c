/* Clean forms of two_sites_bad.c: the freed block is forgotten, or the
 * second free is under a test (a correlated condition the checker does not
 * follow), so no path certainly frees it twice. */
#include <stdlib.h>

int cond(void);
void use(char *);

void forgotten(void)
{
    char *p;
    if (cond()) {
        p = malloc(4);
        free(p);
        p = NULL;
    } else {
        p = malloc(8);
    }
    free(p);
}

void second_free_tested(int c)
{
    char *p;
    if (c) {
        p = malloc(4);
        free(p);
    } else {
        p = malloc(8);
    }
    if (!c)
        free(p);
}

void replaced(void)
{
    char *p;
    if (cond()) {
        p = malloc(4);
        free(p);
        p = malloc(16);
    } else {
        p = malloc(8);
    }
    free(p);
}
