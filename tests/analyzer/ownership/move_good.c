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

/* fr_drop of a handle fr_move() emptied is a no-op: the runtime keeps a drop
 * flag in the handle (owner.h), as Rust drops a moved-out value only where
 * it went.  move_bad.c keeps borrow/release/move after a move. */
void drop_after_move(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    consume(fr_move(&a));
    fr_drop(&a);
}

void drop_after_conditional_move(int c)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    if (c)
        consume(fr_move(&a));
    fr_drop(&a);
}

void drop_after_move_on_every_path(int c)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct msg), NULL);
    fr_handle b;
    if (c)
        b = fr_move(&a);
    else
        b = fr_move(&a);
    fr_drop(&a);
    fr_drop(&a);
    fr_drop(&b);
}

struct pair { fr_handle left, right; };

/* A drop function may drop every field, moved out or not. */
void pair_drop(struct pair *p)
{
    fr_drop(&p->left);
    fr_drop(&p->right);
}

void move_a_field_then_drop_all(struct pair *p)
{
    consume(fr_move(&p->left));
    pair_drop(p);
    fr_drop(&p->left);
}
