/*
 * examples/demo_owner.c — an owned handle used after it was moved away.
 *
 * A `struct account` is made with fr_own_new and handed to close_account(),
 * which takes ownership (fr_move) and drops it.  main() then reads the
 * balance through its old handle: in Rust, "borrow of moved value", a
 * compile error; in plain C, a read of freed memory that may well print
 * a plausible number.  ferrum stops at the read and reports where the
 * value was moved, where it was borrowed after the move and where it was
 * made, then aborts (FERRUM_OWNER=warn reports and goes on).
 *
 * scripts/demo.sh runs it as `build/examples/demo_owner`.
 */
#include <ferrum/ferrum.h>

#include <stdio.h>

struct account {
    long balance;
    int id;
};
FR_OWN_TYPE(account_own, struct account);

static __attribute__((noinline)) void close_account(account_own *acc)
{
    account_own mine = account_own_move(acc); /* ownership moves here */
    FR_WITH_BORROW(mine, a) { printf("closing account %d (balance %ld)\n", a->id, a->balance); }
    account_own_drop(&mine);
}

static __attribute__((noinline)) long balance_of(account_own acc)
{
    long b = -1;
    FR_WITH_BORROW(acc, a) { b = a->balance; } /* acc was moved away: reported */
    return b;
}

int main(void)
{
    account_own acc = account_own_new(fr_heap_allocator(), NULL);
    FR_WITH_BORROW_MUT(acc, a) {
        a->id = 7;
        a->balance = 250;
    }
    close_account(&acc);
    fflush(stdout);
    printf("balance after closing: %ld\n", balance_of(acc));
    return 0;
}
