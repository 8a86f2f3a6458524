/* `!p` in a macro, and `*&x`: the paths they tell apart still carry the
 * real bugs (companion of macro_not_good.c). */
#include <stdlib.h>
#include <string.h>

#define CHECK_ALLOC(s) do { if (!s) return 1; } while (0)

int leak_after_check(const char *p, int fail)
{
    char *d = strdup(p);
    CHECK_ALLOC(d);
    if (fail)
        return 2;                       /* expect: leak */
    free(d);
    return 0;
}

int use_after_free_deref_addr(const char *p)
{
    char *d = strdup(p);
    if (!d)
        return 1;
    free(*(&d));
    return d[0];                        /* expect: use-after-free */
}
