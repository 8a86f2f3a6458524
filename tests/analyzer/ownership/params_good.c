/* Handles passed as parameters, used correctly: no finding. */
#include <stdio.h>
#include <ferrum/ferrum.h>

struct account { long balance; };
FR_OWN_TYPE(account_own, struct account);

static void consume(fr_handle h)
{
    fr_drop(&h);
}

static long peek(fr_handle h)
{
    const struct account *p = fr_borrow(h);
    long v = p->balance;
    fr_release(h);
    return v;
}

void take_by_value(fr_handle h);   /* unknown: may keep it */

void give_away(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    printf("%ld\n", peek(a));
    consume(a);
}

void give_to_unknown(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    take_by_value(a);
}

/* A parameter handle is not this function's to drop: no leak. */
long only_borrow(fr_handle h)
{
    return peek(h);
}

void param_drop_once(fr_handle h)
{
    if (fr_is_live(h))
        fr_drop(&h);
}

void param_move_on(account_own h, account_own *out)
{
    *out = account_own_move(&h);
}

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

void two_different(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle b = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    swap_balances(a, b);
    fr_drop(&a);
    fr_drop(&b);
}

/* Borrowed one after the other: the same handle for both is fine. */
static long sum(fr_handle x, fr_handle y)
{
    const struct account *a = fr_borrow(x);
    long v = a->balance;
    fr_release(x);
    const struct account *b = fr_borrow(y);
    v += b->balance;
    fr_release(y);
    return v;
}

/* Both shared: no conflict either. */
static long sum_shared(fr_handle x, fr_handle y)
{
    const struct account *a = fr_borrow(x), *b = fr_borrow(y);
    long v = a->balance + b->balance;
    fr_release(y);
    fr_release(x);
    return v;
}

long same_twice(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    long v = sum(a, a) + sum_shared(a, a);
    fr_drop(&a);
    return v;
}

/* One of two handles, neither of them the other argument: no conflict. */
void never_the_same(int c)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle b = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle d = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle other = c ? b : d;
    swap_balances(a, other);
    fr_drop(&a);
    fr_drop(&b);
    fr_drop(&d);
}

/* Borrows that do not overlap the callee's, and a try-borrow (tested for NULL). */
static void deposit_into(fr_handle h, long n)
{
    struct account *a = fr_borrow_mut(h);
    a->balance += n;
    fr_release(h);
}

static int try_deposit(fr_handle h)
{
    struct account *a = fr_borrow_mut(h);
    if (!a)
        return -1;
    a->balance++;
    fr_release(h);
    return 0;
}

void borrows_in_turn(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    const struct account *r = fr_borrow(h);
    long v = r->balance + peek(h);
    fr_release(h);
    deposit_into(h, v);
    struct account *w = fr_borrow_mut(h);
    if (try_deposit(h) == 0)
        w->balance = 0;
    fr_release(h);
    fr_drop(&h);
}
