/* Functions of the same file that free, keep or return memory are summarized. */
#include <stdlib.h>
#include <string.h>

struct obj { char *name; int refs; };

static void obj_free(struct obj *o)
{
    if (!o)
        return;
    free(o->name);
    free(o);
}

static struct obj *obj_new(const char *name)
{
    struct obj *o = malloc(sizeof *o);
    if (!o)
        return NULL;
    o->name = strdup(name);
    o->refs = 1;
    return o;
}

static char *dup_upper(const char *s)
{
    char *d = strdup(s);
    return d;
}

static struct obj *registry[16];

static void obj_register(struct obj *o, int slot)
{
    registry[slot & 15] = o;
}

static char *pass_through(char *p)
{
    return p;
}

void use_after_helper_free(void)
{
    struct obj *o = obj_new("a");
    obj_free(o);
    o->refs++;                          /* expect: use-after-free */
}

void helper_double_free(void)
{
    struct obj *o = obj_new("b");
    obj_free(o);
    obj_free(o);                        /* expect: double-free */
}

void leak_of_helper_result(void)
{
    struct obj *o = obj_new("c");
    if (o)
        o->refs = 2;
}                                       /* expect: leak */

void leak_of_dup(const char *s)
{
    char *u = dup_upper(s);
    (void)u;
}                                       /* expect: leak */

void registered_is_not_leaked(int slot)
{
    struct obj *o = obj_new("d");
    obj_register(o, slot);
}

void alias_through_return(void)
{
    char *p = malloc(4);
    char *q = pass_through(p);
    free(p);
    q[0] = 0;                           /* expect: use-after-free */
}

void fine(void)
{
    struct obj *o = obj_new("e");
    char *u = dup_upper("x");
    free(u);
    obj_free(o);
}
