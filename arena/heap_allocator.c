/*
 * arena/heap_allocator.c — ferrum's general-purpose heap as an fr_allocator.
 *
 * fr_heap_allocator() wraps fr_aligned_alloc / fr_free (alloc/).  The two are
 * referenced weakly: the arena component is built and tested on its own, and
 * while libferrum is linked without alloc/ (or in a program that links only
 * this part) the C library's aligned allocation stands in.  Zero sizes get
 * NULL + EINVAL, like the other allocators of this component; alignments that
 * are not powers of two get NULL + EINVAL.
 */
#include <errno.h>
#include <stdlib.h>

#include <ferrum/allocator.h>

extern void *fr_aligned_alloc(size_t align, size_t size) __attribute__((weak));
extern void fr_free(void *p) __attribute__((weak));

static void *heap_alloc(void *ctx, size_t size, size_t align)
{
    (void)ctx;
    if (size == 0 || align == 0 || (align & (align - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    if (align < sizeof(void *)) align = sizeof(void *);
    if (fr_aligned_alloc && fr_free) return fr_aligned_alloc(align, size);
    void *p = NULL;
    int e = posix_memalign(&p, align, size);
    if (e) {
        errno = e;
        return NULL;
    }
    return p;
}

static void heap_free(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    if (fr_aligned_alloc && fr_free) fr_free(ptr);
    else free(ptr);
}

fr_allocator fr_heap_allocator(void)
{
    fr_allocator a = { heap_alloc, heap_free, NULL };
    return a;
}
