/*
 * alloc/heap_allocator.c — ferrum's general-purpose heap as an fr_allocator
 * (include/ferrum/allocator.h), so code written over the allocator
 * interface (the owner layer, containers) can use the heap.
 *
 * It calls the public fr_aligned_alloc / fr_free names, so that when both
 * libferrum and libferrum-malloc.so are loaded every fr_ call binds to the
 * same engine and a block can be freed through either path.
 *
 * Through the fr_allocator interface every ferrum allocator treats bad
 * input alike: a zero size gets NULL with errno = EINVAL (unlike malloc(0));
 * align 0 means the default (16); an alignment that is not a power of two
 * gets NULL with errno = EINVAL (from fr_aligned_alloc).
 */
#include "internal.h"

#include <errno.h>

#include <ferrum/allocator.h>

static void *heap_alloc(void *ctx, size_t size, size_t align)
{
    (void)ctx;
    if (size == 0) {
        errno = EINVAL;
        return NULL;
    }
    if (align == 0) align = FR_ALIGN;
    return fr_aligned_alloc(align, size);
}

static void heap_free(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    fr_free(ptr);
}

FR_API fr_allocator fr_heap_allocator(void)
{
    return (fr_allocator){.alloc = heap_alloc, .free = heap_free, .ctx = NULL};
}
