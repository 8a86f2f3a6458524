/*
 * owner/report.c — the default handler's report, in plain words.
 *
 * Modelled on rustc's borrow-checker errors: the violation in words
 * ("borrow of moved value"), the handle and its object, then each place
 * involved with its label and backtrace: the violating call ("value
 * borrowed here after move") and the earlier event it conflicts with
 * ("value moved here"), then where the value was allocated.  For example:
 *
 *   ferrum: error[use-after-move]: borrow of moved value
 *     handle 3 (generation 1), a 16-byte object at 0x55d0c3a2f2a0
 *     value borrowed here after move (thread 4242):
 *       #0 0x55d0c3a0123a in main+0x4a (demo_owner+0x123a)
 *     value moved here (thread 4242):
 *       #0 0x55d0c3a011f0 in give_away+0x10 (demo_owner+0x11f0)
 *       ...
 *
 * The text is built in a static buffer under a lock and written with one
 * write(2) to stderr: reporting never allocates (the program's heap may be
 * what is broken) and reports from two threads do not interleave.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static char report_buf[32768];
static size_t report_len;

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
    if (report_len + 1 >= sizeof report_buf) return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(report_buf + report_len, sizeof report_buf - report_len, fmt, ap);
    va_end(ap);
    if (w > 0) report_len += (size_t)w;
    if (report_len >= sizeof report_buf) report_len = sizeof report_buf - 1;
}

static void put_trace(const char *label, const fr__trace *t)
{
    if (!t || !t->n) {
        put("  %s: (no backtrace)\n", label);
        return;
    }
    if (t->tid && t->tid != FR__TID_BORROWER)
        put("  %s (thread %u):\n", label, t->tid);
    else
        put("  %s:\n", label);
    report_len += fr__trace_format(t, report_buf + report_len, sizeof report_buf - report_len);
}

void fr__report_print(const fr_violation *v, const fr__report *rep)
{
    pthread_mutex_lock(&report_lock);
    report_len = 0;
    uint64_t bits = v->handle.bits;
    put("ferrum: %s[%s]: %s\n", v->kind == FR_V_LEAK ? "warning" : "error",
        fr_violation_name(v->kind), v->message);
    if (bits) {
        put("  handle %u (generation %u)%s", (unsigned)(bits & (FR__MAX_SLOTS - 1)),
            (unsigned)((bits >> 32) & 0x7fffffffu), (bits >> 63) ? ", moved from" : "");
        if (rep && rep->obj)
            put(", a %zu-byte object at %p\n", rep->size, rep->obj);
        else
            put("\n");
    }
    if (rep) {
        if (rep->here) put_trace(rep->here_label ? rep->here_label : "here", rep->here);
        if (rep->earlier) put_trace(rep->earlier_label ? rep->earlier_label : "earlier", rep->earlier);
        if (rep->born && rep->born != rep->earlier) put_trace("value allocated here", rep->born);
        if (rep->note) put("  note: %s\n", rep->note);
    }
    unsigned o = fr__options();
    if (v->kind != FR_V_LEAK) {
        if (o & FR__OPT_WARN)
            put("  (FERRUM_OWNER=warn: continuing; the operation had no effect)\n");
        else
            put("  (aborting; FERRUM_OWNER=warn reports and continues)\n");
    }
    size_t off = 0;
    while (off < report_len) {
        ssize_t w = write(2, report_buf + off, report_len - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    pthread_mutex_unlock(&report_lock);
}
