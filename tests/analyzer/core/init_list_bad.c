/* A block allocated inside a struct initializer is tracked in its member
 * (QA16 Z1: `struct slot sl = { strdup(s), 0 };` and the designated form
 * were missed on c1d2e22; the same as a statement `sl.val = strdup(s);`
 * was found). */
#include <stdlib.h>
#include <string.h>

struct slot { char *val; int x; };
struct pair { int id; char *a; char *b; };

void positional_twice(const char *s)
{
    struct slot sl = { strdup(s), 0 };
    free(sl.val);
    free(sl.val);                       /* expect: double-free */
}

void designated_use(const char *s)
{
    struct slot sl = { .val = strdup(s) };
    if (!sl.val)
        return;
    free(sl.val);
    sl.val[0] = 0;                      /* expect: use-after-free */
}

int second_member_leak(const char *x)
{
    struct pair pr = { 1, strdup(x), NULL };
    if (!pr.a)
        return -1;
    return (int)strlen(pr.a);           /* expect: leak */
}

int designated_out_of_order(const char *x)
{
    struct pair pr = { .b = strdup(x), .id = 2 };
    if (!pr.b)
        return -1;
    free(pr.b);
    return pr.b[0];                     /* expect: use-after-free */
}

/* QA16 c12: the destructor in the struct's other member is known from the
 * same initializer, and reading sl.val does not change it */
typedef void (*dtor_fn)(void *);
static void str_dtor(void *p) { free(p); }
struct owned { void *val; dtor_fn dtor; };

int use_slot(const char *s)
{
    struct owned sl = { strdup(s), str_dtor };
    if (!sl.val)
        return -1;
    sl.dtor(sl.val);
    free(sl.val);                       /* expect: double-free */
    return 0;
}
