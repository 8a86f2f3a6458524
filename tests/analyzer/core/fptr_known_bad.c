/* Calls through a function pointer whose target is certain (QA10 J3): a
 * local pointer, a local struct or array of pointers initialized with
 * functions of this file and never written again call that function, and
 * its summary applies as for a direct call. */
#include <stdlib.h>

static void sink_free(char *p) { free(p); }
static void sink_nothing(char *p) { (void)p; }

struct ops {
    void (*take)(char *);
    void (*peek)(char *);
};

void local_pointer_nonheap(void)
{
    char a[10];
    void (*fp)(char *) = sink_free;
    fp(a);                              /* expect: free-nonheap */
}

void local_pointer_leak(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    void (*fp)(char *) = sink_nothing;
    fp(p);
}                                       /* expect: leak */

void deref_call_double_free(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    free(p);
    void (*fp)(char *) = &sink_free;
    (*fp)(p);                           /* expect: double-free */
}

void struct_of_pointers(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    struct ops o = { sink_free, sink_nothing };
    o.peek(p);
}                                       /* expect: leak */

void array_of_pointers(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    free(p);
    void (*fs[2])(char *) = { sink_nothing, sink_free };
    fs[1](p);                           /* expect: double-free */
}

/* written again: the target is not certain, the old rule holds */
void reassigned(int c)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    free(p);
    void (*fp)(char *) = sink_nothing;
    if (c)
        fp = sink_free;
    fp(p);                              /* expect: use-after-free */
}

/* volatile: it may change under us, the target is not certain */
void volatile_pointer(void)
{
    char *p = malloc(10);
    if (p == NULL)
        return;
    free(p);
    void (*volatile fp)(char *) = sink_nothing;
    fp(p);                              /* expect: use-after-free */
}
