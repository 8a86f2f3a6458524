/*
 * examples/tutorial/01_owner_good.c — lesson 1: every value has one owner.
 *
 * One fr_handle owns one heap object.  The program reads and writes the
 * object only through borrows of that handle, and the owner ends the
 * object's life with fr_drop(), after which every copy of the handle is
 * dead.  Rust: `let acct = Box::new(Account { .. }); drop(acct);`
 */
#include <stdio.h>
#include <string.h>
#include <ferrum/ferrum.h>

struct account {
    char name[16];
    long balance;
};

int main(void)
{
    fr_handle acct = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);

    struct account *w = fr_borrow_mut(acct); /* exclusive: we write */
    strcpy(w->name, "alice");
    w->balance = 100;
    fr_release(acct);

    const struct account *r = fr_borrow(acct); /* shared: we read */
    printf("%s has %ld\n", r->name, r->balance);
    fr_release(acct);

    fr_drop(&acct); /* the owner is done: the object is freed */
    printf("live after drop: %s\n", fr_is_live(acct) ? "yes" : "no");
    return 0;
}
