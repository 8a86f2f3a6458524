/* The bad twins of macro_align_good.c: the rounded pointer, made by a
 * macro, is dropped too, so the block is lost. */
#include <stdint.h>
#include <stdlib.h>

#define ALIGN16(p) ((char *)(((uintptr_t)(p) + 15) & ~(uintptr_t)15))
#define SAME(p, q) ((p) == (q))

int aligned_then_dropped(void)
{
    char *p = malloc(100);
    if (!p)
        return -1;
    char *q = ALIGN16(p);
    q[0] = 1;
    return q[0];                /* expect: leak */
}

int compared_in_macro(char *other)
{
    char *p = malloc(100);
    if (!p)
        return -1;
    int same = SAME(p, other);
    p = NULL;                   /* expect: leak */
    return same;
}
