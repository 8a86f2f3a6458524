/*
 * alloc/track.h — private to alloc/: one set of macros that tell memory
 * checkers (valgrind memcheck) what the allocator hands out and takes back.
 *
 * The allocator calls fr_track_malloc / fr_track_free once per block; with
 * FR_HAVE_VALGRIND they become client requests (a few instructions when the
 * program does not run under valgrind), otherwise nothing.  They are only
 * reached on the slow paths: under valgrind the engine runs in "slow mode"
 * (see init.c), so the fast paths need no annotations at all.
 */
#ifndef FR_ALLOC_TRACK_H
#define FR_ALLOC_TRACK_H

#if defined(FR_HAVE_VALGRIND) && !defined(NVALGRIND)
#include <valgrind/valgrind.h>
#include <valgrind/memcheck.h>
#define fr_track_running() (RUNNING_ON_VALGRIND != 0)
#define fr_track_malloc(p, size, zero) VALGRIND_MALLOCLIKE_BLOCK((p), (size), 0, (zero))
#define fr_track_free(p) VALGRIND_FREELIKE_BLOCK((p), 0)
#define fr_track_resize(p, oldsz, newsz) VALGRIND_RESIZEINPLACE_BLOCK((p), (oldsz), (newsz), 0)
#define fr_track_defined(p, size) VALGRIND_MAKE_MEM_DEFINED((p), (size))
#define fr_track_undefined(p, size) VALGRIND_MAKE_MEM_UNDEFINED((p), (size))
#define fr_track_noaccess(p, size) VALGRIND_MAKE_MEM_NOACCESS((p), (size))
#else
#define fr_track_running() 0
#define fr_track_malloc(p, size, zero) ((void)(p), (void)(size), (void)(zero))
#define fr_track_free(p) ((void)(p))
#define fr_track_resize(p, oldsz, newsz) ((void)(p), (void)(oldsz), (void)(newsz))
#define fr_track_defined(p, size) ((void)(p), (void)(size))
#define fr_track_undefined(p, size) ((void)(p), (void)(size))
#define fr_track_noaccess(p, size) ((void)(p), (void)(size))
#endif

#endif /* FR_ALLOC_TRACK_H */
