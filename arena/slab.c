/*
 * arena/slab.c — object caches after Bonwick's slab allocator (1994), with
 * per-thread magazines (Bonwick & Adams, 2001).
 *
 * A cache (fr_slab) hands out objects of one size and alignment.  Objects
 * live in slabs: runs of 2^k granules of the slab space (slab_space.h) that
 * hold objects only; each slab's header (owner cache, counts, list links
 * and a bitmap of its free objects) lives outside the slab space, in
 * slab_space.c's header pool, found through the granule table.  The bitmap
 * is kept outside the objects, so a free object is never written by the allocator: Bonwick's
 * contract holds — the constructor runs once per object when its slab is
 * created, the destructor once when the slab is reclaimed (or the cache
 * destroyed), and an object keeps its constructed state between free and
 * alloc.
 *
 * Slabs sit on one of three lists of their cache: partial (some objects
 * free), full (none free), empty (all free).  A reserve of empty slabs
 * (FR_SLAB_RESERVE, fewer for big slabs) is always kept; past that, an empty
 * slab is reclaimed (destructors run, pages go back to the system) once it
 * has stayed empty FR_SLAB_REAP_MS, or at once when more than
 * FR_SLAB_EMPTY_BYTES of empty slabs pile up.  The delay is
 * checked whenever the cache's lock is taken; it keeps a program that frees
 * and reallocates a batch from returning and refaulting its pages each time
 * (purge on a delay, not on every free).
 *
 * Magazines and slots.  Each thread has, per cache it uses, a loaded and a
 * previous magazine (struct fr__slab_cpu; the previous one is made when the
 * loaded one first fills up, and a new thread's first magazine is an empty
 * one of the depot when there is one).  The loaded one is also described
 * by the thread's slot for the cache (struct fr__slab_slot, slab.h: its top
 * and the cache's part mask), which the inline fast paths of slab.h pop from
 * and push to with no lock and no atomic operation.  Each of the first
 * FR_SLAB_TLS_SLOTS - 1 live caches owns a slot index of its own (slot 0
 * stays empty forever, for the others), and its descriptor is placed so that
 * bits 9..13 of its address are that index: the inline paths find the slot
 * from the pointer alone, NULL included.  Destroy empties the slot in every
 * thread before the index (and the descriptor) serve another cache.  Caches
 * beyond that use a private, direct-mapped per-thread table indexed by the
 * cache id (ids are never reused, so an entry left behind by a destroyed
 * cache never matches); only the out-of-line functions reach it.  Word 0 of
 * every magazine is NULL (and so is the word two below it): the inline
 * alloc takes the slow path when top[-1] equals top[-3], which covers an
 * empty magazine and a slot without one (its top is the end of a static
 * page of NULLs).  Only when a magazine is empty
 * (alloc) or full (free) is the cache locked, to exchange whole magazines
 * with the cache's depot (see "Magazines" below).
 *
 * Parts, keys and room: the inline free's check.  A cache with a slot
 * index i carves its slabs from part i of the slab space (slab_space.c: a
 * power of two in size, aligned to it, used by no other cache) while the
 * part has room; a cache that cannot have a part (objects too big for
 * one, no address space) gets no slot index either.  The handle of a
 * slotted cache is the part's base + (i << 9) + its generation, so the
 * inline free finds the part's base (the key) by clearing the handle's low
 * 14 bits, with no load, and pushes obj only when ((obj ^ key) & part_mask)
 * is 0: part_mask keeps the part's address bits and the low bits every
 * object start has clear (objects start at multiples of the stride's
 * largest power-of-two factor: the whole stride when it is a power of two).
 * So one test proves that obj lies in this cache's part and is no interior
 * pointer (power-of-two strides; for stride odd x 2^k, none that is not a
 * multiple of 2^k in), and no pointer into a slab header (headers are not
 * in the part: a power-of-two stride fills its slabs with objects exactly).
 * A magazine's places end at a multiple of FR__SLAB_MAG_ALIGN (mag_new),
 * which top reaches only when the magazine is full, so the room test reads
 * top alone; an empty slot's top is such a multiple too (slot_stop).  The
 * last test: obj is not top[-1], the object freed last (free(p); free(p)).
 * No memory is read but the slot and top[-1].  Anything else goes out of
 * line.  (Until session 6 a shadow word 514 words above each place held
 * the part's base, and a compare with the shadow of top did the part and
 * room tests at once; that load, through top, cost more time than the two
 * tests it saved: bench/arena/README.md.)
 *
 * The inline alloc pops top[-1] unless it equals top[-3]: NULL below an
 * empty magazine's first place and two words further down (objs[0] and
 * mag.null; objs[-1] between them is a heap pointer), so one compare stops
 * at an empty magazine and at an object held twice two places apart
 * (free(p); free(q); free(p)), which the out-of-line alloc reports before
 * the object is handed out a second time.  No NULL ever enters a
 * magazine (frees of NULL return first).
 *
 * Checked caches (FERRUM_SLAB_CHECK=1 when the cache is created, or
 * valgrind/ASan running: fr__track_running) have slot 0 and no magazines:
 * every call is out of line, checks its object, and takes or gives it
 * straight from/to its slab under the lock, so every bad free aborts at the
 * call, a double free included.
 *
 * Validation of unchecked caches, and when:
 *   - an out-of-line free (magazine full, first use in the thread, an object
 *     outside the part, or the inline test failed) checks its object at
 *     once: owner cache (the slab space table names the owner of any
 *     pointer's granule without touching unmapped memory), boundary (offset
 *     a multiple of the object stride, by a multiplication with the stride's
 *     modular inverse, no division), and the last FR_RECENT_FREES objects of
 *     the magazine (a double free);
 *   - a magazine the thread's frees filled, of a cache whose stride odd x
 *     2^k is not a power of two, is checked for interior pointers a
 *     multiple of 2^k into an object, or past a slab's last object (the
 *     inline mask lets those through)
 *     before it can hand anything out again (mag_check_starts, at unload);
 *   - an inline free checks as above.  An older double free (the object is
 *     deeper in the magazine than the last two), an interior pointer as
 *     above that an alloc took back before its magazine filled, and a
 *     pointer into the part where no object is (a slab given back, space not
 *     yet carved) are checked when the magazine leaves the thread: taken from
 *     the depot by a thread other than the one that filled it (mag_check;
 *     magazines carry their filler's serial), or given back to the slabs
 *     (depot overflow, thread exit, fr_slab_destroy: give_objects), where a
 *     double free is also seen (the bitmap bit is already set).  Until then
 *     the thread that freed a bad pointer may get it back from
 *     fr_slab_alloc, and what it got back is in no magazine to be checked
 *     (free(p); free(q); free(r); free(p) and four allocs give p twice,
 *     unseen).
 *
 * Handles: an fr_slab * given to callers names its descriptor and a
 * generation in the low 9 bits (see "Handles" below), checked by every
 * out-of-line entry and by fr_slab_destroy.
 *
 * Cost (callgrind, bench/arena, 1000 x 32 B, net of the benchmark loop):
 * see bench/arena/README.md for the measured instructions per object.
 *
 * Lock order: registry_lock (live caches, slot indices, every thread's slot
 * contents for destroy) -> the thread's fork gate (read; see "fork()") ->
 * cache->lock -> the slab space lock.  Thread
 * exit: a pthread key destructor hands each of the thread's magazines back
 * to its cache under registry_lock.  fr_slab_destroy, under registry_lock,
 * removes the cache from the registry, empties its slot in every thread
 * that has one (the threads must not use the cache: the user's side of the
 * contract) and frees the slot index; then it drains the magazines.
 *
 * Tracking (track.h): each slab is a valgrind memory pool; free objects are
 * no-access; an allocated object is a pool block (marked defined when the
 * cache has a constructor, undefined otherwise).  Under ASan free objects are
 * poisoned.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FR__SLAB_NO_INLINE 1 /* this file defines the out-of-line functions */
#include <ferrum/slab.h>

#include "slab_reap.h"

#include "region_owner.h"
#include "report.h"
#include "slab_space.h"
#include "track.h"

#define FR_SLAB_RESERVE 4                       /* empty slabs always kept, at most... */
#define FR_SLAB_RESERVE_BYTES ((size_t)256 << 10) /* ...and about this much (at least one) */
#define FR_SLAB_REAP_MS 500
#define FR_SLAB_EMPTY_BYTES ((size_t)16 << 20)
#define FR_SLAB_TLS_SLOTS FR__SLAB_TLS_SLOTS
#define FR_OVERFLOW_SLOTS 16
#define FR_SLOT_PATIENCE 256
#define FR_MAG_CAP 511                   /* objects per magazine, at most... */
#define FR_RECENT_FREES 8                /* an out-of-line free looks this far back for obj */
#define FR_MAG_BYTES ((size_t)64 << 10)  /* ...and about this many bytes of them */
#define FR_DEPOT_BYTES ((size_t)1 << 20) /* objects kept in full magazines however old, about */
#define FR_DEPOT_BURST_BYTES ((size_t)16 << 20) /* ...and for FR_SLAB_REAP_MS at most */
#define FR_DEPOT_BURST_MAX 4096
#define FR_DEPOT_EMPTY_MIN 4
#define FR_DEPOT_MAX 64
#define FR_SLAB_MIN_OBJECTS 8
#define FR_SLAB_MAX_OBJECT ((size_t)64 << 20)

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

enum { L_PARTIAL, L_FULL, L_EMPTY };

/* A slab's header, outside the slab (slab_space.c's header pool, never
 * unmapped; the granule table maps the slab to it). */
struct slab {
    fr_slab *cache;             /* word 0: the owner (__atomic; NULL once reclaimed) */
    struct slab *next, *prev;   /* (next: the header pool's link while the header is free) */
    unsigned char *first;       /* first object */
    uint32_t nfree, nobj;
    uint32_t list;
    uint32_t hint;              /* a bitmap word that may have bits set */
    uint64_t empty_since;       /* ms (coarse clock) when it went on the empty list */
    uint64_t check;             /* (header ^ first ^ SLAB_CHECK): see slab_verify */
    uint64_t bitmap[];          /* bit set: object free */
};

/* A magazine: a stack of free, constructed objects in objs[1..n] (objs[0]
 * is always NULL: the inline alloc's stop, with objs[-2] NULL too), cap
 * places.  The places end at
 * a multiple of FR__SLAB_MAG_ALIGN (the end of the block holding the
 * magazine, mag_new), and none of objs[1..cap] starts at one (cap + 1
 * words fit in FR__SLAB_MAG_ALIGN bytes): slab.h's inline free reads "top
 * is at a multiple" as "full".  While a magazine is loaded in a slot, the
 * slot's top is authoritative and n is stale until slot_sync. */
struct mag {
    struct mag *next, *prev;    /* in the depot (prev: full list only) */
    uint64_t origin;            /* in the depot: serial of the thread that filled it */
    uint64_t since;             /* in the depot: when it arrived (ms, coarse clock) */
    uint32_t n, cap;
    void *null;                 /* objs[-2]: NULL, so an empty magazine's top[-3] is NULL too */
    void *block;                /* the allocation holding it (objs[-1]: never an object) */
    void *objs[];
};
static inline void **mag_lo(struct mag *m) { return m->objs + 1; }
_Static_assert((FR_MAG_CAP + 1) * sizeof(void *) <= FR__SLAB_MAG_ALIGN,
               "objs[0..cap] must fit below one magazine alignment boundary");

struct fr__slab_cpu {                    /* one thread's magazines for one cache */
    struct fr__slab_cpu *next, *prev;    /* in cache->cpus */
    fr_slab *cache;
    struct fr__slab_slot *slot;          /* the thread's slot holding `loaded` */
    struct fr__slab_cpu **ref;           /* the thread's pointer to this (beside the slot) */
    struct mag *loaded, *previous;       /* previous: NULL until first needed */
    uint64_t serial;            /* unique per cache: marks the magazines it fills */
};

/* Cache descriptors, FR_DESC_SIZE bytes each, are never freed.  Slot index
 * i > 0 has one descriptor, part_desc[i], which every cache that gets
 * index i uses in turn (its generation going on).  A cache without a slot
 * index has one aligned to FR_DESC_BLOCK, so that its address bits 9..13
 * (the slot index, FR__SLAB_SLOT in slab.h) are 0; destroyed, it waits on
 * desc_free for the next such cache. */
#define FR_DESC_SIZE ((size_t)1 << FR__SLAB_DESC_SHIFT)
#define FR_DESC_BLOCK (FR_DESC_SIZE * FR_SLAB_TLS_SLOTS)

struct fr_slab {
    uintptr_t index;            /* slot index (its descriptor's address bits), 0: none */
    uintptr_t gen;              /* generation: the low bits of the live cache's handle */
    bool live;
    uintptr_t part_mask;        /* slots' mask: ~(part size - 1) | (object start step - 1); 0: no part */
    uintptr_t part_lo;          /* the part's base (slotted caches; the handle's key), else 0 */
    uint64_t id;
    size_t size, stride, align;
    void (*ctor)(void *);
    void (*dtor)(void *);
    unsigned order;             /* slab = 2^order granules */
    uint32_t nobj;
    size_t first_off;           /* first object's offset in its slab: 0 (a red zone when tracked) */
    size_t hdr_bytes;           /* a slab header's size (outside the slab) */
    uintptr_t slab_mask;        /* ~(slab bytes - 1): object -> its slab's base */
    unsigned shift;             /* stride = odd << shift */
    uint64_t low_mask;          /* (1 << shift) - 1 */
    uint64_t inv, lim;          /* odd * inv == 1 (mod 2^64); lim = UINT64_MAX / odd */
    bool tracked;               /* valgrind/ASan pool tracking */
    bool checked;               /* no magazines: every call out of line, checked */
    pthread_mutex_t lock;
    uintptr_t lock_owner;       /* __atomic: the holder of lock (its &gate_depth); 0: none */
    struct slab *lists[3];
    struct slab *tails[3];      /* oldest of each list */
    size_t nempty, nslabs;
    size_t empty_cap;           /* empty slabs kept at most, however recent */
    size_t reserve;             /* empty slabs kept however old */
    struct fr__slab_cpu *cpus;  /* every thread's magazines (for destroy) */
    struct mag *depot_full, *depot_empty; /* both newest first */
    struct mag *depot_empty_tail;         /* oldest empty magazine */
    struct mag *depot_full_tail;          /* oldest full magazine */
    uint64_t cpu_serial;        /* last fr__slab_cpu serial handed out */
    size_t nfull, nempty_mags, depot_max, empty_mags_max;
    size_t empty_mags_burst;    /* empty magazines kept at most, however recent */
    size_t depot_burst;         /* full magazines kept at most, however recent */
    uint32_t mag_cap;
    fr_slab *reg_next;          /* registry of live caches */
    char name[40];
};

/* ---- Handles ----
 * The fr_slab * a caller holds is a handle: the descriptor's generation in
 * the low FR__SLAB_DESC_SHIFT bits (1..511), the slot index i in the 5 bits
 * above, and above those: for a slotted cache, its part's base (the inline
 * free's key; the descriptor is part_desc[i]); for the others, the
 * descriptor's address (aligned to FR_DESC_BLOCK, so i is 0).  A slotted
 * handle is an address in the first granule of the part that is never
 * dereferenced.  Each cache made on a descriptor gets the next generation,
 * so a stale handle of a destroyed cache names no live cache even after a
 * new cache took the descriptor (like regions' handles): destroying a
 * cache twice is caught however many caches came and went, unless the same
 * descriptor served exactly a multiple of 511 caches in between.
 * Descriptors are never freed, so a stale handle is always safe to read. */
#define GEN_MASK ((uintptr_t)FR_DESC_SIZE - 1)
_Static_assert(FR_DESC_BLOCK == FR__SLAB_KEY_ALIGN, "slab.h: the key is the handle above bits 0..13");

static fr_slab *part_desc[FR_SLAB_TLS_SLOTS]; /* __atomic: slot index i's descriptor, once made */

/* h's descriptor, or NULL when h is no handle a cache ever had. */
static inline fr_slab *desc_of(const fr_slab *h)
{
    uintptr_t x = (uintptr_t)h;
    unsigned i = (unsigned)(x >> FR__SLAB_DESC_SHIFT) & (FR_SLAB_TLS_SLOTS - 1);
    if (!i) return (fr_slab *)(x & ~GEN_MASK);
    fr_slab *d = __atomic_load_n(&part_desc[i], __ATOMIC_ACQUIRE);
    return d && (x & -(uintptr_t)FR__SLAB_KEY_ALIGN) == d->part_lo ? d : NULL;
}
static inline fr_slab *handle_of(const fr_slab *d)
{
    uintptr_t at = d->index ? d->part_lo | d->index << FR__SLAB_DESC_SHIFT : (uintptr_t)d;
    return (fr_slab *)(at | d->gen);
}
static inline bool handle_live(const fr_slab *h)
{
    const fr_slab *d = desc_of(h);
    return d && __atomic_load_n(&d->live, __ATOMIC_ACQUIRE) && d->gen == ((uintptr_t)h & GEN_MASK);
}

/* The descriptor of handle h, or an abort naming fn when h is no live cache. */
static fr_slab *cache_of(fr_slab *h, const char *fn)
{
    if (UNLIKELY(!handle_live(h)))
        fr__arena_fatal("%s(%p): not a live slab cache (destroyed already, or never created)", fn,
                        (void *)h);
    return desc_of(h);
}

/* ---- Registry of live caches, thread slots ---- */

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread bool registry_mine; /* this thread holds registry_lock */
static fr_slab *registry;
static uint64_t next_id = 1;
static uint32_t slots_used = 1; /* bit i: slot index i taken (0: never handed out) */
/* The slot index to hand out next, if free: indices go round in turn rather
 * than lowest first, so a destroyed cache's index (and part) serves no other
 * cache until 30 more were made.  Meanwhile its slot is empty in every
 * thread, so an inline alloc or free with the stale handle finds no
 * magazine, goes out of line and aborts there ("not a live slab cache");
 * lowest first, the next cache took the slot at once and such a free went
 * into its magazine (its alloc then handed the dead cache's object out). */
static unsigned slot_cursor = 1;
static fr_slab *desc_free; /* free descriptors of caches without a slot index (reg_next links) */

/* An empty slot's top: the end of a page of NULL words (never written), so
 * the inline alloc reads NULL below it and the inline free's room test
 * fails (top at a multiple of FR__SLAB_MAG_ALIGN). */
static void *slot_stop[FR__SLAB_MAG_ALIGN / sizeof(void *)] __attribute__((aligned(FR__SLAB_MAG_ALIGN)));
#define SLOT_STOP (slot_stop + FR__SLAB_MAG_ALIGN / sizeof(void *))
#define SLOT_EMPTY { SLOT_STOP, 0 }
_Static_assert(FR_SLAB_TLS_SLOTS == 32, "slot initializer and slots_used assume 32 slots");
_Static_assert(sizeof(struct fr__slab_slot) == 16, "slab.h: a slot is two pointers");
_Static_assert(sizeof(struct fr_slab) <= FR_DESC_SIZE, "a cache descriptor outgrew its place");
__thread struct fr__slab_slot fr__slab_slots[FR_SLAB_TLS_SLOTS] __attribute__((tls_model("initial-exec"))) = {
    [0 ... FR_SLAB_TLS_SLOTS - 1] = SLOT_EMPTY,
};
/* Each slot's magazines (NULL: none).  Kept apart from the slots so that the
 * initial-exec TLS block stays small (512 bytes: libferrum.so may be
 * dlopen'ed, and static TLS space for that is scarce). */
static __thread struct fr__slab_cpu *slot_cpus[FR_SLAB_TLS_SLOTS];

/* Caches without a slot index of their own: a direct-mapped table by id. */
struct overflow_slot {
    uint64_t id;                /* 0: free */
    uint32_t misses;
    struct fr__slab_slot slot;
    struct fr__slab_cpu *cpu;
};
static __thread struct overflow_slot overflow[FR_OVERFLOW_SLOTS] = {
    [0 ... FR_OVERFLOW_SLOTS - 1] = { 0, 0, SLOT_EMPTY, NULL },
};

static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

/* c's slot and pointer in its thread go back to "no magazine". */
static void slot_reset(struct fr__slab_cpu *c)
{
    c->slot->top = SLOT_STOP;
    c->slot->mask = 0;
    *c->ref = NULL;
}

/* ---- Cache locks and the fork gate ----
 * cache_lock(s) is s->lock taken inside the fork gate: the thread counts
 * itself in (in one of FR_FORK_GATES counters, by thread) at its outermost
 * cache lock, and the fork handler waits until every counter is 0 with
 * fork_closing set, so that no thread is inside any cache's critical
 * section when fork() copies the process (see "fork()" below).  Atomics,
 * not locks: a pthread rwlock write-locked before a fork cannot be unlocked
 * in the child (glibc checks the writer's thread id), and counters are no
 * locks to ThreadSanitizer's limit of 64 held at once.  seq_cst on both
 * sides (count in, then read the flag; set the flag, then read the counts):
 * one of the two always sees the other. */
#define FR_FORK_GATES 16
static struct {
    unsigned n;                 /* __atomic: threads inside a cache lock */
    char pad[64 - sizeof(unsigned)];
} fork_gates[FR_FORK_GATES];
static int fork_closing;                /* __atomic: a fork is waiting or under way */
static unsigned gate_next;              /* __atomic: the next thread's counter */
static __thread unsigned gate_index;    /* 1 + this thread's counter; 0: none yet */
static __thread unsigned gate_depth;    /* cache locks this thread holds */

/* The cache's constructor or destructor (or a callback under the registry
 * lock) called back into the library in a way that needs a lock this
 * thread already holds: a self-deadlock, reported instead. */
__attribute__((noinline, cold, noreturn)) static void reentered(const char *what)
{
    fr__arena_fatal("%s: called from a slab constructor or destructor, which run with %s "
                    "locked (slab.h: they must not allocate from or free to their own cache, nor "
                    "create or destroy caches); this call would wait for itself forever", what,
                    "that cache (and, at a thread's exit, the caches' registry)");
}

/* registry_lock, for fn (named in the report of a self-deadlock). */
static void registry_enter(const char *fn)
{
    if (UNLIKELY(registry_mine)) reentered(fn);
    pthread_mutex_lock(&registry_lock);
    registry_mine = true;
}

static void registry_leave(void)
{
    registry_mine = false;
    pthread_mutex_unlock(&registry_lock);
}

static void cache_lock(fr_slab *s)
{
    if (UNLIKELY(__atomic_load_n(&s->lock_owner, __ATOMIC_RELAXED) == (uintptr_t)&gate_depth)) {
        char what[80];
        snprintf(what, sizeof what, "slab cache \"%s\" used again", s->name);
        reentered(what);
    }
    if (gate_depth++ == 0) {
        if (UNLIKELY(gate_index == 0))
            gate_index = 1 + __atomic_fetch_add(&gate_next, 1, __ATOMIC_RELAXED) % FR_FORK_GATES;
        unsigned *n = &fork_gates[gate_index - 1].n;
        for (;;) {
            __atomic_fetch_add(n, 1, __ATOMIC_SEQ_CST);
            if (LIKELY(!__atomic_load_n(&fork_closing, __ATOMIC_SEQ_CST))) break;
            __atomic_fetch_sub(n, 1, __ATOMIC_SEQ_CST); /* let the fork go first */
            while (__atomic_load_n(&fork_closing, __ATOMIC_ACQUIRE)) sched_yield();
        }
    }
    pthread_mutex_lock(&s->lock);
    __atomic_store_n(&s->lock_owner, (uintptr_t)&gate_depth, __ATOMIC_RELAXED);
}

static void cache_unlock(fr_slab *s)
{
    __atomic_store_n(&s->lock_owner, 0, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&s->lock);
    if (--gate_depth == 0) __atomic_fetch_sub(&fork_gates[gate_index - 1].n, 1, __ATOMIC_RELEASE);
}

/* ---- Slab lists ---- */

static void list_remove(fr_slab *s, struct slab *sl)
{
    if (sl->prev) sl->prev->next = sl->next;
    else s->lists[sl->list] = sl->next;
    if (sl->next) sl->next->prev = sl->prev;
    else s->tails[sl->list] = sl->prev;
    sl->next = sl->prev = NULL;
}

static void list_push(fr_slab *s, struct slab *sl, uint32_t list)
{
    sl->list = list;
    sl->prev = NULL;
    sl->next = s->lists[list];
    if (sl->next) sl->next->prev = sl;
    else s->tails[list] = sl;
    s->lists[list] = sl;
}

static size_t bitmap_words(uint32_t nobj) { return (nobj + 63) / 64; }

/* ---- Slab creation and reclaim ---- */

/* The header's check word: the header's and the first object's addresses,
 * mixed.  Checked, with the first object's address against the slab base
 * the object was found in (from the cache's geometry, not from sl->first:
 * an overwritten header must not send the check itself through a wild
 * pointer, QA9 W4), before the bitmap is used (take_objects) and whenever
 * a free finds the slab (slab_of_known), so a header that a wild write
 * reached ends in a clear abort instead of objects handed out twice.
 * (Until session 6 the header sat in front of the slab's first object, and
 * an object overflowing backwards reached it; now it lives outside the
 * slab space.) */
#define SLAB_CHECK ((uint64_t)0x6b6c6253616c4266) /* "fBlaSblk" */
static inline uint64_t slab_check_value(const struct slab *sl, uintptr_t first)
{
    return (uint64_t)(uintptr_t)sl ^ (uint64_t)first ^ SLAB_CHECK;
}

__attribute__((noinline, cold, noreturn)) static void bad_header(fr_slab *s, struct slab *sl, uintptr_t base)
{
    fr__arena_fatal("slab cache \"%s\": the header %p of the slab at %p was overwritten (a write "
                    "through a dangling or wild pointer?)", s->name, (void *)sl, (void *)base);
}

/* sl is the header of the slab at base, of cache s, and intact. */
static inline void slab_verify(fr_slab *s, struct slab *sl, uintptr_t base)
{
    uintptr_t first = base + s->first_off;
    if (UNLIKELY((uintptr_t)sl->first != first || sl->check != slab_check_value(sl, first)))
        bad_header(s, sl, base);
}

static uintptr_t slab_base(const fr_slab *s, const struct slab *sl)
{
    return (uintptr_t)sl->first - s->first_off;
}

static struct slab *slab_new(fr_slab *s) /* cache lock held */
{
    unsigned char *mem = fr__slab_space_get(s->order, (unsigned)s->index);
    if (!mem) return NULL;
    struct slab *sl = fr__slab_space_header(s->hdr_bytes);
    if (!sl) {
        fr__slab_space_put(mem, s->order);
        return NULL;
    }
    size_t bytes = FR_SLAB_GRANULE << s->order;
    fr_track_defined(mem, bytes);
    __atomic_store_n(&sl->cache, s, __ATOMIC_RELAXED); /* published with the table entry */
    sl->next = sl->prev = NULL;
    sl->first = mem + s->first_off;
    sl->nobj = sl->nfree = s->nobj;
    sl->hint = 0;
    size_t words = bitmap_words(s->nobj);
    for (size_t w = 0; w < words; w++) sl->bitmap[w] = ~(uint64_t)0;
    if (s->nobj % 64) sl->bitmap[words - 1] = ((uint64_t)1 << (s->nobj % 64)) - 1;
    sl->check = slab_check_value(sl, (uintptr_t)sl->first);
    if (s->ctor)
        for (uint32_t i = 0; i < s->nobj; i++) s->ctor(sl->first + (size_t)i * s->stride);
    if (s->tracked) {
        fr_track_pool_create(sl);
        fr_track_noaccess(sl->first, (size_t)s->nobj * s->stride);
        /* the red zone before the first object: a write just before it
         * is reported */
        fr_track_noaccess(sl->first - FR_TRACK_REDZONE, FR_TRACK_REDZONE);
    }
    /* Publish in the granule table last: only now may frees find it. */
    fr__slab_space_publish(mem, s->order, sl);
    s->nslabs++;
    return sl;
}

static void slab_reclaim(fr_slab *s, struct slab *sl)
{
    if (s->tracked) {
        fr_track_pool_destroy(sl);
        fr_track_defined(sl->first, (size_t)s->nobj * s->stride);
    }
    if (s->dtor)
        for (uint32_t i = 0; i < s->nobj; i++) s->dtor(sl->first + (size_t)i * s->stride);
    s->nslabs--;
    /* A free racing with this (a stale pointer into the slab: not the
     * user's to free) may hold the header: from now on it reads no owner
     * (an abort), before the pages go and the table forgets the slab. */
    __atomic_store_n(&sl->cache, NULL, __ATOMIC_RELEASE);
    fr__slab_space_put((void *)slab_base(s, sl), s->order);
    fr__slab_space_header_put(sl, s->hdr_bytes);
}

/* ---- Object <-> slab ---- */

__attribute__((noinline, cold, noreturn)) static void bad_owner(fr_slab *s, void *obj, fr_slab *owner,
                                                                 const char *when)
{
    if (!owner)
        fr__arena_fatal("fr_slab_free(\"%s\", %p): the object does not come from any slab (found %s)",
                        s->name, obj, when);
    fr__arena_fatal("fr_slab_free(\"%s\", %p): the object belongs to slab cache \"%s\", freed to the "
                    "wrong cache (found %s)", s->name, obj, owner->name, when);
}

__attribute__((noinline, cold, noreturn)) static void bad_offset(fr_slab *s, void *obj, const char *when)
{
    fr__arena_fatal("fr_slab_free(\"%s\", %p): not the start of an object of this cache (object "
                    "size %zu; found %s)", s->name, obj, s->size, when);
}

#define AT_FREE "at the free"
#define AT_FLUSH "when the magazine holding it left the thread; rerun with FERRUM_SLAB_CHECK=1 " \
                 "to stop at the bad free"

/* A slab already looked up: objects of one magazine mostly share slabs,
 * and a slab of s cannot change owner while s's lock is held, so the table
 * is read once per run. */
struct known_slab {
    uintptr_t base;             /* 0: none yet */
    struct slab *sl;
};

/* The slab of obj and obj's index in it, or abort.  The granule table names
 * the slab's header, the header its owner; the slab starts at the
 * slab-size-aligned base.  known: see struct known_slab (NULL: none). */
static inline struct slab *slab_of_known(fr_slab *s, void *obj, uint32_t *index, const char *when,
                                         struct known_slab *known)
{
    uintptr_t base = (uintptr_t)obj & s->slab_mask;
    struct slab *sl;
    if (!known || base != known->base) {
        sl = fr__slab_space_header_of(obj);
        fr_slab *owner = sl ? __atomic_load_n(&sl->cache, __ATOMIC_ACQUIRE) : NULL;
        if (UNLIKELY(owner != s)) bad_owner(s, obj, owner, when);
        slab_verify(s, sl, base);
        if (known) {
            known->base = base;
            known->sl = sl;
        }
    } else {
        sl = known->sl;
    }
    uint64_t x = (uint64_t)((uintptr_t)obj - base - s->first_off); /* huge if obj is in the red zone */
    uint64_t q = (x >> s->shift) * s->inv;
    if (UNLIKELY(((x & s->low_mask) != 0) | (q > s->lim) | (q >= s->nobj))) bad_offset(s, obj, when);
    *index = (uint32_t)q;
    return sl;
}

static inline struct slab *slab_of(fr_slab *s, void *obj, uint32_t *index, const char *when)
{
    return slab_of_known(s, obj, index, when, NULL);
}

/* Take up to n objects from the slabs into out[]; returns how many. Lock held. */
static uint32_t take_objects(fr_slab *s, void **out, uint32_t n)
{
    uint32_t got = 0;
    while (got < n) {
        struct slab *sl = s->lists[L_PARTIAL];
        if (!sl) {
            sl = s->lists[L_EMPTY];
            if (sl) {
                list_remove(s, sl);
                s->nempty--;
            } else {
                sl = slab_new(s);
                if (!sl) break;
            }
            list_push(s, sl, L_PARTIAL);
        }
        slab_verify(s, sl, slab_base(s, sl));
        size_t words = bitmap_words(sl->nobj);
        for (size_t w = sl->hint; w < words && got < n && sl->nfree > 0; w++) {
            uint64_t bits = sl->bitmap[w];
            while (bits && got < n) {
                unsigned b = (unsigned)__builtin_ctzll(bits);
                bits &= bits - 1;
                out[got++] = sl->first + (w * 64 + b) * s->stride;
                sl->nfree--;
            }
            sl->bitmap[w] = bits;
            sl->hint = (uint32_t)w;
        }
        if (got < n && sl->nfree > 0 && sl->hint != 0 && sl->hint + 1 >= words)
            sl->hint = 0; /* defensive: never spin on a slab whose free bits lie below the hint */
        if (sl->nfree == 0) {
            list_remove(s, sl);
            list_push(s, sl, L_FULL);
        }
    }
    return got;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Reclaim empty slabs past the reserve: those empty for FR_SLAB_REAP_MS, and
 * any past empty_cap; all of them when forced.  Oldest first.  Lock held. */
static void reap(fr_slab *s, bool force)
{
    uint64_t now = force ? 0 : now_ms();
    while (s->nempty > s->reserve) {
        struct slab *old = s->tails[L_EMPTY];
        if (!force && s->nempty <= s->empty_cap && now - old->empty_since < FR_SLAB_REAP_MS) break;
        list_remove(s, old);
        s->nempty--;
        slab_reclaim(s, old);
    }
}

static void depot_trim(fr_slab *s, bool force);
static void depot_trim_empty(fr_slab *s, bool force);
static void depot_put_empty(fr_slab *s, struct mag *m);

void fr__slab_reap(fr_slab *h)
{
    fr_slab *s = cache_of(h, "fr__slab_reap");
    cache_lock(s);
    depot_trim(s, true);
    depot_trim_empty(s, true);
    reap(s, true);
    cache_unlock(s);
}

/* Return n objects to their slabs.  Lock held. */
static void give_objects(fr_slab *s, void **objs, uint32_t n, const char *when)
{
    struct known_slab known = { 0, NULL };
    for (uint32_t i = 0; i < n; i++) {
        if (!objs[i]) continue; /* fr_slab_free(s, NULL), pushed inline */
        uint32_t idx;
        struct slab *sl = slab_of_known(s, objs[i], &idx, when, &known);
        uint64_t bit = (uint64_t)1 << (idx % 64);
        if (UNLIKELY(sl->bitmap[idx / 64] & bit))
            fr__arena_fatal("fr_slab_free(\"%s\", %p): object freed twice (found %s)", s->name, objs[i],
                            when);
        sl->bitmap[idx / 64] |= bit;
        if (idx / 64 < sl->hint) sl->hint = idx / 64;
        if (sl->nfree++ == 0) {
            list_remove(s, sl);
            list_push(s, sl, L_PARTIAL);
        }
        if (sl->nfree == sl->nobj) {
            list_remove(s, sl);
            sl->empty_since = now_ms();
            list_push(s, sl, L_EMPTY);
            s->nempty++;
        }
    }
    if (s->nempty > s->reserve) reap(s, false);
}

/* ---- Magazines, the depot and thread slots ----
 * Bonwick & Adams: each thread has a loaded and a previous magazine per cache.
 * alloc pops from loaded; when it is empty and previous is full they swap;
 * when both are empty, previous goes to the depot's empty list and a full
 * magazine comes from the depot (or, if there is none, loaded is filled from
 * the slabs).  free is the mirror image.  So the lock is taken at most once
 * per magazine's worth of operations and, in a steady state, objects move between
 * threads and the depot in whole magazines without touching the slabs.  The
 * depot keeps depot_max full magazines (about FR_DEPOT_BYTES of objects)
 * however long, and up to depot_burst (about FR_DEPOT_BURST_BYTES) for
 * FR_SLAB_REAP_MS: a burst of frees followed by a burst of allocations (a
 * batch of many objects) moves whole magazines only; the oldest magazines
 * past depot_max are given back to their slabs once they have waited that
 * long (checked whenever the depot changes), and past depot_burst at once.
 * Their slabs, once empty, are reclaimed past the reserve as described
 * above. */

/* A new empty magazine, at the end of a block of whole FR__SLAB_MAG_ALIGN
 * units aligned to one: objs[cap] is the block's last word. */
static struct mag *mag_new(fr_slab *s)
{
    size_t need = sizeof(struct mag) + ((size_t)s->mag_cap + 1) * sizeof(void *);
    size_t bytes = (need + FR__SLAB_MAG_ALIGN - 1) & ~(size_t)(FR__SLAB_MAG_ALIGN - 1);
    unsigned char *block = aligned_alloc(FR__SLAB_MAG_ALIGN, bytes);
    if (!block) return NULL;
    struct mag *m = (struct mag *)(void *)(block + bytes - need);
    m->next = m->prev = NULL;
    m->origin = m->since = 0;
    m->n = 0;
    m->cap = s->mag_cap;
    m->null = NULL;
    m->block = block;
    m->objs[0] = NULL; /* the inline alloc's stop */
    return m;
}

static void mag_free(struct mag *m) { free(m->block); }

/* Cache lock held.  Empty m into the slabs and keep or free it. */
static void mag_drain(fr_slab *s, struct mag *m, bool keep)
{
    give_objects(s, mag_lo(m), m->n, AT_FLUSH);
    m->n = 0;
    if (keep) depot_put_empty(s, m);
    else mag_free(m);
}

/* Abort unless every object of m is the start of an object of s (owner and
 * boundary; NULLs are skipped).  For magazines that cross threads. */
static void mag_check(fr_slab *s, struct mag *m, const char *when)
{
    void **o = mag_lo(m);
    struct known_slab known = { 0, NULL };
    for (uint32_t i = 0; i < m->n; i++) {
        uint32_t idx;
        if (o[i]) (void)slab_of_known(s, o[i], &idx, when, &known);
    }
}

#define AT_FILL "when the magazine holding it filled up; rerun with FERRUM_SLAB_CHECK=1 to stop " \
                "at the bad free"

/* A cache whose stride odd x 2^k is not a power of two: the inline free's
 * mask keeps only 2^k's bits, so a pointer a multiple of 2^k into an
 * object (p + 16 of a 48-byte stride) enters the magazine.  Each magazine
 * the thread's frees fill is checked here (unload), before it can hand
 * anything out again (swapped back in, or from the depot): the object
 * boundaries only (the part test and the out-of-line checks did the rest).
 * In 32 bits (an offset in a slab fits; the stride's inverse mod 2^32 is
 * the low half of its inverse mod 2^64): with x = offset (its low k bits
 * clear, which the mask saw to), x * inverse mod 2^32 is below
 * nobj << k exactly when x is stride * y for an object y of the slab
 * (stride * nobj <= the slab's bytes < 2^32, so no other offset maps
 * there).  Two objects per SSE2 step on x86-64 (pmuludq; the unsigned
 * compare by flipping the sign bits).  Power-of-two strides need none of
 * it (the mask refuses every interior pointer): no cost for them. */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
static void mag_check_starts(fr_slab *s, struct mag *m)
{
    void **o = mag_lo(m);
    uint32_t n = m->n, i = 0;
    uint32_t inv = (uint32_t)s->inv, off_mask = (uint32_t)~s->slab_mask;
    uint32_t lim = s->nobj << s->shift; /* stride * nobj / odd: fits (see above) */
    bool bad = s->first_off != 0;       /* untracked caches only come here: 0 */
#if defined(__SSE2__)
    const __m128i mask = _mm_set1_epi64x(off_mask), minv = _mm_set1_epi64x(inv);
    const __m128i sign = _mm_set1_epi32(INT32_MIN), top = _mm_set1_epi32((int32_t)((lim - 1) ^ 0x80000000u));
    __m128i acc = _mm_setzero_si128();
    for (; i + 2 <= n; i += 2) {
        __m128i x = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)(o + i)), mask);
        __m128i y = _mm_xor_si128(_mm_mul_epu32(x, minv), sign); /* low halves: x * inv mod 2^32 */
        acc = _mm_or_si128(acc, _mm_cmpgt_epi32(y, top));           /* y >= lim, unsigned */
    }
    bad |= (_mm_movemask_epi8(acc) & 0x0f0f) != 0; /* lanes 0 and 2: the low halves */
#endif
    for (; i < n; i++) bad |= ((uint32_t)(uintptr_t)o[i] & off_mask) * inv >= lim;
    if (UNLIKELY(bad)) mag_check(s, m, AT_FILL); /* finds it and aborts, naming it */
}

/* Cache lock held.  A full magazine, filled by the thread whose serial is
 * origin, goes to the depot (or, past depot_max, to the slabs).  Its objects
 * are checked when another thread takes it (refill) or in give_objects. */
static void depot_put_full(fr_slab *s, struct mag *m, uint64_t origin)
{
    if (s->depot_burst == 0) { /* huge objects: no depot */
        mag_drain(s, m, true);
        return;
    }
    m->origin = origin;
    m->since = now_ms();
    m->prev = NULL;
    m->next = s->depot_full;
    if (m->next) m->next->prev = m;
    else s->depot_full_tail = m;
    s->depot_full = m;
    s->nfull++;
    depot_trim(s, false);
}

/* Cache lock held.  The newest full magazine, or NULL. */
static struct mag *depot_take_full(fr_slab *s)
{
    struct mag *m = s->depot_full;
    if (!m) return NULL;
    s->depot_full = m->next;
    if (m->next) m->next->prev = NULL;
    else s->depot_full_tail = NULL;
    m->next = NULL;
    s->nfull--;
    return m;
}

/* Cache lock held.  Give the oldest full magazines back to the slabs: past
 * depot_burst at once, past depot_max once they have waited
 * FR_SLAB_REAP_MS (all of those when forced). */
static void depot_trim(fr_slab *s, bool force)
{
    if (s->nfull <= s->depot_max) return;
    uint64_t now = force ? 0 : now_ms();
    while (s->nfull > s->depot_max) {
        struct mag *old = s->depot_full_tail;
        if (!force && s->nfull <= s->depot_burst && now - old->since < FR_SLAB_REAP_MS) break;
        s->depot_full_tail = old->prev;
        if (old->prev) old->prev->next = NULL;
        else s->depot_full = NULL;
        old->prev = NULL;
        s->nfull--;
        mag_drain(s, old, true);
    }
}

/* Cache lock held.  Empty magazines are kept like full ones: empty_mags_max
 * however old, up to empty_mags_burst for FR_SLAB_REAP_MS (oldest freed
 * first; all past empty_mags_max when forced).  So a burst of frees after a
 * burst of allocations finds its empty magazines in the depot instead of
 * making (aligned_alloc) each anew. */
static void depot_trim_empty(fr_slab *s, bool force)
{
    if (s->nempty_mags <= s->empty_mags_max) return;
    uint64_t now = force ? 0 : now_ms();
    while (s->nempty_mags > s->empty_mags_max) {
        struct mag *old = s->depot_empty_tail;
        if (!force && s->nempty_mags <= s->empty_mags_burst && now - old->since < FR_SLAB_REAP_MS) break;
        s->depot_empty_tail = old->prev;
        if (old->prev) old->prev->next = NULL;
        else s->depot_empty = NULL;
        s->nempty_mags--;
        mag_free(old);
    }
}

static void depot_put_empty(fr_slab *s, struct mag *m)
{
    m->since = now_ms();
    m->prev = NULL;
    m->next = s->depot_empty;
    if (m->next) m->next->prev = m;
    else s->depot_empty_tail = m;
    s->depot_empty = m;
    s->nempty_mags++;
    depot_trim_empty(s, false);
}

/* Cache lock held.  The newest empty magazine, or NULL. */
static struct mag *depot_take_empty(fr_slab *s)
{
    struct mag *m = s->depot_empty;
    if (!m) return NULL;
    s->depot_empty = m->next;
    if (m->next) m->next->prev = NULL;
    else s->depot_empty_tail = NULL;
    m->next = NULL;
    s->nempty_mags--;
    return m;
}

/* The loaded magazine's count from the slot, and back. */
static void slot_sync(struct fr__slab_cpu *c)
{
    struct mag *m = c->loaded;
    m->n = (uint32_t)(c->slot->top - mag_lo(m));
}

static void slot_load(struct fr__slab_cpu *c)
{
    struct mag *m = c->loaded;
    c->slot->top = mag_lo(m) + m->n;
    c->slot->mask = c->cache->part_mask;
}

static void cpu_unlink(fr_slab *s, struct fr__slab_cpu *c) /* cache lock held */
{
    if (c->prev) c->prev->next = c->next;
    else s->cpus = c->next;
    if (c->next) c->next->prev = c->prev;
    c->next = c->prev = NULL;
}

/* Cache lock held: c's magazines go back to the slabs; c is freed. */
static void cpu_drain(fr_slab *s, struct fr__slab_cpu *c)
{
    mag_drain(s, c->loaded, false);
    if (c->previous) mag_drain(s, c->previous, false);
    free(c);
}

/* Hand a slot's magazines back to their cache.  registry_lock makes the
 * cache's liveness certain: fr_slab_destroy empties every slot of its cache
 * under it. */
static void slot_release(struct fr__slab_cpu **ref)
{
    registry_enter("a thread's exit or a cache's slot reuse");
    struct fr__slab_cpu *c = *ref;
    if (c) {
        fr_slab *s = c->cache;
        slot_sync(c);
        slot_reset(c);
        cache_lock(s);
        cpu_unlink(s, c);
        cpu_drain(s, c);
        cache_unlock(s);
    }
    registry_leave();
}

/* ---- fork() ----
 * A child of a threaded process gets every lock in the state it had: the
 * handlers take the registry lock, then close the fork gate (wait until no
 * thread is inside a cache lock, and keep new ones out), then take the slab
 * space's lock (the order the library takes them in) before the fork, and
 * give them back on both sides.  So the forking thread holds 2 locks however
 * many caches live (it locked every cache before: ThreadSanitizer stops a
 * thread holding 64 locks, so a fork with more than about 60 live caches
 * aborted under it).  A thread counts itself in once, at its outermost
 * cache lock (a destructor that frees to another cache does not count
 * again, which could wait on a closing gate forever).  The other threads'
 * magazines are a different matter: their inline alloc and free take no
 * lock, so one may have been caught mid-update.  In the child those threads do not
 * exist: their magazines are unlinked from their caches unread (the objects
 * in them stay allocated; the child never sees them again), and
 * fr_slab_destroy in the child walks only its own. */
static void slab_fork_prepare(void)
{
    registry_enter("fork()");
    __atomic_store_n(&fork_closing, 1, __ATOMIC_SEQ_CST);
    for (int i = 0; i < FR_FORK_GATES; i++)
        while (__atomic_load_n(&fork_gates[i].n, __ATOMIC_SEQ_CST)) sched_yield();
    fr__slab_space_lock();
}

static void slab_fork_parent(void)
{
    fr__slab_space_unlock();
    __atomic_store_n(&fork_closing, 0, __ATOMIC_RELEASE);
    registry_leave();
}

static bool cpu_is_mine(const struct fr__slab_cpu *c)
{
    const void *r = c->ref;
    return (r >= (const void *)&slot_cpus[0] && r < (const void *)&slot_cpus[FR_SLAB_TLS_SLOTS]) ||
           (r >= (const void *)&overflow[0] && r < (const void *)&overflow[FR_OVERFLOW_SLOTS]);
}

static void slab_fork_child(void)
{
    for (fr_slab *s = registry; s; s = s->reg_next) {
        struct fr__slab_cpu *c = s->cpus, *next;
        for (; c; c = next) {
            next = c->next;
            if (!cpu_is_mine(c))
                cpu_unlink(s, c);
        }
    }
    /* the other threads are gone, with whatever they had counted in */
    for (int i = 0; i < FR_FORK_GATES; i++) __atomic_store_n(&fork_gates[i].n, 0, __ATOMIC_RELAXED);
    gate_depth = 0;
    slab_fork_parent();
}

/* At load time, as the other fork handlers (a handler registered while
 * another thread forks would miss that fork). */
__attribute__((constructor)) static void slab_fork_arm(void)
{
    pthread_atfork(slab_fork_prepare, slab_fork_parent, slab_fork_child);
}

static void thread_exit(void *arg)
{
    (void)arg;
    for (int i = 1; i < FR_SLAB_TLS_SLOTS; i++) slot_release(&slot_cpus[i]);
    for (int i = 0; i < FR_OVERFLOW_SLOTS; i++) {
        slot_release(&overflow[i].cpu);
        overflow[i].id = 0;
    }
}

static void make_exit_key(void) { pthread_key_create(&exit_key, thread_exit); }

/* The calling thread's slot for s, with magazines.  NULL when s has no slot
 * index and its overflow entry belongs to another cache that has not yet
 * lost FR_SLOT_PATIENCE calls to s (the caller then goes to the slabs
 * directly: two caches that share an entry do not evict each other on every
 * call), or without memory. */
static struct fr__slab_cpu *slot_get(fr_slab *s)
{
    struct fr__slab_slot *t;
    struct fr__slab_cpu **ref;
    struct overflow_slot *o = NULL;
    if (s->index) {
        t = &fr__slab_slots[s->index];
        ref = &slot_cpus[s->index];
        if (LIKELY(*ref != NULL)) return *ref;
    } else {
        o = &overflow[s->id % FR_OVERFLOW_SLOTS];
        t = &o->slot;
        ref = &o->cpu;
        if (o->id == s->id && *ref) return *ref;
        if (*ref && ++o->misses < FR_SLOT_PATIENCE) return NULL;
        o->misses = 0;
        if (*ref) slot_release(ref);
        o->id = 0;
    }
    /* One magazine to start with, an empty one of the depot if there is
     * one (threads that come and go reuse those of threads gone); the
     * previous one is made when first needed (unload), so a thread that
     * uses the cache lightly holds one. */
    struct fr__slab_cpu *c = malloc(sizeof *c);
    cache_lock(s);
    struct mag *a = depot_take_empty(s);
    cache_unlock(s);
    if (!a) a = mag_new(s);
    if (!c || !a) {
        free(c);
        if (a) {
            cache_lock(s);
            depot_put_empty(s, a);
            cache_unlock(s);
        }
        errno = ENOMEM;
        return NULL;
    }
    pthread_once(&exit_once, make_exit_key);
    pthread_setspecific(exit_key, (void *)1);
    c->cache = s;
    c->slot = t;
    c->ref = ref;
    c->loaded = a;
    c->previous = NULL;
    c->prev = NULL;
    cache_lock(s);
    c->serial = ++s->cpu_serial;
    c->next = s->cpus;
    if (c->next) c->next->prev = c;
    s->cpus = c;
    cache_unlock(s);
    *ref = c;
    slot_load(c);
    if (o) o->id = s->id;
    return c;
}

static void swap_mags(struct fr__slab_cpu *c)
{
    struct mag *m = c->loaded;
    c->loaded = c->previous;
    c->previous = m;
    slot_load(c);
}

/* The loaded magazine is empty: make it non-empty; false (errno ENOMEM) if
 * no object can be had. */
static bool refill(fr_slab *s, struct fr__slab_cpu *c)
{
    c->loaded->n = 0;
    if (c->previous && c->previous->n > 0) {
        swap_mags(c);
        return true;
    }
    cache_lock(s);
    struct mag *full = depot_take_full(s);
    if (full) {
        if (full->origin != c->serial) mag_check(s, full, AT_FLUSH); /* crosses threads */
        depot_trim(s, false);
        if (c->previous) depot_put_empty(s, c->previous);
        c->previous = c->loaded;
        c->loaded = full;
    } else {
        c->loaded->n = take_objects(s, mag_lo(c->loaded), c->loaded->cap);
    }
    cache_unlock(s);
    slot_load(c);
    if (c->loaded->n == 0) {
        errno = ENOMEM;
        return false;
    }
    return true;
}

/* The loaded magazine is full: make room. */
static void unload(fr_slab *s, struct fr__slab_cpu *c)
{
    slot_sync(c);
    if (s->stride & (s->stride - 1)) mag_check_starts(s, c->loaded);
    if (c->previous && c->previous->n == 0) {
        swap_mags(c);
        return;
    }
    cache_lock(s);
    struct mag *empty = depot_take_empty(s);
    cache_unlock(s);
    if (!empty) empty = mag_new(s);
    cache_lock(s);
    if (empty) {
        if (c->previous) depot_put_full(s, c->previous, c->serial);
        c->previous = c->loaded;
        c->loaded = empty;
    } else { /* no memory for a magazine: half of loaded goes to the slabs */
        uint32_t half = c->loaded->n / 2;
        give_objects(s, mag_lo(c->loaded) + c->loaded->n - half, half, AT_FLUSH);
        c->loaded->n -= half;
    }
    cache_unlock(s);
    slot_load(c);
}

/* ---- Tracking hooks (valgrind/ASan) ---- */

static void track_alloc(fr_slab *s, void *obj)
{
    fr_track_pool_alloc((struct slab *)fr__slab_space_header_of(obj), obj, s->size); /* the pool: its header */
    if (s->ctor) fr_track_defined(obj, s->size);
}

static void track_free(fr_slab *s, struct slab *sl, void *obj)
{
    fr_track_pool_free(sl, obj, s->size);
}

/* ---- Public API ---- */

static bool is_pow2(size_t x) { return x && (x & (x - 1)) == 0; }

/* The step every object start is a multiple of (from its slab's base): the
 * stride's largest power-of-two factor, which the inline free's mask keeps. */
static size_t start_step(size_t stride) { return stride & -stride; }

/* FERRUM_SLAB_CHECK=1 (read at each fr_slab_create): caches made from now
 * on are checked. */
static bool check_requested(void)
{
    const char *e = getenv("FERRUM_SLAB_CHECK");
    return e && *e && strcmp(e, "0") != 0;
}
fr_slab *fr_slab_create(const char *name, size_t size, size_t align, void (*ctor)(void *),
                        void (*dtor)(void *))
{
    if (size == 0 || (align != 0 && !is_pow2(align)) || align > FR_SLAB_GRANULE) {
        errno = EINVAL;
        return NULL;
    }
    if (size > FR_SLAB_MAX_OBJECT) {
        errno = ENOMEM;
        return NULL;
    }
    if (align == 0) {
        align = 16;
        while (align > 8 && align / 2 >= size) align /= 2;
    }
    if (align < 8) align = 8; /* ASan poisons in 8-byte granules */
    fr_slab tmp, *s = &tmp; /* geometry first; the descriptor at the end */
    memset(s, 0, sizeof *s);
    s->size = size;
    s->align = align;
    s->stride = (size + align - 1) & ~(align - 1);
    s->ctor = ctor;
    s->dtor = dtor;
    s->tracked = fr__track_running() != 0;
    s->checked = s->tracked || check_requested();
    snprintf(s->name, sizeof s->name, "%s", name ? name : "(unnamed)");

    /* Geometry: the smallest slab that holds FR_SLAB_MIN_OBJECTS objects.
     * The header is kept outside the slab (slab_space.c), so the slab
     * holds objects only, from its base (tracked caches: after a no-access
     * red zone), and a power-of-two stride fills it exactly: every address
     * of the cache's part at a multiple of the stride is an object's
     * start or lies in no slab.  Objects start at multiples of the stride's
     * largest power-of-two factor (the whole stride when it is a power of
     * two), so that an interior pointer less than that factor in has low
     * bits set (slab.h's inline test): for stride 96 (3 x 32) that is 32,
     * not the alignment 16, and catches p + 16, p + 48, p + 80. */
    size_t step = start_step(s->stride);
    s->first_off = s->tracked ? (FR_TRACK_REDZONE + step - 1) & ~(step - 1) : 0;
    for (s->order = 0; s->order <= FR_SLAB_MAX_ORDER; s->order++) {
        size_t bytes = FR_SLAB_GRANULE << s->order;
        size_t n = bytes > s->first_off ? (bytes - s->first_off) / s->stride : 0;
        if (n >= FR_SLAB_MIN_OBJECTS || (n >= 1 && s->order == FR_SLAB_MAX_ORDER)) {
            if (n > UINT32_MAX) n = UINT32_MAX;
            s->nobj = (uint32_t)n;
            break;
        }
    }
    s->hdr_bytes = sizeof(struct slab) + bitmap_words(s->nobj) * 8;
    if (s->nobj == 0 || s->hdr_bytes > FR_SLAB_HEADER_MAX) {
        errno = ENOMEM;
        return NULL;
    }
    s->shift = (unsigned)__builtin_ctzll(s->stride);
    s->low_mask = ((uint64_t)1 << s->shift) - 1;
    s->slab_mask = ~(uintptr_t)((FR_SLAB_GRANULE << s->order) - 1);
    s->empty_cap = FR_SLAB_EMPTY_BYTES / (FR_SLAB_GRANULE << s->order);
    s->reserve = FR_SLAB_RESERVE_BYTES / (FR_SLAB_GRANULE << s->order);
    if (s->reserve < 1) s->reserve = 1;
    if (s->reserve > FR_SLAB_RESERVE) s->reserve = FR_SLAB_RESERVE;
    if (s->empty_cap < s->reserve) s->empty_cap = s->reserve;
    size_t cap = FR_MAG_BYTES / s->stride;
    s->mag_cap = (uint32_t)(cap < 2 ? 2 : cap > FR_MAG_CAP ? FR_MAG_CAP : cap);
    s->depot_max = FR_DEPOT_BYTES / (s->mag_cap * s->stride); /* 0 for huge objects */
    if (s->depot_max > FR_DEPOT_MAX) s->depot_max = FR_DEPOT_MAX;
    s->depot_burst = FR_DEPOT_BURST_BYTES / (s->mag_cap * s->stride);
    if (s->depot_burst > FR_DEPOT_BURST_MAX) s->depot_burst = FR_DEPOT_BURST_MAX;
    if (s->depot_burst < s->depot_max) s->depot_burst = s->depot_max;
    s->empty_mags_max = s->depot_max < FR_DEPOT_EMPTY_MIN ? FR_DEPOT_EMPTY_MIN : s->depot_max;
    s->empty_mags_burst = s->depot_burst < s->empty_mags_max ? s->empty_mags_max : s->depot_burst;
    uint64_t odd = s->stride >> s->shift, inv = odd; /* Newton: inv = odd^-1 mod 2^64 */
    for (int i = 0; i < 6; i++) inv *= 2 - odd * inv;
    s->inv = inv;
    s->lim = UINT64_MAX / odd;

    registry_enter("fr_slab_create");
    unsigned idx = 0;
    if (!s->checked && ~slots_used != 0) {
        uint32_t free_idx = ~slots_used, later = free_idx & ~(((uint32_t)1 << slot_cursor) - 1);
        idx = (unsigned)__builtin_ctz(later ? later : free_idx);
        slot_cursor = (idx + 1) % FR_SLAB_TLS_SLOTS;
    }
    /* The inline free's test: ((obj ^ key) & part_mask) == 0, key the
     * part's base (from the handle), i.e. obj in this cache's part with the
     * low bits of an object start clear (those of start_step: the stride's
     * power-of-two factor, the whole stride when it is a power of two, so
     * any interior pointer has some set).  A cache that can have no part
     * takes no slot index: all its calls go out of line. */
    uintptr_t lo = 0, part = 0;
    if (idx) fr__slab_space_part(idx, &lo, &part);
    if (!lo || (FR_SLAB_GRANULE << tmp.order) > part) idx = 0;
    tmp.part_lo = idx ? lo : 0;
    tmp.part_mask = idx ? ~(uintptr_t)(part - 1) | (uintptr_t)(start_step(tmp.stride) - 1) : 0;
    fr_slab *d = idx ? part_desc[idx] : desc_free;
    if (!d) {
        void *mem = NULL;
        if (posix_memalign(&mem, idx ? FR_DESC_SIZE : FR_DESC_BLOCK, FR_DESC_SIZE) != 0) {
            registry_leave();
            errno = ENOMEM;
            return NULL;
        }
        d = mem;
        d->gen = 0;
        d->live = false;
        d->part_lo = tmp.part_lo; /* read by desc_of without a lock */
        if (idx) __atomic_store_n(&part_desc[idx], d, __ATOMIC_RELEASE);
    } else if (!idx) {
        desc_free = d->reg_next;
    }
    uintptr_t gen = d->gen % GEN_MASK + 1; /* 1..511 */
    *d = tmp;
    d->gen = gen;
    s = d;
    s->index = idx;
    slots_used |= (uint32_t)1 << idx;
    s->id = next_id++;
    pthread_mutex_init(&s->lock, NULL);
    s->reg_next = registry;
    registry = s;
    __atomic_store_n(&s->live, true, __ATOMIC_RELEASE);
    registry_leave();
    return handle_of(s);
}

/* One object straight from the slabs (checked caches, or no magazine). */
static void *alloc_direct(fr_slab *s)
{
    void *obj;
    cache_lock(s);
    uint32_t got = take_objects(s, &obj, 1);
    cache_unlock(s);
    if (!got) {
        errno = ENOMEM;
        return NULL;
    }
    if (s->tracked) track_alloc(s, obj);
    return obj;
}

/* The inline alloc found its object also two places below it in the
 * magazine: it was freed twice (free(p); free(q); free(p)), and handing it
 * out would give it to two callers. */
__attribute__((noinline, cold, noreturn)) static void freed_twice_in_magazine(fr_slab *s, void *obj)
{
    fr__arena_fatal("fr_slab_free(\"%s\", %p): object freed twice (found by fr_slab_alloc before "
                    "handing it out a second time: a magazine holds it twice, two places apart, as "
                    "after free(p); free(q); free(p)); rerun with FERRUM_SLAB_CHECK=1 to stop at the "
                    "bad free", s->name, obj);
}

/* The out-of-line alloc: the inline one (slab.h) found top[-1] NULL, or
 * top[-1] == top[-3]. */
void *fr_slab_alloc(fr_slab *h)
{
    if (!h) {
        errno = EINVAL;
        return NULL;
    }
    fr_slab *s = cache_of(h, "fr_slab_alloc");
    if (s->checked) return alloc_direct(s);
    struct fr__slab_cpu *c = slot_get(s);
    if (!c) return alloc_direct(s);
    for (;;) {
        void **top = c->slot->top;
        if (LIKELY(top > mag_lo(c->loaded))) {
            if (UNLIKELY(top - 2 > mag_lo(c->loaded) && top[-1] == top[-3] && top[-1]))
                freed_twice_in_magazine(s, top[-1]);
            c->slot->top = top - 1;
            if (LIKELY(top[-1] != NULL)) return top[-1];
            continue; /* a NULL from fr_slab_free(s, NULL): dropped */
        }
        if (!refill(s, c)) return NULL;
    }
}

/* The out-of-line free: the inline one (slab.h) found the magazine full,
 * or s has no magazine in this thread.  The object is checked at once. */
static __thread unsigned long slow_frees; /* fr__slab_slow_frees() */

unsigned long fr__slab_slow_frees(void) { return slow_frees; }

void *fr__slab_header_of(const void *p) { return fr__slab_space_header_of(p); }

void fr_slab_free(fr_slab *h, void *obj)
{
    if (!obj) return;
    slow_frees++;
    if (!h) fr__arena_fatal("fr_slab_free(NULL, %p): no cache given", obj);
    fr_slab *s = cache_of(h, "fr_slab_free");
    uint32_t idx;
    struct slab *sl = slab_of(s, obj, &idx, AT_FREE);
    struct fr__slab_cpu *c = s->checked ? NULL : slot_get(s);
    if (!c) { /* checked, or no magazine (entry taken, or no memory): straight to the slab */
        if (s->tracked) track_free(s, sl, obj);
        cache_lock(s);
        give_objects(s, &obj, 1, AT_FREE);
        cache_unlock(s);
        return;
    }
    /* The inline free sends a free of the object freed last here too: look
     * at the last few objects of the magazine (cheap; the rest is found
     * when the magazine leaves the thread). */
    void **lo = mag_lo(c->loaded), **top = c->slot->top;
    for (void **q = top; q > lo && q > top - FR_RECENT_FREES; q--)
        if (UNLIKELY(q[-1] == obj))
            fr__arena_fatal("fr_slab_free(\"%s\", %p): object freed twice (found at the free: it "
                            "is among the %d last objects this thread freed to the cache)", s->name,
                            obj, FR_RECENT_FREES);
    if (top == lo + c->loaded->cap) unload(s, c);
    *c->slot->top++ = obj;
}

void fr_slab_destroy(fr_slab *h)
{
    if (!h) return;
    if (!fr__scope_ending(h, "fr_slab_destroy")) return; /* handles over h (owner/scope.c) */
    fr_slab *s = desc_of(h);
    registry_enter("fr_slab_destroy");
    fr_slab **link = &registry; /* a walk, not a read of *s: h may be any pointer */
    while (*link && *link != s) link = &(*link)->reg_next;
    if (!*link || !handle_live(h)) {
        registry_leave();
        fr__arena_fatal("fr_slab_destroy(%p): not a live slab cache (destroyed twice?)", (void *)h);
    }
    *link = s->reg_next;
    __atomic_store_n(&s->live, false, __ATOMIC_RELEASE);
    /* Empty s's slot in every thread that has one (none of them may use s
     * now), so that the slot index can go to another cache. */
    cache_lock(s);
    struct fr__slab_cpu *gone = s->cpus;
    s->cpus = NULL;
    for (struct fr__slab_cpu *c = gone; c; c = c->next) {
        slot_sync(c);
        slot_reset(c);
    }
    cache_unlock(s);
    registry_leave();

    cache_lock(s);
    while (gone) {
        struct fr__slab_cpu *c = gone;
        gone = c->next;
        cpu_drain(s, c);
    }
    while (s->depot_full) {
        struct mag *m = s->depot_full;
        s->depot_full = m->next;
        mag_drain(s, m, false);
    }
    while (s->depot_empty) {
        struct mag *m = s->depot_empty;
        s->depot_empty = m->next;
        mag_free(m);
    }
    for (int l = 0; l < 3; l++) {
        while (s->lists[l]) {
            struct slab *sl = s->lists[l];
            list_remove(s, sl);
            slab_reclaim(s, sl);
        }
    }
    cache_unlock(s);
    pthread_mutex_destroy(&s->lock);
    /* Only now may the slot index and the descriptor serve another cache. */
    registry_enter("fr_slab_destroy");
    if (s->index) { /* the descriptor stays part_desc[index] */
        slots_used &= ~((uint32_t)1 << s->index);
    } else {
        s->reg_next = desc_free;
        desc_free = s;
    }
    registry_leave();
}

/* ---- As an fr_allocator ---- */

static void *slab_alloc_cb(void *ctx, size_t size, size_t align)
{
    fr_slab *h = ctx, *s = h ? cache_of(h, "fr_slab_allocator(s).alloc") : NULL;
    if (!s || size == 0 || size > s->size || !is_pow2(align) || align > s->align) {
        errno = EINVAL;
        return NULL;
    }
    return fr__slab_alloc_inline(h);
}

static void slab_free_cb(void *ctx, void *ptr, size_t size)
{
    (void)size;
    fr__slab_free_inline(ctx, ptr);
}

fr_allocator fr_slab_allocator(fr_slab *s)
{
    fr_allocator a = { slab_alloc_cb, slab_free_cb, s };
    return a;
}
