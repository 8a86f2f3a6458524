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
