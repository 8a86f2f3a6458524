/*
 * arena/region.c — hierarchical regions: arenas in a tree, with destructors.
 *
 * A region is an arena (arena_impl.h, embedded, so allocation is the arena's
 * inline bump) plus its place in a tree (parent, first child, siblings) and a
 * LIFO list of deferred functions kept in the region's own memory.  Destroy
 * works in three passes over the subtree, without recursion (a tree may be
 * deep): (1) ask the owner layer whether each region may go (pre-order; one
 * refusal cancels the whole destroy, before anything changed); (2) mark every
 * region of the subtree "dying", so that no child can be created under it
 * meanwhile; (3) post-order: always descend to the newest child first, and
 * finalize a region when it has no child left — owner hook, deferred
 * functions last-registered first, memory, unlink from the parent.  Because
 * pass 3 re-reads the links after each step, a deferred function may destroy
 * regions outside the subtree.
 *
 * Handles and double destroy.  The fr_region pointer a caller holds is not
 * the descriptor's address but a handle: bit 63 set (a non-canonical
 * address: dereferencing it faults), the descriptor's 39-bit generation in
 * bits 24..62 and its index in bits 0..23.  Descriptors live in blocks that
 * are never unmapped, found by index through a table; destroy bumps the
 * descriptor's generation before it goes back to the free list.  So every
 * later use of the old handle -- a second destroy, alloc, defer, create under
 * it -- finds a generation that does not match and aborts with a message and
 * a backtrace, however many regions came and went in between and even when
 * the descriptor already serves a new region (whose handle differs in its
 * generation).  A generation repeats only after 2^39 reuses of one
 * descriptor.
 *
 * The owner layer's hooks (region_owner.h) are called from passes 1 and 3.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <ferrum/region.h>

#include "arena_impl.h"
#include "region_owner.h"
#include "report.h"
#include "track.h"

#define DESC_PER_BLOCK 256
#define MAX_BLOCKS 65536                      /* 2^24 descriptors */
#define GEN_BITS 39
#define GEN_MASK (((uint64_t)1 << GEN_BITS) - 1)
#define HANDLE_TAG ((uint64_t)1 << 63)
#define REGION_FIRST_CHUNK ((size_t)1024)

enum region_state { R_LIVE = 0x4c495645u, R_DYING = 0x44594e47u, R_DEAD = 0x44454144u };

struct defer {
    struct defer *next;
    void (*fn)(void *);
    void *arg;
};

/* A region descriptor (fr_region handles name one, see above). */
struct rdesc {
    _Alignas(256) struct fr_arena arena; /* first: allocation state; 256 bytes apart */
    fr_region *self;              /* the current handle; NULL while free */
    uint32_t state;
    uint32_t index;
    uint64_t gen;                 /* bumped at destroy */
    struct rdesc *parent, *first_child, *next, *prev;
    struct defer *defers;         /* newest first */
    void *owner_data;
    struct rdesc *free_next;      /* descriptor pool */
};

/* ---- Descriptor pool ---- */

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rdesc *blocks[MAX_BLOCKS]; /* written once each, under pool_lock */
static uint32_t nblocks;
static struct rdesc *free_head;

_Static_assert(sizeof(struct rdesc) == 256, "descriptors are 256 bytes: index -> address is a shift");

static fr_region *handle_of(const struct rdesc *d)
{
    return (fr_region *)(uintptr_t)(HANDLE_TAG | (d->gen & GEN_MASK) << 24 | d->index);
}

static struct rdesc *desc_get(void)
{
    struct rdesc *d = NULL;
    pthread_mutex_lock(&pool_lock);
    if (!free_head && nblocks < MAX_BLOCKS) {
        struct rdesc *b = mmap(NULL, DESC_PER_BLOCK * sizeof *b, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (b != MAP_FAILED) {
            for (uint32_t i = DESC_PER_BLOCK; i-- > 0;) {
                b[i].index = nblocks * DESC_PER_BLOCK + i;
                b[i].gen = 1;
                b[i].state = R_DEAD;
                b[i].free_next = free_head;
                free_head = &b[i];
            }
            __atomic_store_n(&blocks[nblocks], b, __ATOMIC_RELEASE);
            nblocks++;
        }
    }
    if (free_head) {
        d = free_head;
        free_head = d->free_next;
    }
    pthread_mutex_unlock(&pool_lock);
    if (!d) errno = ENOMEM;
    return d;
}

/* fork() while another thread holds the pool lock (creating or destroying
 * a region) would leave the child's pool locked forever: its first
 * fr_region_create hung (QA6 T8).  The lock is held across the fork; no
 * other lock is ever taken while it is held, so no order is at stake. */
static void pool_fork_prepare(void)
{
    pthread_mutex_lock(&pool_lock);
}

static void pool_fork_after(void)
{
    pthread_mutex_unlock(&pool_lock);
}

/* At load time, before any thread of the program can use the pool. */
__attribute__((constructor)) static void pool_fork_arm(void)
{
    pthread_atfork(pool_fork_prepare, pool_fork_after, pool_fork_after);
}

static void desc_put(struct rdesc *d) /* d->gen already bumped */
{
    pthread_mutex_lock(&pool_lock);
    d->free_next = free_head;
    free_head = d;
    pthread_mutex_unlock(&pool_lock);
}

/* The descriptor a handle names, whatever its generation; NULL when h is not
 * a region handle at all. */
static inline struct rdesc *desc_of(const fr_region *h)
{
    uint64_t v = (uintptr_t)h;
    if (!(v & HANDLE_TAG)) return NULL;
    uint32_t idx = (uint32_t)(v & 0xFFFFFF);
    struct rdesc *b = __atomic_load_n(&blocks[idx / DESC_PER_BLOCK], __ATOMIC_ACQUIRE);
    return b ? &b[idx % DESC_PER_BLOCK] : NULL;
}

/* Whether h is the current handle of d (d live or dying). */
static inline bool gen_matches(const struct rdesc *d, const fr_region *h)
{
    return d->self == h;
}

__attribute__((noinline, cold, noreturn)) static void bad_handle(fr_region *h, const struct rdesc *d,
                                                                  const char *what)
{
    if (!d) fr__arena_fatal("%s(%p): not a region (bad pointer or memory corruption)", what, (void *)h);
    fr__arena_fatal("%s(%p): the region was already destroyed", what, (void *)h);
}

/* The descriptor of a usable (live or dying) region, or abort. */
static inline struct rdesc *usable(fr_region *h, const char *what)
{
    struct rdesc *d = desc_of(h);
    if (__builtin_expect(!d || d->self != h, 0)) bad_handle(h, d, what);
    return d;
}

/* ---- Owner hooks ---- */

static fr__region_owner_hooks hooks;
fr__scope_hook_fn fr__scope_hook; /* arenas and slabs: see region_owner.h */

void fr__region_set_owner_hooks(const fr__region_owner_hooks *h)
{
    if (h) hooks = *h;
    else memset(&hooks, 0, sizeof hooks);
}

/* A stale or bad handle reads NULL and writes nothing: the owner layer
 * unlinks its handles in the destroying hook, before the generation moves. */
void *fr__region_owner_data(fr_region *r)
{
    struct rdesc *d = desc_of(r);
    return d && gen_matches(d, r) ? d->owner_data : NULL;
}

void fr__region_set_owner_data(fr_region *r, void *data)
{
    struct rdesc *d = desc_of(r);
    if (d && gen_matches(d, r)) d->owner_data = data;
}

/* ---- Create / allocate / defer ---- */

fr_region *fr_region_create(fr_region *parent)
{
    struct rdesc *p = NULL;
    if (parent) {
        p = usable(parent, "fr_region_create");
        if (p->state != R_LIVE) {
            errno = EINVAL;
            return NULL;
        }
    }
    struct rdesc *r = desc_get();
    if (!r) return NULL;
    fr__arena_init(&r->arena, REGION_FIRST_CHUNK);
    r->state = R_LIVE;
    r->self = handle_of(r);
    r->parent = p;
    r->first_child = NULL;
    r->prev = NULL;
    r->defers = NULL;
    r->owner_data = NULL;
    r->free_next = NULL;
    if (p) {
        r->next = p->first_child;
        if (r->next) r->next->prev = r;
        p->first_child = r;
    } else {
        r->next = NULL;
    }
    return r->self;
}

void *fr_region_alloc(fr_region *h, size_t size)
{
    struct rdesc *r = desc_of(h); /* NULL for NULL */
    if (__builtin_expect(!r || r->self != h, 0)) {
        if (!h) {
            errno = EINVAL;
            return NULL;
        }
        bad_handle(h, r, "fr_region_alloc");
    }
    return fr__arena_alloc_inline(&r->arena, size);
}

int fr_region_defer(fr_region *h, void (*fn)(void *), void *arg)
{
    if (!h || !fn) {
        errno = EINVAL;
        return -1;
    }
    struct rdesc *r = usable(h, "fr_region_defer");
    if (r->state != R_LIVE) {
        errno = EINVAL;
        return -1;
    }
    struct defer *d = fr__arena_alloc_inline(&r->arena, sizeof *d);
    if (!d) return -1;
    d->fn = fn;
    d->arg = arg;
    d->next = r->defers;
    r->defers = d;
    return 0;
}

/* ---- Destroy ---- */

/* Next region of r's subtree in pre-order after x, or NULL. */
static struct rdesc *preorder_next(struct rdesc *r, struct rdesc *x)
{
    if (x->first_child) return x->first_child;
    while (x != r && !x->next) x = x->parent;
    return x == r ? NULL : x->next;
}

static void finalize(struct rdesc *x)
{
    if (hooks.destroying) hooks.destroying(handle_of(x));
    while (x->defers) { /* a deferred function may not add more (state is dying) */
        struct defer *d = x->defers;
        x->defers = d->next;
        d->fn(d->arg);
    }
    fr__arena_fini(&x->arena);
    if (x->parent) {
        if (x->prev) x->prev->next = x->next;
        else x->parent->first_child = x->next;
        if (x->next) x->next->prev = x->prev;
    }
    x->parent = x->next = x->prev = x->first_child = NULL;
    x->owner_data = NULL;
    x->state = R_DEAD;
    x->gen++; /* every handle of the region is stale from now on */
    x->self = NULL;
    desc_put(x);
}

void fr_region_destroy(fr_region *h)
{
    if (!h) return;
    struct rdesc *r = desc_of(h);
    if (!r) fr__arena_fatal("fr_region_destroy(%p): not a region (bad pointer or memory corruption)",
                            (void *)h);
    if (!gen_matches(r, h))
        fr__arena_fatal("fr_region_destroy(%p): region destroyed twice (it was already destroyed)",
                        (void *)h);
    if (r->state == R_DYING)
        fr__arena_fatal("fr_region_destroy(%p): region is already being destroyed (destroyed from "
                        "a deferred function of itself or of an ancestor)", (void *)h);

    if (hooks.may_destroy)
        for (struct rdesc *x = r; x; x = preorder_next(r, x))
            if (!hooks.may_destroy(handle_of(x))) return;
    for (struct rdesc *x = r; x; x = preorder_next(r, x)) x->state = R_DYING;

    struct rdesc *cur = r;
    for (;;) {
        while (cur->first_child) cur = cur->first_child;
        struct rdesc *parent = cur->parent;
        bool last = cur == r;
        finalize(cur);
        if (last) break;
        cur = parent;
    }
}

/* ---- As an fr_allocator ---- */

static void *region_alloc_cb(void *ctx, size_t size, size_t align)
{
    if (!ctx) {
        errno = EINVAL;
        return NULL;
    }
    struct rdesc *r = usable(ctx, "fr_region_allocator alloc");
    if (align == 16 || align == 8 || align == 4 || align == 2 || align == 1)
        return fr__arena_alloc_inline(&r->arena, size);
    return fr__arena_alloc_slow(&r->arena, size, align);
}

static void region_free_cb(void *ctx, void *ptr, size_t size)
{
    struct rdesc *r = desc_of(ctx);
    if (r && gen_matches(r, ctx)) fr__arena_forget(&r->arena, ptr, size);
}

/* For owner.h's unchecked inline fr_own_new: is an allocator a region's? */
FR_API void *(*const fr__region_alloc_fn)(void *ctx, size_t size, size_t align) = region_alloc_cb;

fr_allocator fr_region_allocator(fr_region *r)
{
    fr_allocator a = { region_alloc_cb, region_free_cb, r };
    return a;
}

fr_region *fr__allocator_region(fr_allocator a)
{
    return a.alloc == region_alloc_cb ? (fr_region *)a.ctx : NULL;
}
