/* Leaks next to leak_other_var_good.c's correlated forms: the paths kept
 * apart by another pointer's test still report the block on the paths on
 * which it exists and is lost. */
#include <stdlib.h>
#include <string.h>

const char *probe(int *err);
int ok(void);

/* env set: path may hold the block and nobody frees it */
int forgot(char *buf)
{
    const char *env = probe(NULL);
    char *path = NULL;
    if (!env && ok()) {
        env = "x";
        path = strdup(buf);
    }
    if (env)
        return 1;                       /* expect: leak */
    return 0;
}

/* the test names the wrong pointer: the block is made where env is NULL */
int inverted(char *buf)
{
    const char *env = probe(NULL);
    char *path = NULL;
    if (!env)
        path = strdup(buf);
    if (env) {
        free(path);
        return 1;
    }
    return 0;                           /* expect: leak */
}

/* a copy of a result that is NULL when the call sets its error flag: the
 * path with the flag clear still loses it */
const char *read_link(const char *path, int *err);

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int flag_clear(const char *path)
{
    int err;
    char *b = dup_or_null(read_link(path, &err));
    if (!err)
        return 1;                       /* expect: leak */
    free(b);
    return 0;
}
