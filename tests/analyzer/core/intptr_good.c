/* A pointer converted to an integer, offset or aligned, and converted back
 * still points into its block: returning or storing it keeps the block
 * (QA5 S7: gnulib's malloca, in most GNU packages). */
#include <stdint.h>
#include <stdlib.h>

/* gnulib malloca.c: the aligned pointer is returned, the offset back to the
 * block's start stored just before it */
void *mmalloca(size_t n)
{
    char *mem = malloc(n + 32);
    if (mem != NULL) {
        char *p = (char *)(((uintptr_t)mem + 1 + 15) & ~(uintptr_t)15);
        ((unsigned char *)p)[-1] = (unsigned char)(p - mem);
        return p;
    }
    return NULL;
}

void freea(void *p)
{
    if ((uintptr_t)p & 15) {
        char *mem = (char *)p - ((unsigned char *)p)[-1];
        free(mem);
    }
}

/* the integer itself is kept */
static uintptr_t saved;
void keep_as_integer(size_t n)
{
    char *mem = malloc(n);
    if (!mem)
        return;
    saved = (uintptr_t)mem + 0;
}

uintptr_t return_tagged(size_t n)
{
    void *mem = malloc(n);
    if (!mem)
        return 0;
    return (uintptr_t)mem | 1;
}

/* the distance between two pointers is an integer, not a pointer: the
 * block is freed once */
long span(size_t n)
{
    char *a = malloc(n);
    if (!a)
        return 0;
    char *b = a + n / 2;
    long d = (char *)b - (char *)a;
    free(a);
    return d;
}

/* rounding by division and product, and a constant XOR (QA6 T4) */
void *align_by_division(size_t n)
{
    char *mem = malloc(n + 64);
    if (!mem)
        return 0;
    return (void *)(((uintptr_t)mem + 63) / 64 * 64);
}

intptr_t mangled(void)
{
    char *s = malloc(8);
    if (!s)
        return 0;
    return (intptr_t)s ^ 0x5a5a;
}

/* a pointer handed to a function of the file as an integer, which stores
 * it (lighttpd ls-hpack's lshpack_arr_push(&arr, (uintptr_t) entry)) */
struct uarr { uintptr_t els[8]; unsigned n; };

static int uarr_push(struct uarr *a, uintptr_t v)
{
    if (a->n >= 8)
        return -1;
    a->els[a->n++] = v;
    return 0;
}

int push_entry(struct uarr *a)
{
    char *e = malloc(16);
    if (!e)
        return -1;
    if (uarr_push(a, (uintptr_t)e) != 0) {
        free(e);
        return -1;
    }
    return 0;
}
