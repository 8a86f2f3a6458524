/* No overlap can be shown: disjoint ranges, memmove, read-only restrict pairs,
 * offsets known only at run time. */
#include <stdio.h>
#include <string.h>

struct rec { char a[8]; char b[8]; };

static int dot(const int *restrict a, const int *restrict b, int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

int main(int argc, char **argv)
{
    char buf[32] = "hello, world";
    char out[32];
    struct rec r = {"abc", "def"};
    memcpy(out, buf, sizeof out);
    memcpy(&buf[8], buf, 8);           /* adjacent, not overlapping */
    memmove(buf, buf + 1, 8);          /* memmove allows overlap */
    memcpy(r.a, r.b, sizeof r.a);      /* two different members */
    memcpy(buf + argc, buf, 4);        /* unknown distance: not provable */
    memcpy(buf, buf + 4, 0);           /* nothing copied */
    snprintf(out, sizeof out, "%s-%d", buf, argc);
    strcpy(out, argv[0] ? "x" : "y");
    char *cur = buf;
    for (int i = 0; i < argc; i++)
        cur += 4;                      /* cur moves: not a fixed alias of buf */
    memcpy(cur, buf, 4);
    int v[4] = {1, 2, 3, 4};
    return dot(v, v, 4) + out[0];      /* both read-only: aliasing allowed */
}
