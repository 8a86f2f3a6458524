/*
 * examples/tutorial/04_dangling_good.c — lesson 4: no reference outlives
 * its object.
 *
 * The borrow ends (fr_release) before the owner drops the object, and the
 * name that must survive the object is copied out into memory the caller
 * owns.  Rust: the borrow checker proves `r` is not used after `drop(s)`.
 */
#include <stdio.h>
#include <string.h>
#include <ferrum/ferrum.h>

struct user {
    char name[16];
};

/* The caller owns `out`: the result lives as long as the caller wants. */
static void user_name(fr_handle u, char *out, size_t n)
{
    const struct user *p = fr_borrow(u);
    snprintf(out, n, "%s", p->name);
    fr_release(u);
}

int main(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    struct user *w = fr_borrow_mut(u);
    strcpy(w->name, "bob");
    fr_release(u);

    char name[16];
    user_name(u, name, sizeof name);
    fr_drop(&u); /* no borrow is live: the drop goes ahead */
    printf("the user was %s\n", name);
    return 0;
}
