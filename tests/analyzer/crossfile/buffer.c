/* Defines the functions main.c calls: only a whole-codebase summary tells
 * main.c's checks that buffer_release frees its argument (through
 * release.c's raw_free) and that buffer_new returns memory the caller owns. */
#include "buffer.h"

#include <stdlib.h>
#include <string.h>

char *buffer_new(size_t n)
{
    return malloc(n ? n : 1);
}

void raw_free(char *p); /* release.c */

static void scrub(char *b)
{
    raw_free(b);
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
