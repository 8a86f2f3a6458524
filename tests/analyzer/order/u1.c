/* The top of the chain: main's double free is seen only once u2_pass is known to
 * free, which takes the summaries of u2.c, u3.c and u4.c in turn. */
#include <stdlib.h>
#include <string.h>

#include "order.h"

int main(void)
{
    char *p = malloc(16);
    if (!p)
        return 1;
    strcpy(p, "x");
    u2_pass(p);
    u2_pass(p); /* expect: double-free */
    return 0;
}
