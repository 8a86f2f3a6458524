/*
 * alloc/heap_allocator.c — ferrum's general-purpose heap as an fr_allocator
 * (include/ferrum/allocator.h), so code written over the allocator
 * interface (the owner layer, containers) can use the heap.
 *
 * It calls the public fr_aligned_alloc / fr_free names, so that when both
 * libferrum and libferrum-malloc.so are loaded every fr_ call binds to the
 * same engine and a block can be freed through either path.
 *
 * The definition is weak: arena/heap_allocator.c defines the same function
 * for libferrum (with the arena component's argument checks) and wins
 * there; this one serves libferrum-malloc.so and any build without arena/.
 */
#include "internal.h"

#include <ferrum/allocator.h>

static void *heap_alloc(void *ctx, size_t size, size_t align)
{
    (void)ctx;
    if (align == 0) align = FR_ALIGN;
    return fr_aligned_alloc(align, size);
}

static void heap_free(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    fr_free(ptr);
}

FR_API __attribute__((weak)) fr_allocator fr_heap_allocator(void)
{
    return (fr_allocator){.alloc = heap_alloc, .free = heap_free, .ctx = NULL};
}
