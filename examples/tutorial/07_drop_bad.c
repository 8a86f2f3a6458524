/*
 * examples/tutorial/07_drop_bad.c — lesson 7, broken: a value never dropped.
 *
 * The early return leaves `p` owned by nobody: its drop function never
 * runs and its memory is never freed.  In a server that is a leak per
 * request; in Rust the compiler inserts the drop on every path.
 */
#include <stdio.h>
#include <string.h>
#include <ferrum/ferrum.h>

struct player {
    char name[16];
};

__attribute__((noinline, noclone)) /* so that the report shows register_player() */
static int register_player(const char *name)
{
    fr_handle p = fr_own_new(fr_heap_allocator(), sizeof(struct player), NULL);
    if (strlen(name) >= sizeof(struct player))
        return -1; /* p is never dropped on this path */
    struct player *w = fr_borrow_mut(p);
    strcpy(w->name, name);
    fr_release(p);
    fr_drop(&p);
    return 0;
}

int main(void)
{
    int rc = register_player("a name far too long for the field");
    printf("register_player: %d\n", rc);
    return 0;
}
