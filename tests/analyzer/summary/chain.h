/* The functions of chain_a.c and chain_b.c: call chains that cross the
 * two files several times, recursion across them, and a no-effect callee. */
#ifndef CHAIN_H
#define CHAIN_H

#include <ferrum/ferrum.h>

/* top (a) -> static step (a) -> mid (b) -> bottom (a) -> static release (a): frees */
void top(char *p);
void mid(char *p);
void bottom(char *p);

/* six levels alternating between the files: l1 (a) -> l2 (b) -> ... -> l6 (b) frees */
void l1(char *p);
void l2(char *p);
void l3(char *p);
void l4(char *p);
void l5(char *p);
void l6(char *p);

/* the same chain for a handle: h_top (a) -> h_mid (b) -> h_bottom (a) drops */
void h_top(fr_handle h);
void h_mid(fr_handle h);
void h_bottom(fr_handle h);

/* borrows both handles exclusively at once (b): the same handle twice conflicts */
void swap2(fr_handle x, fr_handle y);

/* no effect at all (b), wrapped (a): wrap returns memory its caller owns */
void noop(char *p);
char *wrap(void);

/* recursion across the files: list_free (a) <-> rest_free (b) */
struct node {
    struct node *next;
    int v;
};
void list_free(struct node *n);
void rest_free(struct node *n);
/* and a cycle that never settles on "frees": ping (a) <-> pong (b) */
void ping(char *p, int n);
void drain_all(char *p);
void pong(char *p, int n);

#endif
