/*
 * arena/arena_impl.h — the arena's representation, shared with region.c.
 *
 * This file is private to the arena component.  A region embeds an arena (its
 * allocation state), so the struct and an init/fini pair that do not allocate
 * the struct itself are shared here.
 *
 * Chunks form a list, newest first.  Each chunk has a serial number; a chunk
 * made for one object larger than the growth size (a "dedicated" chunk) is
 * inserted behind the current chunk, so the current chunk stays in use; its
 * serial is still newer, which is how rewind knows to free it.
 *
 * The header's last word is a check word (the chunk's address, mixed): every
 * walk over the chunks verifies it, so a write before an object that smashed
 * a header ends in a clear abort instead of a crash in fr_arena_destroy.
 * Under valgrind/ASan the first object of a chunk also starts a red zone
 * after the header, which is no-access: a write just before it is reported
 * at the write.
 */
#ifndef FERRUM_ARENA_IMPL_H
#define FERRUM_ARENA_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ferrum/arena.h>

struct fr__arena_chunk {
    struct fr__arena_chunk *prev; /* older chunk */
    size_t size;                  /* bytes of the whole block, header included */
    uint64_t serial;
    unsigned char *limit;         /* 16-aligned end of the usable bytes */
    bool dedicated;
    uint64_t check;               /* chunk address ^ FR_CHUNK_CHECK: last, so that a write
                                     before the first object smashes it first */
    _Alignas(16) unsigned char data[];
};
#define FR_CHUNK_CHECK ((uint64_t)0x636b6e7568436146) /* "FaChunkc" */

/* head.cur: newest chunk, NULL when empty; head.serial: chunks opened;
 * head.tracked: valgrind/ASan, every object via the slow path. */
struct fr_arena {
    struct fr__arena_head head;   /* must stay first: the inline fast paths */
    unsigned char *limit;         /* real end of the current chunk */
    struct fr__arena_chunk *spare; /* one empty chunk kept for reuse */
    size_t next_size;             /* size of the next normal chunk */
    size_t first_size;
    uint64_t magic;               /* FR_ARENA_LIVE from init to fini, then FR_ARENA_DEAD */
};
#define FR_ARENA_LIVE ((uint64_t)0x66657272756d4172) /* "rAmurref" */
#define FR_ARENA_DEAD ((uint64_t)0x6465616441726e61)
_Static_assert(offsetof(struct fr__arena_chunk, data) == FR__ARENA_CHUNK_DATA, "arena.h: chunk data offset");

__attribute__((visibility("hidden"))) void fr__arena_init(struct fr_arena *a, size_t chunk_size);
__attribute__((visibility("hidden"))) void fr__arena_fini(struct fr_arena *a);
/* valgrind/ASan: mark an object given back through an fr_allocator. */
__attribute__((visibility("hidden"))) void fr__arena_forget(struct fr_arena *a, void *p, size_t size);

#define FR_ARENA_DEFAULT_CHUNK ((size_t)4096)
#define FR_ARENA_MAX_CHUNK ((size_t)64 << 20)
#define FR_ARENA_MAX_FIRST ((size_t)1 << 30)
#define FR_ARENA_MAX_OBJECT ((size_t)1 << 40)

#endif /* FERRUM_ARENA_IMPL_H */
