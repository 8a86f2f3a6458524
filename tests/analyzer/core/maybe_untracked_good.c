/* A pointer that holds a block on one path and memory the analyzer does
 * not track on another (an unknown function's result) may be that block,
 * not certainly: freeing it does not free the block on every path (QA5 S5:
 * mandoc's manmerge_and, a false double free). */
#include <stdlib.h>

struct expr { struct expr *next; };
char *eval(struct expr *e);
size_t weight(const char *s);

/* order two blocks by size, make a new one, free both inputs */
char *merge_and(struct expr *e)
{
    char *hand, *h1, *h2;
    hand = eval(e);
    while ((e = e->next) != NULL) {
        h2 = eval(e);
        if (weight(h2) < weight(hand)) {
            h1 = h2;
            h2 = hand;
        } else
            h1 = hand;
        hand = malloc(16);
        if (!hand)
            abort();
        free(h2);
        free(h1);
    }
    return hand;
}

/* the same choice without a loop */
void pick(int c, struct expr *e)
{
    char *mine = malloc(16), *a, *b;
    if (!mine)
        return;
    char *theirs = eval(e);
    if (c) {
        a = mine;
        b = theirs;
    } else {
        a = theirs;
        b = mine;
    }
    free(a);
    free(b);
}

/* kmod's module_do_install_commands(): replace the string each round; the
 * first value comes from a function the unit does not know (QA5 S31) */
void *memdup(const void *p, size_t n);
char *strstr(const char *h, const char *n);
void replace_each_round(const char *command)
{
    char *p;
    char *cmd = memdup(command, 10);
    if (cmd == NULL)
        return;
    while ((p = strstr(cmd, "$X")) != NULL) {
        char *s = malloc(8);
        if (!s)
            return;
        free(cmd);
        cmd = s;
    }
    free(cmd);
}
