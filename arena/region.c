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
 * Double destroy.  Region descriptors come from a pool of mmap'd blocks that
 * are never unmapped, and a freed descriptor is reused only after more than
 * FR_REGION_QUARANTINE others have been freed (FIFO).  So a second destroy of
 * the same pointer reads a descriptor that is still mapped and still marked
 * dead, and aborts with a message and a backtrace instead of corrupting
 * whatever region took the memory.  (After the quarantine the pointer may
 * name a new region; that case is not detected.)
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

#define FR_REGION_QUARANTINE 1024
#define DESC_BLOCK ((size_t)64 << 10)
#define REGION_FIRST_CHUNK ((size_t)1024)

enum region_state { R_LIVE = 0x4c495645u, R_DYING = 0x44594e47u, R_DEAD = 0x44454144u };

struct defer {
    struct defer *next;
    void (*fn)(void *);
    void *arg;
};

struct fr_region {
    struct fr_arena arena;        /* first: allocation state */
    uint32_t state;
    fr_region *parent, *first_child, *next, *prev;
    struct defer *defers;         /* newest first */
    void *owner_data;
    fr_region *free_next;         /* descriptor pool */
};

/* ---- Descriptor pool ---- */

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static fr_region *free_head, *free_tail;
static size_t free_count;
static unsigned char *block_ptr, *block_end;

static fr_region *desc_get(void)
{
    fr_region *r = NULL;
    pthread_mutex_lock(&pool_lock);
    if (free_count > FR_REGION_QUARANTINE) {
        r = free_head;
        free_head = r->free_next;
        if (!free_head) free_tail = NULL;
        free_count--;
    } else {
        if (block_ptr == NULL || (size_t)(block_end - block_ptr) < sizeof(fr_region)) {
            void *b = mmap(NULL, DESC_BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (b != MAP_FAILED) {
                block_ptr = b;
                block_end = block_ptr + DESC_BLOCK;
            }
        }
        if (block_ptr && (size_t)(block_end - block_ptr) >= sizeof(fr_region)) {
            r = (fr_region *)(void *)block_ptr;
            block_ptr += (sizeof(fr_region) + 63) & ~(size_t)63;
        }
    }
    pthread_mutex_unlock(&pool_lock);
    if (!r) errno = ENOMEM;
    return r;
}

static void desc_put(fr_region *r)
{
    pthread_mutex_lock(&pool_lock);
    r->free_next = NULL;
    if (free_tail) free_tail->free_next = r;
    else free_head = r;
    free_tail = r;
    free_count++;
    pthread_mutex_unlock(&pool_lock);
}

/* ---- Owner hooks ---- */

static fr__region_owner_hooks hooks;

void fr__region_set_owner_hooks(const fr__region_owner_hooks *h)
{
    if (h) hooks = *h;
    else memset(&hooks, 0, sizeof hooks);
}

void *fr__region_owner_data(fr_region *r)
{
    return r ? r->owner_data : NULL;
}

void fr__region_set_owner_data(fr_region *r, void *data)
{
    if (r) r->owner_data = data;
}

/* ---- Checks ---- */

static void check_usable(fr_region *r, const char *what)
{
    if (r->state == R_LIVE || r->state == R_DYING) return;
    if (r->state == R_DEAD)
        fr__arena_fatal("%s(%p): the region was already destroyed", what, (void *)r);
    fr__arena_fatal("%s(%p): not a region (bad pointer or memory corruption)", what, (void *)r);
}

/* ---- Create / allocate / defer ---- */

fr_region *fr_region_create(fr_region *parent)
{
    if (parent) {
        check_usable(parent, "fr_region_create");
        if (parent->state != R_LIVE) {
            errno = EINVAL;
            return NULL;
        }
    }
    fr_region *r = desc_get();
    if (!r) return NULL;
    fr__arena_init(&r->arena, REGION_FIRST_CHUNK);
    r->state = R_LIVE;
    r->parent = parent;
    r->first_child = NULL;
    r->prev = NULL;
    r->defers = NULL;
    r->owner_data = NULL;
    r->free_next = NULL;
    if (parent) {
        r->next = parent->first_child;
        if (r->next) r->next->prev = r;
        parent->first_child = r;
    } else {
        r->next = NULL;
    }
    return r;
}

void *fr_region_alloc(fr_region *r, size_t size)
{
    if (!r) {
        errno = EINVAL;
        return NULL;
    }
    check_usable(r, "fr_region_alloc");
    return fr__arena_alloc_inline(&r->arena, size);
}

int fr_region_defer(fr_region *r, void (*fn)(void *), void *arg)
{
    if (!r || !fn) {
        errno = EINVAL;
        return -1;
    }
    check_usable(r, "fr_region_defer");
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
static fr_region *preorder_next(fr_region *r, fr_region *x)
{
    if (x->first_child) return x->first_child;
    while (x != r && !x->next) x = x->parent;
    return x == r ? NULL : x->next;
}

static void finalize(fr_region *x)
{
    if (hooks.destroying) hooks.destroying(x);
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
    desc_put(x);
}

void fr_region_destroy(fr_region *r)
{
    if (!r) return;
    if (r->state == R_DEAD)
        fr__arena_fatal("fr_region_destroy(%p): region destroyed twice (it was already destroyed)",
                        (void *)r);
    if (r->state == R_DYING)
        fr__arena_fatal("fr_region_destroy(%p): region is already being destroyed (destroyed from "
                        "a deferred function of itself or of an ancestor)", (void *)r);
    check_usable(r, "fr_region_destroy");

    if (hooks.may_destroy)
        for (fr_region *x = r; x; x = preorder_next(r, x))
            if (!hooks.may_destroy(x)) return;
    for (fr_region *x = r; x; x = preorder_next(r, x)) x->state = R_DYING;

    fr_region *cur = r;
    for (;;) {
        while (cur->first_child) cur = cur->first_child;
        fr_region *parent = cur->parent;
        bool last = cur == r;
        finalize(cur);
        if (last) break;
        cur = parent;
    }
}

/* ---- As an fr_allocator ---- */

static void *region_alloc_cb(void *ctx, size_t size, size_t align)
{
    fr_region *r = ctx;
    if (!r) {
        errno = EINVAL;
        return NULL;
    }
    check_usable(r, "fr_region_allocator alloc");
    if (align == 16 || align == 8 || align == 4 || align == 2 || align == 1)
        return fr__arena_alloc_inline(&r->arena, size);
    return fr__arena_alloc_slow(&r->arena, size, align);
}

static void region_free_cb(void *ctx, void *ptr, size_t size)
{
    fr_region *r = ctx;
    if (r && r->state != R_DEAD) fr__arena_forget(&r->arena, ptr, size);
}

fr_allocator fr_region_allocator(fr_region *r)
{
    fr_allocator a = { region_alloc_cb, region_free_cb, r };
    return a;
}

fr_region *fr__allocator_region(fr_allocator a)
{
    return a.alloc == region_alloc_cb ? (fr_region *)a.ctx : NULL;
}
