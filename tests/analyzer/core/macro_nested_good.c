/* Stores written through nested macros: a macro whose body assigns its
 * argument, given an argument that is itself a macro over the pointer.
 * The `+` of the inner macro is not the outer body's `=` (QA5 S3: dash's
 * growjobtab(), `jmove(joff(jp)->ps)`, a false "jp is overwritten"). */
#include <stddef.h>
#include <stdlib.h>

struct job { int *ps; int ps0; };
static struct job *tab;

/* no macro */
void grow_a(size_t l)
{
    struct job *jp = malloc(64);
    if (!jp)
        return;
    ((struct job *)((char *)jp + l))->ps = 0;
    tab = jp;
}

#define joff(p) ((struct job *)((char *)(p) + l))
#define jset(p) (p) = 0
#define jmove(p) (p) = (void *)((char *)(p) + offset)

/* only the inner macro */
void grow_b(size_t l)
{
    struct job *jp = malloc(64);
    if (!jp)
        return;
    joff(jp)->ps = 0;
    tab = jp;
}

/* only the outer macro */
void grow_c(void)
{
    struct job *jp = malloc(64);
    if (!jp)
        return;
    jset(jp->ps);
    tab = jp;
}

/* both */
void grow_d(size_t l)
{
    struct job *jp = malloc(64);
    if (!jp)
        return;
    jset(joff(jp)->ps);
    tab = jp;
}

/* dash: relocate a pointer field by the distance the table moved */
void grow_e(size_t l, ptrdiff_t offset)
{
    struct job *jp = malloc(64);
    if (!jp)
        return;
    jp->ps = &jp->ps0;
    jmove(joff(jp)->ps);
    tab = jp;
}

/* dash's growjobtab(): the table moved by realloc, the pointers into it
 * relocated through both macros */
static size_t njobs;
struct job *grow_f(void)
{
    size_t len = njobs * sizeof(struct job);
    struct job *jq = tab;
    struct job *jp = realloc(jq, len + 4 * sizeof(struct job));
    if (!jp)
        abort();
    ptrdiff_t offset = (char *)jp - (char *)jq;
    if (offset) {
        size_t l = len;
        jq = (struct job *)((char *)jq + l);
        while (l) {
            l -= sizeof(*jp);
            jq--;
            if (joff(jp)->ps == &jq->ps0)
                jmove(joff(jp)->ps);
        }
    }
    njobs += 4;
    tab = jp;
    return jp + njobs - 4;
}

/* two-argument store macros (QA6 T2) */
#define jset2(p, v) ((p) = (v))
#define jset3(p, v) (p) = (v)
void store2_zero(size_t l)
{
    struct job *jp = malloc(64);
    if (!jp)
        return;
    jset2(joff(jp)->ps, 0);
    tab = jp;
}

void store2_addr(size_t l)
{
    struct job *jp = malloc(64);
    if (!jp)
        return;
    jset2(joff(jp)->ps, &jp->ps0);
    jset3(joff(jp)->ps, &jp->ps0);
    tab = jp;
}
