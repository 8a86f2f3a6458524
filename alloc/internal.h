/*
 * alloc/internal.h — private to alloc/: the allocator's types, constants and
 * the inline fast paths shared by its files.
 *
 * Layout of memory (see docs/guide-malloc.md, "Design in brief"):
 *
 *   segment  4 MiB, aligned to 4 MiB, owned by one thread heap.  It is cut
 *            into 64 slices of 64 KiB.  Its first bytes hold the header: the
 *            array of 64 page descriptors (pages[i] describes slice i) followed
 *            by the segment fields.  A pointer finds its descriptor by masking
 *            (p & ~(4 MiB-1)) and shifting: no lookup structure, no lock.
 *   page     a run of 1..17 slices holding blocks of one size class, with
 *            three free lists: `free` (allocation pops here, and the owner
 *            thread's frees push here: the block freed last is handed out
 *            first, while it is in cache), `local_free` (the owner's frees
 *            on the full path, and remote frees taken back) and
 *            `thread_free` (other threads' frees, pushed with one
 *            compare-and-swap).
 *   huge     a block above FR_MEDIUM_MAX gets a mapping of its own, with a
 *            segment-shaped header (all descriptors zero) so that free() finds
 *            it the same way; realloc moves it with mremap.
 *
 * The segment map (fr__segmap, segment.c) says which 4 MiB regions hold a
 * segment or huge header.  Region n (address >> 22) has its entry at
 * fr__segmap[n mod 2^16], a word of a 512 KiB table in .data, which holds
 * n itself while the region starts a segment or huge header ("1"),
 * n | FR_SEGMAP_TWO for a huge block aligned to 4 MiB or more whose header
 * is one region lower ("2"), and 0, a claim or another region's number
 * otherwise.  free() compares the entry with the pointer's whole region
 * number (stray high bits never match) before it trusts the header, so a
 * pointer we never returned is reported, never followed.  Entry 0 holds a
 * claim from the start, so that NULL and pointers below 4 MiB (region 0)
 * never match.  Two live regions 256 GiB apart share an entry: the second
 * goes to an overflow map (one byte per region, 32 MiB of address space
 * reserved read-only the first time that happens), which only the slow
 * paths read.  Until session 8 that byte map was the only map, reserved at
 * start: ~37 MB of VmSize in every process (QA3 Q26).
 *
 * A free block holds its next pointer in word 0 (XORed with a random
 * per-page key, so an overwrite is caught when malloc decodes it) and, in
 * word 1, its page's free mark: the address of the page's descriptor
 * (fr__free_mark), a value no program stores in its blocks, as it never
 * sees a pointer into the segment header.  malloc clears word 1; free finds
 * the mark already there on a double free, confirms it by searching the
 * page's lists, and reports.
 *
 * Lock order: fr__heaps_lock -> fr__abandoned_lock -> fr__huge_lock.  Each
 * guards one global list and is held alone, except by the fork handlers,
 * which take all three in this order.  The fast paths take no lock.
 */
#ifndef FR_ALLOC_INTERNAL_H
#define FR_ALLOC_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#include <ferrum/alloc.h>

#define FR_LIKELY(x) __builtin_expect(!!(x), 1)
#define FR_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define FR_HIDDEN __attribute__((visibility("hidden")))
#define FR_NOINLINE __attribute__((noinline))
#define FR_COLD __attribute__((cold, noinline))

/* ---- Geometry ---- */
#define FR_SEG_SHIFT 22
#define FR_SEG_SIZE ((uintptr_t)1 << FR_SEG_SHIFT)
#define FR_SEG_MASK (FR_SEG_SIZE - 1)
#define FR_SLICE_SHIFT 16
#define FR_SLICE_SIZE ((size_t)1 << FR_SLICE_SHIFT)
#define FR_SLICES (FR_SEG_SIZE / FR_SLICE_SIZE) /* 64 */
#define FR_OS_PAGE 4096u

#define FR_ALIGN 16u                 /* minimum alignment of every block */
#define FR_SMALL_MAX 8192u           /* sizes served by the direct tables (single-slice classes) */
#define FR_TINY_MAX 1024u            /* sizes served by the table indexed by the size itself */
#define FR_DIRECT_FIRST (FR_TINY_MAX / FR_ALIGN + 1) /* (size+15)/16 of the first size above it */
#define FR_DIRECT (FR_SMALL_MAX / FR_ALIGN + 1 - FR_DIRECT_FIRST)
#define FR_MEDIUM_MAX ((size_t)1024 * 1024) /* above: huge (own mapping) */
#define FR_CLASSES 60
/* classes from here on (above 128 KiB) are "large": one block per page of
 * enough slices (up to 17), no phantom count, the page goes back to its
 * segment when its block is freed (size_class.c) */
#define FR_LARGE_CLASS 48
#define FR_LARGE_MIN ((size_t)128 * 1024) /* the largest block below the large classes */
#define FR_CALLOC_MAP_MIN FR_MEDIUM_MAX      /* calloc above: a fresh zero mapping (huge) */
#define FR_MAX_PAGE_SLICES 17
#define FR_VA_BITS 47                /* user address space of x86-64 / aarch64 */
#define FR_SEGMAP_SIZE ((size_t)1 << (FR_VA_BITS - FR_SEG_SHIFT))
/* A pointer with any of these bits set is not one of ours (unaligned or
 * beyond the user address space): checked first in free(). */
#define FR_BAD_PTR_BITS ((~(uintptr_t)0 << FR_VA_BITS) | (FR_ALIGN - 1))

/* ---- Blocks and pages ---- */
typedef struct fr_block {
    struct fr_block *next; /* encoded: next ^ page key (fr__link_dec) */
    uintptr_t key; /* the free mark (fr__free_mark) while the block is free, 0 once handed out */
} fr_block;

enum {
    FR_PAGE_IN_USE = 1,  /* slices belong to a live page */
    FR_PAGE_FULL = 2,    /* in the heap's full queue */
    FR_PAGE_ALIGNED = 4, /* interior pointers were handed out (aligned_alloc) */
};

/* One descriptor per slice; a page is described by the descriptor of its
 * first slice, the others hold slice_offset (distance back to the first).
 * 128 bytes, two cache lines: the first is written by the owner thread
 * (malloc and local frees), the second is read by every free and written
 * by other threads' frees (thread_free), so remote frees do not take the
 * owner's hot line away from it.  The fast paths compute a descriptor's
 * address with a shift and a mask. */
typedef struct fr_page {
    /* line 1: the owner's */
    fr_block *free;        /* blocks ready to allocate */
    fr_block *local_free;  /* freed by the owner on the full path; thread_free taken back (page.c) */
    uint32_t used;         /* blocks handed out and not yet back on free/local_free,
                              +1 while the page is the first of its class queue */
    uint32_t pad0;
    struct fr_page *next, *prev; /* heap page queue */
    /* free-list links are stored XORed with this random per-page key
     * (fr__link_enc / fr__link_dec): a free block overwritten with plain
     * data or a plain pointer decodes to a link outside the segment, which
     * malloc reports instead of following */
    uintptr_t key;
    uint8_t pad1[64 - 48];
    /* line 2: read by every free, written by remote frees */
    uintptr_t owner;       /* owner thread id when free() may take the fast path, else 0 */
    /* freed by other threads, pushed with one CAS: the list head in the low
     * 48 bits, the number of blocks on it in the high 16 (FR_TF_*), so the
     * owner takes the list and its length without walking it */
    _Atomic(uintptr_t) thread_free;
    uint32_t block_size;
    uint16_t capacity;     /* blocks carved so far */
    uint16_t reserved;     /* blocks that fit */
    uint8_t cls;
    uint8_t slices;        /* page length in slices (first descriptor only) */
    uint8_t slice_offset;  /* > 0: this slice belongs to the page that many slices back */
    uint8_t flags;
    /* for the fast path's block-start check (fr__free_inline): minus the
     * address of the first block (stored negated, so that it is no pointer
     * into that block: memcheck's leak check took it for one and called a
     * leaked first block "still reachable", QA F2), the inverse of the
     * block size's odd factor modulo 2^64 and the number of its trailing
     * zero bits, and the blocks carved so far.  p is the start of a carved
     * block exactly when rotr((p - start) * inv, shift) < count (a
     * divisibility test, no division; see fr__block_ok). */
    uint8_t shift;
    /* 1 once realloc kept a block of this page in place for a size of a
     * smaller class (alloc.c): free_sized then holds such blocks to half
     * their size, not to their class (free.c).  Only ever set to 1 while
     * the page lives (by any thread: an idempotent store), cleared when the
     * page is set up. */
    uint8_t shrunk;
    uint8_t pad2[2];
    uintptr_t neg_start;   /* 0 - (address of the first block) */
    uint64_t inv;
    uint64_t count;
    uintptr_t pad3;
} __attribute__((aligned(64))) fr_page;

#define FR_TF_SHIFT 48
#define FR_TF_PTR(v) ((fr_block *)((uintptr_t)(v) & (((uintptr_t)1 << FR_TF_SHIFT) - 1)))
#define FR_TF_COUNT(v) ((size_t)((uintptr_t)(v) >> FR_TF_SHIFT))

_Static_assert(sizeof(fr_page) == 128, "page descriptor must be 128 bytes");
_Static_assert(offsetof(fr_page, owner) == 64, "owner starts the second line");

struct fr_heap;

enum { FR_SEG_SMALL = 1, FR_SEG_HUGE = 2 };

/* The segment header: page descriptors first (the fast path relies on it). */
typedef struct fr_segment {
    fr_page pages[FR_SLICES];
    uintptr_t cookie;      /* (uintptr_t)segment ^ fr__secret: a real header */
    uintptr_t tid;         /* owner thread id; 0 while abandoned (and for huge) */
    struct fr_heap *heap;
    struct fr_segment *next, *prev; /* heap's segment list / abandoned list */
    uint64_t used_mask;    /* slices in pages */
    uint64_t purge_mask;   /* free slices still resident */
    uint64_t purge_old;    /* those of them already free at the heap's last purge tick */
    uint32_t kind;
    uint32_t pages_used;
    /* per slice: where large blocks (one per page, above 128 KiB) have
     * started in it, as bits of 4 KiB steps from fr__large_base.  A large
     * page takes a step not yet used there, and a page of smaller blocks
     * that covers the slice never hands out a block at a used step (page.c),
     * so a stale pointer to a freed large block is never the start of
     * another live block: its second free is reported (QA6 T7).  Written by
     * the owner when it sets up a large page, read by any free (relaxed).
     * Forgotten when they would keep more than a quarter of a new page's
     * blocks from use, or once every step of a slice was used. */
    uint16_t large_steps[FR_SLICES];
    /* huge blocks only */
    size_t map_size;       /* bytes mapped from the segment start */
    size_t huge_size;      /* usable bytes of the block */
    size_t huge_off;       /* the pointer handed out, as an offset from the
                              header (not a pointer: memcheck would count a
                              leaked block as reachable through it, QA F2) */
    _Atomic(uintptr_t) huge_freed;
    size_t huge_written;   /* bytes from the header on that the program may have
                              written since the mapping was last all zero
                              (fresh from mmap, or purged): calloc of a cached
                              block clears only those (huge.c) */
    bool abandoned;        /* on the abandoned list (written under fr__abandoned_lock) */
    uint8_t huge_dirty;    /* passes through the huge cache over its bound since the last purge */
} fr_segment;

#define FR_HDR_SIZE ((sizeof(fr_segment) + 127) & ~(size_t)127)
/* large blocks start at fr__large_base + k * FR_LARGE_STEP, k < FR_LARGE_STEPS;
 * a pointer aligned_alloc returns inside a large block is marked too, at
 * any of the FR_LARGE_MARKS steps of a slice (alloc.c) */
#define FR_LARGE_STEP ((size_t)FR_OS_PAGE)
#define FR_LARGE_STEPS 4u
#define FR_LARGE_MARKS 16u
#define FR_LARGE_BASE0 ((FR_HDR_SIZE + FR_OS_PAGE - 1) & ~(size_t)(FR_OS_PAGE - 1))
#define FR_HUGE_HDR ((sizeof(fr_segment) + FR_OS_PAGE - 1) & ~(size_t)(FR_OS_PAGE - 1))

/* ---- Thread heaps ---- */
typedef struct fr_pageq {
    fr_page *first, *last;
} fr_pageq;

typedef struct fr_heap {
    /* the page to pop from: tiny[size] up to FR_TINY_MAX (one load on the
     * fast path, no arithmetic on the size), direct[(size+15)/16 -
     * FR_DIRECT_FIRST] above it up to FR_SMALL_MAX (fr__heap_update_direct
     * keeps both) */
    fr_page *tiny[FR_TINY_MAX + 1];
    fr_page *direct[FR_DIRECT];
    uintptr_t tid;
    fr_pageq queues[FR_CLASSES];
    fr_pageq full[FR_CLASSES];   /* pages found without free blocks, per class */
    /* The first page of each class queue holds one phantom "used" count, so
     * a malloc/free loop on it never sees used reach 0 (which would take the
     * slow path on every free).  biased[c] is the page holding it. */
    fr_page *biased[FR_CLASSES];
    fr_segment *segments;        /* doubly linked through next/prev */
    uint64_t purge_due;          /* next purge tick (ns, CLOCK_MONOTONIC), 0: nothing resident is free */
    uint64_t dirty_last;         /* when a slice was last freed (ns) */
    uint32_t fresh_pages;        /* pages set up since start (every 16th: reclaim_remote, page.c) */
    struct fr_heap *all_next, *all_prev; /* list of live heaps */
    struct fr_heap *pool_next;           /* free heap structs */
} fr_heap;

/* ---- Globals (one set per copy of the engine; all hidden) ---- */
/* The segment map (see the top; segment.c): all zero until the first
 * segment, so a lookup before the allocator starts says "not ours". */
#define FR_SEGMAP_BITS 16
#define FR_SEGMAP_ENTRIES ((size_t)1 << FR_SEGMAP_BITS)
#define FR_SEGMAP_TWO ((uintptr_t)1 << 63)  /* "2": the header is one region lower */
#define FR_SEGMAP_HELD ((uintptr_t)1 << 62) /* entry claimed (fr__segmap_commit), not yet ours */
extern FR_HIDDEN uintptr_t fr__segmap[FR_SEGMAP_ENTRIES];
extern FR_HIDDEN uintptr_t fr__secret;
extern FR_HIDDEN fr_page fr__page_empty;
extern FR_HIDDEN fr_heap fr__heap_empty;
extern FR_HIDDEN __thread fr_heap *fr__tls_heap __attribute__((tls_model("initial-exec")));
extern FR_HIDDEN const uint32_t fr__class_size[FR_CLASSES];
extern FR_HIDDEN const uint8_t fr__class_slices[FR_CLASSES];

typedef struct fr_options {
    bool stats;
    bool verbose;
    bool slow_mode; /* stats or valgrind: every operation takes the slow path */
    bool valgrind;
    bool secure;    /* guard pages after segments and huge blocks, shuffled carving */
    int valgrind_mode;   /* -1 auto (memcheck-like tools), 0 off, 1 on */
    uint64_t purge_delay_ns;
    unsigned huge_cache; /* huge blocks kept for reuse */
    bool keep_deepbind;  /* deepbind=1: dlopen keeps RTLD_DEEPBIND (deepbind.c) */
    bool early_unwind;   /* early_unwind=1: libunwind loaded at start, not by the first report (init.c) */
} fr_options;
extern FR_HIDDEN fr_options fr__opt;

/* The largest block a size class holds: FR_MEDIUM_MAX, or FR_LARGE_MIN
 * under secure=1, where every block above it gets a mapping of its own with
 * a guard page right after it (huge.c).  Slow paths only. */
static inline size_t fr__medium_max(void)
{
    return fr__opt.secure ? FR_LARGE_MIN : FR_MEDIUM_MAX;
}
extern FR_HIDDEN _Atomic int fr__init_state; /* 0 none, 1 running, 2 done */

/* global counters (atomic, slow paths only) */
extern FR_HIDDEN _Atomic size_t fr__st_mapped, fr__st_peak_mapped, fr__st_purged;
extern FR_HIDDEN _Atomic uint64_t fr__st_huge_allocs, fr__st_huge_frees, fr__st_huge_bytes;
extern FR_HIDDEN _Atomic uint64_t fr__st_retired[5]; /* mallocs frees requested allocated peak of exited heaps */
extern FR_HIDDEN _Atomic uint64_t fr__st_retired_class[FR_CLASSES + 1];

/* ---- A tiny spin lock (no pthread, fork-resettable) ---- */
typedef struct { atomic_flag f; } fr_lock;
#define FR_LOCK_INIT { ATOMIC_FLAG_INIT }
FR_HIDDEN void fr__lock(fr_lock *l);
/* race.c: ferrum's locks and hand-overs told to helgrind and drd; called
 * only when fr__opt.valgrind */
FR_HIDDEN void fr__race_acquired(void *lock);
FR_HIDDEN void fr__race_releasing(void *lock);
FR_HIDDEN void fr__race_send(void *obj);
FR_HIDDEN void fr__race_recv(void *obj);
FR_HIDDEN void fr__race_ignore(void *addr, size_t len);
FR_HIDDEN void fr__race_new(void *addr, size_t len);
/* fork.c: set in the forking thread from the end of ferrum's prepare handler
 * until its parent/child handler, while it holds the three global locks;
 * then fr__lock/fr__unlock of those three pass through for that thread, so
 * an atfork handler that runs in this window (registered before ferrum's)
 * can allocate.  No other thread can touch what they guard meanwhile. */
extern FR_HIDDEN __thread int fr__fork_holder __attribute__((tls_model("initial-exec")));
FR_HIDDEN bool fr__fork_held(const fr_lock *l);
static inline void fr__unlock(fr_lock *l)
{
    if (FR_UNLIKELY(fr__fork_holder) && fr__fork_held(l)) return;
    if (FR_UNLIKELY(fr__opt.valgrind)) fr__race_releasing(l);
    atomic_flag_clear_explicit(&l->f, memory_order_release);
}
extern FR_HIDDEN fr_lock fr__heaps_lock, fr__abandoned_lock, fr__huge_lock;

/* ---- Helpers ---- */
static inline uintptr_t fr__thread_id(void)
{
    return (uintptr_t)__builtin_thread_pointer();
}
static inline fr_segment *fr__segment_of(const void *p)
{
    return (fr_segment *)((uintptr_t)p & ~FR_SEG_MASK);
}
static inline void *fr__huge_block(const fr_segment *s)
{
    return (uint8_t *)s + s->huge_off;
}
static inline uint8_t *fr__page_start(fr_segment *s, fr_page *pg)
{
    size_t i = (size_t)(pg - s->pages);
    return (uint8_t *)s + (i == 0 ? FR_HDR_SIZE : i * FR_SLICE_SIZE);
}
/* The first block of pg (carving, block-start checks): the page start,
 * or for a large page a multiple of 4 KiB above it (see large_steps). */
static inline uint8_t *fr__page_origin(const fr_page *pg)
{
    return (uint8_t *)(0 - pg->neg_start);
}
/* Where the 4 KiB steps of large blocks start in slice i: the slice, or
 * for slice 0 the first 4 KiB boundary past the header. */
static inline uint8_t *fr__large_base(fr_segment *s, size_t i)
{
    return (uint8_t *)s + (i == 0 ? FR_LARGE_BASE0 : i * FR_SLICE_SIZE);
}
/* Did a large block of s ever start at address a (since the step bits of
 * its slice were last reset)? */
static inline bool fr__large_stale(fr_segment *s, uintptr_t a)
{
    size_t i = (a - (uintptr_t)s) >> FR_SLICE_SHIFT;
    uintptr_t base = (uintptr_t)fr__large_base(s, i);
    if (i >= FR_SLICES || a < base || ((a - base) & (FR_LARGE_STEP - 1)) != 0) return false;
    size_t k = (a - base) / FR_LARGE_STEP;
    return k < FR_LARGE_MARKS && ((__atomic_load_n(&s->large_steps[i], __ATOMIC_RELAXED) >> k) & 1);
}
/* Word 1 of every free block of pg: its double-free mark (see above).
 * Never 0 (malloc clears word 1 to 0); the fast path of free has pg in a
 * register already, so the mark costs no load there. */
static inline uintptr_t fr__free_mark(const fr_page *pg)
{
    return (uintptr_t)pg;
}
static inline fr_block *fr__link_dec(const fr_page *pg, const fr_block *b)
{
    return (fr_block *)((uintptr_t)b->next ^ pg->key);
}
static inline fr_block *fr__link_enc(const fr_page *pg, const fr_block *next)
{
    return (fr_block *)((uintptr_t)next ^ pg->key);
}
/* splitmix64's finalizer: per-page values derived from the secret */
static inline uint64_t fr__mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9u;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}
/* ---- Page fields shared across threads ----
 * A page belongs to one owner thread, which alone writes its descriptor.
 * Other threads read it when they free (or take the usable size of) a
 * block of the page.  The fields they read fall in two groups:
 *   - fixed while any block of the page is live (cls, block_size, start,
 *     inv, shift, key, slices, slice_offset, reserved): written
 *     before the first block was handed out, so the program's own hand-over
 *     of the pointer orders them before the other thread's read; plain;
 *   - changed by the owner while other threads may read them (owner,
 *     flags, capacity, count): single writer, every access through the
 *     relaxed atomics below (plain moves on x86-64 and aarch64).  A reader
 *     may see an older value; each check is sound with it (an older count
 *     or capacity still covers the block being freed, which was carved
 *     before it was handed out; owner and the FULL bit only choose a path).
 * thread_free is the one field other threads write (CAS, release).  */
static inline uintptr_t fr__pg_owner(const fr_page *pg)
{
    return __atomic_load_n(&pg->owner, __ATOMIC_RELAXED);
}
static inline void fr__pg_set_owner(fr_page *pg, uintptr_t tid)
{
    __atomic_store_n(&pg->owner, tid, __ATOMIC_RELAXED);
}
static inline uint8_t fr__pg_flags(const fr_page *pg)
{
    return __atomic_load_n(&pg->flags, __ATOMIC_RELAXED);
}
static inline void fr__pg_flags_add(fr_page *pg, uint8_t f) /* owner only */
{
    __atomic_store_n(&pg->flags, (uint8_t)(fr__pg_flags(pg) | f), __ATOMIC_RELAXED);
}
static inline void fr__pg_flags_clear(fr_page *pg, uint8_t f) /* owner only */
{
    __atomic_store_n(&pg->flags, (uint8_t)(fr__pg_flags(pg) & ~f), __ATOMIC_RELAXED);
}
static inline uint16_t fr__pg_capacity(const fr_page *pg)
{
    return __atomic_load_n(&pg->capacity, __ATOMIC_RELAXED);
}

/* Is p (any value) the start of a block carved in pg?  (p - start) is a
 * multiple q of block_size = odd << shift exactly when multiplying by the
 * odd factor's inverse and rotating right by shift gives q; and q < count.
 * A p below start or with stray high bits wraps to a huge value. */
static inline bool fr__block_ok_n(const fr_page *pg, uintptr_t p, uint64_t count)
{
    uint64_t x = (uint64_t)(p + pg->neg_start) * pg->inv;
    unsigned k = pg->shift;
    x = (x >> k) | (x << ((64 - k) & 63));
    return x < count;
}
/* any thread */
static inline bool fr__block_ok(const fr_page *pg, uintptr_t p)
{
    return fr__block_ok_n(pg, p, __atomic_load_n(&pg->count, __ATOMIC_RELAXED));
}
/* the owner thread, which alone writes count: a plain read */
static inline bool fr__block_ok_owner(const fr_page *pg, uintptr_t p)
{
    return fr__block_ok_n(pg, p, pg->count);
}

/* The segment map says 1 for region n (= address >> 22) in its primary
 * entry: the entry holds n itself.  A relaxed atomic load; on x86-64
 * written as one compare with the word in memory (gcc loads the atomic
 * into a register first, one instruction more on the free fast path).
 * Under ThreadSanitizer the C11 form, so that TSan sees the access.
 * Regions in the overflow map are not found here (fr__segmap_get). */
static inline bool fr__segmap_is_one(uintptr_t n)
{
    uintptr_t *e = &fr__segmap[n & (FR_SEGMAP_ENTRIES - 1)];
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
    bool eq;
    __asm__("cmpq %1, %2" : "=@cce"(eq) : "r"(n), "m"(*e));
    return eq;
#else
    return __atomic_load_n(e, __ATOMIC_RELAXED) == n;
#endif
}
/* 1, 2 or 0 for p's region, from either map (slow paths) */
FR_HIDDEN unsigned fr__segmap_over_get(uintptr_t n);
static inline unsigned fr__segmap_get(uintptr_t p)
{
    uintptr_t n = p >> FR_SEG_SHIFT;
    uintptr_t e = __atomic_load_n(&fr__segmap[n & (FR_SEGMAP_ENTRIES - 1)], __ATOMIC_ACQUIRE);
    if (e == n) return 1;
    if (e == (n | FR_SEGMAP_TWO)) return 2;
    return fr__segmap_over_get(n);
}

/* off / block_size of class cls without a division: (off * m) >> 40 with
 * m = 2^40 / size + 1 is exact for every offset inside a page. */
extern FR_HIDDEN const uint64_t fr__class_magic[FR_CLASSES];
static inline size_t fr__block_index(size_t off, unsigned cls)
{
    return (size_t)(((unsigned __int128)off * fr__class_magic[cls]) >> 40);
}

/* size (> 0, <= FR_MEDIUM_MAX) -> size class */
static inline unsigned fr__size_class(size_t size)
{
    if (size <= 128) return size <= 16 ? 0 : (unsigned)((size + 15) >> 4) - 1;
    size_t s = size - 1;
    unsigned b = 63u - (unsigned)__builtin_clzl(s);
    return 8 + (b - 7) * 4 + (unsigned)((s >> (b - 2)) & 3);
}

/* ---- Functions shared between files ---- */
/* init.c */
FR_HIDDEN void fr__init(void);
FR_HIDDEN uint64_t fr__now_ns(void);
/* options.c */
FR_HIDDEN void fr__options_read(void);
/* os.c */
FR_HIDDEN void *fr__os_map(size_t size);
FR_HIDDEN void *fr__os_map_aligned(size_t size, size_t align);
FR_HIDDEN void fr__os_unmap(void *p, size_t size);
FR_HIDDEN void fr__os_purge(void *p, size_t size);
FR_HIDDEN bool fr__os_guard(void *p, size_t size);
FR_HIDDEN void *fr__os_remap_aligned(void *p, size_t old_size, size_t new_size, size_t align);
/* segment.c */
FR_HIDDEN fr_page *fr__segment_page_alloc(fr_heap *h, unsigned slices);
FR_HIDDEN bool fr__segment_page_free(fr_heap *h, fr_segment *s, fr_page *pg);
FR_HIDDEN void fr__segment_purge(fr_heap *h, bool force);
FR_HIDDEN void fr__segment_abandon_all(fr_heap *h);
FR_HIDDEN bool fr__segment_adopt(fr_heap *h, bool all);
FR_HIDDEN bool fr__segment_abandoned_free(fr_segment *s, fr_page *pg, fr_block *b);
/* Claim the entry of the region at addr (a segment or huge mapping just
 * made, before fr__segmap_set(addr, 1 or 2)): the primary entry if free,
 * else a byte of the overflow map; false if the OS refuses that map.
 * fr__segmap_set(addr, 0) gives the claim back.  FR_SEGMAP_KEEP keeps it
 * but reads "not ours" (a huge block being moved by mremap), and
 * FR_SEGMAP_RESUME makes it 1 again (the block did not move). */
FR_HIDDEN bool fr__segmap_commit(uintptr_t addr);
#define FR_SEGMAP_KEEP 3
#define FR_SEGMAP_RESUME 4
FR_HIDDEN void fr__segmap_set(uintptr_t addr, uint8_t v);
/* page.c */
FR_HIDDEN void *fr__malloc_generic(size_t size, fr_heap *h);
FR_HIDDEN size_t fr__page_collect(fr_page *pg);
FR_HIDDEN void fr__page_queue_remove(fr_heap *h, fr_page *pg);
FR_HIDDEN void fr__page_queue_push(fr_heap *h, fr_page *pg, bool front);
FR_HIDDEN void fr__page_unfull(fr_heap *h, fr_page *pg);
FR_HIDDEN void fr__page_retire(fr_heap *h, fr_segment *s, fr_page *pg);
FR_HIDDEN void fr__heap_collect(fr_heap *h, bool force);
FR_HIDDEN void fr__heap_update_direct(fr_heap *h, unsigned cls);
/* heap.c */
FR_HIDDEN fr_heap *fr__heap_get(void);
FR_HIDDEN void fr__heap_for_report(void); /* before a report loads libunwind: a heap of fresh pages */
FR_HIDDEN void fr__heap_thread_done(void *arg);
FR_HIDDEN void fr__heaps_after_fork_child(void);
/* huge.c */
FR_HIDDEN void *fr__huge_alloc(size_t size, size_t align, bool zero);
FR_HIDDEN void fr__huge_free(fr_segment *s, void *p, const char *fn);
FR_HIDDEN void *fr__huge_realloc(fr_segment *s, void *p, size_t size);
FR_HIDDEN void fr__huge_collect(bool force);
FR_HIDDEN bool fr__os_reclaim(void);
FR_HIDDEN void *fr__os_map_aligned_retry(size_t size, size_t align);
/* free.c */
FR_HIDDEN void fr__free_slow(void *p, const char *fn);
FR_HIDDEN void fr__free_other(void *p, fr_page *pg, const char *fn);
FR_HIDDEN void fr__stat_malloc(size_t req, size_t bs, unsigned cls);
FR_HIDDEN void fr__stat_free(size_t bs);
FR_HIDDEN void fr__stat_resize(size_t old_bs, size_t new_bs);
FR_HIDDEN void fr__heaps_foreach(void (*fn)(fr_heap *h, void *arg), void *arg);
FR_HIDDEN void fr__page_now_empty(fr_page *pg);
FR_HIDDEN fr_page *fr__page_of_checked(const void *p, fr_segment **segp, const char *fn);
FR_HIDDEN void *fr__block_start(fr_segment *s, fr_page *pg, const void *p, const char *fn);
/* An aligned allocation handed out inside a larger block writes this word at
 * the block's start (the padding before the pointer), so that in a page that
 * served aligned_alloc only that pointer, not any interior one, is a start. */
static inline uintptr_t fr__aligned_mark(const void *q)
{
    return (uintptr_t)q ^ fr__secret ^ (uintptr_t)0xa11a11a11a11a11aull;
}
FR_HIDDEN void fr__free_sized(void *p, size_t size, size_t align, const char *fn);
/* alloc.c */
FR_HIDDEN void *fr__malloc_aligned(size_t align, size_t size, bool zero);
FR_HIDDEN size_t fr__usable(const void *p, const char *fn);
/* stats.c */
FR_HIDDEN void fr__stats_arm(void); /* stats=1: dup stderr, print the summary at exit */
/* report.c */
FR_HIDDEN _Noreturn void fr__fatal(const char *what, const void *ptr, const char *detail);
FR_HIDDEN _Noreturn void fr__fatal_fmt(const char *what, const void *ptr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
FR_HIDDEN void fr__message(const char *fmt_prefix, const char *msg);
FR_HIDDEN void fr__print(int fd, const char *fmt, ...);
/* fork.c */
FR_HIDDEN void fr__fork_install(void);

#include "track.h"

/* The next block of a free list, read where the fast paths do not go: under
 * valgrind=1 the free block's link word is no-access to memcheck, so it is
 * opened for the read and closed again. */
static inline fr_block *fr__blk_next(const fr_page *pg, fr_block *b)
{
    if (FR_UNLIKELY(fr__opt.valgrind)) {
        fr_track_defined(b, sizeof *b);
        fr_block *n = fr__link_dec(pg, b);
        fr_track_noaccess(b, sizeof *b);
        return n;
    }
    return fr__link_dec(pg, b);
}

/* ---- The fast paths ---- */

/* Hand out b, the head of pg's free list (already checked to lie in pg's
 * segment): unlink it, count it, clear its double-free mark.  The fast
 * path and malloc's slow entry share it. */
static inline __attribute__((always_inline)) fr_block *fr__page_pop(fr_page *pg, fr_block *b)
{
    fr_block *next = fr__link_dec(pg, b);
    pg->free = next;
    __builtin_prefetch(next);
    pg->used++;
    b->key = 0;
    return b;
}

/* malloc: sizes up to FR_SMALL_MAX from the direct table, everything else
 * (including absurd sizes, refused by the huge path) through the slow path.
 * The head of the free list is checked before it is read: it must lie in
 * the page's own 4 MiB segment (one xor and shift against the descriptor's
 * address).  That one test also sends an empty list (NULL) and the static
 * empty page (whose head has bit 63 set) to the slow path.  The link it
 * holds becomes the new head unchecked: a link a buffer overflow or a
 * write after free overwrote (links are XORed with the page key, whose bit
 * 63 is set, so a plain pointer or plain data decodes far outside) is
 * caught by this same test at the next malloc of the class, before it is
 * followed, and the slow path reports it (fr__malloc_generic).  The new
 * head is prefetched: when it came back from another thread's free it is
 * cold, and the next malloc of the class would wait for it (sh8bench:
 * 91% of malloc's samples on that load; the prefetch took 9% off its CPU
 * time for one instruction here). */
static inline __attribute__((always_inline)) void *fr__malloc_inline(size_t size)
{
    fr_heap *h = fr__tls_heap;
    fr_page *pg;
    if (FR_LIKELY(size <= FR_TINY_MAX)) pg = h->tiny[size];
    else if (size <= FR_SMALL_MAX) pg = h->direct[(size + FR_ALIGN - 1) / FR_ALIGN - FR_DIRECT_FIRST];
    else return fr__malloc_generic(size, h);
    fr_block *b = pg->free;
#if defined(__x86_64__)
    /* b in the return register from its load on: gcc otherwise keeps pg
     * there and spends a move on the return (a hint, no instruction) */
    __asm__("" : "+a"(b));
#endif
    if (FR_LIKELY((((uintptr_t)b ^ (uintptr_t)pg) >> FR_SEG_SHIFT) == 0)) return fr__page_pop(pg, b);
    return fr__malloc_generic(size, h); /* size stays in its register */
}

/* free: the owner thread freeing a block of an ordinary page.  Checked
 * before anything is written: the segment map says the 4 MiB region is ours
 * (its entry holds the pointer's whole region number, so stray high bits
 * fail here and stray low bits the block-start test), the page is owned by this thread
 * (owner is 0 on full, aligned_alloc and multi-slice pages, and in slow
 * mode), p is a carved block start (fr__block_ok) and word 1 is not the
 * page's free mark (double free).  Anything else, and frees from other
 * threads, go to fr__free_slow.  fn names the function the program called
 * ("free()", "fr_free()", ...) in reports. */
static inline __attribute__((always_inline)) void fr__free_inline(void *p, const char *fn)
{
    uintptr_t u = (uintptr_t)p;
    uintptr_t n = u >> FR_SEG_SHIFT;
    /* relaxed: the map entry of a block being freed was written before the
     * block was handed out (a plain load on x86-64) */
    if (FR_LIKELY(fr__segmap_is_one(n))) {
#if defined(__x86_64__)
        /* the segment as n << 22 (one shift), not as u & -4 MiB, which gcc
         * prefers and which costs a copy more (a hint, no instruction) */
        __asm__("" : "+r"(n));
#endif
        fr_page *pg = (fr_page *)((n << FR_SEG_SHIFT) + ((u >> (FR_SLICE_SHIFT - 7)) & ((FR_SLICES - 1) << 7)));
        fr_block *b = (fr_block *)p;
        if (FR_UNLIKELY(fr__pg_owner(pg) != fr__thread_id())) {
            /* another thread's page, or one the inline path does not take */
            fr__free_other(p, pg, fn);
            return;
        }
        if (FR_LIKELY(fr__block_ok_owner(pg, u))) {
            uintptr_t mark = fr__free_mark(pg);
            if (FR_LIKELY(b->key != mark)) {
                b->key = mark;
                b->next = fr__link_enc(pg, pg->free);
                pg->free = b;
                if (FR_UNLIKELY(--pg->used == 0)) fr__page_now_empty(pg);
                return;
            }
        }
    }
    fr__free_slow(p, fn); /* fn: the name reports give the call */
}

#endif /* FR_ALLOC_INTERNAL_H */
