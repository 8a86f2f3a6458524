/*
 * examples/tutorial/04_dangling_bad.c — lesson 4, broken: a reference that
 * outlives its object.
 *
 * `p` points into the user while the owner drops it.  With malloc/free the
 * printf would read freed memory (and usually print what the next malloc
 * put there).  ferrum refuses to drop an object that is still borrowed.
 */
#include <stdio.h>
#include <string.h>
#include <ferrum/ferrum.h>

struct user {
    char name[16];
};

int main(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    struct user *w = fr_borrow_mut(u);
    strcpy(w->name, "bob");
    fr_release(u);

    const struct user *p = fr_borrow(u);
    fr_drop(&u);                       /* p still points into the user */
    printf("the user was %s\n", p->name);
    return 0;
}
