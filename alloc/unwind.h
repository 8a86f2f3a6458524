/*
 * alloc/unwind.h — libunwind, opened with RTLD_LOCAL instead of linked, for
 * every report of ferrum that shows a backtrace (alloc/report.c,
 * arena/report.c, owner/trace.c).
 *
 * Linked, libunwind.so.8 enters the global scope of the program, and its
 * _Unwind_* functions then take the place of libgcc_s's for the C++ code
 * the program uses: a C program preloading libferrum-malloc.so or linking
 * libferrum.so ran C++ exceptions and thread cancellation through another
 * unwinder (a cancelled C++ thread ran no destructors and the program hung
 * on its lock_guard; exceptions 10x slower: QA11 A5, QA12 V1).
 */
#ifndef FERRUM_ALLOC_UNWIND_H
#define FERRUM_ALLOC_UNWIND_H

#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <stdbool.h>
#include <stdint.h>

struct fr_unw {
    int (*getcontext)(unw_context_t *);
    int (*init_local)(unw_cursor_t *, unw_context_t *);
    int (*step)(unw_cursor_t *);
    int (*get_reg)(unw_cursor_t *, unw_regnum_t, unw_word_t *);
    int (*set_reg)(unw_cursor_t *, unw_regnum_t, unw_word_t);
    int (*get_proc_name)(unw_cursor_t *, char *, size_t, unw_word_t *);
    int (*backtrace)(void **, int);
};

/* The functions, or NULL when libunwind could not be opened.  Opened by the
 * first call (dlopen allocates: a report calls fr__heap_for_report first). */
__attribute__((visibility("hidden"))) const struct fr_unw *fr__unw(void);
/* Inside that dlopen now (a report raised by its malloc says so). */
__attribute__((visibility("hidden"))) bool fr__unw_opening(void);
/* Whether name+off (libunwind's or dladdr's) really names the function
 * holding ip, by the exported symbol's size (false: print it unnamed). */
__attribute__((visibility("hidden"))) bool fr__unw_name_covers(uintptr_t ip, const char *name, unsigned long off);
/* ferrum's own shared object's load address (NULL when linked into the
 * program), and whether ip lies in the module loaded at base. */
__attribute__((visibility("hidden"))) const void *fr__unw_own_base(void);
__attribute__((visibility("hidden"))) bool fr__unw_in_module(const void *base, uintptr_t ip);
/* Opened already (or tried and failed): fr__unw() will not dlopen. */
__attribute__((visibility("hidden"))) bool fr__unw_opened(void);

#endif
