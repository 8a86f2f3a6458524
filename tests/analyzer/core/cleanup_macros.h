/* Cleanup attributes spelled by macros of a header, in the styles of GLib
 * (g_autofree), systemd (_cleanup_free_) and a plain one (cleanup_*.c). */
#ifndef CLEANUP_MACROS_H
#define CLEANUP_MACROS_H
#include <stdlib.h>

static inline void cf(void *p) { free(*(void **)p); }
#define AUTO __attribute__((cleanup(cf)))

static inline void my_autoptr_cleanup_free(void *p) { free(*(void **)p); }
#define MY_CLEANUP(func) __attribute__((cleanup(func)))
#define my_autofree MY_CLEANUP(my_autoptr_cleanup_free)

static inline void freep(void *p) { free(*(void **)p); }
#define _cleanup_(x) __attribute__((cleanup(x)))
#define _cleanup_free_ _cleanup_(freep)

static inline void note_only(void *p) { (void)p; }
#define NOTED __attribute__((cleanup(note_only)))
#endif
