/*
 * alloc/unwind.c — opens libunwind with RTLD_LOCAL and hands out its
 * functions (see unwind.h for why it is not linked).
 *
 * How: the first caller (a report, or the owner layer's first trace)
 * dlopens libunwind.so.8 (or libunwind.so) with RTLD_NOW | RTLD_LOCAL and
 * looks up the local-only functions under the names libunwind.h's macros
 * give them (_ULx86_64_step, ...).  Not at start: a constructor that did so
 * cost every exec of a program under LD_PRELOAD about 0.25 ms (a third of
 * /bin/true's start-up, QA12 R5) and left its blocks "still reachable"
 * under valgrind, for reports that most programs never make.  A report
 * about a damaged heap loads it on fresh pages (alloc/heap.c,
 * fr__heap_for_report).  One caller opens it; one that comes while another
 * thread is opening it waits.
 */
#include "unwind.h"

#include <dlfcn.h>
#include <link.h>
#include <sched.h>
#include <string.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/auxv.h>

#define FR_STR2(x) #x
#define FR_STR(x) FR_STR2(x)

static struct fr_unw uw;
static bool uw_ok;
static _Atomic int uw_state; /* 0 not opened, 1 being opened, 2 done (uw_ok says how) */

static void unw_open(void)
{
    void *h = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libunwind.so", RTLD_NOW | RTLD_LOCAL);
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
    int st = atomic_load_explicit(&uw_state, memory_order_acquire);
    if (st != 2) {
        int expect = 0;
        if (atomic_compare_exchange_strong(&uw_state, &expect, 1)) {
            unw_open();
            atomic_store_explicit(&uw_state, 2, memory_order_release);
        } else {
            while (atomic_load_explicit(&uw_state, memory_order_acquire) != 2) sched_yield();
        }
    }
    return uw_ok ? &uw : NULL;
}

bool fr__unw_opening(void)
{
    return atomic_load_explicit(&uw_state, memory_order_relaxed) == 1;
}

bool fr__unw_opened(void)
{
    return atomic_load_explicit(&uw_state, memory_order_acquire) == 2;
}

/* In a library without its symbol table (Debian's libc) libunwind and dladdr
 * only know the exported symbols, and name a static function after the
 * exported one before it (start_thread as pthread_condattr_setpshared+0x515,
 * __libc_start_call_main as __libc_init_first+0x8a): when that symbol's own
 * size ends before ip, the name is not ip's function (QA5 S19). */
bool fr__unw_name_covers(uintptr_t ip, const char *name, unsigned long off)
{
    Dl_info di;
    const ElfW(Sym) *sym = NULL;
    void *start = (void *)(ip - off);
    if (!off || !dladdr1(start, &di, (void **)&sym, RTLD_DL_SYMENT) || !di.dli_sname || !sym ||
        di.dli_saddr != start || strcmp(di.dli_sname, name))
        return true; /* named from a full symbol table, or nothing to compare */
    return sym->st_size == 0 || off <= sym->st_size;
}

/* The load address of ferrum's own shared object (libferrum-malloc.so or
 * libferrum.so), or NULL when it is linked into the program itself: the
 * reports skip the frames in it whatever their names (static helpers
 * included).  The executable is found from its program headers (dlsym may
 * allocate). */
const void *fr__unw_own_base(void)
{
    Dl_info self, prog;
    if (!dladdr((void *)(uintptr_t)&fr__unw_own_base, &self) || !self.dli_fbase) return NULL;
    void *phdr = (void *)getauxval(AT_PHDR);
    if (phdr && dladdr(phdr, &prog) && prog.dli_fbase == self.dli_fbase) return NULL;
    return self.dli_fbase;
}

bool fr__unw_in_module(const void *base, uintptr_t ip)
{
    Dl_info at;
    return base && dladdr((void *)ip, &at) && at.dli_fbase == base;
}
