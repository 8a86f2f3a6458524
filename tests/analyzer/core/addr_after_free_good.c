/* Taking the address of a member of a freed block reads nothing, like
 * comparing the stale pointer (QA5 S4: dash relocates pointers into the
 * table realloc moved, `if (joff(jp)->ps == &jq->ps0)`). */
#include <stdlib.h>

struct s { int a; int b; };

int same_slot(struct s *keep)
{
    struct s *old = malloc(sizeof *old);
    if (!old)
        return -1;
    struct s *nw = realloc(old, 2 * sizeof *old);
    if (!nw) {
        free(old);
        return -1;
    }
    int moved = nw != old;
    int r = keep == &old->b;
    free(nw);
    return moved + r;
}

/* the same with an element of a freed array */
int same_elem(int *keep, size_t i)
{
    int *a = malloc(8 * sizeof *a);
    if (!a)
        return -1;
    free(a);
    return keep == &a[i];
}

/* an element of an array member (QA6 T3) */
struct t { int a; int arr[4]; };
int same_member_elem(int *keep)
{
    struct t *o = malloc(sizeof *o);
    if (!o)
        return 0;
    free(o);
    return keep == &o->arr[2];
}
