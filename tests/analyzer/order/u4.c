/* The end of the chain: frees. */
#include <stdlib.h>

#include "order.h"

void u4_release(char *p)
{
    free(p);
}
