/*
 * examples/tutorial/08_refcell_bad.c — lesson 8, broken: two exclusive
 * borrows of one object, decided at run time.
 *
 * transfer(x, x, ...) makes `a` and `b` the same account: with raw
 * pointers `a->balance -= 10; b->balance += 10;` silently does nothing (or
 * worse, if the compiler assumed they differ).  The default handler
 * reports the second exclusive borrow and stops, like RefCell's panic
 * "RefCell already borrowed".
 */
#include <stdio.h>
#include <ferrum/ferrum.h>

struct account {
    long balance;
};

__attribute__((noinline, noclone)) /* so that the report shows transfer() */
static void transfer(fr_handle from, fr_handle to, long amount)
{
    struct account *a = fr_borrow_mut(from);
    struct account *b = fr_borrow_mut(to);
    a->balance -= amount;
    b->balance += amount;
    fr_release(to);
    fr_release(from);
}

int main(int argc, char **argv)
{
    (void)argv;
    fr_handle x = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle y = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle to = argc > 5 ? y : x; /* chosen at run time: here, x */
    transfer(x, to, 10);
    printf("not reached\n");
    fr_drop(&x);
    fr_drop(&y);
    return 0;
}
