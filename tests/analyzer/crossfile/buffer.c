/* Defines the functions main.c calls: only a whole-codebase summary tells
 * main.c's checks that buffer_release frees its argument and that
 * buffer_new returns memory the caller owns. */
#include "buffer.h"

#include <stdlib.h>
#include <string.h>

char *buffer_new(size_t n)
{
    return malloc(n ? n : 1);
}

static void scrub(char *b)
{
    free(b);
}

void buffer_release(char *b)
{
    if (b)
        b[0] = 0;
    scrub(b);
}

size_t buffer_fill(char *b, size_t n)
{
    memset(b, 'x', n);
    return n;
}
