/* An allocation handed back through an out-parameter (QA13 X5): a function
 * of the file that stores new memory in *param (`int mk(char **out)`, the
 * constructor style `int foo_new(struct foo **out)`) gives the caller a
 * block to free, as one that returns it would.  clang --analyze and gcc
 * -fanalyzer report these; ferrum did not follow the block into the
 * caller. */
#include <stdlib.h>
#include <string.h>

static int mk(char **out)
{
    *out = malloc(10);
    return *out ? 0 : -1;
}

int leak_after_mk(void)
{
    char *s;
    if (mk(&s) < 0)
        return -1;
    s[0] = 0;
    return 0;                           /* expect: leak */
}

struct foo {
    char *name;
    int n;
};

static int foo_new(struct foo **out, const char *name)
{
    struct foo *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->n = (int)strlen(name);
    *out = f;
    return 0;
}

int leak_foo(const char *name)
{
    struct foo *f;
    if (foo_new(&f, name) != 0)
        return -1;
    return f->n;                        /* expect: leak */
}

/* a wrapper of the same kind passes the block on */
static int mk2(char **out)
{
    return mk(out);
}

int leak_through_wrapper(void)
{
    char *s = NULL;
    if (mk2(&s))
        return -1;
    s[1] = 'x';
    return 1;                           /* expect: leak */
}

int uaf_after_mk(void)
{
    char *s;
    if (mk(&s) < 0)
        return -1;
    free(s);
    return s[0];                        /* expect: use-after-free */
}

void double_free_after_mk(void)
{
    char *s;
    if (mk(&s) < 0)
        return;
    free(s);
    free(s);                            /* expect: double-free */
}

/* a constructor that frees its block on a failure path, and stores it
 * first: the caller still owns what it got on success */
static int init_part(struct foo *f)
{
    f->n = 0;
    f->name = NULL;
    return rand() ? 0 : -1;
}

static int foo_make(struct foo **out)
{
    struct foo *f = malloc(sizeof *f);
    if (!f)
        return -1;
    *out = f;
    if (init_part(f) < 0) {
        free(f);
        *out = NULL;
        return -1;
    }
    return 0;
}

int leak_foo_make(void)
{
    struct foo *f;
    if (foo_make(&f) < 0)
        return -1;
    f->n = 3;
    return 0;                           /* expect: leak */
}

/* the helper that may leave *out alone (an early failure return) */
static int get_copy(char **out, const char *src)
{
    if (!src)
        return -1;
    *out = strdup(src);
    return *out ? 0 : -1;
}

int leak_copy(const char *src)
{
    char *c = NULL;
    if (get_copy(&c, src) < 0)
        return -1;
    return c[0];                        /* expect: leak */
}

/* a helper that reallocs *b (QA13 X5, mem3/bad_uaf_after_helper_realloc.c):
 * where it succeeds the caller's old pointer is dangling */
static int grow(char **b, size_t *cap)
{
    char *t = realloc(*b, *cap * 2);
    if (!t)
        return -1;
    *b = t;
    *cap *= 2;
    return 0;
}

int uaf_after_grow(void)
{
    size_t cap = 8;
    char *b = malloc(cap);
    if (!b)
        return -1;
    char *old = b;
    if (grow(&b, &cap) < 0) {
        free(b);
        return -1;
    }
    int r = old[0];                     /* expect: use-after-free */
    free(b);
    return r;
}

/* a setter that replaces *p with a copy: the copy is the caller's */
static void set_str(char **p, const char *s)
{
    free(*p);
    *p = strdup(s);
}

void leak_after_set(void)
{
    char *s = NULL;
    set_str(&s, "a");
    set_str(&s, "b");
    if (s)
        s[0] = 'c';
}                                       /* expect: leak */
