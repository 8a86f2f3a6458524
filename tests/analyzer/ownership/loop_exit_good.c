/* Loops that leave a borrow live on one exit, written correctly: the path
 * that holds it is told apart by a test (the pointer, a flag, the counter)
 * or handed to a function that releases it, before the drop.  And
 * `(void)p` after the release only silences a warning: not a use. */
#include <ferrum/ferrum.h>

static void finish(fr_handle h) { fr_release(h); }

int release_if_found(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *found = NULL;
    for (int i = 0; i < n; i++) {
        const int *p = fr_borrow(h);
        if (*p > 3) {
            found = p;
            break;
        }
        fr_release(h);
    }
    if (found)
        fr_release(h);
    fr_drop(&h);
    return 0;
}

int release_by_flag(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int hit = 0;
    for (int i = 0; i < n; i++) {
        const int *p = fr_borrow(h);
        if (*p == i) {
            hit = 1;
            break;
        }
        fr_release(h);
    }
    if (hit)
        fr_release(h);
    fr_drop(&h);
    return hit;
}

int drop_only_when_loop_ran_out(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int i;
    for (i = 0; i < n; i++) {
        const int *p = fr_borrow(h);
        if (*p == i)
            break;
        fr_release(h);
    }
    if (i == n) {
        fr_drop(&h);
        return -1;
    }
    fr_release(h);
    fr_drop(&h);
    return i;
}

int released_by_helper(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int i;
    for (i = 0; i < n; i++) {
        const int *p = fr_borrow(h);
        if (*p == i)
            break;
        fr_release(h);
    }
    if (i < n)
        finish(h);
    fr_drop(&h);
    return i;
}

int voided_after_release(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *p = fr_borrow(h);
    int v = *p;
    fr_release(h);
    (void)p;
    (void) p;
    fr_drop(&h);
    return v;
}
