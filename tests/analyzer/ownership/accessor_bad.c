/* An accessor that returns a borrow of its handle argument leaves that
 * borrow live in the caller, as if the caller had taken it: the runtime
 * refuses a drop or a second exclusive borrow until fr_release (QA5 S26). */
#include <ferrum/ferrum.h>

struct account { long balance; };

static struct account *acct(fr_handle h) { return fr_borrow_mut(h); }
static const struct account *view(fr_handle h) { return fr_borrow(h); }

void drop_while_accessed(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    struct account *a = acct(h);
    a->balance = 1;
    fr_drop(&h); /* expect: dangling-borrow */
}

void two_accessors(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    struct account *a = acct(h);
    struct account *b = acct(h); /* expect: borrow-conflict */
    a->balance = b->balance;
    fr_release(h);
    fr_release(h);
    fr_drop(&h);
}

void view_then_mutate(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    const struct account *v = view(h);
    struct account *a = fr_borrow_mut(h); /* expect: borrow-conflict */
    a->balance = v->balance;
    fr_release(h);
    fr_release(h);
    fr_drop(&h);
}
