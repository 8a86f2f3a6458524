/* The correct forms of allocator_end_bad.c: handles dropped, or no longer
 * used, before their arena or slab cache ends. */
#include <ferrum/ferrum.h>

int dropped_before_reset(void)
{
    fr_arena *a = fr_arena_create(0);
    fr_handle h = fr_own_new(fr_arena_allocator(a), 32, NULL);
    const char *r = fr_borrow(h);
    int c = r[0];
    fr_release(h);
    fr_drop(&h);
    fr_arena_reset(a);
    fr_arena_destroy(a);
    return c;
}

void left_to_the_slab(void)
{
    fr_slab *s = fr_slab_create("obj", 32, 16, NULL, NULL);
    fr_handle h = fr_own_new(fr_slab_allocator(s), 32, NULL);
    char *w = fr_borrow_mut(h);
    w[0] = 1;
    fr_release(h);
    fr_slab_destroy(s); /* drops h */
}

/* A child region destroyed alone: the parent's handles live on. */
int child_gone_parent_lives(void)
{
    fr_region *r = fr_region_create(NULL);
    fr_region *child = fr_region_create(r);
    fr_handle h = fr_own_new(fr_region_allocator(r), sizeof(int), NULL);
    fr_handle c = fr_own_new(fr_region_allocator(child), sizeof(int), NULL);
    (void)c;
    fr_region_destroy(child);
    const int *p = fr_borrow(h);
    int v = p ? *p : 0;
    fr_release(h);
    fr_region_destroy(r);
    return v;
}

/* A helper that destroys the region only when asked: nothing is known at
 * the call, nothing is reported. */
static void maybe_teardown(fr_region *r, int now)
{
    if (now)
        fr_region_destroy(r);
}

int region_kept_by_the_helper(int now)
{
    fr_region *r = fr_region_create(NULL);
    fr_handle h = fr_own_new(fr_region_allocator(r), sizeof(int), NULL);
    maybe_teardown(r, now);
    if (now)
        return 0;
    const int *p = fr_borrow(h);
    int v = p ? *p : 0;
    fr_release(h);
    fr_region_destroy(r);
    return v;
}
