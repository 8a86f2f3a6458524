/* Clean forms of fptr_known_bad.c: the function a pointer certainly calls
 * does not touch a freed argument, frees what it is given, or keeps it
 * (Juliet's goodB2G sinks called through a pointer, QA10 J3's 32 false
 * alarms). */
#include <stdlib.h>

static void sink_free(char *p) { free(p); }
static void sink_nothing(char *p) { (void)p; }
static void sink_forget(char *p) { p = NULL; free(p); }
static char *kept;
static void sink_keep(char *p) { kept = p; }

struct ops {
    void (*take)(char *);
    void (*peek)(char *);
};

void freed_then_untouched(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    free(p);
    void (*fp)(char *) = sink_nothing;
    fp(p);
}

void freed_then_forgotten(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    free(p);
    void (*fp)(char *) = sink_forget;
    fp(p);
}

void freed_by_the_target(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    void (*fp)(char *) = sink_free;
    fp(p);
}

void kept_by_the_target(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    struct ops o = { sink_keep, sink_nothing };
    o.take(p);
}

void array_frees(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    void (*fs[2])(char *) = { sink_free, sink_free };
    fs[1](p);
}

/* through a typedef of the pointer type */
typedef void (*sink_fn)(char *);

void typedef_pointer(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    free(p);
    sink_fn fp = sink_nothing;
    fp(p);
}
