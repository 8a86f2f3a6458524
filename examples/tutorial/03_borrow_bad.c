/*
 * examples/tutorial/03_borrow_bad.c — lesson 3, broken: a writer while a
 * reader is live.
 *
 * `a` still reads the counter when fr_borrow_mut() asks for exclusive
 * access.  In C the compiler may keep `a->value` in a register across the
 * write (it may assume the two do not alias when they are restrict or of
 * different types); ferrum refuses the exclusive borrow instead.
 */
#include <stdio.h>
#include <ferrum/ferrum.h>

struct counter {
    int value;
};

int main(void)
{
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct counter), NULL);

    const struct counter *a = fr_borrow(c);
    struct counter *m = fr_borrow_mut(c); /* `a` is still live */
    m->value += 1;
    printf("reader sees %d\n", a->value);
    fr_release(c);
    fr_release(c);
    fr_drop(&c);
    return 0;
}
