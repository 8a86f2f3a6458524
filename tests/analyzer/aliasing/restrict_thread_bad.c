/* A function of the program with the same shape as pthread_create, which
 * does access both restrict objects: the same address for both is
 * reported (only library functions known to pass a pointer on unread are
 * exempt). */
#include <string.h>

struct job { long id; long data[4]; };

static void launch(long *restrict id, void *restrict arg)
{
    *id = 7;
    memset(arg, 0, sizeof(struct job));
}

void start(struct job *j)
{
    launch(&j->id, j); /* expect: restrict-overlap */
}
