/* The API of buffer.c, used by main.c: the frees happen in the other file. */
#ifndef CROSSFILE_BUFFER_H
#define CROSSFILE_BUFFER_H

#include <stddef.h>

char *buffer_new(size_t n);
void buffer_release(char *b);   /* frees b */
size_t buffer_fill(char *b, size_t n);

#endif
