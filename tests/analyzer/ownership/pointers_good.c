/* Handles behind pointers used correctly: no finding. */
#include <ferrum/ferrum.h>
struct account { long balance; };
FR_OWN_TYPE(account_own, struct account);

static void reset(fr_handle *hp)
{
    fr_drop(hp);
}

void caller_reset_once(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    reset(&a);
}

void ptr_refill(fr_handle *hp)
{
    fr_drop(hp);
    *hp = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_drop(hp);
}

void ptr_walk(fr_handle *hs, int n)
{
    for (fr_handle *hp = hs; hp < hs + n; hp++)
        fr_drop(hp);
}

void ptr_loop_reassign(fr_handle *a, fr_handle *b)
{
    fr_handle *hp = a;
    fr_drop(hp);
    hp = b;
    fr_drop(hp);
}

void ptr_store(fr_handle *out)
{
    *out = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
}

long ptr_borrow(const fr_handle *hp)
{
    const struct account *a = fr_borrow(*hp);
    long v = a->balance;
    fr_release(*hp);
    return v;
}
