/* Handles passed as parameters: a function taking a handle by value and
 * dropping it consumes it; the handle parameter itself is checked too. */
#include <ferrum/ferrum.h>
#include <ferrum/annotate.h>

struct account { long balance; };
FR_OWN_TYPE(account_own, struct account);

static void consume(fr_handle h)
{
    fr_drop(&h);
}

static void keep(fr_handle h, fr_handle *slot)
{
    *slot = fr_move(&h);
}

void take_by_value(fr_handle h);   /* defined elsewhere, unknown */
void store_it(FR_TAKES fr_handle h);

void dropped_by_callee_then_borrowed(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    consume(a);
    const struct account *p = fr_borrow(a); /* expect: use-after-free */
    (void)p;
}

void moved_into_callee_then_dropped(fr_handle *slot)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    keep(a, slot);
    fr_drop(&a); /* expect: use-after-move */
}

void annotated_takes_then_used(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    store_it(a);
    fr_drop(&a); /* expect: use-after-move */
}

/* Inside the callee: the parameter is a handle like any other. */
void param_double_drop(fr_handle h)
{
    fr_drop(&h);
    fr_drop(&h); /* expect: double-free */
}

void param_use_after_move(account_own h, account_own *out)
{
    *out = account_own_move(&h);
    struct account *p = account_own_borrow_mut(h); /* expect: use-after-move */
    p->balance = 0;
}

long param_dangling(fr_handle h)
{
    const struct account *p = fr_borrow(h);
    fr_release(h);
    return p->balance; /* expect: dangling-borrow */
}

void param_conflict(fr_handle h)
{
    const struct account *r = fr_borrow(h);
    struct account *w = fr_borrow_mut(h); /* expect: borrow-conflict */
    w->balance = r->balance;
    fr_release(h);
}

/* Two handle parameters borrowed exclusively at once: the same handle for both is a conflict. */
static void swap_balances(fr_handle x, fr_handle y)
{
    struct account *a = fr_borrow_mut(x);
    struct account *b = fr_borrow_mut(y);
    long t = a->balance;
    a->balance = b->balance;
    b->balance = t;
    fr_release(y);
    fr_release(x);
}

void same_handle_twice(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    swap_balances(a, a); /* expect: borrow-conflict */
    fr_drop(&a);
}

void copy_given_twice(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle b = a;
    swap_balances(b, a); /* expect: borrow-conflict */
    fr_drop(&a);
}

/* The same handle on one path only: still the runtime's conflict there. */
void same_on_one_path(int c)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle b = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle other;
    if (c)
        other = b;
    else
        other = a;
    swap_balances(a, other); /* expect: borrow-conflict */
    fr_drop(&a);
    fr_drop(&b);
}

void same_by_condition(int c)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle b = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle other = c ? a : b;
    swap_balances(other, b); /* expect: borrow-conflict */
    fr_drop(&a);
    fr_drop(&b);
}

/* A function that borrows the handle it is given, called while the caller
 * holds a conflicting borrow (directly or two calls deep). */
static void deposit_into(fr_handle h, long n)
{
    struct account *a = fr_borrow_mut(h);
    a->balance += n;
    fr_release(h);
}
static long peek_at(fr_handle h)
{
    const struct account *a = fr_borrow(h);
    long v = a->balance;
    fr_release(h);
    return v;
}
static void via_deposit(fr_handle h) { deposit_into(h, 1); }
static int try_deposit(fr_handle h)
{
    struct account *a = fr_borrow_mut(h);
    if (!a)
        return -1;
    a->balance++;
    fr_release(h);
    return 0;
}
void caller_shared_callee_mut(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    const struct account *r = fr_borrow(h);
    deposit_into(h, 5); /* expect: borrow-conflict */
    (void)r->balance;
    fr_release(h);
    fr_drop(&h);
}
void caller_mut_callee_shared(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    struct account *w = fr_borrow_mut(h);
    w->balance = peek_at(h); /* expect: borrow-conflict */
    fr_release(h);
    fr_drop(&h);
}
void through_two_calls(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    const struct account *r = fr_borrow(h);
    via_deposit(h); /* expect: borrow-conflict */
    (void)r;
    fr_release(h);
    fr_drop(&h);
}
