/* The correct forms of unreleased_bad.c: every borrow released before the
 * drop and before the next iteration, moves that put a value back or leave
 * the loop, a guard that sees the handle was moved. */
#include <ferrum/ferrum.h>

static void consume(fr_handle h) { fr_drop(&h); }

int released_each_round(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    for (int i = 0; i < n; i++) {
        int *p = fr_borrow_mut(h);
        *p = i;
        fr_release(h);
    }
    fr_drop(&h);
    return 0;
}

int moved_and_put_back(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    for (int i = 0; i < n; i++) {
        fr_handle g = fr_move(&h);
        h = g;
    }
    fr_drop(&h);
    return 0;
}

int moved_on_the_way_out(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    for (int i = 0; i < n; i++) {
        if (i == n - 1) {
            consume(fr_move(&h));
            break;
        }
    }
    fr_drop(&h); /* a no-op once moved */
    return 0;
}

int scoped_each_round(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    for (int i = 0; i < n; i++) {
        FR_WITH_BORROW_MUT(h, p) { *(int *)p = i; }
    }
    fr_drop(&h);
    return 0;
}

int borrow_across_loop(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *p = fr_borrow(h);
    int s = 0;
    for (int i = 0; i < n; i++)
        s += *p;
    fr_release(h);
    fr_drop(&h);
    return s;
}

int guarded_by_is_live(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    while (n-- > 0) {
        if (!fr_is_live(h))
            break;
        consume(fr_move(&h));
    }
    fr_drop(&h);
    return 0;
}

/* A borrow that gave NULL was refused (a handler returned): it holds
 * nothing, so dropping on that path is right (QA3 Q33). */
int refused_borrow(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int *p = fr_borrow_mut(h);
    if (!p) {
        fr_drop(&h);
        return -1;
    }
    *p = 1;
    fr_release(h);
    fr_drop(&h);
    return 0;
}

int refused_shared_borrow(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *p = fr_borrow(h);
    if (p == NULL) {
        fr_drop(&h);
        return -1;
    }
    int v = *p;
    fr_release(h);
    fr_drop(&h);
    return v;
}

/* A helper that releases the borrow its caller took (QA3 Q36). */
static void done(fr_handle h) { fr_release(h); }

int released_by_a_helper(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *p = fr_borrow(h);
    int v = *p;
    done(h);
    fr_drop(&h);
    return v;
}

/* A callee that keeps a copy of the handle (an iterator) does not move it:
 * only fr_move moves, and the owner still drops it (QA3 Q37). */
struct iter {
    fr_handle h;
    const int *cur;
};
static void iter_begin(struct iter *it, fr_handle h)
{
    it->h = h;
    it->cur = fr_borrow(h);
}
static void iter_end(struct iter *it)
{
    fr_release(it->h);
    it->cur = 0;
}

int iterated_then_dropped(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    struct iter it;
    iter_begin(&it, h);
    int v = *it.cur;
    iter_end(&it);
    fr_drop(&h);
    return v;
}
