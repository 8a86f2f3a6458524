/* A block whose only pointer is a field of another block of the function,
 * freed without it (QA13 X7, a member forgotten in a destroy path: gcc
 * -fanalyzer reports it, clang --analyze does not). */
#include <stdlib.h>
#include <string.h>

struct s {
    char *name;
    int n;
};

void forgot_member(const char *n)
{
    struct s *s = malloc(sizeof *s);
    if (!s)
        return;
    s->name = strdup(n);
    free(s);                            /* expect: leak */
}

static void s_free(struct s *s)
{
    free(s);
}

int destroy_forgets(const char *n)
{
    struct s *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->name = strdup(n);
    if (!s->name) {
        free(s);
        return -1;
    }
    s->n = 1;
    s_free(s);                          /* expect: leak */
    return 0;
}
