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
 * (The owner component completes this header: typed handles, scoped
 * borrows and the FR_UNCHECKED build.)
 */
#ifndef FERRUM_OWNER_H
#define FERRUM_OWNER_H

#include <ferrum/allocator.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_handle { uint64_t bits; } fr_handle; /* index + generation; {0} is null */
typedef void (*fr_drop_fn)(void *obj);

FR_API fr_handle fr_own_new(fr_allocator al, size_t size, fr_drop_fn drop); /* zeroed object */
FR_API fr_handle fr_move(fr_handle *src);      /* returns the handle; *src is now "moved from" */
FR_API const void *fr_borrow(fr_handle h);     /* shared borrow: count += 1 */
FR_API void *fr_borrow_mut(fr_handle h);       /* exclusive: only when no other borrow is live */
FR_API void fr_release(fr_handle h);           /* ends the most recent borrow of h */
FR_API void fr_drop(fr_handle *h);             /* runs drop, frees, invalidates every copy of h */
FR_API bool fr_is_live(fr_handle h);

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

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_OWNER_H */
