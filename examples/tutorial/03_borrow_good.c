/*
 * examples/tutorial/03_borrow_good.c — lesson 3: shared and exclusive borrows.
 *
 * Any number of shared borrows (fr_borrow) may be live at once, or exactly
 * one exclusive borrow (fr_borrow_mut), never both.  Each borrow ends with
 * fr_release().  Rust: `let a = &v; let b = &v;` then `let m = &mut v;`
 */
#include <stdio.h>
#include <ferrum/ferrum.h>

struct counter {
    int value;
};

int main(void)
{
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct counter), NULL);

    const struct counter *a = fr_borrow(c); /* two readers at once: fine */
    const struct counter *b = fr_borrow(c);
    printf("readers see %d and %d\n", a->value, b->value);
    fr_release(c);
    fr_release(c);

    struct counter *m = fr_borrow_mut(c); /* no reader left: one writer */
    m->value += 1;
    fr_release(c);

    const struct counter *r = fr_borrow(c);
    printf("after the write: %d\n", r->value);
    fr_release(c);

    fr_drop(&c);
    return 0;
}
