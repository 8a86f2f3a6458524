/* Frees: the callee of m1.c's hidden call. */
#include <stdlib.h>

#include "order.h"

void m2_release(char *p)
{
    free(p);
}
