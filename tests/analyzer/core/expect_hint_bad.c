/* A hint does not hide a bug: the leak and the use after free behind
 * likely/unlikely are still found. */
#include <stdlib.h>

#define unlikely(x) __builtin_expect(!!(x), 0)

int leak_on_error(int fail)
{
    char *p = malloc(16);
    if (unlikely(p == NULL))
        return -1;
    if (unlikely(fail))
        return -2; /* expect: leak */
    free(p);
    return 0;
}

int use_after_free(void)
{
    char *p = malloc(16);
    if (unlikely(!p))
        return -1;
    free(p);
    if (unlikely(p[0] == 'x')) /* expect: use-after-free */
        return 1;
    return 0;
}
