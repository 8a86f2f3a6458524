/* Clean twins of init_list_bad.c: blocks allocated in struct initializers,
 * freed once or handed on. */
#include <stdlib.h>
#include <string.h>

struct slot { char *val; int x; };
struct pair { int id; char *a; char *b; };
struct outer { struct slot in; char *name; };

void positional(const char *s)
{
    struct slot sl = { strdup(s), 0 };
    free(sl.val);
}

char *designated_returned(const char *s)
{
    struct slot sl = { .x = 1, .val = strdup(s) };
    return sl.val;
}

int both_members(const char *x, const char *y)
{
    struct pair pr = { 0, strdup(x), strdup(y) };
    int n = pr.a && pr.b ? (int)(strlen(pr.a) + strlen(pr.b)) : -1;
    free(pr.a);
    free(pr.b);
    return n;
}

void stored(struct pair *out, const char *x)
{
    struct pair pr = { 3, strdup(x), NULL };
    *out = pr;
}

/* a nested struct without its own braces: the members after it are not
 * followed, and the block escapes as before */
char *nested(const char *x)
{
    struct outer o = { { NULL, 0 }, strdup(x) };
    return o.name;
}

void zeroed(void)
{
    struct pair pr = { 0 };
    free(pr.a);
}

/* an unnamed bit-field takes no initializer: the positions after it are
 * not followed (strdup's block is x.p, keep is x.q) */
struct bits { int a : 3; int : 5; char *p; char *q; };

void unnamed_bitfield(const char *s, char *keep)
{
    struct bits x = { 1, strdup(s), keep };
    free(x.q);
    free(x.p);
}

typedef void (*dtor_fn)(void *);
static void str_dtor(void *p) { free(p); }
struct owned { void *val; dtor_fn dtor; };

int use_slot(const char *s)
{
    struct owned sl = { strdup(s), str_dtor };
    if (!sl.val)
        return -1;
    sl.dtor(sl.val);
    return 0;
}

/* the destructor member rewritten: the call is not followed */
void other_dtor(const char *s, dtor_fn d)
{
    struct owned sl = { strdup(s), str_dtor };
    sl.dtor = d;
    sl.dtor(sl.val);
}
