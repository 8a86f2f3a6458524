/* A variable whose cleanup function frees it, freed by hand as well: the
 * cleanup frees it a second time when the scope ends (QA5 Q31, the
 * g_autofree / _cleanup_free_ shape, here with the macros of
 * cleanup_macros.h). */
#include <stdlib.h>
#include <string.h>
#include "cleanup_macros.h"

static void free_charp(char **p)
{
    free(*p);
}

int freed_by_hand(const char *s)
{
    __attribute__((cleanup(free_charp))) char *t = strdup(s);
    if (!t)
        return -1;
    int c = t[0];
    free(t);
    return c;                           /* expect: double-free */
}

void freed_on_one_exit(int fail)
{
    __attribute__((cleanup(free_charp))) char *t = malloc(8);
    if (!t)
        return;
    if (fail) {
        free(t);
        return;                         /* expect: double-free */
    }
    t[0] = 0;
}

int glib_style(const char *s)
{
    my_autofree char *t = strdup(s);
    if (!t)
        return -1;
    free(t);
    return 0;                           /* expect: double-free */
}

void systemd_style(void)
{
    _cleanup_free_ char *t = malloc(4);
    free(t);
}                                       /* expect: double-free */
