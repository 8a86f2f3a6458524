/* Findings through function-like macros name the argument as written, not
 * the macro (QA F26).
 * ferrum-test-stdout: 'buf' is freed twice
 * ferrum-test-stdout: 'data' is used after it was freed
 * ferrum-test-stdout: 'h->buf' is freed twice
 */
#include <stdlib.h>

#define MYFREE(p) free(p)
#define GET(p) ((p)[0])

struct holder {
    char *buf;
};

void free_twice_through_macro(void)
{
    char *buf = malloc(1);
    MYFREE(buf);
    MYFREE(buf);                        /* expect: double-free */
}

int read_through_macro(void)
{
    char *data = malloc(1);
    if (!data)
        return 0;
    data[0] = 1;
    free(data);
    return GET(data);                   /* expect: use-after-free */
}

void field_through_macro(struct holder *h)
{
    MYFREE(h->buf);
    MYFREE(h->buf);                     /* expect: double-free */
}
