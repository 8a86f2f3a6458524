/* A variable with a freeing cleanup function, freed by hand and then
 * cleared, or handed on: the cleanup frees nothing twice. */
#include <stdlib.h>
#include <string.h>
#include "cleanup_macros.h"

void cleared(void)
{
    _cleanup_free_ char *t = malloc(4);
    free(t);
    t = NULL;
}

char *stolen(const char *s)
{
    my_autofree char *t = strdup(s);
    if (!t)
        return NULL;
    char *r = t;
    t = NULL;
    return r;
}

void replaced(void)
{
    AUTO char *t = malloc(4);
    free(t);
    t = malloc(8);
}

void not_freeing(void)
{
    NOTED char *t = malloc(4);
    free(t);
}
