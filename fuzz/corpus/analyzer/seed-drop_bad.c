/* double-free and use-after-free of handles: every copy goes stale at the drop. */
#include <ferrum/ferrum.h>

struct account { long balance; };
FR_OWN_TYPE(account_own, struct account);

void drop_twice(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_drop(&a);
    fr_drop(&a); /* expect: double-free */
}

void drop_copy(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle b = a;
    fr_drop(&a);
    fr_drop(&b); /* expect: double-free */
}

long borrow_stale_copy(void)
{
    account_own a = account_own_new(fr_heap_allocator(), NULL);
    account_own keep = a;
    account_own_drop(&a);
    const struct account *p = account_own_borrow(keep); /* expect: use-after-free */
    return p->balance;
}

static void finish(fr_handle h)
{
    fr_drop(&h);
}

void drop_after_callee_dropped(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    finish(a);
    fr_drop(&a); /* expect: double-free */
}
