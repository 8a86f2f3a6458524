/*
 * examples/tutorial/02_move_good.c — lesson 2: moving ownership.
 *
 * fr_move(&s) hands the object to a new owner and marks `s` as moved from.
 * The function that receives the handle owns it and drops it; the caller
 * does not touch `s` again.  Rust: `let t = s;` / `consume(s);`
 */
#include <stdio.h>
#include <string.h>
#include <ferrum/ferrum.h>

struct message {
    char text[32];
};

/* Takes ownership of `m` (Rust: fn send(m: Box<Message>)): prints, drops. */
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

    fr_handle t = fr_move(&s); /* t owns the message now */
    printf("s live: %s, t live: %s\n", fr_is_live(s) ? "yes" : "no",
           fr_is_live(t) ? "yes" : "no");

    send(fr_move(&t)); /* ownership goes into send(), which drops it */
    printf("after send, t live: %s\n", fr_is_live(t) ? "yes" : "no");
    return 0;
}
