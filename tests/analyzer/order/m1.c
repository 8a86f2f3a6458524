/* A call the source text does not show (RELEASE_LATER is a macro of
 * order.h): the order guessed from the text is wrong, the fixpoint still
 * finds the bug, one round later. */
#include <stdlib.h>

#include "order.h"

int main(void)
{
    char *q = malloc(8);
    if (!q)
        return 1;
    RELEASE_LATER(q);
    q[0] = 0; /* expect: use-after-free */
    return 0;
}
