/*
 * examples/tutorial/08_refcell_good.c — lesson 8: borrows counted at run
 * time, like RefCell.
 *
 * transfer() borrows two accounts exclusively.  Whether they are the same
 * account is known only at run time, so no static checker can decide it;
 * the handle's borrow counter does.  A violation handler that returns turns
 * the violation into a failed borrow (NULL), like RefCell::try_borrow_mut.
 */
#include <stdio.h>
#include <ferrum/ferrum.h>

struct account {
    long balance;
};

static void refuse(const fr_violation *v, void *ctx)
{
    (void)ctx;
    printf("refused: %s\n", fr_violation_name(v->kind));
}

/* Moves `amount` from one account to the other; -1 when they alias. */
static int transfer(fr_handle from, fr_handle to, long amount)
{
    struct account *a = fr_borrow_mut(from);
    if (!a)
        return -1;
    struct account *b = fr_borrow_mut(to);
    if (!b) {
        fr_release(from);
        return -1;
    }
    a->balance -= amount;
    b->balance += amount;
    fr_release(to);
    fr_release(from);
    return 0;
}

int main(void)
{
    fr_set_violation_handler(refuse, NULL); /* try_borrow_mut semantics */
    fr_handle x = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle y = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);

    printf("x -> y: %d\n", transfer(x, y, 10));
    printf("x -> x: %d\n", transfer(x, x, 10)); /* same account: refused */

    const struct account *a = fr_borrow(x), *b = fr_borrow(y);
    printf("x = %ld, y = %ld\n", a->balance, b->balance);
    fr_release(y);
    fr_release(x);
    fr_drop(&x);
    fr_drop(&y);
    return 0;
}
