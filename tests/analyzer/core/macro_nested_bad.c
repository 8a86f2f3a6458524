/* Store macros that do overwrite the pointer itself. */
#include <stddef.h>
#include <stdlib.h>

struct job { int *ps; int ps0; };
static struct job *tab;
#define joff(p) ((struct job *)((char *)(p) + l))
#define jset(p) (p) = 0
#define jset2(p, v) ((p) = (v))

void overwrite1(void)
{
    struct job *jp = malloc(64);
    if (!jp)
        return;
    jset(jp);                           /* expect: leak */
}

void overwrite2(size_t l)
{
    struct job *jp = malloc(64);
    if (!jp)
        return;
    jset2(jp, joff(tab));               /* expect: leak */
}
