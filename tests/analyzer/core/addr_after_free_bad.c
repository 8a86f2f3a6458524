/* The address of a member of a freed block, once used, is a use of the
 * freed block. */
#include <stdlib.h>
#include <string.h>

struct s { int a; int b; };

void write_member(void)
{
    struct s *p = malloc(sizeof *p);
    if (!p)
        return;
    free(p);
    int *q = &p->b;
    *q = 1;                             /* expect: use-after-free */
}

void clear_member(void)
{
    struct s *p = malloc(sizeof *p);
    if (!p)
        return;
    free(p);
    memset(&p->b, 0, sizeof p->b);      /* expect: use-after-free */
}

struct t { int a; int arr[4]; };
void clear_member_elem(void)
{
    struct t *o = malloc(sizeof *o);
    if (!o)
        return;
    free(o);
    memset(&o->arr[1], 0, 4);           /* expect: use-after-free */
}
