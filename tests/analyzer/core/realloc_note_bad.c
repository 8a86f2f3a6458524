/* `p = realloc(p, n)` loses the block when realloc fails; the finding has a
 * note at the realloc (QA5 S28). */
/* ferrum-test-stdout: overwrote the pointer to it; realloc returns NULL and keeps the block when it fails */
#include <stdlib.h>

int grow(char **out, size_t n)
{
    char *p = malloc(16);
    if (!p)
        return -1;
    p = realloc(p, n);
    if (!p)
        return -1;                      /* expect: leak */
    *out = p;
    return 0;
}
