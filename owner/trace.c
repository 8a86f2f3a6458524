/*
 * owner/trace.c — backtraces of ownership events: recorded cheaply, named
 * late.
 *
 * When an event happens (an object made, moved, dropped; a violation) the
 * owner layer stores the raw return addresses of the call stack with
 * libunwind's unw_backtrace, which walks the frames without resolving any
 * name (under valgrind and in ThreadSanitizer builds, glibc's backtrace():
 * see glibc_unwinder).  Frames inside ferrum itself are dropped at capture time: the
 * public function passes its own return address (the call site in the
 * program) and the trace starts there.
 *
 * Only when a report is printed are addresses turned into names: first
 * with libunwind's ELF symbol lookup (unw_get_proc_name on a local cursor
 * moved to the address; it also finds static functions), else with dladdr
 * (exported symbols only).  Each frame also shows module+offset, which
 * `addr2line -e MODULE OFFSET` turns into a file and line.  Formatting
 * writes into the caller's buffer and never allocates through a ferrum
 * allocator.
 *
 * fork: libunwind takes internal locks (its trace-cache pool, its
 * unwind-info caches, and glibc's loader lock through dl_iterate_phdr) and
 * installs no fork handlers, so a thread that is inside libunwind at the
 * moment another thread forks leaves those locks held forever in the
 * child, whose next unw_backtrace hangs.  (That was the rare timeout of
 * owner-threads' fork test: a gdb backtrace of the hung child ends in
 * pthread_mutex_lock under unw_backtrace.  glibc's backtrace() is no way
 * out: it needs the same loader lock.)  So every call into libunwind is
 * counted in unw_inside, and a fork handler makes the fork wait for the
 * count to drop to zero: it raises unw_forking, which sends threads that
 * start a trace meanwhile to the one-frame fallback below instead of into
 * libunwind, and waits (at most about a second) for those inside to leave.
 * A child forked with a thread still inside (it did not leave in time) is
 * marked unw_broken and never calls libunwind: its traces keep one frame
 * (the call site) and its frames are named with dladdr only.
 */
#include "internal.h"
#include "../alloc/unwind.h" /* libunwind opened with RTLD_LOCAL, not linked */

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool name_unw(void *ip, char *name, size_t cap, unsigned long *off);

/* Threads inside libunwind now; a fork is being prepared; this process is
 * a child forked while a thread was inside libunwind. */
static atomic_uint unw_inside;
static atomic_int unw_forking; /* forks being prepared (threads may fork at once) */
static atomic_bool unw_broken;

static void unw_fork_prepare(void)
{
    atomic_fetch_add(&unw_forking, 1);
    /* A call into libunwind takes microseconds; wait up to about 1 s. */
    for (int i = 0; i < 20000 && atomic_load(&unw_inside); i++) {
        struct timespec ts = {0, 50000};
        nanosleep(&ts, NULL);
    }
}

static void unw_fork_parent(void)
{
    atomic_fetch_sub(&unw_forking, 1);
}

static void unw_fork_child(void)
{
    if (atomic_load(&unw_inside)) atomic_store(&unw_broken, true);
    atomic_store(&unw_forking, 0); /* only the forking thread lives on */
}

/* At load time: a handler registered later, while another thread forks,
 * would not run for that fork (glibc runs the prepare handlers registered
 * before the fork started). */
__attribute__((constructor)) static void unw_fork_arm(void)
{
    pthread_atfork(unw_fork_prepare, unw_fork_parent, unw_fork_child);
}

/* Before a call into libunwind: true, and the caller is counted in until
 * unw_leave; false (stay out of libunwind) while a fork is being prepared
 * or in a child forked with a thread inside libunwind.  The increment comes
 * before the check, and the fork handler raises its flag before it reads
 * the count (both sequentially consistent), so either this thread sees the
 * flag or the fork handler sees this thread. */
static bool unw_enter(void)
{
    if (atomic_load_explicit(&unw_broken, memory_order_relaxed)) return false;
    atomic_fetch_add(&unw_inside, 1);
    if (atomic_load(&unw_forking)) {
        atomic_fetch_sub(&unw_inside, 1);
        return false;
    }
    return true;
}

static void unw_leave(void)
{
    atomic_fetch_sub(&unw_inside, 1);
}

#if FR_CHECKED

#if defined(__SANITIZE_THREAD__)
#define FR__TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FR__TSAN 1
#endif
#endif

/* Whether to record traces with glibc's backtrace() instead of libunwind:
 * under valgrind, libunwind probes addresses with a write(2) of stack
 * bytes, which memcheck reports as uninitialised; under ThreadSanitizer,
 * libunwind's per-thread trace cache is freed by a thread-specific-data
 * destructor that runs after TSan has finished the thread, and its mutex
 * call then crashes TSan (SEGV in __tsan::MutexPreLock under
 * __nptl_deallocate_tsd).  glibc's unwinder has neither problem. */
static inline bool glibc_unwinder(void)
{
#if defined(FR__TSAN)
    return true;
#elif defined(FR_HAVE_VALGRIND) && !defined(NVALGRIND)
    return RUNNING_ON_VALGRIND;
#else
    return false;
#endif
}

void fr__trace_capture(fr__trace *t, void *caller)
{
    void *buf[FR__TRACE_DEPTH + 8];
    int n;
    int saved_errno = errno; /* libunwind validates addresses with a pipe: a call that
                              * succeeds must leave errno alone (QA7 U4) */
    if (unw_enter()) { /* the fork handler's count covers either unwinder */
        const struct fr_unw *uw = glibc_unwinder() ? NULL : fr__unw();
        if (!uw)
            n = backtrace(buf, (int)(sizeof buf / sizeof buf[0]));
        else
            n = uw->backtrace(buf, (int)(sizeof buf / sizeof buf[0]));
        unw_leave();
    } else {
        n = 0; /* during a fork, or in a broken child: the call site only */
    }
    errno = saved_errno;
    int from = 1; /* at least this function */
    for (int i = 0; i < n; i++) {
        if (buf[i] == caller) {
            from = i;
            break;
        }
    }
    static __thread uint32_t tid;
    if (!tid) tid = (uint32_t)gettid();
    t->n = 0;
    t->tid = tid;
    if (from >= n && caller) {
        t->pc[t->n++] = caller;
        return;
    }
    for (int i = from; i < n && t->n < FR__TRACE_DEPTH; i++) t->pc[t->n++] = buf[i];
}

void fr__trace_capture_after(fr__trace *t, const char *fn)
{
    int saved_errno = errno;
    fr__trace all;
    fr__trace_capture(&all, NULL);
    uint32_t from = 0;
    /* dladdr first (no file reading: fn is exported from libferrum.so);
     * libunwind's symbol table lookup, slower, only if dladdr did not find
     * it (linked statically without -rdynamic, fn has no dynamic symbol:
     * the trace kept ferrum's own frames, QA14 Y6) */
    bool found = false;
    for (uint32_t i = 0; i < all.n && !found; i++) {
        Dl_info di;
        if (dladdr((char *)all.pc[i] - 1, &di) && di.dli_sname && !strcmp(di.dli_sname, fn))
            found = true, from = i + 1;
    }
    for (uint32_t i = 0; i < all.n && !found; i++) {
        char name[256];
        unsigned long off;
        if (name_unw((char *)all.pc[i] - 1, name, sizeof name, &off) && !strcmp(name, fn))
            found = true, from = i + 1;
    }
    t->tid = all.tid;
    t->n = 0;
    for (uint32_t i = from; i < all.n; i++) t->pc[t->n++] = all.pc[i];
    errno = saved_errno;
}

void fr__trace_one(fr__trace *t, void *caller)
{
    t->n = caller ? 1 : 0;
    t->tid = 0;
    t->pc[0] = caller;
}

#endif /* FR_CHECKED */

/* Name of the function holding ip, with libunwind (static functions too). */
static bool name_unw(void *ip, char *name, size_t cap, unsigned long *off)
{
    unw_context_t ctx;
    unw_cursor_t cur;
    unw_word_t o = 0;
    const struct fr_unw *uw = fr__unw();
    if (!uw || !unw_enter()) return false;
    bool ok = uw->getcontext(&ctx) == 0 && uw->init_local(&cur, &ctx) == 0 &&
              uw->set_reg(&cur, UNW_REG_IP, (unw_word_t)(uintptr_t)ip) == 0 &&
              uw->get_proc_name(&cur, name, cap, &o) == 0 && name[0];
    unw_leave();
    if (ok) *off = (unsigned long)o;
    return ok;
}

/* The target of a direct call (E8 rel32) that returns to ra, or NULL. */
static void *call_target(void *ra)
{
    const unsigned char *p = (const unsigned char *)ra - 5;
    Dl_info di;
    if (!dladdr(p, &di) || !dladdr((const char *)ra - 1, &di)) return NULL; /* mapped code */
    if (p[0] != 0xe8) return NULL;
    int32_t rel;
    memcpy(&rel, p + 1, sizeof rel);
    return (char *)ra + rel;
}

static bool symbol_name(void *ip, char *name, size_t cap)
{
    unsigned long off;
    Dl_info di;
    if (name_unw(ip, name, cap, &off)) return true;
    if (dladdr(ip, &di) && di.dli_sname) {
        snprintf(name, cap, "%s", di.dli_sname);
        return true;
    }
    return false;
}

size_t fr__trace_format(const fr__trace *t, char *buf, size_t cap)
{
    size_t len = 0;
    if (!cap) return 0;
    buf[0] = 0;
    if (t->tid == FR__TID_BORROWER && t->n == 1) {
        /* The site is the return address of the function that borrowed:
         * name that function (the target of the call before it), unless
         * the borrow went through the exported fr_borrow* functions, whose
         * return address is in the borrowing function itself. */
        void *target = call_target(t->pc[0]);
        char name[256], caller[256];
        int w = 0;
        if (target && symbol_name((char *)target + 1, name, sizeof name)) {
            if (strncmp(name, "fr_", 3) != 0) w = snprintf(buf, cap, "    in %s, called from:\n", name);
        } else if (symbol_name((char *)t->pc[0] - 1, caller, sizeof caller) &&
                   (!strncmp(caller, "__libc_start", 12) || !strcmp(caller, "__libc_init_first"))) {
            /* main is called through a pointer: the borrow was in main */
            w = snprintf(buf, cap, "    in main\n");
            return w > 0 && (size_t)w < cap ? (size_t)w : 0;
        }
        if (w > 0 && (size_t)w < cap) len = (size_t)w;
        fr__trace one = *t;
        one.tid = 0;
        return len + fr__trace_format(&one, buf + len, cap - len);
    }
    for (uint32_t i = 0; i < t->n && len + 1 < cap; i++) {
        void *ip = t->pc[i];
        /* A return address: look up the call instruction just before it. */
        void *look = (char *)ip - 1;
        char name[256];
        unsigned long off = 0;
        Dl_info di;
        memset(&di, 0, sizeof di);
        bool have_dl = dladdr(look, &di) != 0;
        if (!name_unw(look, name, sizeof name, &off)) {
            if (have_dl && di.dli_sname) {
                snprintf(name, sizeof name, "%s", di.dli_sname);
                off = (unsigned long)((char *)look - (char *)di.dli_saddr);
            } else {
                snprintf(name, sizeof name, "??");
                off = 0;
            }
        }
        if (strcmp(name, "??") != 0 && !fr__unw_name_covers((uintptr_t)look, name, off))
            snprintf(name, sizeof name, "??");
        off += 1; /* back to the return address */
        const char *mod = have_dl && di.dli_fname ? di.dli_fname : "?";
        const char *slash = strrchr(mod, '/');
        unsigned long moff = have_dl ? (unsigned long)((char *)ip - (char *)di.dli_fbase) : 0;
        int w = strcmp(name, "??") == 0
                    ? snprintf(buf + len, cap - len, "    #%u 0x%012lx in ?? (%s+0x%lx)\n", i,
                               (unsigned long)(uintptr_t)ip, slash ? slash + 1 : mod, moff)
                    : snprintf(buf + len, cap - len, "    #%u 0x%012lx in %s+0x%lx (%s+0x%lx)\n", i,
                               (unsigned long)(uintptr_t)ip, name, off, slash ? slash + 1 : mod, moff);
        if (w < 0) break;
        len += (size_t)w;
        if (len >= cap) {
            len = cap - 1;
            break;
        }
        if (!strcmp(name, "main")) break; /* what runs before main is noise */
    }
    return len;
}
