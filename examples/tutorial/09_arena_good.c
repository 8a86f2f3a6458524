/*
 * examples/tutorial/09_arena_good.c — lesson 9: arenas and slabs.
 *
 * Ownership rules do not require one malloc per object.  Short-lived
 * scratch data goes into an arena (a pointer bump; freed all at once by a
 * rewind), and many objects of one type come from a slab (a free list of
 * equal slots).  Handles work over any fr_allocator, so an object in a
 * slab is owned, moved, borrowed and dropped exactly like one on the heap.
 * Rust: bumpalo::Bump and typed_arena / slab::Slab.
 */
#include <stdio.h>
#include <string.h>
#include <ferrum/ferrum.h>

struct particle {
    float x, y;
};

int main(void)
{
    /* An arena: 1000 scratch strings, gone in one rewind. */
    fr_arena *scratch = fr_arena_create(0);
    fr_arena_mark start = fr_arena_save(scratch);
    size_t total = 0;
    for (int i = 0; i < 1000; i++) {
        char *s = fr_arena_alloc(scratch, 32);
        snprintf(s, 32, "token-%d", i);
        total += strlen(s);
    }
    printf("arena: 1000 strings, %zu characters\n", total);
    fr_arena_rewind(scratch, start); /* all 1000 at once */
    fr_arena_destroy(scratch);

    /* A slab: owned particles, each one a handle. */
    fr_slab *slab = fr_slab_create("particle", sizeof(struct particle), 16, NULL, NULL);
    fr_handle ps[100];
    for (int i = 0; i < 100; i++) {
        ps[i] = fr_own_new(fr_slab_allocator(slab), sizeof(struct particle), NULL);
        struct particle *p = fr_borrow_mut(ps[i]);
        p->x = (float)i;
        fr_release(ps[i]);
    }
    float sum = 0;
    for (int i = 0; i < 100; i++) {
        const struct particle *p = fr_borrow(ps[i]);
        sum += p->x;
        fr_release(ps[i]);
        fr_drop(&ps[i]); /* the slot goes back to the slab */
    }
    printf("slab: 100 particles, sum of x = %.0f\n", sum);
    fr_slab_destroy(slab);
    return 0;
}
