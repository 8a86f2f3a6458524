/* return-stack-address: correct returns that must stay silent. */
#include <stdlib.h>
#include <string.h>

char *static_buffer(void)
{
    static char buf[32];
    return buf;
}

char *heap(void)
{
    char *p = malloc(8);
    return p;
}

char *into_caller(char *out)
{
    strcpy(out, "x");
    return out;
}

const char *literal(void)
{
    return "text";
}

int value(void)
{
    int x = 3;
    int *p = &x;
    return *p;
}

char *maybe_null(int c)
{
    char buf[4];
    char *p = NULL;
    if (c)
        p = buf;
    (void)p;
    return NULL;
}
