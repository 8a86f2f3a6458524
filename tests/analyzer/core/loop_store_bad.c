/* Loops that keep nothing: the block is lost whether the loop runs or not
 * (the bad twin of loop_store_good.c). */
#include <stdlib.h>

int *g;

int loop_reads_only(unsigned n)
{
    int *p = calloc(n + 1, sizeof *p);
    if (!p)
        return -1;
    int sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += p[i];
    return sum;                 /* expect: leak */
}

void loop_local_copy(unsigned n)
{
    int *p = malloc(4);
    int *q = NULL;
    for (unsigned i = 0; i < n; i++)
        q = p;
    (void)q;
}                               /* expect: leak */

/* a loop that frees (no store): the path that skips it still leaks */
void loop_frees_counted(int k)
{
    char *p = malloc(4);
    for (int i = 0; i < k; i++)
        free(p);                /* expect: double-free */
}                               /* expect: leak */
