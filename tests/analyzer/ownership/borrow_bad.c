/* borrow-conflict: the RefCell rules, statically. */
#include <ferrum/ferrum.h>

struct counter { int value; };

int mut_while_shared(void)
{
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct counter), NULL);
    const struct counter *r = fr_borrow(c);
    struct counter *w = fr_borrow_mut(c); /* expect: borrow-conflict */
    (void)w;
    int v = r->value;
    fr_release(c);
    fr_drop(&c);
    return v;
}

int shared_while_mut(void)
{
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct counter), NULL);
    struct counter *w = fr_borrow_mut(c);
    w->value = 1;
    const struct counter *r = fr_borrow(c); /* expect: borrow-conflict */
    (void)r;
    fr_release(c);
    fr_drop(&c);
    return 0;
}

void two_mut(void)
{
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct counter), NULL);
    struct counter *a = fr_borrow_mut(c);
    struct counter *b = fr_borrow_mut(c); /* expect: borrow-conflict */
    a->value = 1;
    (void)b;
    fr_release(c);
    fr_drop(&c);
}

void scoped_while_mut(void)
{
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct counter), NULL);
    struct counter *w = fr_borrow_mut(c);
    w->value = 2;
    FR_WITH_BORROW(c, p) { /* expect: borrow-conflict */
        (void)p;
    }
    fr_release(c);
    fr_drop(&c);
}

void move_while_borrowed(void)
{
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct counter), NULL);
    const struct counter *r = fr_borrow(c);
    fr_handle d = fr_move(&c); /* expect: borrow-conflict */
    (void)r;
    fr_release(c);
    fr_drop(&c);
    fr_drop(&d);
}

void inside_scope(void)
{
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct counter), NULL);
    FR_WITH_BORROW(c, p) {
        struct counter *w = fr_borrow_mut(c); /* expect: borrow-conflict */
        (void)w;
        (void)p;
    }
    fr_drop(&c);
}

void move_inside_scope(void)
{
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct counter), NULL);
    FR_WITH_BORROW_MUT(c, p) {
        fr_handle d = fr_move(&c); /* expect: borrow-conflict */
        fr_drop(&d);
        (void)p;
    }
    fr_drop(&c);
}
