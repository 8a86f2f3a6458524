/* Correct moves: the moved-from handle is only asked whether it is live,
 * reassigned, or the move happens on one path and the use on another. */
#include <ferrum/ferrum.h>

struct msg { char text[16]; };

static void consume(fr_handle m)
{
    fr_drop(&m);
}

int main(int argc, char **argv)
{
    (void)argv;
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    fr_handle b = fr_move(&a);
    int live = fr_is_live(a);          /* asking is fine */
    a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    struct msg *w = fr_borrow_mut(a);  /* a owns a new object */
    w->text[0] = 'x';
    fr_release(a);
    consume(fr_move(&a));
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    if (argc > 1)
        consume(fr_move(&c));
    else
        fr_drop(&c);
    fr_drop(&b);
    return live;
}
