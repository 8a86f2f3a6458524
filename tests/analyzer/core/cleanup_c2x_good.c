/* The C2x spelling of the cleanup attribute frees like the GNU one (QA3
 * Q31).  ferrum-test-args: -std=c2x */
#include <stdlib.h>
#include <string.h>

static void freep(void *pp)
{
    free(*(void **)pp);
}

int c2x_cleanup(void)
{
    [[gnu::cleanup(freep)]] char *p = malloc(10);
    if (!p)
        return -1;
    strcpy(p, "x");
    return p[0];
}
