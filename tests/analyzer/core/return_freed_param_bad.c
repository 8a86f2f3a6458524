/* A function that frees its caller's pointer and then returns it: the
 * caller gets freed memory back (QA16 Z13: not reported on c1d2e22 unless
 * a caller in the analyzed code used the result). */
#include <stdlib.h>
#include <string.h>

char *normalize(char *s)
{
    char *out = strdup(s);
    if (!out)
        return s;
    free(s);
    if (!*out) {
        free(out);
        return s;                       /* expect: use-after-free */
    }
    return out;
}
