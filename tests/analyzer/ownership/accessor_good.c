/* Accessors used correctly: the caller releases the borrow the accessor
 * returned before the next exclusive borrow and before the drop; a
 * function that releases what it borrowed is no accessor. */
#include <ferrum/ferrum.h>

struct account { long balance; };

static struct account *acct(fr_handle h) { return fr_borrow_mut(h); }

static long balance_of(fr_handle h)
{
    const struct account *a = fr_borrow(h);
    long v = a->balance;
    fr_release(h);
    return v;
}

long deposit(long amount)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    struct account *a = acct(h);
    a->balance = amount;
    fr_release(h);
    struct account *b = acct(h);
    b->balance += amount;
    fr_release(h);
    long v = balance_of(h);
    fr_drop(&h);
    return v;
}

long try_access(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    struct account *a = acct(h);
    if (!a) {
        fr_drop(&h);
        return -1;
    }
    long v = a->balance;
    fr_release(h);
    fr_drop(&h);
    return v;
}
