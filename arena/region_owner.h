/* arena/region_owner.h — private hook between regions and the owner layer. */
#pragma once
#include <ferrum/region.h>
typedef struct fr__region_owner_hooks {
    /* Called at the start of fr_region_destroy(r) for r and then each descendant, before anything is
       freed. Return false to refuse the whole destruction (the owner layer has reported
       FR_V_REGION_OUTLIVED); destroy then does nothing. */
    bool (*may_destroy)(fr_region *r);
    /* Called while destroying r (children already destroyed), before r's deferred functions run and
       before its memory is released: the owner layer drops the handles r owns. */
    void (*destroying)(fr_region *r);
} fr__region_owner_hooks;
void fr__region_set_owner_hooks(const fr__region_owner_hooks *h); /* NULL: none */
void *fr__region_owner_data(fr_region *r);
void fr__region_set_owner_data(fr_region *r, void *data);
fr_region *fr__allocator_region(fr_allocator a);  /* the region behind fr_region_allocator(r), else NULL */

/* Arenas and slab caches have no owner-data word: the owner layer keeps its own map from an
   allocator's context to its handles (owner/scope.c) and installs this hook the first time a
   handle is made over an arena or a slab.  fr_arena_destroy, fr_arena_reset (and a rewind to the
   empty mark) and fr_slab_destroy call fr__scope_ending(ctx, "their name") before releasing
   anything: the owner layer drops the handles ctx owns, or reports FR_V_REGION_OUTLIVED and
   returns false when one is borrowed, and the caller then does nothing. */
typedef bool (*fr__scope_hook_fn)(void *ctx, const char *fn);
extern fr__scope_hook_fn fr__scope_hook;
static inline bool fr__scope_ending(void *ctx, const char *fn)
{
    fr__scope_hook_fn h = __atomic_load_n(&fr__scope_hook, __ATOMIC_ACQUIRE);
    return !h || h(ctx, fn);
}
