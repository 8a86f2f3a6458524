/* The free at the end of the chain main.c -> buffer.c -> release.c: main.c's
 * findings need two rounds of the cross-file fixpoint (buffer_release frees
 * only once raw_free is known to free). */
#include <stdlib.h>

void raw_free(char *p);

void raw_free(char *p)
{
    free(p);
}
