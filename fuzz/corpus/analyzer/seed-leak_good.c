/* Ownership that leaves the function is not a leak: returned, stored in a
 * struct, moved, given to the region that drops it, or dropped. */
#include <ferrum/ferrum.h>

struct player { char name[16]; };
struct team { fr_handle players[2]; };

static fr_handle new_player(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct player), NULL);
    return h;
}

static void keep(struct team *t, int i)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct player), NULL);
    t->players[i] = h;
}

static void in_region(fr_region *r)
{
    fr_handle h = fr_own_new(fr_region_allocator(r), sizeof(struct player), NULL);
    (void)h;
}

int main(void)
{
    struct team t;
    keep(&t, 0);
    t.players[1] = new_player();
    fr_region *r = fr_region_create(NULL);
    in_region(r);
    fr_region_destroy(r);
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct player), NULL);
    fr_handle b = fr_move(&a);
    fr_drop(&b);
    fr_drop(&t.players[0]);
    fr_drop(&t.players[1]);
    return 0;
}
