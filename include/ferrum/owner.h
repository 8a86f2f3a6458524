/*
 * ferrum/owner.h — owned handles, moves and runtime-checked borrows.
 *
 * Rust's Box and RefCell rules enforced at run time in C.  An fr_handle is an
 * index plus a generation into a handle table; every copy of a handle goes
 * stale at once when the object is dropped.  Violations go to the handler
 * set by fr_set_violation_handler(); when a handler returns, the offending
 * operation has no effect and fails safely (a borrow returns NULL, a move
 * returns the null handle, a drop or release does nothing).
 *
 * The rules (those of Box and RefCell):
 *   - fr_own_new() makes a zeroed object owned by the returned handle;
 *   - fr_move(&h) hands ownership on: h is "moved from" and every later use
 *     of h is a use-after-move (copies made before the move stay usable:
 *     they name the same object, like a raw pointer would);
 *   - any number of shared borrows (fr_borrow) or exactly one exclusive
 *     borrow (fr_borrow_mut) at a time; fr_release() ends the most recent
 *     borrow of the handle;
 *   - fr_drop() runs the drop function, frees the object through the
 *     allocator it came from and makes every copy of the handle stale;
 *     dropping the null handle does nothing (like free(NULL)), and so does
 *     dropping a moved-from handle (its value belongs to the handle it was
 *     moved to, as Rust's drop flags say): a drop function can drop every
 *     handle field, moved out or not;
 *   - moving or dropping a borrowed value is refused;
 *   - handles made over fr_region_allocator(r) are dropped when r is
 *     destroyed; destroying r while one of them is borrowed is refused.
 *
 * Typed handles: FR_OWN_TYPE(point_own, struct point); defines the type
 * point_own and point_own_new / _move / _borrow / _borrow_mut / _release /
 * _drop / _is_live / _handle, so a point_own cannot be passed where another
 * handle type is expected.  For a type that holds handles of its own type
 * (tree nodes), FR_OWN_DECLARE before the struct and FR_OWN_DEFINE after.
 *
 * Limits (checked build): 2 Mi live handles (fr_own_new then fails with
 * ENOMEM); 2^31 reuses of a slot before it is retired.  Handles are not
 * forgeable by accident (a random 64-bit value is reported as "not a handle
 * made by fr_own_new") but the checks are for finding bugs, not a security
 * boundary.
 *
 * Scoped borrows: FR_WITH_BORROW(h, p) { ... } and FR_WITH_BORROW_MUT(h, p)
 * { ... } declare p (const T * / T *, or const void * / void * for a plain
 * fr_handle), run the block when the borrow succeeded, and release at the
 * closing brace, also on break, return or goto out of the block (GCC/Clang
 * cleanup attribute).  The block is the body of a loop inside the macro:
 * `break` and `continue` in it leave the block, not an enclosing loop.
 * When the borrow is refused (and the handler returns), the block is
 * skipped.
 *
 * Unchecked build: compiled with FR_UNCHECKED defined to non-zero (or the
 * meson option -Downer_checks=false), the whole API is static inline here
 * and a handle holds the object pointer itself: a borrow is a cast, a
 * release nothing; a typed handle is a plain T *, so code written with
 * typed handles compiles to the code of raw pointers.  fr_own_new and
 * fr_drop stay calls: a small header in front of each object (on the side
 * when the allocator serves fixed-size objects, as a slab cache made for
 * sizeof(T) does) remembers its allocator, size and drop function.  Handles
 * over a region are dropped at fr_region_destroy as in the checked build;
 * handles over an arena or a slab cache are not dropped when it is reset or
 * destroyed (their memory goes with it).
 *
 * Run-time options (checked build), FERRUM_OWNER="opt,opt,...":
 *   warn     the default handler reports and continues instead of aborting
 *   noleaks  do not report handles still live at exit
 *   quiet    the default handler prints nothing (violations still fail safely)
 *   trace    record the whole backtrace of every move (default: its call site)
 * Reports name functions best in programs built with -fno-omit-frame-pointer
 * -fno-optimize-sibling-calls and linked with -rdynamic.
 */
#ifndef FERRUM_OWNER_H
#define FERRUM_OWNER_H

#include <ferrum/allocator.h>

#ifdef __cplusplus
extern "C" {
#endif

/* index + generation; {0} is null.  The other union members only carry
 * the pointee type for FR_WITH_BORROW (typed handles give them T). */
typedef struct fr_handle {
    union {
        uint64_t bits;
        void *fr__type;
        const void *fr__ctype;
    };
} fr_handle;
typedef void (*fr_drop_fn)(void *obj);

typedef enum fr_violation_kind {
    FR_V_USE_AFTER_FREE, FR_V_USE_AFTER_MOVE, FR_V_DOUBLE_DROP, FR_V_BORROW_CONFLICT,
    FR_V_DROP_WHILE_BORROWED, FR_V_RELEASE_UNBORROWED, FR_V_REGION_OUTLIVED, FR_V_LEAK
} fr_violation_kind;

typedef struct fr_violation {
    fr_violation_kind kind;
    fr_handle handle;
    const char *message;
} fr_violation;

typedef void (*fr_violation_fn)(const fr_violation *v, void *ctx);
FR_API void fr_set_violation_handler(fr_violation_fn fn, void *ctx); /* NULL: the default */
FR_API const char *fr_violation_name(fr_violation_kind kind);        /* "use-after-move", ... */

#define FR__SLOTS_MAX (1u << 21) /* checked build: live handles at most (2 Mi) */

/* fr_own_new's alignment for an object of `size` bytes, in both builds: the
 * largest power of two up to 16 that divides it.  Not API. */
static inline size_t fr__align_for(size_t size)
{
    size_t a = 16;
    while (a > 1 && (size & (a - 1))) a >>= 1;
    return a;
}
/* An allocator refused an object of `size` bytes at alignment `align`:
 * retry at a pointer's alignment?  Only for the alignment fr_own_new
 * guessed from the size (a slab of 8-aligned 16-byte objects), never for a
 * typed handle's stricter _Alignof(T).  Not API. */
static inline bool fr__align_fallback(size_t size, size_t align)
{
    return align > sizeof(void *) && !(size & (sizeof(void *) - 1)) && align == fr__align_for(size ? size : 1);
}

/* Unchecked build's fr_own_new / fr_drop (owner/unchecked.c): in the
 * library whichever way it was built.  Not API.  The header in front of an
 * object (or on the side, flags & 1), and the region allocator's alloc
 * function (a handle over a region is dropped by its destroy: out of line). */
typedef struct fr__uhdr {
    fr_allocator al;
    size_t size;     /* bytes allocated from al (header included when in front) */
    fr_drop_fn drop;
    uint32_t off;    /* object - start of the block */
    uint32_t flags;
} fr__uhdr;
FR_API extern void *(*const fr__region_alloc_fn)(void *ctx, size_t size, size_t align);
FR_API void *fr__unchecked_new(fr_allocator al, size_t size, size_t align, fr_drop_fn drop);
FR_API void fr__unchecked_drop(void *obj);

#if !defined(FR_UNCHECKED) || !FR_UNCHECKED

/* ---- Checked build: the handle table in owner/ ---- */

FR_API fr_handle fr_own_new(fr_allocator al, size_t size, fr_drop_fn drop); /* zeroed object */
FR_API fr_handle fr_move(fr_handle *src);      /* returns the handle; *src is now "moved from" */
FR_API void fr_drop(fr_handle *h);             /* runs drop, frees, invalidates every copy of h */
/* fr_is_live(h): live object, and h is not moved from (inline below). */
/* fr_own_new with an explicit alignment (typed handles pass _Alignof(T)). */
FR_API fr_handle fr__own_new_aligned(fr_allocator al, size_t size, size_t align, fr_drop_fn drop);

/* Borrows and releases are inline: one load and one compare-and-swap of
 * the slot's state word on the fast path, everything else out of line.
 * The slot layout and state encoding are described in owner/internal.h;
 * nothing here is API. */
/* Always inlined, also at -O0: the borrow site they record is the return
 * address of the function that borrows (the report names that function
 * by decoding the call just before it). */
#if defined(__GNUC__)
#define FR__INLINE static inline __attribute__((always_inline))
#else
#define FR__INLINE static inline
#endif
#define FR__SITE __builtin_return_address(0)

struct fr__slot {
    uint64_t state;   /* generation << 32 | borrow word (1: free, 1+n: n shared, ~0: exclusive) */
    void *obj;
    const void *site; /* code address of the last borrow */
    uint32_t next_free, fr__unused;
};
/* The slot array (a constant pointer: the compiler computes a handle's
 * slot address once, however many borrows follow). */
FR_API extern struct fr__slot *const fr__slots;
FR_API const void *fr__borrow_slow(fr_handle h);
FR_API void *fr__borrow_mut_slow(fr_handle h);
FR_API void fr__release_slow(fr_handle h);

FR__INLINE struct fr__slot *fr__slot_at(uint64_t bits)
{
    return &fr__slots[bits & (FR__SLOTS_MAX - 1u)];
}


/* One subtraction checks the generation and the borrow word at once:
 * st - (gen << 32 | lo) is below (hi - lo) exactly when the generations
 * match (and the handle is not moved from) and lo <= b < hi. */
FR__INLINE const void *fr__borrow_at(fr_handle h, const void *site)
{
    struct fr__slot *s = fr__slot_at(h.bits);
    uint64_t st = __atomic_load_n(&s->state, __ATOMIC_RELAXED);
    uint64_t base = (h.bits & ~(uint64_t)0xffffffffu) | 1u;
    if (__builtin_expect(st - base < 0x7ffffffeu, 1) &&
        __builtin_expect(__atomic_compare_exchange_n(&s->state, &st, st + 1, 1, __ATOMIC_ACQUIRE,
                                                     __ATOMIC_RELAXED), 1)) {
        __atomic_store_n(&s->site, site, __ATOMIC_RELAXED);
        return s->obj;
    }
    return fr__borrow_slow(h);
}

FR__INLINE void *fr__borrow_mut_at(fr_handle h, const void *site)
{
    struct fr__slot *s = fr__slot_at(h.bits);
    uint64_t want = (h.bits & ~(uint64_t)0xffffffffu) | 1u;
    if (__builtin_expect(__atomic_compare_exchange_n(&s->state, &want, want | 0xffffffffu, 0,
                                                     __ATOMIC_ACQUIRE, __ATOMIC_RELAXED), 1)) {
        __atomic_store_n(&s->site, site, __ATOMIC_RELAXED);
        return s->obj;
    }
    return fr__borrow_mut_slow(h);
}

FR__INLINE void fr__release_at(fr_handle h)
{
    struct fr__slot *s = fr__slot_at(h.bits);
    uint64_t st = __atomic_load_n(&s->state, __ATOMIC_RELAXED);
    uint64_t hgen = h.bits & ~(uint64_t)0xffffffffu;
    if (__builtin_expect(st - (hgen | 2u) < 0x7ffffffeu, 1)) { /* shared: one fewer */
        if (__builtin_expect(__atomic_compare_exchange_n(&s->state, &st, st - 1, 1,
                                                         __ATOMIC_RELEASE, __ATOMIC_RELAXED), 1))
            return;
    } else if (st == (hgen | 0xffffffffu)) { /* the exclusive borrow ends */
        if (__builtin_expect(__atomic_compare_exchange_n(&s->state, &st, hgen | 1u, 1,
                                                         __ATOMIC_RELEASE, __ATOMIC_RELAXED), 1))
            return;
    }
    fr__release_slow(h);
}

/* Live object of this generation (a moved-from handle has bit 63 set and
 * never matches; the null handle and unused slots have b == 0). */
FR__INLINE bool fr__is_live_at(fr_handle h)
{
    uint64_t st = __atomic_load_n(&fr__slot_at(h.bits)->state, __ATOMIC_ACQUIRE);
    return ((st ^ h.bits) >> 32) == 0 && (uint32_t)st != 0 &&
           ((uint32_t)h.bits & ~(FR__SLOTS_MAX - 1u)) == 0;
}

#ifdef FERRUM_BUILDING
/* The library exports them as functions too (for callers that do not use
 * this header's inline versions). */
FR_API const void *fr_borrow(fr_handle h);
FR_API void *fr_borrow_mut(fr_handle h);
FR_API void fr_release(fr_handle h);
FR_API bool fr_is_live(fr_handle h);
#else
/* shared borrow: count += 1 */
FR__INLINE const void *fr_borrow(fr_handle h) { return fr__borrow_at(h, FR__SITE); }
/* exclusive: only when no other borrow is live */
FR__INLINE void *fr_borrow_mut(fr_handle h) { return fr__borrow_mut_at(h, FR__SITE); }
/* ends the most recent borrow of h */
FR__INLINE void fr_release(fr_handle h) { fr__release_at(h); }
/* live object, and h is not moved from */
FR__INLINE bool fr_is_live(fr_handle h) { return fr__is_live_at(h); }
#endif

#define FR_CHECKED 1

#else

/* ---- Unchecked build: plain pointer operations ---- */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define FR_CHECKED 0

/* fr_own_new and fr_drop are calls (owner/unchecked.c): a small header in
 * front of the object, or on the side for allocators of fixed-size objects,
 * keeps its allocator, size and drop function; a handle over a region is
 * dropped at fr_region_destroy as in the checked build. */
static inline fr_handle fr__own_new_aligned(fr_allocator al, size_t size, size_t align,
                                            fr_drop_fn drop)
{
    fr_handle h = {{0}};
    /* Inline: the header in front, for alignments up to 16 and allocators
     * other than a region's when there is a drop function. */
    if (align && align <= 16 && !(align & (align - 1)) && size <= (SIZE_MAX >> 1) && al.alloc &&
        (!drop || al.alloc != fr__region_alloc_fn)) {
        unsigned char *base = (unsigned char *)al.alloc(al.ctx, sizeof(fr__uhdr) + size, 16);
        if (base) {
            fr__uhdr *hd = (fr__uhdr *)base;
            hd->al = al;
            hd->size = sizeof(fr__uhdr) + size;
            hd->drop = drop;
            hd->off = sizeof(fr__uhdr);
            hd->flags = 0;
            memset(base + sizeof(fr__uhdr), 0, size);
            h.bits = (uint64_t)(uintptr_t)(base + sizeof(fr__uhdr));
            return h;
        }
    }
    h.bits = (uint64_t)(uintptr_t)fr__unchecked_new(al, size, align, drop);
    return h;
}
static inline fr_handle fr_own_new(fr_allocator al, size_t size, fr_drop_fn drop)
{
    return fr__own_new_aligned(al, size, fr__align_for(size ? size : 1), drop);
}
static inline fr_handle fr_move(fr_handle *src)
{
    fr_handle h = {{0}};
    if (!src) { /* as the checked build (a test the compiler drops for &h) */
        errno = EINVAL;
        return h;
    }
    h = *src;
    src->bits = 0;
    return h;
}
static inline const void *fr_borrow(fr_handle h) { return (const void *)(uintptr_t)h.bits; }
static inline void *fr_borrow_mut(fr_handle h) { return (void *)(uintptr_t)h.bits; }
static inline void fr_release(fr_handle h) { (void)h; }
static inline void fr_drop(fr_handle *h)
{
    if (!h || !h->bits) return;
    fr__unchecked_drop((void *)(uintptr_t)h->bits);
    h->bits = 0;
}
static inline bool fr_is_live(fr_handle h) { return h.bits != 0; }

#endif /* FR_UNCHECKED */

/* ---- Typed handles ---- */

/* The accessors a file does not call are not worth a warning (clang's
 * -Wunused-function warns about static inline functions a macro expanded
 * into a .c file). */
#if defined(__GNUC__)
#define FR__ACCESSOR static inline __attribute__((unused))
#else
#define FR__ACCESSOR static inline
#endif

/* FR_OWN_TYPE(name, T);  defines `name`, a handle to a T, and its typed
 * accessors.  The drop function still takes a void * (the object).
 * For a T that holds handles of its own type (a tree node), declare the
 * handle type first and define the accessors once T is complete:
 *     struct node;
 *     FR_OWN_DECLARE(node_own, struct node);
 *     struct node { long key; node_own left, right; };
 *     FR_OWN_DEFINE(node_own, struct node);                                  */
#if FR_CHECKED

#define FR_OWN_TYPE(name, T) FR_OWN_DECLARE(name, T); FR_OWN_DEFINE(name, T)

#define FR_OWN_DECLARE(name, T)                                                          \
    struct name {                                                                        \
        union {                                                                          \
            uint64_t bits;                                                               \
            T *fr__type;                                                                 \
            const T *fr__ctype;                                                          \
        };                                                                               \
    };                                                                                   \
    typedef struct name name

#define FR_OWN_DEFINE(name, T)                                                           \
    FR__ACCESSOR fr_handle name##_handle(struct name h)                                 \
    {                                                                                    \
        fr_handle u = {{h.bits}};                                                        \
        return u;                                                                        \
    }                                                                                    \
    FR__ACCESSOR struct name name##_new(fr_allocator al, fr_drop_fn drop)               \
    {                                                                                    \
        struct name t;                                                                   \
        t.bits = fr__own_new_aligned(al, sizeof(T), _Alignof(T), drop).bits;             \
        return t;                                                                        \
    }                                                                                    \
    FR__ACCESSOR struct name name##_move(struct name *src)                              \
    {                                                                                    \
        struct name t;                                                                   \
        if (!src) {                                                                      \
            t.bits = fr_move((fr_handle *)0).bits;                                       \
            return t;                                                                    \
        }                                                                                \
        fr_handle u = {{src->bits}};                                                     \
        t.bits = fr_move(&u).bits;                                                       \
        src->bits = u.bits;                                                              \
        return t;                                                                        \
    }                                                                                    \
    FR__ACCESSOR const T *name##_borrow(struct name h)                                  \
    {                                                                                    \
        return (const T *)fr_borrow(name##_handle(h));                                   \
    }                                                                                    \
    FR__ACCESSOR T *name##_borrow_mut(struct name h)                                    \
    {                                                                                    \
        return (T *)fr_borrow_mut(name##_handle(h));                                     \
    }                                                                                    \
    FR__ACCESSOR void name##_release(struct name h) { fr_release(name##_handle(h)); }  \
    FR__ACCESSOR void name##_drop(struct name *h)                                       \
    {                                                                                    \
        if (!h)                                                                          \
            return;                                                                      \
        fr_handle u = {{h->bits}};                                                       \
        fr_drop(&u);                                                                     \
        h->bits = u.bits;                                                                \
    }                                                                                    \
    FR__ACCESSOR bool name##_is_live(struct name h) { return fr_is_live(name##_handle(h)); } \
    typedef struct name name

#else

#define FR_OWN_TYPE(name, T) FR_OWN_DECLARE(name, T); FR_OWN_DEFINE(name, T)

/* Unchecked build: a typed handle is the object pointer itself, so code
 * through typed handles compiles to exactly the code of raw pointers. */
#define FR_OWN_DECLARE(name, T) typedef T *name

#define FR_OWN_DEFINE(name, T)                                                           \
    FR__ACCESSOR fr_handle name##_handle(name h)                                        \
    {                                                                                    \
        fr_handle u = {{(uint64_t)(uintptr_t)h}};                                        \
        return u;                                                                        \
    }                                                                                    \
    FR__ACCESSOR name name##_new(fr_allocator al, fr_drop_fn drop)                      \
    {                                                                                    \
        return (name)(uintptr_t)fr__own_new_aligned(al, sizeof(T), _Alignof(T), drop).bits; \
    }                                                                                    \
    FR__ACCESSOR name name##_move(name *src)                                            \
    {                                                                                    \
        if (!src) {                                                                      \
            errno = EINVAL;                                                              \
            return (name)0;                                                              \
        }                                                                                \
        name t = *src;                                                                   \
        *src = (name)0;                                                                  \
        return t;                                                                        \
    }                                                                                    \
    FR__ACCESSOR const T *name##_borrow(name h) { return h; }                          \
    FR__ACCESSOR T *name##_borrow_mut(name h) { return h; }                            \
    FR__ACCESSOR void name##_release(name h) { (void)h; }                              \
    FR__ACCESSOR void name##_drop(name *h)                                              \
    {                                                                                    \
        if (!h)                                                                          \
            return;                                                                      \
        fr_handle u = name##_handle(*h);                                                 \
        fr_drop(&u);                                                                     \
        *h = (name)0;                                                                    \
    }                                                                                    \
    FR__ACCESSOR bool name##_is_live(name h) { return h != (name)0; }                  \
    typedef T *name

#endif

/* ---- Scoped borrows ---- */

struct fr__scope {
    uint64_t bits;
    const void *ptr; /* NULL: the borrow failed (and is not released) */
};
static inline struct fr__scope fr__scope_begin(uint64_t bits, int mut)
{
    struct fr__scope s;
    fr_handle h = {{bits}};
    s.bits = bits;
    s.ptr = mut ? fr_borrow_mut(h) : fr_borrow(h);
    return s;
}
static inline void fr__scope_end(struct fr__scope *s)
{
    if (s->ptr) {
        fr_handle h = {{s->bits}};
        fr_release(h);
    }
}

#define FR__CAT2(a, b) a##b
#define FR__CAT(a, b) FR__CAT2(a, b)
#define FR__SC FR__CAT(fr__scope_, __LINE__)
#define FR__ONCE FR__CAT(fr__once_, __LINE__)

#if FR_CHECKED
#define FR__WITH(h, p, mut, ptrtype)                                                       \
    for (struct fr__scope FR__SC __attribute__((cleanup(fr__scope_end))) =                 \
             fr__scope_begin((h).bits, mut),                                               \
             *FR__ONCE = &FR__SC;                                                          \
         FR__ONCE; FR__ONCE = NULL)                                                        \
        for (ptrtype p = (ptrtype)(uintptr_t)FR__SC.ptr; FR__ONCE && p; FR__ONCE = NULL)

#else
/* Unchecked: h is a typed handle (the pointer) or an fr_handle (its bits). */
static inline void *fr__uc_of_handle(fr_handle h) { return (void *)(uintptr_t)h.bits; }
static inline void *fr__uc_of_ptr(const void *p) { return (void *)(uintptr_t)p; }
#define FR__UC_PTR(h) _Generic((h), fr_handle: fr__uc_of_handle, default: fr__uc_of_ptr)(h)
#define FR__UC_TYPE(h) __typeof__(_Generic((h), fr_handle: (void *)0, default: (h)))
#define FR__WITH(h, p, mut, ptrtype)                                                       \
    for (int FR__ONCE = 1; FR__ONCE; FR__ONCE = 0)                                         \
        for (ptrtype p = (ptrtype)FR__UC_PTR(h); FR__ONCE && p; FR__ONCE = 0)

#endif

/* FR_WITH_BORROW(h, p) { ... }: p is a shared borrow of h inside the block. */
#if FR_CHECKED
#define FR_WITH_BORROW(h, p) FR__WITH(h, p, 0, __typeof__((h).fr__ctype))
/* FR_WITH_BORROW_MUT(h, p) { ... }: p is the exclusive borrow of h. */
#define FR_WITH_BORROW_MUT(h, p) FR__WITH(h, p, 1, __typeof__((h).fr__type))
#else /* in the unchecked build p is never const-qualified */
#define FR_WITH_BORROW(h, p) FR__WITH(h, p, 0, FR__UC_TYPE(h))
#define FR_WITH_BORROW_MUT(h, p) FR__WITH(h, p, 1, FR__UC_TYPE(h))
#endif

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_OWNER_H */
