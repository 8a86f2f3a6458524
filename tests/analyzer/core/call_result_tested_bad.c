/* An allocation whose result is only tested, never stored (QA13 X4): the
 * block is lost on the path where it was made, and only there; the path
 * where the call failed has nothing to leak. */
#include <stdlib.h>
#include <string.h>

int strdup_tested(const char *s)
{
    if (strdup(s))
        return 1;                       /* expect: leak */
    return 0;
}

int malloc_compared(size_t n)
{
    if (malloc(n) == NULL)
        return -1;
    return 0;                           /* expect: leak */
}

int malloc_not(size_t n)
{
    if (!malloc(n))
        return -1;
    return 0;                           /* expect: leak */
}

int calloc_ne(size_t n)
{
    if (NULL != calloc(n, 1)) {
        return 1;                       /* expect: leak */
    }
    return 0;
}
