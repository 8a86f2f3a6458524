/* Clean twin of return_freed_param_bad.c: the caller's pointer is freed
 * only on the paths that return something else. */
#include <stdlib.h>
#include <string.h>

char *normalize(char *s)
{
    char *out = strdup(s);
    if (!out)
        return s;
    if (!*out) {
        free(out);
        return s;
    }
    free(s);
    return out;
}

char *replace(char *s, int c)
{
    if (c) {
        free(s);
        return NULL;
    }
    return s;
}
