/*
 * arena/chunk.h — backing memory for arena chunks.
 *
 * This file is private to the arena component.  fr__chunk_alloc(size)
 * returns `size` bytes aligned to FR_CHUNK_ALIGN, or NULL with errno = ENOMEM;
 * fr__chunk_free(p, size) gives them back.  The memory comes from the C
 * library's malloc (fast, and ferrum's own when libferrum-malloc is
 * preloaded), except under valgrind, where it is mapped with mmap so that the
 * mempool blocks memcheck is told about never overlap a malloc block.
 */
#ifndef FERRUM_ARENA_CHUNK_H
#define FERRUM_ARENA_CHUNK_H

#include <stddef.h>

#define FR_CHUNK_ALIGN 64

__attribute__((visibility("hidden"))) void *fr__chunk_alloc(size_t size);
__attribute__((visibility("hidden"))) void fr__chunk_free(void *p, size_t size);

#endif /* FERRUM_ARENA_CHUNK_H */
