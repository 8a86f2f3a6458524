/* use-after-move: a handle used after fr_move, in the forms the runtime reports. */
#include <ferrum/ferrum.h>

struct msg { char text[16]; };

static void consume(fr_handle m)
{
    fr_drop(&m);
}

int borrow_after_move(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    fr_handle b = fr_move(&a);
    const struct msg *m = fr_borrow(a); /* expect: use-after-move */
    (void)m;
    fr_drop(&b);
    return 0;
}

void move_twice(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    fr_handle b = fr_move(&a);
    fr_handle c = fr_move(&a); /* expect: use-after-move */
    fr_drop(&b);
    fr_drop(&c);
}

void drop_after_move(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    consume(fr_move(&a));
    fr_drop(&a); /* expect: use-after-move */
}

void pass_after_move(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    fr_handle b = fr_move(&a);
    consume(a); /* expect: use-after-move */
    fr_drop(&b);
}

void move_in_loop(int n)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    fr_handle b = fr_move(&a);
    for (int i = 0; i < n; i++) {
        if (i == 3)
            fr_release(a); /* expect: use-after-move */
    }
    fr_drop(&b);
}
