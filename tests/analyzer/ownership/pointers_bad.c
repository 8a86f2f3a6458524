/* Handles behind pointers (`fr_handle *hp`): `*hp` is followed like a variable. */
#include <ferrum/ferrum.h>
struct account { long balance; };
FR_OWN_TYPE(account_own, struct account);

void ptr_double_drop(fr_handle *hp)
{
    fr_drop(hp);
    fr_drop(hp); /* expect: double-free */
}

void ptr_move_then_borrow(fr_handle *hp, fr_handle *out)
{
    *out = fr_move(hp);
    const struct account *a = fr_borrow(*hp); /* expect: use-after-move */
    (void)a;
}

void typed_ptr(account_own *hp)
{
    account_own_drop(hp);
    account_own_drop(hp); /* expect: double-free */
}

static void reset(fr_handle *hp)
{
    fr_drop(hp);
}

void caller_reset_twice(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    reset(&a);
    reset(&a); /* expect: double-free */
}

