/*
 * alloc/unwind.c — opens libunwind with RTLD_LOCAL and hands out its
 * functions (see unwind.h for why it is not linked).
 *
 * How: a constructor dlopens libunwind.so.8 (or libunwind.so) with
 * RTLD_NOW | RTLD_LOCAL and looks up the local-only functions under the
 * names libunwind.h's macros give them (_ULx86_64_step, ...).  A caller
 * that comes before the constructor (a report from the constructor of a
 * library initialized earlier) opens it then.  The allocations of the load
 * are marked as ferrum's own for the stats=1 summary (alloc only).
 */
#include "unwind.h"

#include <dlfcn.h>
#include <stddef.h>

/* alloc/stats.c's, weak: arena's ASan test links this file without the
 * allocator */
__attribute__((weak, visibility("hidden"))) void fr__stats_mark_start(void);

#define FR_STR2(x) #x
#define FR_STR(x) FR_STR2(x)

static struct fr_unw uw;
static bool uw_ok, uw_tried, uw_opening;

__attribute__((constructor)) static void fr_unw_open(void)
{
    if (uw_tried) return;
    uw_tried = uw_opening = true;
    void *h = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libunwind.so", RTLD_NOW | RTLD_LOCAL);
    uw_opening = false;
    if (fr__stats_mark_start) fr__stats_mark_start(); /* what the summary owes to this load */
    if (!h) return;
    uw.getcontext = (int (*)(unw_context_t *))dlsym(h, FR_STR(unw_tdep_getcontext));
    uw.init_local = (int (*)(unw_cursor_t *, unw_context_t *))dlsym(h, FR_STR(unw_init_local));
    uw.step = (int (*)(unw_cursor_t *))dlsym(h, FR_STR(unw_step));
    uw.get_reg = (int (*)(unw_cursor_t *, unw_regnum_t, unw_word_t *))dlsym(h, FR_STR(unw_get_reg));
    uw.set_reg = (int (*)(unw_cursor_t *, unw_regnum_t, unw_word_t))dlsym(h, FR_STR(unw_set_reg));
    uw.get_proc_name = (int (*)(unw_cursor_t *, char *, size_t, unw_word_t *))dlsym(h, FR_STR(unw_get_proc_name));
    uw.backtrace = (int (*)(void **, int))dlsym(h, FR_STR(unw_backtrace));
    uw_ok = uw.getcontext && uw.init_local && uw.step && uw.get_reg && uw.set_reg && uw.get_proc_name &&
            uw.backtrace;
}

const struct fr_unw *fr__unw(void)
{
    if (!uw_tried) fr_unw_open();
    return uw_ok ? &uw : NULL;
}

bool fr__unw_opening(void)
{
    return uw_opening;
}
