/* A pointer carried by an integer is still that pointer: losing the
 * integer loses the block. */
#include <stdint.h>
#include <stdlib.h>

int aligned_then_dropped(size_t n)
{
    char *mem = malloc(n + 16);
    if (!mem)
        return -1;
    uintptr_t u = ((uintptr_t)mem + 15) & ~(uintptr_t)15;
    mem = NULL;
    return (int)(u & 1);               /* expect: leak */
}

size_t remainder_only(void)
{
    char *s = malloc(8);
    if (!s)
        return 0;
    return (uintptr_t)s % 16;           /* expect: leak */
}

/* an offset or a tag made through an integer is inside the block: freeing
 * it is an interior free (QA6 T12, lost with the first S7 fix) */
void free_offset(void)
{
    char *p = malloc(48);
    if (!p)
        return;
    free((void *)((uintptr_t)p + 8));   /* expect: free-nonheap */
}

void free_tagged(void)
{
    char *p = malloc(48);
    if (!p)
        return;
    free((void *)((uintptr_t)p | 1));   /* expect: free-nonheap */
}
