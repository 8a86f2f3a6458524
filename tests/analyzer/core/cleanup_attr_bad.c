/* __attribute__((cleanup(f))) whose function frees nothing: the block the
 * variable holds is still leaked (companion of cleanup_attr_good.c). */
#include <stdlib.h>

static int counter;

static void count_exit(void *pp)
{
    (void)pp;
    counter++;
}

int not_a_free(void)
{
    __attribute__((cleanup(count_exit))) char *p = malloc(10);
    if (!p)
        return -1;
    p[0] = 1;
    return p[0];                        /* expect: leak */
}
