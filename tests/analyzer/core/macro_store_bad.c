/* Leaks next to macros that build stores (QA F8's fix must not hide them):
 * the result of an allocating macro dropped, and a block stored by a
 * macro into a local that dies. */
#include <stdlib.h>
#include <string.h>
#include "macro_store.h"

#define DUP(x) strdup(x)
#define STORE_AND_COUNT(p, v, n) ((p) = (v), (n) + 1)

int dup_dropped(const char *s)
{
    char *t = DUP(s);
    if (!t)
        return 0;
    return 1;                           /* expect: leak */
}

int stored_in_local(int n)
{
    char *local;
    n = STORE_AND_COUNT(local, malloc(8), n);
    if (!local)
        return 0;
    return n;                           /* expect: leak */
}

/* the header macro stores the first string into the stack (no finding
 * for it when the push succeeds), but the second is never pushed nor freed */
struct entry2 { char *handle; };
struct entries2 { struct entry2 *start, *end, *top; };

int push_one_leak_other(struct ctx *context, struct entries2 *list, const char *h)
{
    struct entry2 value;
    value.handle = strdup(h);
    if (!value.handle)
        return 0;
    if (!STACK_PUSH(context, *list, value)) {
        free(value.handle);
        return 0;
    }
    char *extra = strdup(h);
    if (!extra)
        return 0;
    return 1;                           /* expect: leak */
}
