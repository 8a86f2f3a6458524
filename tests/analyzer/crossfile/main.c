/* Uses buffer.c's functions; the bugs are visible only across files. */
#include "buffer.h"

#include <stdio.h>

int use_after_release(void)
{
    char *b = buffer_new(16);
    if (!b)
        return 1;
    buffer_fill(b, 16);
    buffer_release(b);
    return b[0]; /* expect: use-after-free */
}

void release_twice(void)
{
    char *b = buffer_new(8);
    buffer_release(b);
    buffer_release(b); /* expect: double-free */
}

int correct(void)
{
    char *b = buffer_new(4);
    if (!b)
        return 1;
    size_t n = buffer_fill(b, 4);
    buffer_release(b);
    return (int)n;
}

int main(void)
{
    printf("%d %d\n", use_after_release(), correct());
    release_twice();
    return 0;
}
