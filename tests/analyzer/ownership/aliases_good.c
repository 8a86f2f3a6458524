/* Pointers to handles and handles in braces, used correctly: nothing to
 * report (and no leak for a handle dropped through its pointer). */
#include <ferrum/ferrum.h>

struct box { fr_handle h; int n; };

void drop_through_pointer(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle *ph = &h;
    const int *p = fr_borrow(*ph);
    int v = *p;
    fr_release(h);
    (void)v;
    fr_drop(ph);
}

void pointer_that_changes(int c)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle b = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle *ph = &a;
    if (c)
        ph = &b;
    fr_drop(ph);
    fr_drop(c ? &a : &b);
}

void box_owns_it(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, NULL);
    struct box bx = { a, 1 };
    fr_drop(&bx.h);
}

void designated_initializer(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, NULL);
    struct box bx = { .n = 2, .h = a };
    fr_drop(&bx.h);
}

/* A handle refilled through its alias after a drop through it (QA6 T10). */
void refill_through_pointer(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle *ph = &h;
    fr_drop(ph);
    *ph = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_drop(&h);
}

/* An array of boxes filled by braces, each handle dropped once. */
void array_of_boxes(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle b = fr_own_new(fr_heap_allocator(), 8, NULL);
    struct box arr[2] = { { a, 0 }, { b, 1 } };
    fr_drop(&arr[0].h);
    fr_drop(&arr[1].h);
}
