/*
 * examples/tutorial/01_owner_bad.c — lesson 1, broken: two owners.
 *
 * `fr_handle b = a;` copies the handle, so two variables believe they own
 * the same object and both drop it.  With malloc/free this is a double
 * free (heap corruption, CVE material); with ferrum the second drop finds
 * a handle whose generation is stale and is reported, not executed.
 */
#include <stdio.h>
#include <ferrum/ferrum.h>

struct account {
    char name[16];
    long balance;
};

int main(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle b = a; /* a copy, not a move: now two "owners" */

    fr_drop(&a);
    fr_drop(&b); /* the same object, dropped a second time */
    printf("not reached\n");
    return 0;
}
