/* __attribute__((cleanup(f))) (QA F24): a local whose cleanup function
 * frees what it holds is released at every scope exit, as with systemd's
 * _cleanup_free_ and glib's g_autofree: no leak at any return. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void freep(void *pp)
{
    free(*(void **)pp);
}

static void *mfree(void *p)
{
    free(p);
    return NULL;
}

static void freep_via_helper(void *pp)
{
    *(void **)pp = mfree(*(void **)pp);
}

static void fclosep(FILE **f)
{
    if (*f)
        fclose(*f);
}

#define _cleanup_free_ __attribute__((cleanup(freep)))
#define _cleanup_(x) __attribute__((cleanup(x)))

int auto_free_early_return(void)
{
    _cleanup_free_ char *p = malloc(10);
    if (!p)
        return -1;
    strcpy(p, "x");
    return p[0];
}

char *ownership_taken_out(void)
{
    _cleanup_free_ char *p = malloc(10);
    char *r = p;
    p = NULL;
    return r;
}

int through_helper(int k)
{
    __attribute__((cleanup(freep_via_helper))) char *buf = malloc(32);
    if (!buf || k < 0)
        return -1;
    buf[0] = (char)k;
    return buf[0];
}

int nested_macro(const char *path)
{
    _cleanup_(fclosep) FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    return fgetc(f);
}

int reassigned(int k)
{
    _cleanup_free_ char *p = NULL;
    for (int i = 0; i < k; i++) {
        free(p);
        p = malloc(8);
        if (!p)
            return -1;
    }
    return 0;
}
