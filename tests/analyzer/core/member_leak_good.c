/* Twins of member_leak_bad.c: the member is freed first, kept elsewhere,
 * handed on with its block, or freed by the destroy function. */
#include <stdlib.h>
#include <string.h>

struct s {
    char *name;
    int n;
};

void member_freed(const char *n)
{
    struct s *s = malloc(sizeof *s);
    if (!s)
        return;
    s->name = strdup(n);
    free(s->name);
    free(s);
}

char *member_kept(const char *n)
{
    struct s *s = malloc(sizeof *s);
    if (!s)
        return NULL;
    s->name = strdup(n);
    char *keep = s->name;
    free(s);
    return keep;
}

static void s_destroy(struct s *s)
{
    free(s->name);
    free(s);
}

void destroyed(const char *n)
{
    struct s *s = malloc(sizeof *s);
    if (!s)
        return;
    s->name = strdup(n);
    s_destroy(s);
}

struct s *returned(const char *n)
{
    struct s *s = malloc(sizeof *s);
    if (!s)
        return NULL;
    s->name = strdup(n);
    return s;
}

void register_s(struct s *s);

void handed_on(const char *n)
{
    struct s *s = malloc(sizeof *s);
    if (!s)
        return;
    s->name = strdup(n);
    register_s(s);
}

static char *g_name;

void member_in_global(const char *n)
{
    struct s *s = malloc(sizeof *s);
    if (!s)
        return;
    s->name = strdup(n);
    g_name = s->name;
    free(s);
}

void member_from_caller(struct s *s, const char *n)
{
    s->name = strdup(n);
}

void member_replaced(const char *n)
{
    struct s *s = malloc(sizeof *s);
    if (!s)
        return;
    s->name = strdup(n);
    free(s->name);
    s->name = NULL;
    free(s);
}
