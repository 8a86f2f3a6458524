/*
 * ferrum/arena.h — arena (bump) allocation.
 *
 * An arena hands out memory by bumping a pointer through chunks that grow
 * geometrically; objects are not freed one by one: rewind to a saved mark,
 * reset, or destroy the arena.
 */
#ifndef FERRUM_ARENA_H
#define FERRUM_ARENA_H

#include <ferrum/allocator.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_arena fr_arena;
typedef struct fr_arena_mark { void *chunk; size_t used; } fr_arena_mark;

FR_API fr_arena *fr_arena_create(size_t chunk_size /* 0: default */);
FR_API void *fr_arena_alloc(fr_arena *a, size_t size);
FR_API void *fr_arena_alloc_aligned(fr_arena *a, size_t size, size_t align);
FR_API fr_arena_mark fr_arena_save(fr_arena *a);
FR_API void fr_arena_rewind(fr_arena *a, fr_arena_mark mark);
FR_API void fr_arena_reset(fr_arena *a);
FR_API void fr_arena_destroy(fr_arena *a);
FR_API fr_allocator fr_arena_allocator(fr_arena *a);

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_ARENA_H */
