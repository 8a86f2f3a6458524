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

/* a buffer that starts on the stack and moves to the heap when it grows:
 * realloc only once it is on the heap */
char *grow(char *buf, char *stack_buf, size_t n)
{
    if (buf == stack_buf) {
        char *p = malloc(n);
        return p;
    }
    return realloc(buf, n);
}

char *grow_flag(size_t n, int on_heap)
{
    static char first[16];
    char *p = on_heap ? malloc(16) : first;
    if (!p)
        return NULL;
    if (on_heap)
        return realloc(p, n);
    return p;
}
