/* Handles made over an arena or a slab cache are dropped when it ends
 * (fr_arena_reset, fr_arena_destroy, fr_slab_destroy), as a region's are:
 * a later use is a use after free, a later drop a double drop, a borrow
 * still live there dangles (QA3 Q30: reset was not known to drop). */
#include <ferrum/ferrum.h>
#include <string.h>

int used_after_reset(void)
{
    fr_arena *a = fr_arena_create(0);
    fr_handle h = fr_own_new(fr_arena_allocator(a), 32, NULL);
    fr_arena_reset(a);
    const char *r = fr_borrow(h); /* expect: use-after-free */
    int c = r[0];
    fr_arena_destroy(a);
    return c;
}

void dropped_after_slab_destroy(void)
{
    fr_slab *s = fr_slab_create("obj", 32, 16, NULL, NULL);
    fr_handle h = fr_own_new(fr_slab_allocator(s), 32, NULL);
    fr_slab_destroy(s);
    fr_drop(&h); /* expect: double-free */
}

int borrowed_across_destroy(void)
{
    fr_arena *a = fr_arena_create(0);
    fr_handle h = fr_own_new(fr_arena_allocator(a), 32, NULL);
    char *w = fr_borrow_mut(h);
    fr_arena_destroy(a);
    return w[0]; /* expect: dangling-borrow */
}

/* Destroying a region destroys its children first: a handle made over a
 * child region is gone with the parent (QA5 S30). */
int handle_of_a_child_region(void)
{
    fr_region *r = fr_region_create(NULL);
    fr_region *child = fr_region_create(r);
    fr_handle h = fr_own_new(fr_region_allocator(child), sizeof(int), NULL);
    fr_region_destroy(r);
    const int *p = fr_borrow(h); /* expect: use-after-free */
    return p ? *p : 0;
}

/* A helper that destroys the region it is given ends the region's handles
 * at the call, in this file or another (summary h_region_ends; QA5 S30). */
static void teardown(fr_region *r)
{
    fr_region_destroy(r);
}

int handle_of_a_region_torn_down_by_a_helper(void)
{
    fr_region *r = fr_region_create(NULL);
    fr_handle h = fr_own_new(fr_region_allocator(r), sizeof(int), NULL);
    teardown(r);
    const int *p = fr_borrow(h); /* expect: use-after-free */
    return p ? *p : 0;
}
