/* Constant conditions are pruned: literals, enums, const globals, statics never written. */
#include <stdlib.h>

enum { DEBUG = 0, CHECKS = 1 };
static const int STATIC_CONST_TRUE = 1;
static int static_five = 5;             /* never written: a constant */
static int changes = 0;                 /* written by enable(): not a constant */
#define ALWAYS 1

void pruned_enum(void)
{
    char *p = malloc(4);
    if (DEBUG)
        free(p);
    free(p);                            /* clean: the first free is dead code */
}

void pruned_const_global(void)
{
    char *p = malloc(4);
    if (STATIC_CONST_TRUE)
        free(p);
    free(p);                            /* expect: double-free */
}

void pruned_static(void)
{
    char *p = malloc(4);
    if (static_five == 5)
        free(p);
    p[0] = 1;                           /* expect: use-after-free */
}

void enable(void)
{
    changes = 1;
}

void not_pruned(void)
{
    char *p = malloc(4);
    free(p);
    if (changes == 0)                   /* written in enable(): not folded */
        return;
    p[0] = 1;                           /* expect: use-after-free */
}

void pruned_literal(void)
{
    char *p = malloc(4);
    if (0)
        free(p);
    while (ALWAYS) {
        free(p);
        break;
    }
    free(p);                            /* expect: double-free */
}

void sizeof_condition(void)
{
    char *p = malloc(4);
    if (sizeof(int) > 1)
        free(p);
    free(p);                            /* expect: double-free */
}
