/*
 * alloc/huge.c — blocks above 1 MiB (FR_MEDIUM_MAX) and aligned blocks no
 * class holds: one mapping each.
 *
 * The mapping starts at a multiple of 4 MiB with a segment-shaped header
 * (all page descriptors zero, so free() always takes its slow path here),
 * and the block follows the header.  realloc grows or shrinks the mapping
 * with mremap: in place when the kernel can, else by moving the pages (no
 * copy) to a new 4 MiB-aligned range (os.c).  Alignments of 4 MiB and more
 * put the header one segment below the block (segment map value 2).
 *
 * Freed huge blocks (up to 64 MiB each, 256 MiB in all) are kept in a small
 * cache (huge_cache=N, default 32) and unmapped after the purge delay (checked
 * on every huge allocation and free and on the small-block purge timer): a program that allocates and frees blocks
 * of several MiB in a loop reuses them instead of paying munmap, mmap and
 * page faults each time (the peers' lesson: that loop spends seconds in the
 * kernel otherwise).  A block is reused only for a request between half its
 * size and its size (see cache_take).  Cached blocks wait 10 purge delays
 * (100 ms by default) before they are unmapped: with a few threads passing
 * blocks of 1-3.5 MiB around, one delay let most of them expire between
 * uses (QA7 U14).  A block entering the cache keeps its pages unless the
 * cache would then hold more possibly-written bytes than a quarter of the
 * live huge blocks' size (or 8 MiB, if more); beyond that it is purged
 * (MADV_DONTNEED) every 4th time it enters.  Purging every 4th pass
 * always, as before, made a hit fault in all of the block's pages one time
 * in four (U14: 2.6 M page faults, 10x glibc's), while the bound keeps a
 * program that touches little of its huge blocks (bench `large`) from
 * filling the cached ones page by page.  The bound is applied again after
 * every free to the blocks already cached (cache_trim), so what a program
 * freed while many huge blocks were live does not stay resident once they
 * are gone.  Expired blocks are unmapped outside the lock.  calloc
 * uses the cache too: a block remembers how far the program may have written
 * into it since it was last zero (fresh or purged), and calloc clears only
 * that, within the pages it asked for (a fresh mapping per calloc made a
 * calloc/free loop of 2 MiB blocks pay an mmap, a munmap and 512 page faults
 * each time).
 *
 * secure=1: one PROT_NONE page right after the block's usable end; such
 * blocks are neither cached nor resized in place (realloc copies), so the
 * guard always sits where an overflow of the block would land.
 */
#include "internal.h"

#include <errno.h>

#define FR_HUGE_CACHE_MAX 64
#define FR_HUGE_CACHE_BLOCK_MAX ((size_t)64 << 20)  /* larger blocks are unmapped at once */
#define FR_HUGE_CACHE_BYTES_MAX ((size_t)256 << 20) /* mapped bytes the cache may hold */
#define FR_HUGE_CACHE_DELAYS 10 /* purge delays a cached block waits before it is unmapped */
/* possibly-written bytes the cache keeps without purging, whatever the
 * live huge blocks: a loop of calloc(2 MB), a write per page and free must
 * not fault in every page each time (2,000 rounds: 0.5 M page faults with
 * a purge every 4th pass, 2 M with every pass, 2,000 with none) */
#define FR_HUGE_CACHE_KEEP_MIN ((size_t)8 << 20)

static fr_segment *fr_huge_cache[FR_HUGE_CACHE_MAX];
static uint64_t fr_huge_cache_time[FR_HUGE_CACHE_MAX];
static unsigned fr_huge_cached;
static size_t fr_huge_cached_bytes;
/* the cached blocks' huge_written: bytes that may be resident (written
 * under fr__huge_lock, read without it by huge_free's purge decision) */
static size_t fr_huge_cached_dirty;

FR_HIDDEN void fr__stat_malloc(size_t req, size_t bs, unsigned cls);
FR_HIDDEN void fr__stat_free(size_t bs);

static size_t round_page(size_t n)
{
    return (n + FR_OS_PAGE - 1) & ~(size_t)(FR_OS_PAGE - 1);
}

static void huge_unmap(fr_segment *s)
{
    fr__segmap_set((uintptr_t)s, 0);
    if (s->huge_off == FR_SEG_SIZE) fr__segmap_set((uintptr_t)fr__huge_block(s), 0);
    s->cookie = 0;
    fr__os_unmap(s, s->map_size);
}

/* Drop cached blocks older than the purge delay (all if force). Locked. */
/* Move or grow the mapping of huge header s to map_size bytes; NULL (s
 * untouched and still registered) if the OS refuses.  The segment-map entry
 * of s is set aside (FR_SEGMAP_KEEP) *before* mremap: once the mapping
 * moves, another thread can be handed the old address by mmap and register
 * a segment there, which must not take the entry that s still holds
 * (segment.c: that registration goes to the overflow map, and giving s's
 * entry back afterwards cannot erase it). */
static fr_segment *remap_huge(fr_segment *s, size_t map_size)
{
    fr__segmap_set((uintptr_t)s, FR_SEGMAP_KEEP);
    fr_segment *q = fr__os_remap_aligned(s, s->map_size, map_size, FR_SEG_SIZE);
    if (q != NULL && q != s) {
        fr__segmap_set((uintptr_t)s, 0);
        fr__segmap_set((uintptr_t)q, 1); /* claimed by fr__os_remap_aligned */
    } else {
        fr__segmap_set((uintptr_t)s, FR_SEGMAP_RESUME);
    }
    return q;
}

/* Expired blocks are moved to out[] (at most FR_HUGE_CACHE_MAX) and
 * unmapped by the caller after it unlocks: munmap of a large mapping takes
 * long, and other threads would wait for the lock meanwhile. */
static unsigned cache_expire(bool force, fr_segment **out)
{
    uint64_t now = fr__now_ns();
    unsigned j = 0, n = 0;
    for (unsigned i = 0; i < fr_huge_cached; i++) {
        if (force || now - fr_huge_cache_time[i] >= fr__opt.purge_delay_ns * FR_HUGE_CACHE_DELAYS) {
            fr_huge_cached_bytes -= fr_huge_cache[i]->map_size;
            __atomic_store_n(&fr_huge_cached_dirty, fr_huge_cached_dirty - fr_huge_cache[i]->huge_written,
                             __ATOMIC_RELAXED);
            out[n++] = fr_huge_cache[i];
        } else {
            fr_huge_cache[j] = fr_huge_cache[i];
            fr_huge_cache_time[j] = fr_huge_cache_time[i];
            j++;
        }
    }
    /* written only when it changed: other threads read it unlocked (a
     * relaxed pre-check), and an empty cache stays untouched (helgrind and
     * drd saw a race in each rewrite of 0; the cache is off under them) */
    if (j != fr_huge_cached) __atomic_store_n(&fr_huge_cached, j, __ATOMIC_RELAXED);
    return n;
}

static void unmap_all(fr_segment **v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) huge_unmap(v[i]);
}

/* A cached block for a mapping of map_size bytes: the smallest one that is
 * large enough but not more than twice too large.  Nothing else: trimming
 * a much larger block (munmap) or growing a smaller one (mremap) costs
 * about what a fresh mapping does, and programs with widely varying sizes
 * then spent their time in the kernel under this lock (5x slower than
 * without the cache on a mixed 130 KiB - 24 MiB workload). */
static fr_segment *cache_take(size_t map_size)
{
    if (__atomic_load_n(&fr_huge_cached, __ATOMIC_RELAXED) == 0) return NULL;
    fr__lock(&fr__huge_lock);
    int best = -1;
    for (unsigned i = 0; i < fr_huge_cached; i++) {
        size_t m = fr_huge_cache[i]->map_size;
        if (m >= map_size && m / 2 <= map_size && (best < 0 || m < fr_huge_cache[best]->map_size))
            best = (int)i;
    }
    fr_segment *s = NULL;
    if (best >= 0) {
        s = fr_huge_cache[best];
        fr_huge_cached_bytes -= s->map_size;
        __atomic_store_n(&fr_huge_cached_dirty, fr_huge_cached_dirty - s->huge_written, __ATOMIC_RELAXED);
        __atomic_store_n(&fr_huge_cached, fr_huge_cached - 1, __ATOMIC_RELAXED);
        fr_huge_cache[best] = fr_huge_cache[fr_huge_cached];
        fr_huge_cache_time[best] = fr_huge_cache_time[fr_huge_cached];
    }
    fr__unlock(&fr__huge_lock);
    return s;
}

void *fr__huge_alloc(size_t size, size_t align, bool zero)
{
    if (atomic_load_explicit(&fr__init_state, memory_order_acquire) != 2) fr__init();
    if (align < FR_ALIGN) align = FR_ALIGN;
    if (size > (SIZE_MAX >> 2) || align > (SIZE_MAX >> 4)) {
        errno = ENOMEM;
        return NULL;
    }
    /* a 0-byte block still gets a page of its own: with an alignment of
     * 4 MiB or more its address would otherwise lie past its mapping, where
     * another segment can be mapped and registered over it */
    if (size == 0) size = 1;
    fr_segment *s = NULL;
    uint8_t *block;
    size_t map_size;
    /* secure=1: one inaccessible page right after the block's usable end
     * (the block is not cached, nor resized in place, so it stays there) */
    size_t guard = fr__opt.secure ? FR_OS_PAGE : 0;
    if (align <= FR_SEG_SIZE / 2) {
        size_t off = (FR_HUGE_HDR + align - 1) & ~(align - 1);
        map_size = round_page(off + size);
        /* calloc takes a cached block too and clears what was written
         * in it since it was last zero (huge_written: nothing if it was
         * purged on entering the cache); a fresh mapping is zero */
        if (off == FR_HUGE_HDR && !fr__opt.valgrind && !fr__opt.secure) s = cache_take(map_size);
        if (s == NULL) fr__huge_collect(false); /* expire what waited too long */
        bool fresh = s == NULL;
        if (fresh) {
            s = fr__os_map_aligned(map_size + guard, FR_SEG_SIZE);
            if (s == NULL) s = fr__os_map_aligned_retry(map_size + guard, FR_SEG_SIZE);
            if (s != NULL && !fr__segmap_commit((uintptr_t)s)) {
                fr__os_unmap(s, map_size + guard);
                s = NULL;
            }
            if (s == NULL) {
                errno = ENOMEM;
                return NULL;
            }
            memset(s->pages, 0, sizeof s->pages);
        }
        if (fresh) s->huge_written = 0;
        /* a cached block is handed out whole (realloc may grow into it),
         * except to calloc: only the pages asked for, which it clears */
        if (!zero) map_size = s->map_size > map_size ? s->map_size : map_size;
        block = (uint8_t *)s + off;
        fr__segmap_set((uintptr_t)s, 1);
    } else {
        /* header one segment below a block aligned to >= 4 MiB */
        size_t total = round_page(FR_SEG_SIZE + size) + guard;
        uint8_t *raw = fr__os_map(total + align);
        if (raw == NULL && fr__os_reclaim()) raw = fr__os_map(total + align);
        if (raw == NULL) {
            errno = ENOMEM;
            return NULL;
        }
        block = (uint8_t *)(((uintptr_t)raw + FR_SEG_SIZE + align - 1) & ~(uintptr_t)(align - 1));
        s = (fr_segment *)(block - FR_SEG_SIZE);
        fr__os_unmap(raw, (size_t)((uint8_t *)s - raw));
        fr__os_unmap((uint8_t *)s + total, (size_t)(raw + total + align - ((uint8_t *)s + total)));
        bool claimed = fr__segmap_commit((uintptr_t)s);
        if (!claimed || !fr__segmap_commit((uintptr_t)block)) {
            if (claimed) fr__segmap_set((uintptr_t)s, 0);
            fr__os_unmap(s, total);
            errno = ENOMEM;
            return NULL;
        }
        map_size = total - guard;
        s->huge_written = 0;
        fr__segmap_set((uintptr_t)s, 1);
        fr__segmap_set((uintptr_t)block, 2);
    }
    s->cookie = (uintptr_t)s ^ fr__secret;
    s->kind = FR_SEG_HUGE;
    __atomic_store_n(&s->tid, 0, __ATOMIC_RELAXED);
    if (s->map_size < map_size + guard) s->map_size = map_size + guard; /* (a cached block keeps its mapping) */
    s->huge_off = (size_t)(block - (uint8_t *)s);
    s->huge_size = map_size - (size_t)(block - (uint8_t *)s);
    if (guard) fr__os_guard((uint8_t *)s + map_size, guard);
    atomic_store_explicit(&s->huge_freed, 0, memory_order_release);
    atomic_fetch_add_explicit(&fr__st_huge_allocs, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&fr__st_huge_bytes, s->huge_size, memory_order_relaxed);
    if (fr__opt.stats) fr__stat_malloc(size, s->huge_size, FR_CLASSES);
    if (zero && s->huge_written > s->huge_off) {
        size_t dirty = s->huge_written - s->huge_off;
        memset(block, 0, dirty < s->huge_size ? dirty : s->huge_size);
    }
    fr_track_malloc(block, size, zero);
    /* under memcheck the rest of the mapping is no-access, so a write past
     * the size asked for is reported, as in small blocks (QA3 Q20: the
     * page-rounding tail of a huge block was open) */
    if (fr__opt.valgrind && s->huge_size > size) fr_track_noaccess(block + size, s->huge_size - size);
    return block;
}

/* Possibly-written bytes the cache may keep resident: a quarter of the
 * live huge blocks, or FR_HUGE_CACHE_KEEP_MIN if more (read without the
 * lock: a bound, not an exact sum). */
static size_t keep_bound(void)
{
    size_t live = atomic_load_explicit(&fr__st_huge_bytes, memory_order_relaxed);
    return live / 4 > FR_HUGE_CACHE_KEEP_MIN ? live / 4 : FR_HUGE_CACHE_KEEP_MIN;
}

/* The bound on what the cache keeps resident, re-applied after every free:
 * when the live huge blocks shrink (a program frees its big buffers and
 * goes idle), blocks that kept their pages while many others were live
 * give them back now, oldest first, instead of staying resident until an
 * allocation expires them, which an idle program never makes (QA11 A6:
 * 8 freed blocks of 30 MiB stayed resident, 241 MB; glibc 1 MB).  Locked. */
static void cache_trim(void)
{
    size_t keep = keep_bound();
    /* twice the bound before trimming, back to the bound: a workload whose
     * live bytes swing (U14) does not purge on every dip */
    if (fr_huge_cached_dirty <= 2 * keep) return;
    for (unsigned i = 0; i < fr_huge_cached && fr_huge_cached_dirty > keep; i++) {
        fr_segment *b = fr_huge_cache[i]; /* in order of entry: oldest first */
        if (!b->huge_written) continue;
        fr__os_purge((char *)b + FR_HUGE_HDR, b->map_size - FR_HUGE_HDR);
        __atomic_store_n(&fr_huge_cached_dirty, fr_huge_cached_dirty - b->huge_written, __ATOMIC_RELAXED);
        b->huge_written = 0;
        b->huge_dirty = 0;
    }
}

void fr__huge_free(fr_segment *s, void *p, const char *fn)
{
    if (p != fr__huge_block(s)) fr__fatal(fn, p, "invalid pointer (inside a huge block, not its start)");
    if (atomic_exchange_explicit(&s->huge_freed, 1, memory_order_acq_rel) != 0)
        fr__fatal(fn, p, "double free (huge block already freed)");
    fr_track_free(p);
    atomic_fetch_add_explicit(&fr__st_huge_frees, 1, memory_order_relaxed);
    atomic_fetch_sub_explicit(&fr__st_huge_bytes, s->huge_size, memory_order_relaxed);
    if (fr__opt.stats) fr__stat_free(s->huge_size);
    bool cacheable = (uintptr_t)p - (uintptr_t)s == FR_HUGE_HDR && fr__opt.huge_cache > 0 &&
                     fr__opt.purge_delay_ns > 0 && !fr__opt.valgrind && !fr__opt.secure &&
                     s->map_size <= FR_HUGE_CACHE_BLOCK_MAX;
    /* A block that may be cached gives its pages back first (before another
     * thread can take it from the cache) when the cache would otherwise
     * hold more possibly-written bytes than a quarter of the live huge
     * blocks or 8 MiB, whichever is more (read without the lock: a bound,
     * not an exact sum); beyond that, every 4th time it enters the cache
     * (as before session 6), so that a block reused again and again does
     * not end up entirely resident (what a program touched in its last 4
     * uses at most).  A hit on
     * a block that kept its pages costs no page fault; the mapping is kept
     * either way (madvise costs far less than munmap + mmap). */
    size_t written = s->huge_off + s->huge_size;
    if (written > s->huge_written) s->huge_written = written;
    if (cacheable) {
        size_t dirty = __atomic_load_n(&fr_huge_cached_dirty, __ATOMIC_RELAXED);
        size_t keep = keep_bound();
        if (dirty + s->huge_written <= keep) {
            s->huge_dirty = 0;
        } else if (++s->huge_dirty >= 4) {
            fr__os_purge(p, s->map_size - FR_HUGE_HDR);
            s->huge_dirty = 0;
            s->huge_written = 0;
        }
    }
    fr_segment *expired[FR_HUGE_CACHE_MAX];
    fr__lock(&fr__huge_lock);
    unsigned nexp = cache_expire(false, expired);
    if (cacheable && fr_huge_cached < fr__opt.huge_cache && fr_huge_cached < FR_HUGE_CACHE_MAX &&
        fr_huge_cached_bytes + s->map_size <= FR_HUGE_CACHE_BYTES_MAX) {
        fr_huge_cached_bytes += s->map_size;
        __atomic_store_n(&fr_huge_cached_dirty, fr_huge_cached_dirty + s->huge_written, __ATOMIC_RELAXED);
        fr_huge_cache[fr_huge_cached] = s;
        fr_huge_cache_time[fr_huge_cached] = fr__now_ns();
        __atomic_store_n(&fr_huge_cached, fr_huge_cached + 1, __ATOMIC_RELAXED);
        s = NULL;
    }
    if (cacheable) cache_trim();
    fr__unlock(&fr__huge_lock);
    unmap_all(expired, nexp);
    if (s) huge_unmap(s);
}

/* Resize a huge block to `size` (> FR_MEDIUM_MAX) keeping its contents;
 * NULL if it cannot be done in place or by remapping (the caller copies). */
void *fr__huge_realloc(fr_segment *s, void *p, size_t size)
{
    size_t off = (size_t)((uint8_t *)p - (uint8_t *)s);
    if (off >= FR_SEG_SIZE || fr__opt.valgrind || fr__opt.secure || size > (SIZE_MAX >> 2)) return NULL;
    size_t map_size = round_page(off + size);
    size_t old_usable = s->huge_size;
    if (map_size <= s->map_size && map_size >= s->map_size / 2) {
        /* fits; shrinking by less than half keeps the mapping as it is */
    } else {
        fr_segment *q = remap_huge(s, map_size);
        if (q == NULL) return NULL;
        if (q != s) {
            s = q;
            s->cookie = (uintptr_t)s ^ fr__secret;
        }
        s->map_size = map_size;
    }
    s->huge_off = off;
    s->huge_size = s->map_size - off;
    if (s->huge_written > s->map_size) s->huge_written = s->map_size; /* (mremap shrank it) */
    atomic_fetch_add_explicit(&fr__st_huge_bytes, s->huge_size - old_usable, memory_order_relaxed);
    if (fr__opt.stats) fr__stat_resize(old_usable, s->huge_size);
    return fr__huge_block(s);
}

void fr__huge_collect(bool force)
{
    if (__atomic_load_n(&fr_huge_cached, __ATOMIC_RELAXED) == 0) return;
    fr_segment *expired[FR_HUGE_CACHE_MAX];
    fr__lock(&fr__huge_lock);
    unsigned nexp = cache_expire(force, expired);
    fr__unlock(&fr__huge_lock);
    unmap_all(expired, nexp);
}

/* The OS refused a mapping (RLIMIT_AS, a commit limit): give back what we
 * hold and may drop, as fr_collect(true) does (the huge cache, this
 * thread's empty segments and purgeable pages), so that one more attempt
 * can succeed.  QA3 Q27: malloc(90 MB) returned NULL while 64 MB of freed
 * huge blocks sat in the cache.  False if there was nothing to give back.
 * Not from inside the page logic of a heap (segment.c calls only the
 * huge-cache half, fr__huge_collect). */
bool fr__os_reclaim(void)
{
    size_t before = atomic_load_explicit(&fr__st_mapped, memory_order_relaxed);
    fr_heap *h = fr__tls_heap;
    if (h != &fr__heap_empty) fr__heap_collect(h, true);
    fr__huge_collect(true);
    return atomic_load_explicit(&fr__st_mapped, memory_order_relaxed) < before;
}

void *fr__os_map_aligned_retry(size_t size, size_t align)
{
    return fr__os_reclaim() ? fr__os_map_aligned(size, align) : NULL;
}

/* fork: the cache needs nothing beyond its lock (reset by fork.c). */
