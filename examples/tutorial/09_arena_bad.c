/*
 * examples/tutorial/09_arena_bad.c — lesson 9, broken: a stale handle after
 * its slot was reused.
 *
 * A slab hands the freed slot of `old` to `fresh` at once, so a raw pointer
 * kept from `old` would now read `fresh` -- no crash, no valgrind error,
 * just the wrong object.  The handle's generation changed when `old` was
 * dropped, so ferrum tells the stale copy from the new owner.
 */
#include <stdio.h>
#include <ferrum/ferrum.h>

struct particle {
    float x, y;
};

int main(void)
{
    fr_slab *slab = fr_slab_create("particle", sizeof(struct particle), 16, NULL, NULL);
    fr_handle old = fr_own_new(fr_slab_allocator(slab), sizeof(struct particle), NULL);
    fr_handle copy = old; /* a stale copy, once old is dropped */
    fr_drop(&old);

    fr_handle fresh = fr_own_new(fr_slab_allocator(slab), sizeof(struct particle), NULL);
    const struct particle *p = fr_borrow(copy); /* the slot is fresh's now */
    printf("x = %f\n", p->x);
    fr_release(copy);
    fr_drop(&fresh);
    fr_slab_destroy(slab);
    return 0;
}
