/* Twins of outparam_alloc_bad.c that must stay silent: the block handed
 * back through *param is freed, passed on or stored by the caller, and
 * helpers that keep their own copy of it, or return it too, do not give it
 * to the caller alone. */
#include <stdlib.h>
#include <string.h>

static int mk(char **out)
{
    *out = malloc(10);
    return *out ? 0 : -1;
}

int freed(void)
{
    char *s;
    if (mk(&s) < 0)
        return -1;
    s[0] = 0;
    free(s);
    return 0;
}

int freed_not_tested(void)
{
    char *s = NULL;
    mk(&s);
    free(s);
    return 0;
}

static char *g_keep;

int stored_in_global(void)
{
    char *s;
    if (mk(&s))
        return -1;
    g_keep = s;
    return 0;
}

int passed_on(char **res)
{
    return mk(res);
}

int passed_on_local(char **res)
{
    char *s;
    if (mk(&s) < 0)
        return -1;
    *res = s;
    return 0;
}

char *returned(void)
{
    char *s;
    if (mk(&s) < 0)
        return NULL;
    return s;
}

struct holder {
    char *buf;
};

int into_field(struct holder *h)
{
    return mk(&h->buf);
}

/* the helper keeps its own copy: not the caller's alone */
static char *g_last;

static int mk_kept(char **out)
{
    char *p = malloc(8);
    if (!p)
        return -1;
    g_last = p;
    *out = p;
    return 0;
}

int kept_by_helper(void)
{
    char *s;
    if (mk_kept(&s))
        return -1;
    s[0] = 1;
    return 0;
}

/* ... or returns it as well */
static char *mk_both(char **out)
{
    char *p = malloc(8);
    *out = p;
    return p;
}

int returned_and_stored(void)
{
    char *s;
    char *r = mk_both(&s);
    free(r);
    return 0;
}

/* the helper may leave *out alone (NULL here, freed either way) */
static int maybe_set(char **out, int c)
{
    if (c)
        return -1;
    *out = strdup("x");
    return 0;
}

int keeps_old(int c)
{
    char *s = NULL;
    if (maybe_set(&s, c) < 0) {
        free(s);
        return -1;
    }
    free(s);
    return 0;
}

/* the failure path of a constructor that frees what it stored */
static int init_part(char *p)
{
    p[0] = 0;
    return rand() ? 0 : -1;
}

static int make_checked(char **out)
{
    char *p = malloc(16);
    if (!p)
        return -1;
    *out = p;
    if (init_part(p) < 0) {
        free(p);
        return -1;
    }
    return 0;
}

int failure_path(void)
{
    char *p;
    if (make_checked(&p) < 0)
        return -1;
    free(p);
    return 0;
}

/* a list of out-parameters filled in a loop, each freed */
int in_loop(int n)
{
    for (int i = 0; i < n; i++) {
        char *s;
        if (mk(&s) < 0)
            return -1;
        s[0] = (char)i;
        free(s);
    }
    return 0;
}

static int grow(char **b, size_t *cap)
{
    char *t = realloc(*b, *cap * 2);
    if (!t)
        return -1;
    *b = t;
    *cap *= 2;
    return 0;
}

int grown(void)
{
    size_t cap = 8;
    char *b = malloc(cap);
    if (!b)
        return -1;
    if (grow(&b, &cap) < 0) {
        free(b);
        return -1;
    }
    b[cap - 1] = 0;
    free(b);
    return 0;
}

int grow_unchecked(void)
{
    size_t cap = 8;
    char *b = malloc(cap);
    if (!b)
        return -1;
    grow(&b, &cap);
    free(b);
    return 0;
}

static void set_str(char **p, const char *s)
{
    free(*p);
    *p = strdup(s);
}

void set_twice(void)
{
    char *s = NULL;
    set_str(&s, "a");
    set_str(&s, "b");
    free(s);
}
