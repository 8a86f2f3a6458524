/*
 * examples/tutorial/02_move_bad.c — lesson 2, broken: use after move.
 *
 * The handle is moved into send(), which drops the message, and then the
 * caller borrows it again.  With raw pointers this reads freed memory; with
 * ferrum the borrow of a moved-from handle is reported with where it moved.
 */
#include <stdio.h>
#include <string.h>
#include <ferrum/ferrum.h>

struct message {
    char text[32];
};

static void send(fr_handle m)
{
    const struct message *msg = fr_borrow(m);
    printf("sent: %s\n", msg->text);
    fr_release(m);
    fr_drop(&m);
}

int main(void)
{
    fr_handle s = fr_own_new(fr_heap_allocator(), sizeof(struct message), NULL);
    struct message *w = fr_borrow_mut(s);
    strcpy(w->text, "hello");
    fr_release(s);

    send(fr_move(&s));

    const struct message *again = fr_borrow(s); /* s was moved from */
    printf("again: %s\n", again->text);
    fr_release(s);
    return 0;
}
