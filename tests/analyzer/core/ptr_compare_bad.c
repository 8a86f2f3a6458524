/* Pointer comparisons against a known address: on the edge where the
 * pointer equals a local array it is that array (QA5 S6's other side). */
#include <stdlib.h>

void free_when_local(int n)
{
    char buf[16];
    char *p = buf;
    if (n > 16)
        p = malloc(n);
    if (p == buf)
        free(p);                        /* expect: free-nonheap */
    else
        free(p);
}

void free_after_not_heap(int n)
{
    char buf[16];
    char *p = n > 16 ? malloc(n) : buf;
    if (p != buf)
        return;                         /* expect: leak */
    free(p);                            /* expect: free-nonheap */
}

char *return_when_local(int n)
{
    char buf[16];
    char *p = n > 3 ? malloc(n) : buf;
    if (p == buf)
        return p;                       /* expect: return-stack-address */
    return p;
}
