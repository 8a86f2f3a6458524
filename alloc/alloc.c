/*
 * alloc/alloc.c — the allocation API: fr_malloc and friends, with the C
 * library's semantics, over the fast paths of internal.h.
 *
 * The same bodies (fr__*_api below, hidden) serve the fr_ names here and the
 * standard names of libferrum-malloc.so (export.c).  Sizes above PTRDIFF_MAX
 * and products that overflow give NULL with ENOMEM, an alignment that is
 * not a power of two gives EINVAL, realloc(p, 0) frees p and returns NULL
 * (as glibc does), and malloc(0) returns a unique 16-byte block.
 *
 * Aligned allocation: alignments up to 16 are plain malloc.  Above, a
 * power-of-two size class at least as large as the alignment usually yields
 * an aligned block by itself (blocks of such pages start at multiples of
 * the class size); otherwise we over-allocate by align-16 bytes, return the
 * aligned address inside the block and mark the page ALIGNED so that free()
 * maps interior pointers back to their block (slow path for that page).
 * Huge requests are aligned by their mapping.
 */
#include "internal.h"

#include <errno.h>

static inline bool too_big(size_t size)
{
    return size > (size_t)PTRDIFF_MAX;
}

FR_HIDDEN void *fr__malloc_api(size_t size)
{
    return fr__malloc_inline(size); /* too big: refused by the huge path */
}

FR_HIDDEN void *fr__calloc_api(size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total) || too_big(total)) {
        errno = ENOMEM;
        return NULL;
    }
    /* above 1 MiB a fresh mapping, already zero: no memset, and pages the
     * program never touches stay untouched.  Up to 1 MiB a block of a large
     * class, cleared: a calloc/free loop reuses its page instead of paying
     * an mmap, a munmap and the page faults every time (QA6 T14: 150 KB in
     * a loop was 20x glibc) */
    /* (secure=1 keeps every block above 128 KiB in a mapping of its own,
     * guard page after it: a fresh zero one; QA6 T19 was a memset of the
     * class size past such a block) */
    if (total > FR_CALLOC_MAP_MIN || (fr__opt.secure && total > FR_LARGE_MIN))
        return fr__huge_alloc(total, 0, true);
    void *p = fr__malloc_inline(total);
    /* the whole block, as glibc: malloc_usable_size hands all of it to the
     * program, so none of it may hold an earlier owner's data (QA5 S16).
     * Under valgrind the tail past the request is no-access: left alone. */
    if (p) memset(p, 0, fr__opt.valgrind ? total : fr__class_size[fr__size_class(total)]);
    return p;
}

size_t fr__usable(const void *p, const char *fn)
{
    fr_segment *s;
    fr_page *pg = fr__page_of_checked(p, &s, fn);
    if (s->kind == FR_SEG_HUGE) {
        if (atomic_load_explicit(&s->huge_freed, memory_order_relaxed))
            fr__fatal(fn, p, "use after free (huge block already freed)");
        if (fr__opt.valgrind) fr_track_grow(p, s->huge_size); /* the program may now use it all */
        return s->huge_size;
    }
    fr_block *b = fr__block_start(s, pg, p, fn);
    uintptr_t key = fr__opt.valgrind ? fr_track_peek_word(&b->key) : b->key;
    if (key == fr__free_mark(pg)) fr__fatal(fn, p, "use after free (block is free)");
    size_t usable = pg->block_size - (size_t)((const uint8_t *)p - (uint8_t *)b);
    if (fr__opt.valgrind) fr_track_grow(p, usable); /* the program may now use it all */
    return usable;
}

/* Mark q, an aligned pointer inside a large block of this thread's page,
 * as a large block's start in its slice; false if it is on no step that
 * can be marked. */
static bool mark_large_interior(const uint8_t *q)
{
    fr_segment *s = fr__segment_of(q);
    size_t i = (size_t)((uintptr_t)q - (uintptr_t)s) >> FR_SLICE_SHIFT;
    uintptr_t base = (uintptr_t)fr__large_base(s, i);
    if ((uintptr_t)q < base || ((uintptr_t)q - base) % FR_LARGE_STEP != 0) return false;
    size_t k = ((uintptr_t)q - base) / FR_LARGE_STEP;
    if (k >= FR_LARGE_MARKS) return false;
    uint16_t used = __atomic_load_n(&s->large_steps[i], __ATOMIC_RELAXED);
    __atomic_store_n(&s->large_steps[i], (uint16_t)(used | (1u << k)), __ATOMIC_RELAXED);
    return true;
}

/* aligned allocation; align is a power of two */
void *fr__malloc_aligned(size_t align, size_t size, bool zero)
{
    if (too_big(size)) {
        errno = ENOMEM;
        return NULL;
    }
    if (align <= FR_ALIGN) return zero ? fr__calloc_api(1, size) : fr__malloc_inline(size);
    if (size <= fr__medium_max() && align <= FR_SLICE_SIZE) {
        size_t want = size < align ? align : size;
        if (want <= fr__medium_max()) {
            unsigned cls = fr__size_class(want);
            if ((fr__class_size[cls] & (align - 1)) == 0) {
                void *p = fr__malloc_inline(want);
                if (p == NULL) return NULL;
                if (((uintptr_t)p & (align - 1)) == 0) {
                    if (zero) memset(p, 0, size);
                    return p;
                }
                fr__free_inline(p, "free()");
            }
        }
        size_t total = size + align - FR_ALIGN;
        if (total <= fr__medium_max()) {
            uint8_t *b = fr__malloc_inline(total);
            if (b == NULL) return NULL;
            uint8_t *q = (uint8_t *)(((uintptr_t)b + align - 1) & ~(uintptr_t)(align - 1));
            /* a pointer inside a large block is marked like a large
             * block's start (internal.h, large_steps), so that no later
             * block starts there and its second free is reported (it
             * always falls on a 4 KiB step of its slice or the next: the
             * block starts on one, align is 8..64 KiB) */
            if (q != b && total > FR_LARGE_MIN && !mark_large_interior(q)) {
                fr__free_inline(b, "free()");
                return fr__huge_alloc(size, align, zero);
            }
            if (q != b) {
                *(uintptr_t *)b = fr__aligned_mark(q); /* in the padding before q */
                fr_segment *s = fr__segment_of(b);
                fr_page *pg = &s->pages[((uintptr_t)b - (uintptr_t)s) >> FR_SLICE_SHIFT];
                pg -= pg->slice_offset;
                if (!(fr__pg_flags(pg) & FR_PAGE_ALIGNED)) {
                    fr__pg_flags_add(pg, FR_PAGE_ALIGNED);
                    fr__pg_set_owner(pg, 0);
                }
                if (fr__opt.valgrind) {
                    fr_track_free(b);
                    fr_track_malloc(q, size, false);
                }
            }
            if (zero) memset(q, 0, size);
            return q;
        }
    }
    return fr__huge_alloc(size, align, zero);
}

/* realloc's check of p in the common case, from any thread: the tests of
 * free's quick path (free.c): the segment map says 1, p's page is live and
 * served no aligned allocation, and p is the start of a carved block; then
 * p is its own block start, as fr__block_start would find.  NULL (also in
 * slow mode, and for huge blocks, whose descriptors are all zero) sends p
 * through fr__page_of_checked and fr__block_start, which report misuse.
 * mstress spent a tenth of its instructions in realloc, half of them in
 * those two checks. */
static inline fr_page *realloc_page_quick(const void *p)
{
    uintptr_t u = (uintptr_t)p;
    if (fr__opt.slow_mode || fr__segmap_get(u) != 1) return NULL;
    fr_segment *s = fr__segment_of(p);
    fr_page *pg = &s->pages[(u >> FR_SLICE_SHIFT) & (FR_SLICES - 1)];
    pg -= pg->slice_offset;
    if ((fr__pg_flags(pg) & (FR_PAGE_IN_USE | FR_PAGE_ALIGNED)) != FR_PAGE_IN_USE || !fr__block_ok(pg, u))
        return NULL;
    return pg;
}

FR_HIDDEN void *fr__realloc_api(void *p, size_t size, const char *fn)
{
    if (p == NULL) return fr__malloc_api(size);
    if (size == 0) {
        fr__free_inline(p, fn);
        return NULL;
    }
    if (too_big(size)) {
        errno = ENOMEM;
        return NULL;
    }
    fr_segment *s;
    fr_page *pg = realloc_page_quick(p);
    fr_block *b;
    size_t usable;
    if (pg != NULL) {
        b = (fr_block *)p;
        goto block;
    }
    pg = fr__page_of_checked(p, &s, fn);
    if (s->kind == FR_SEG_HUGE) {
        if (atomic_load_explicit(&s->huge_freed, memory_order_acquire))
            fr__fatal(fn, p, "use after free (huge block already freed)");
        if (size > fr__medium_max()) {
            size_t old = s->huge_size;
            void *q = fr__huge_realloc(s, p, size);
            if (q) {
                (void)old;
                return q;
            }
        }
        usable = s->huge_size;
        if (size <= usable && size > fr__medium_max() && size >= usable / 2) {
            if (fr__opt.valgrind) { /* memcheck's block follows the size asked for (QA3 Q20) */
                size_t live = fr_track_live_len(p, usable);
                if (live != size) fr_track_resize(p, live, size);
            }
            return p;
        }
        if (fr__opt.valgrind) usable = fr_track_live_len(p, usable);
    } else {
        b = fr__block_start(s, pg, p, fn);
    block:;
        uintptr_t key = fr__opt.valgrind ? fr_track_peek_word(&b->key) : b->key;
        if (key == fr__free_mark(pg)) {
            /* freed blocks carry the key; a live one only by an absurd chance */
            fr__fatal(fn, p, "use after free (block is free)");
        }
        usable = pg->block_size - (size_t)((uint8_t *)p - (uint8_t *)b);
        /* kept in place down to half its usable size, as glibc, mimalloc
         * and tcmalloc do (moving every shrink into a smaller class made
         * mstress copy 30% more than mimalloc).  When the size falls into a
         * smaller class, the page is marked so that free_sized(p, size)
         * accepts it (free.c holds the size to half the block there, to
         * the block's class elsewhere). */
        if (size <= usable && !fr__opt.slow_mode) {
            if ((void *)b == p && fr__size_class(size) == pg->cls) return p;
            if (size >= usable / 2) {
                if ((void *)b == p && !__atomic_load_n(&pg->shrunk, __ATOMIC_RELAXED))
                    __atomic_store_n(&pg->shrunk, 1, __ATOMIC_RELAXED);
                return p;
            }
        }
        /* under valgrind, copy what the program may use, not the tail */
        if (fr__opt.valgrind) usable = fr_track_live_len(p, usable);
    }
    void *q = fr__malloc_inline(size);
    if (q == NULL) return NULL;
    memcpy(q, p, usable < size ? usable : size);
    fr__free_inline(p, fn);
    return q;
}

FR_HIDDEN void fr__collect_api(bool force)
{
    fr_heap *h = fr__tls_heap;
    if (h == &fr__heap_empty && force) h = fr__heap_get();
    if (h != NULL && h != &fr__heap_empty) fr__heap_collect(h, force);
    fr__huge_collect(force);
}

/* ---- The fr_ names ---- */

FR_API void *fr_malloc(size_t size)
{
    return fr__malloc_api(size);
}

FR_API void *fr_calloc(size_t n, size_t size)
{
    return fr__calloc_api(n, size);
}

FR_API void *fr_realloc(void *p, size_t size)
{
    return fr__realloc_api(p, size, "fr_realloc()");
}

FR_API void fr_free(void *p)
{
    fr__free_inline(p, "fr_free()");
}

/* hidden bodies, so that export.c calls them directly (no PLT) */
FR_HIDDEN void *fr__aligned_alloc_api(size_t align, size_t size)
{
    if (align == 0 || (align & (align - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    return fr__malloc_aligned(align, size, false);
}

FR_HIDDEN int fr__posix_memalign_api(void **out, size_t align, size_t size)
{
    if (align < sizeof(void *) || (align & (align - 1)) != 0) return EINVAL;
    int saved = errno;
    void *p = fr__malloc_aligned(align, size, false);
    if (p == NULL) {
        errno = saved;
        return ENOMEM;
    }
    *out = p;
    return 0;
}

FR_API void *fr_aligned_alloc(size_t align, size_t size)
{
    return fr__aligned_alloc_api(align, size);
}

FR_API int fr_posix_memalign(void **out, size_t align, size_t size)
{
    return fr__posix_memalign_api(out, align, size);
}

FR_API size_t fr_usable_size(const void *p)
{
    return p ? fr__usable(p, "fr_usable_size()") : 0;
}

FR_API void fr_collect(bool force)
{
    fr__collect_api(force);
}
