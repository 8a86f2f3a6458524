/* The allocation retried when the first one failed (git's do_xmalloc:
 * malloc(0) may return NULL, so ask for 1 byte): when the pointer is still
 * NULL after the retry, neither block exists, on every path (QA8 V19, git
 * wrapper.c:61). */
#include <stdlib.h>

void error(const char *, ...);
void die(const char *, ...) __attribute__((noreturn));

void *do_xmalloc(size_t size, int gentle)
{
    void *ret;

    ret = malloc(size);
    if (!ret && !size)
        ret = malloc(1);
    if (!ret) {
        if (!gentle)
            die("Out of memory");
        else {
            error("Out of memory");
            return NULL;
        }
    }
    return ret;
}

/* the same with a smaller fallback size */
char *buf_or_small(size_t want)
{
    char *b = malloc(want);
    if (!b)
        b = malloc(64);
    if (!b)
        return NULL;
    b[0] = 0;
    return b;
}

/* three tries */
void *three_tries(size_t n)
{
    void *p = malloc(n);
    if (!p)
        p = calloc(1, n);
    if (!p && n)
        p = malloc(1);
    if (p == NULL)
        return NULL;
    return p;
}
