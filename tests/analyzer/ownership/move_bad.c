/* use-after-move: a handle used after fr_move, in the forms the runtime reports. */
#include <ferrum/ferrum.h>
#include <ferrum/annotate.h>

struct msg { char text[16]; };

static void consume(fr_handle m)
{
    fr_drop(&m);
}

static int peek(fr_handle m)
{
    const struct msg *x = fr_borrow(m);
    int r = x->text[0];
    fr_release(m);
    return r;
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

/* fr_drop after fr_move is a no-op (drop flag, see move_good.c), but not
 * after a copy of the handle went to a function that keeps it: the handle
 * still names the object, and the drop frees what the callee now owns. */
void keep(FR_TAKES fr_handle h);

void drop_after_copy_was_taken(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    keep(a);
    fr_drop(&a); /* expect: use-after-move */
}

void borrow_after_move_then_drop(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    consume(fr_move(&a));
    fr_drop(&a);
    (void)fr_borrow_mut(a); /* expect: use-after-move */
}

void pass_after_move(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    fr_handle b = fr_move(&a);
    peek(a); /* expect: use-after-move */
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
