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
