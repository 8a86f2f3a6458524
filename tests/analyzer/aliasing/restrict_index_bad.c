/* restrict-overlap: the same element written twice is the same address,
 * whatever the index; through a macro the arguments are named as written. */
#include <stdio.h>
#include <string.h>

typedef struct { unsigned rep[3]; int mlen; } opt_t;
#define MY_memcpy(d, s, l) __builtin_memcpy((d), (s), (l))
/* ferrum-test-stdout: 'opt[cur].rep' and 'opt[cur].rep' are the same address */

void same_element(opt_t *opt, unsigned cur)
{
    memcpy(opt[cur].rep, opt[cur].rep, sizeof(opt[cur].rep));     /* expect: restrict-overlap */
}

void same_element_macro(opt_t *opt, unsigned cur)
{
    MY_memcpy(opt[cur].rep, opt[cur].rep, sizeof(opt[cur].rep));  /* expect: restrict-overlap */
}

/* the string functions and sprintf too (QA6 T1: lost with the first fix) */
struct e { char name[16]; };

void same_string(struct e *v, int i, char **a, struct e **m)
{
    strcpy(v[i].name, v[i].name);       /* expect: restrict-overlap */
    strcat(v[i].name, v[i].name);       /* expect: restrict-overlap */
    sprintf(v[i].name, "%s", v[i].name); /* expect: restrict-overlap */
    strcpy(a[i], a[i]);                 /* expect: restrict-overlap */
    memcpy(m[i][2].name, m[i][2].name, 16); /* expect: restrict-overlap */
}
