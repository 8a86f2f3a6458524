/*
 * arena/report.c — abort with a clear message and a backtrace.
 *
 * Misuse that cannot be answered with NULL and errno (a slab object freed to
 * the wrong slab, a region destroyed twice, a stale arena mark) must stop the
 * program before memory is corrupted, and the report must say where: the
 * message names the object and the call, and the backtrace (libunwind, the
 * local unwinder, symbolized with unw_get_proc_name) shows who called.
 * Everything is formatted into a static buffer and written with write(2):
 * the heap may be the thing that is broken.
 */
#include "../alloc/unwind.h" /* libunwind opened with RTLD_LOCAL, not linked */

#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

static char fr__report_buf[1024];

static void put(const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

/* ferrum's own frames: the arena/slab/region functions (fr_*, fr__*, and
 * the static helpers below them, all in the library's own module, at own,
 * when it is a shared object) come before the caller's call. */
static bool own_frame(const char *name, uintptr_t ip, const void *own)
{
    if (!strncmp(name, "fr_", 3)) return strncmp(name, "fr_test", 7) != 0; /* (tests/common's helpers) */
    return fr__unw_in_module(own, ip);
}

/* Frames from the caller of the first ferrum function on (QA14 Y7: the
 * report showed three internal frames first), as the malloc reports print
 * them: name+offset and the object file (+offset when unnamed), so that
 * addr2line can read a program linked without -rdynamic. */
static void backtrace_to_stderr(void)
{
    unw_context_t ctx;
    unw_cursor_t cur;
    const struct fr_unw *uw = fr__unw();
    if (!uw || uw->getcontext(&ctx) != 0 || uw->init_local(&cur, &ctx) != 0) return;
    put("  called from:\n", 15);
    static uintptr_t ips[64];
    static unw_word_t offs[64];
    static char names[64][128];
    int n = 0, start = 0;
    const void *own = fr__unw_own_base();
    while (n < 64 && uw->step(&cur) > 0) {
        unw_word_t ip = 0;
        uw->get_reg(&cur, UNW_REG_IP, &ip);
        ips[n] = (uintptr_t)ip;
        if (uw->get_proc_name(&cur, names[n], sizeof names[n], &offs[n]) != 0 ||
            !fr__unw_name_covers(ips[n], names[n], (unsigned long)offs[n])) {
            strcpy(names[n], "??");
            offs[n] = 0;
        }
        /* after the run of ferrum frames at the top (a static helper
         * between two of them, e.g. slab.c's bad_owner, goes with them; a
         * caller's own fr_-named function further down does not) */
        if (n < 16 && (start == 0 || n - start <= 1) && own_frame(names[n], ips[n], own)) start = n + 1;
        n++;
    }
    if (start >= n) start = 0;
    for (int i = start; i < n && i - start < 24; i++) {
        Dl_info at;
        const char *obj = dladdr((void *)ips[i], &at) && at.dli_fname ? at.dli_fname : NULL;
        bool unnamed = names[i][0] == '?';
        int len = snprintf(fr__report_buf, sizeof fr__report_buf, "    #%d 0x%lx in %s", i - start,
                           (unsigned long)ips[i], names[i]);
        if (!unnamed && offs[i])
            len += snprintf(fr__report_buf + len, sizeof fr__report_buf - (size_t)len, "+0x%lx",
                            (unsigned long)offs[i]);
        if (obj && unnamed)
            len += snprintf(fr__report_buf + len, sizeof fr__report_buf - (size_t)len, " (%s+0x%lx)", obj,
                            (unsigned long)(ips[i] - (uintptr_t)at.dli_fbase));
        else if (obj)
            len += snprintf(fr__report_buf + len, sizeof fr__report_buf - (size_t)len, " (%s)", obj);
        if (len > 0 && (size_t)len < sizeof fr__report_buf - 1) {
            fr__report_buf[len++] = '\n';
            put(fr__report_buf, (size_t)len);
        }
    }
}

void fr__arena_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(fr__report_buf, sizeof fr__report_buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n > sizeof fr__report_buf - 2) n = (int)sizeof fr__report_buf - 2;
    fr__report_buf[n++] = '\n';
    put("ferrum: ", 8);
    put(fr__report_buf, (size_t)n);
    backtrace_to_stderr();
    abort();
}
