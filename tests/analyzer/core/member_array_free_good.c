/* Clean twins of member_array_free_bad.c: a pointer member freed, and an
 * array member at offset 0 (its address is the struct's own). */
#include <stdlib.h>

struct msg { int id; char *text; };
struct head { char tag[16]; int n; };

void msg_destroy(struct msg *m)
{
    free(m->text);
    free(m);
}

void head_destroy(struct head *h)
{
    free(h->tag);
}
