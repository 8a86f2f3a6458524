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

#include <stdarg.h>
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

static void backtrace_to_stderr(void)
{
    unw_context_t ctx;
    unw_cursor_t cur;
    const struct fr_unw *uw = fr__unw();
    if (!uw || uw->getcontext(&ctx) != 0 || uw->init_local(&cur, &ctx) != 0) return;
    put("backtrace:\n", 11);
    /* Skip this function and fr__arena_fatal itself. */
    int frame = 0, skip = 2;
    while (uw->step(&cur) > 0 && frame < 64) {
        unw_word_t ip = 0, off = 0;
        char name[256];
        uw->get_reg(&cur, UNW_REG_IP, &ip);
        if (skip > 1) { skip--; continue; }
        if (uw->get_proc_name(&cur, name, sizeof name, &off) != 0) strcpy(name, "??");
        int n = snprintf(fr__report_buf, sizeof fr__report_buf, "  #%-2d 0x%012lx %s+0x%lx\n",
                         frame++, (unsigned long)ip, name, (unsigned long)off);
        if (n > 0) put(fr__report_buf, (size_t)n < sizeof fr__report_buf ? (size_t)n : sizeof fr__report_buf - 1);
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
