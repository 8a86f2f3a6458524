/* Clean forms of leak_some_paths_bad.c: a block allocated on some paths
 * and freed (or handed on) on every path on which it exists, including
 * frees under a condition correlated with the allocation's, which the
 * checker does not follow: they must stay silent. */
#include <stdlib.h>
#include <string.h>

void use(const char *);
void keep(char *);
int cond(void);
static char *saved;

void correlated_free(int c)
{
    char *p = NULL;
    if (c)
        p = malloc(10);
    use(p);
    if (c)
        free(p);
}

void correlated_call(void)
{
    int c = cond();
    char *p = NULL;
    if (c)
        p = malloc(10);
    use(p);
    if (c)
        free(p);
}

void freed_if_nonnull(int c)
{
    char *p = NULL;
    if (c)
        p = strdup("x");
    use(p);
    if (p)
        free(p);
}

void for_body_freed(int n)
{
    for (int i = 0; i < n; i++) {
        char *p = malloc(10);
        if (!p)
            exit(1);
        use(p);
        free(p);
    }
}

void while_body_kept(void)
{
    while (cond()) {
        char *p = malloc(10);
        if (!p)
            exit(1);
        keep(p);
    }
}

void switch_cases_freed(int k)
{
    char *p = NULL;
    switch (k) {
    case 1: p = strdup("one"); break;
    case 2: p = strdup("two"); break;
    default: break;
    }
    use(p);
    free(p);
}

static char *maybe(int k)
{
    return k ? strdup("x") : NULL;
}

void callee_may_return_null_freed(int k)
{
    char *p = maybe(k);
    use(p);
    free(p);
}

void stored_under_condition(int c)
{
    char *p = NULL;
    if (c)
        p = malloc(4);
    if (c)
        saved = p;
}

char *returned_under_condition(int c)
{
    char *p = NULL;
    if (c)
        p = malloc(4);
    return p;
}

void last_of_list(int n)
{
    char *prev = NULL;
    for (int i = 0; i < n; i++) {
        char *cur = malloc(8);
        if (!cur)
            break;
        free(prev);
        prev = cur;
    }
    free(prev);
}

/* the block exists exactly when the unsigned count is not 0 (tmux
 * status.c's completion menu): `size == 0` tells the paths apart */
static void *grow(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q)
        abort();
    return q;
}

char **counted(unsigned height)
{
    char **list = NULL;
    unsigned size = 0;
    while (cond()) {
        list = grow(list, (size + 1) * sizeof *list);
        list[size++] = NULL;
        if (size == height)
            break;
    }
    if (size == 0)
        return NULL;
    return list;
}
