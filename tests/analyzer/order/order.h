/* The functions of the chain u1.c -> u2.c -> u3.c -> u4.c (u4_release frees
 * its argument) and of the pair m1.c -> m2.c, where the call is written in
 * a macro: the pre-pass cannot see it in m1.c's text. */
#ifndef ORDER_H
#define ORDER_H

void u2_pass(char *p);
void u3_pass(char *p);
void u4_release(char *p);

void m2_release(char *p);
#define RELEASE_LATER(p) m2_release(p)

#endif /* ORDER_H */
