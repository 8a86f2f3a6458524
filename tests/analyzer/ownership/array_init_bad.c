/* Handles copied into arrays by their initializers: an array element is
 * another name of the handle's object, so dropping both is a double drop
 * (QA6 T5: plain arrays of handles, and designated array indices). */
#include <ferrum/ferrum.h>

struct box { fr_handle h; int n; };

static fr_handle mk(void) { return fr_own_new(fr_heap_allocator(), 8, NULL); }

void array_of_handles(void)
{
    fr_handle a = mk(), b = mk();
    fr_handle arr[2] = { a, b };
    fr_drop(&arr[0]);
    fr_drop(&arr[1]);
    fr_drop(&a); /* expect: double-free */
}

void designated_indices(void)
{
    fr_handle a = mk(), b = mk();
    struct box arr[2] = { [1] = { b, 1 }, [0] = { a, 0 } };
    fr_drop(&arr[1].h);
    fr_drop(&arr[0].h);
    fr_drop(&b); /* expect: double-free */
}

void designated_handles(void)
{
    fr_handle a = mk(), b = mk();
    fr_handle arr[3] = { [2] = a, [0] = b };
    fr_drop(&arr[0]);
    fr_drop(&arr[2]);
    fr_drop(&a); /* expect: double-free */
}

void positional_after_designator(void)
{
    fr_handle a = mk(), b = mk();
    fr_handle arr[3] = { [1] = a, b };
    fr_drop(&arr[1]);
    fr_drop(&arr[2]);
    fr_drop(&b); /* expect: double-free */
}
