/* A pointer that only ever holds the address of a handle variable is
 * another name of that handle (`fr_handle *ph = &h`), and braces that give
 * a handle to a struct field copy it there, as an assignment would (QA5
 * S9).  The runtime reports each of these. */
#include <ferrum/ferrum.h>

struct box { fr_handle h; int n; };

static void drop_through(fr_handle *hp)
{
    fr_drop(hp);
}

void copy_by_initializer(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, NULL);
    struct box bx = { a, 0 };
    fr_drop(&bx.h);
    fr_drop(&a); /* expect: double-free */
}

void borrow_through_pointer_conflicts(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle *ph = &h;
    void *w = fr_borrow_mut(h);
    const void *r = fr_borrow(*ph); /* expect: borrow-conflict */
    (void)w;
    (void)r;
    fr_release(h);
    fr_release(h);
    fr_drop(&h);
}

void use_after_drop_through_pointer(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle *ph = &h;
    fr_drop(ph);
    const void *r = fr_borrow(h); /* expect: use-after-free */
    (void)r;
}

void dropped_by_helper_through_pointer(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle *ph = &h;
    drop_through(ph);
    fr_drop(&h); /* expect: double-free */
}

void copy_by_designated_initializer(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, NULL);
    struct box bx = { .n = 1, .h = a };
    fr_drop(&bx.h);
    fr_drop(&a); /* expect: double-free */
}

/* A pointer that once held &a and then changes does not hide a's own
 * uses: a double drop spelled on a is still one (QA6 T9). */
void pointer_moves_on(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle b = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle *p = &a;
    p = &b;
    (void)p;
    fr_drop(&a);
    fr_drop(&a); /* expect: double-free */
    fr_drop(&b);
}

/* Braces of an array of structs copy too (QA6 T5 b5). */
void copy_into_an_array_of_structs(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, NULL);
    struct box arr[2] = { { a, 0 }, { fr_own_new(fr_heap_allocator(), 8, NULL), 1 } };
    fr_drop(&arr[0].h);
    fr_drop(&arr[1].h);
    fr_drop(&a); /* expect: double-free */
}
