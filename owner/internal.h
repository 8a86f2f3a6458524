/*
 * owner/internal.h — private to the owner component: the handle table's
 * layout, the encoding of handles and borrow states, and the functions the
 * owner's files share.  Nothing here is installed.
 *
 * Handle bits (fr_handle.bits, 64 bits):
 *     bit 63      "moved from" flag (set in the source of fr_move)
 *     bits 32-62  generation of the slot when the object was made (>= 1)
 *     bits 21-31  zero
 *     bits 0-20   slot index (>= 1; index 0 is never used, so {0} is null)
 *
 * Slot state (one atomic 64-bit word, so that the generation check and the
 * borrow-count update are a single compare-and-swap):
 *     bits 32-63  generation of the slot (bumped when the object is dropped)
 *     bits 0-31   borrow word b:
 *                   0            no live object (free slot, or never used)
 *                   1            live, not borrowed
 *                   2..0x7fffffff live, b - 1 shared borrows
 *                   0xffffffff   live, borrowed exclusively
 * Zeroed memory is therefore "no object", which is what the table's
 * unused pages (a shared all-zero page) and slot 0 say.  A handle is valid
 * exactly when its generation equals the slot's and b != 0; since every
 * live object's b is >= 1, the fast paths check "same generation and b in
 * range" with one XOR and one compare, and every other case (stale, moved,
 * never made, conflicting) falls to the slow path, which works out what
 * went wrong.
 *
 * The table is one array of 2 Mi hot slots, fr__slots[], reserved as
 * zero-fill memory (bss: the kernel maps its pages when they are first
 * touched, so it grows as handles are made and costs nothing before) and
 * never moved, so a slot's address is stable while other threads borrow
 * through it, and it is a link-time constant: the inline fast paths
 * compute it once per handle and need no bounds check (the index is
 * masked; a bad index lands on a slot with no object).  The cold part of
 * each slot (allocator, size, drop function, backtraces) lives in pages of
 * 4096 entries mmap'd when the table first reaches them, found through
 * fr__metas[].
 *
 * Lock order: fr__table_lock (slot allocation, free list, region lists)
 * is a leaf lock; it is never held while a drop function, an allocator or
 * a violation handler runs.
 */
#ifndef FERRUM_OWNER_INTERNAL_H
#define FERRUM_OWNER_INTERNAL_H

#include <ferrum/owner.h>

#include <pthread.h>
#include <stdint.h>

/* ---- Encoding ---- */

#define FR__PAGE_SHIFT 12
#define FR__PAGE_SLOTS (1u << FR__PAGE_SHIFT)
#define FR__MAX_SLOTS FR__SLOTS_MAX /* 2 Mi handles (owner.h) */
#define FR__MAX_PAGES (FR__MAX_SLOTS / FR__PAGE_SLOTS)

#define FR__MOVED (UINT64_C(1) << 63)
#define FR__GEN_MAX 0x7fffffffu

#define FR__B_DEAD 0u
#define FR__B_FREE 1u
#define FR__B_SHARED_MAX 0x7fffffffu /* b of the most shared borrows */
#define FR__B_EXCL 0xffffffffu

static inline uint32_t fr__idx(uint64_t bits) { return (uint32_t)bits & (FR__MAX_SLOTS - 1); }
static inline uint32_t fr__gen(uint64_t bits) { return (uint32_t)(bits >> 32) & FR__GEN_MAX; }
static inline uint64_t fr__bits(uint32_t idx, uint32_t gen) { return ((uint64_t)gen << 32) | idx; }
static inline uint32_t fr__b(uint64_t state) { return (uint32_t)state; }

/* ---- Events ---- */

#define FR__TRACE_DEPTH 16

/* Return addresses of one event, recorded with unw_backtrace (cheap);
 * turned into names only when a report is printed. */
typedef struct fr__trace {
    uint32_t n;
    uint32_t tid; /* thread that did it (gettid) */
    void *pc[FR__TRACE_DEPTH];
} fr__trace;

/* Record the current call stack, dropping the frames inside ferrum:
 * `caller` is the return address into the program (from the public
 * function's __builtin_return_address(0)); frames before it are skipped. */
void fr__trace_capture(fr__trace *t, void *caller);
/* Record the call stack from the caller of the (outer) function fn on:
 * for events reached through another component (a region's destroy). */
void fr__trace_capture_after(fr__trace *t, const char *fn);
/* tid of a one-frame trace whose frame is the return address of the
 * function that borrowed (the inline fast paths record that). */
#define FR__TID_BORROWER 0xffffffffu
/* Record just one frame (cheap events: moves). */
void fr__trace_one(fr__trace *t, void *caller);
/* Print "    #i 0x... function+0xoff (module+0xoff)" lines into buf. */
size_t fr__trace_format(const fr__trace *t, char *buf, size_t cap);

/* An event kept in a handle's metadata: its call stack, stored once in the
 * depot (owner/depot.c) however many events share it, and the thread.  A
 * one-frame stack (a move's call site, by default) is kept in place, with
 * no depot lookup.  NULL: no event (or no memory to keep it). */
typedef struct fr__event {
    const void *p;   /* one_pc ? the return address : const struct fr__stack * */
    uint32_t tid;
    uint16_t one_pc;
    uint16_t by;     /* a drop done by the owning allocator: fr__drop_by_name(by) */
} fr__event;
/* The ending of an allocator that drops its handles (fr_arena_reset,
 * fr_arena_destroy, fr_slab_destroy, fr_region_destroy), as an event's
 * `by`, and back (NULL for 0: an fr_drop). */
uint16_t fr__drop_by_index(const char *fn);
const char *fr__drop_by_name(uint16_t by);
fr__event fr__trace_keep(const fr__trace *t);
/* The event of one frame (fr__trace_one's, kept): no call, no lock. */
static inline fr__event fr__event_one(void *pc)
{
    fr__event e = {pc, 0, pc != NULL, 0};
    return e;
}
void fr__trace_get(fr__event e, fr__trace *out);

/* ---- Slots ---- */

/* Hot part: what borrow and release touch (32 bytes); defined in owner.h
 * because the fast paths are inline there.  All access is through the
 * __atomic builtins. */
typedef struct fr__slot fr__slot;

/* Cold part: what reports, drops and regions need. */
typedef struct fr__meta {
    fr_allocator al;
    size_t size;
    fr_drop_fn drop;
    void *region;         /* fr_region * owning the object, or NULL */
    void *scope;          /* else the arena or slab owning it (owner/scope.c), or NULL */
    uint32_t region_prev; /* region-owned list links (under the lock) */
    uint32_t region_next;
    uint32_t dropped_gen; /* generation the `dropped` trace belongs to */
    uint32_t moved_gen;   /* generation the `moved` trace belongs to */
    fr__event born;       /* fr_own_new */
    fr__event moved;      /* the last fr_move */
    fr__event dropped;    /* fr_drop (kept while the slot waits for reuse) */
} fr__meta;
/* With the 32-byte slot, 152 bytes per live handle (docs/reference.md). */
_Static_assert(sizeof(fr__meta) == 120, "fr__meta grew: update docs/reference.md");

extern fr__meta *fr__metas[FR__MAX_PAGES];

extern uint32_t fr__nslots; /* slots handed out so far (high-water mark + 1) */
extern pthread_mutex_t fr__table_lock;

#if FR_CHECKED
static inline fr__slot *fr__slot_of(uint64_t bits)
{
    return &fr__slots[bits & (FR__MAX_SLOTS - 1)];
}
/* Only for indices below fr__nslots. */
static inline fr__meta *fr__meta_of(uint32_t idx)
{
    return &fr__metas[idx >> FR__PAGE_SHIFT][idx & (FR__PAGE_SLOTS - 1)];
}
static inline bool fr__idx_valid(uint32_t idx)
{
    return idx != 0 && idx < __atomic_load_n(&fr__nslots, __ATOMIC_ACQUIRE);
}

#endif

/* Take a free slot (generation already set, b == 0), or 0 when the table
 * is full.  Called with fr__table_lock held. */
uint32_t fr__slot_take(void);
/* Put a dropped slot on the free list (its generation already bumped).
 * Called with fr__table_lock held. */
void fr__slot_put(uint32_t idx);

/* ---- Operations shared by the owner's files ---- */

/* Drop the object of slot idx, whose state the caller has just moved from
 * (gen, b=1) to (gen + 1, b=0): run its drop function, free it, mark it
 * no-access, unlink it from its region and free the slot. */
void fr__finish_drop(uint32_t idx, uint32_t gen, bool unlink_region);

/* Region support (owner/region.c): link a new handle to the region behind
 * `al`, if any.  Called with fr__table_lock held.  */
void fr__region_link(uint32_t idx, fr_allocator al);
void fr__region_unlink(uint32_t idx);
/* Arena and slab support (owner/scope.c), called by the two above: link a
 * handle made over an arena or a slab to it (false: not one); unlink. */
bool fr__scope_link(uint32_t idx, fr_allocator al);
void fr__scope_unlink(uint32_t idx);
/* What a region and an arena or slab do when they end (owner/region.c):
 * the first borrowed handle of an owner's list (handle bits, 0: none;
 * table lock held); the FR_V_REGION_OUTLIVED report for it (fn: the public
 * function ending the owner); dropping a handle already unlinked from its
 * list, with fn's caller as the drop site. */
uint64_t fr__list_borrowed(uint32_t head);
void fr__report_outlived(uint64_t bad, const char *fn, const char *here_label, const char *msg);
void fr__drop_unlinked(uint32_t idx, const char *fn);

/* ---- Violations (owner/violation.c, owner/report.c) ---- */

typedef enum fr__op {
    FR__OP_BORROW, FR__OP_BORROW_MUT, FR__OP_RELEASE, FR__OP_MOVE, FR__OP_DROP,
    FR__OP_REGION_DESTROY, FR__OP_EXIT
} fr__op;

/* What the default handler prints besides the violation itself. */
typedef struct fr__report {
    fr__op op;
    const fr__trace *here;      /* the violating call (NULL: none) */
    const char *here_label;     /* "value borrowed here after move" */
    const fr__trace *earlier;   /* the conflicting event (NULL: unknown) */
    const char *earlier_label;  /* "value moved here" */
    const fr__trace *born;      /* where the object was made (NULL: unknown) */
    const void *obj;
    size_t size;
    const char *note;           /* extra line, or NULL */
} fr__report;

/* Work out why op on h failed (h did not pass the fast path), report it
 * to the handler and return the violation kind.  Returns -1 when there is
 * nothing wrong after all (a race with another thread changed the state;
 * the caller retries). */
int fr__diagnose(fr__op op, fr_handle h, void *caller);

/* Send a violation to the handler (with the report context for the
 * default one).  Returns when the handler returns. */
void fr__violate(fr_violation_kind kind, fr_handle h, const char *message,
                 const fr__report *rep);

/* No handler set: the default one reports. */
bool fr__handler_is_default(void);

/* FERRUM_OWNER options, read once. */
enum { FR__OPT_WARN = 1, FR__OPT_NOLEAKS = 2, FR__OPT_QUIET = 4, FR__OPT_TRACE = 8 };
unsigned fr__options(void);

/* Print the report of the default handler to stderr. */
void fr__report_print(const fr_violation *v, const fr__report *rep);

/* Register the at-exit leak check (once). */
void fr__leaks_arm(void);

/* valgrind client requests, or nothing. */
#if defined(FR_HAVE_VALGRIND) && !defined(NVALGRIND)
#include <valgrind/memcheck.h>
#define FR__VG_NOACCESS(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define FR__VG_UNDEFINED(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#else
#define FR__VG_NOACCESS(p, n) ((void)(p), (void)(n))
#define FR__VG_UNDEFINED(p, n) ((void)(p), (void)(n))
#endif

#endif /* FERRUM_OWNER_INTERNAL_H */
