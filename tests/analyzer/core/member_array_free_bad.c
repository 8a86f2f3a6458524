/* free() of an array member of the struct a parameter points to: the
 * array is inside the caller's block at a nonzero offset, never the start
 * of a block (QA16 Z7: on c1d2e22 this freed m, and the following free(m)
 * was reported as a double free). */
#include <stdlib.h>

struct msg { int id; char text[64]; };

void msg_destroy(struct msg *m)
{
    free(m->text);                      /* expect: free-nonheap */
    free(m);
}

void msg_clear(struct msg *m)
{
    free(m->text);                      /* expect: free-nonheap */
}
