/* restrict-overlap: the same object, or overlapping ranges, passed to two restrict parameters. */
#include <stdio.h>
#include <string.h>

struct rec { char a[8]; char b[8]; };

static void add(int *restrict out, const int *restrict in, int n)
{
    for (int i = 0; i < n; i++)
        out[i] += in[i];
}

void copies(char *p, struct rec *r, int k)
{
    char buf[32] = "hello, world";
    memcpy(buf, buf, 4);          /* expect: restrict-overlap */
    memcpy(buf + 1, buf, 8);      /* expect: restrict-overlap */
    memcpy(&buf[4], buf, 8);      /* expect: restrict-overlap */
    strcpy(buf, buf + 1);         /* expect: restrict-overlap */
    strcat(buf, buf);             /* expect: restrict-overlap */
    sprintf(buf, "%s!", buf);     /* expect: restrict-overlap */
    snprintf(p, 10, "%d:%s", k, p); /* expect: restrict-overlap */
    memcpy(r->a, r->a, sizeof r->a); /* expect: restrict-overlap */
    memcpy(&r->a, r, sizeof *r);  /* expect: restrict-overlap */
    memcpy(p, p, (size_t)k);      /* expect: restrict-overlap */
}

void through_local_pointer(void)
{
    char buf[32] = "abcdefgh";
    char *dst = buf + 2;
    memcpy(dst, buf, 4);          /* expect: restrict-overlap */
}

void user_fn(void)
{
    int v[4] = {1, 2, 3, 4};
    add(v, v, 4);                 /* expect: restrict-overlap */
}
