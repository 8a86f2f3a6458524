/* A borrow a loop leaves live on its way out (a `break` or `goto` past
 * the fr_release) meets the drop after the loop on that path: the runtime
 * refuses the drop (drop-while-borrowed).  Reported when the drop follows
 * the loop with no branch in between, so that no test can tell the path
 * that holds the borrow from the one that released it (QA4 R5). */
#include <ferrum/ferrum.h>

int search_breaks_holding(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    for (int i = 0; i < n; i++) {
        const int *p = fr_borrow(h);
        if (*p > 3)
            break;
        fr_release(h);
    }
    fr_drop(&h); /* expect: dangling-borrow */
    return 0;
}

int while_breaks_holding(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int i = 0;
    while (i < n) {
        int *p = fr_borrow_mut(h);
        if (*p == i)
            break;
        fr_release(h);
        i++;
    }
    fr_drop(&h); /* expect: dangling-borrow */
    return i;
}

int goto_past_release(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    for (int i = 0; i < n; i++) {
        const int *p = fr_borrow(h);
        if (*p == i)
            goto out;
        fr_release(h);
    }
out:
    fr_drop(&h); /* expect: dangling-borrow */
    return 0;
}

int counted_break(int n)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    for (int i = 0; i < n; i++) {
        const int *p = fr_borrow(h);
        if (i > 3)
            break;
        fr_release(h);
        (void)p;
    }
    fr_drop(&h); /* expect: dangling-borrow */
    return 0;
}
