/*
 * examples/tutorial/07_drop_good.c — lesson 7: drop.
 *
 * The drop function given to fr_own_new() runs exactly once, when the
 * owner drops the object, just before its memory goes back.  An object that
 * owns other objects drops them in its own drop function, so one fr_drop()
 * releases a whole tree, innermost last, like Rust's `impl Drop`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ferrum/ferrum.h>

struct player {
    char name[16];
    char *notes; /* owned: malloc'd, freed by drop_player */
};

struct team {
    fr_handle players[2]; /* owned handles */
};

static void drop_player(void *obj)
{
    struct player *p = obj;
    printf("drop player %s\n", p->name);
    free(p->notes);
}

static void drop_team(void *obj)
{
    struct team *t = obj;
    printf("drop team\n");
    for (int i = 0; i < 2; i++)
        fr_drop(&t->players[i]);
}

static fr_handle new_player(const char *name)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct player), drop_player);
    struct player *p = fr_borrow_mut(h);
    snprintf(p->name, sizeof p->name, "%s", name);
    p->notes = strdup("plays well");
    fr_release(h);
    return h;
}

int main(void)
{
    fr_handle team = fr_own_new(fr_heap_allocator(), sizeof(struct team), drop_team);
    fr_handle ann = new_player("ann");
    fr_handle bo = new_player("bo");

    struct team *t = fr_borrow_mut(team);
    t->players[0] = fr_move(&ann); /* the team owns its players now */
    t->players[1] = fr_move(&bo);
    fr_release(team);

    fr_drop(&team); /* one drop releases the team and both players */
    printf("done\n");
    return 0;
}
