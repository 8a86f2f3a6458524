/* free-nonheap: correct frees that must stay silent. */
#include <stdlib.h>
#include <string.h>

void walk_then_free(void)
{
    char *p = malloc(16), *q = p;
    if (!p)
        return;
    strcpy(p, "abc");
    while (*q)
        q++;
    free(p);
}

void back_to_start(void)
{
    char *p = malloc(16);
    if (!p)
        return;
    p += 4;
    p -= 4;
    free(p);
}

void maybe_heap(int c)
{
    char buf[8];
    char *p = c ? malloc(8) : buf;
    if (p != buf)
        free(p);
}

void param(char *p)
{
    free(p);
}

void strdup_literal(void)
{
    char *s = strdup("constant");
    free(s);
}

void struct_member(void)
{
    struct { char *data; } s;
    s.data = malloc(3);
    free(s.data);
}
