/* Stores written inside function-like macro bodies (QA F8): the store that
 * hands a block over is inside the macro, and every node the body builds
 * shares one expansion location.  libyaml's PUSH copies a struct holding a
 * fresh string onto a stack; the store `*((s)->top++) = (v)` is an
 * assignment, not the body's top-level ','.  No finding in this file. */
#include <stdlib.h>
#include <string.h>
#include "macro_store.h"

struct pair { char *a; int b; };
struct stack { struct pair *start, *end, *top; };

#define PUSH(s, v) (*((s)->top++) = (v), 1)
#define STORE_AND_COUNT(p, v, n) ((p) = (v), (n) + 1)
#define SETE *e = malloc(10)

int push_in_condition(struct stack *s)
{
    struct pair v;
    v.a = strdup("x");
    if (!v.a)
        return 0;
    if (!PUSH(s, v))
        return 0;
    return 1;
}

int push_statement(struct stack *s)
{
    struct pair v;
    v.a = strdup("x");
    if (!v.a)
        return 0;
    PUSH(s, v);
    return 1;
}

int push_without_macro(struct stack *s)
{
    struct pair v;
    v.a = strdup("x");
    if (!v.a)
        return 0;
    *((s)->top++) = (v);
    return 1;
}

int store_in_comma_macro(char **out, int n)
{
    char *p = malloc(8);
    n = STORE_AND_COUNT(*out, p, n);
    return n;
}

int object_macro_store(char **e)
{
    SETE;
    return 1;
}

struct entry { char *handle, *prefix; };
struct entries { struct entry *start, *end, *top; };

/* libyaml api.c: both strings go onto the stack, then the locals are
 * cleared for the next round */
int push_from_header_macro(struct ctx *context, struct entries *list, const char *h, const char *p)
{
    struct entry value = { NULL, NULL };
    value.handle = strdup(h);
    value.prefix = strdup(p);
    if (!value.handle || !value.prefix)
        goto error;
    if (!STACK_PUSH(context, *list, value))
        goto error;
    value.handle = NULL;
    value.prefix = NULL;
    return 1;
error:
    free(value.handle);
    free(value.prefix);
    return 0;
}
