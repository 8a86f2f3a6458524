/*
 * alloc/report.c — error reports: what went wrong, the pointer, and the
 * backtrace of the call that did it; then abort().
 *
 * Reporting must never allocate (the heap may be what is broken, and we are
 * inside free): messages are formatted by a tiny printf of our own into a
 * static buffer and written with write(2).  The backtrace walks the stack
 * with libunwind (opened with RTLD_LOCAL at the first report, unwind.c,
 * on a heap of fresh pages; unw_init_local / unw_step), names each frame with
 * unw_get_proc_name (which may call malloc: see bt below) and dladdr
 * (object file), and starts at the first frame outside the allocator (by
 * object file, or by name when the allocator is linked into the program),
 * so the first line shown is the caller's call site.  A guard stops a
 * report from recursing (a fault while reporting aborts at once), except
 * that a report raised by libunwind's own malloc while it names a frame
 * finishes the first report's frames without names first.
 */
#include "internal.h"
#include "unwind.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

static char fr_report_buf[4096];
static size_t fr_report_len;
static fr_lock fr_report_lock = FR_LOCK_INIT;

static void out_flush(int fd)
{
    size_t off = 0;
    while (off < fr_report_len) {
        ssize_t n = write(fd, fr_report_buf + off, fr_report_len - off);
        if (n <= 0) break;
        off += (size_t)n;
    }
    fr_report_len = 0;
}

static void out_char(int fd, char c)
{
    if (fr_report_len == sizeof fr_report_buf) out_flush(fd);
    fr_report_buf[fr_report_len++] = c;
}

static void out_str(int fd, const char *s)
{
    if (s == NULL) s = "(null)";
    while (*s) out_char(fd, *s++);
}

static void out_num(int fd, uint64_t v, unsigned base, bool prefix)
{
    char tmp[24];
    int n = 0;
    if (prefix) out_str(fd, "0x");
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n) out_char(fd, tmp[--n]);
}

/* %s %u %zu %lu %llu %x %zx %p %%; nothing else. */
static void out_vfmt(int fd, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_char(fd, *fmt);
            continue;
        }
        fmt++;
        int lng = 0;
        while (*fmt == 'l' || *fmt == 'z') lng = 1, fmt++;
        switch (*fmt) {
        case 's': out_str(fd, va_arg(ap, const char *)); break;
        case 'u': out_num(fd, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, false); break;
        case 'x': out_num(fd, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, false); break;
        case 'p': out_num(fd, (uintptr_t)va_arg(ap, void *), 16, true); break;
        case '%': out_char(fd, '%'); break;
        default: out_char(fd, '?'); break;
        }
        if (*fmt == 0) break;
    }
}

void fr__print(int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fr__lock(&fr_report_lock);
    out_vfmt(fd, fmt, ap);
    out_flush(fd);
    fr__unlock(&fr_report_lock);
    va_end(ap);
}

void fr__message(const char *prefix, const char *msg)
{
    fr__print(2, "%s%s\n", prefix, msg);
}

/* Frames of the allocator itself, skipped at the top of a backtrace. */
static bool own_frame(const char *name)
{
    static const char *const names[] = {
        "malloc", "free", "calloc", "realloc", "reallocarray", "posix_memalign", "aligned_alloc",
        "memalign", "valloc", "pvalloc", "malloc_usable_size", "free_sized", "free_aligned_sized",
        "cfree", "abort", "raise", NULL,
    };
    if (strncmp(name, "fr_", 3) == 0 || strncmp(name, "fr__", 4) == 0) return true;
    if (strncmp(name, "heap_", 5) == 0) return true; /* heap_allocator.c callbacks */
    for (int i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0) return true;
    return false;
}

/*
 * The report's frames, walked before any of them is named: naming a frame
 * (unw_get_proc_name) can itself call malloc (Debian's libunwind 1.6 does,
 * in get_elf_image), and on a damaged heap that malloc reports again.  The
 * nested report then prints the frames not named yet from this record,
 * with dladdr's names only, and aborts (QA11 A1).
 */
#define FR_BT_MAX 64
static struct {
    uintptr_t ip[FR_BT_MAX];
    int n, next;   /* frames walked; the next one to print */
    int shown;
} bt;
/* this thread is inside unw_get_proc_name for the report (a nested report
 * from another thread must not print this one's frames) */
static __thread bool bt_naming __attribute__((tls_model("initial-exec")));

static void frame_out(int fd, uintptr_t ip, char *name, unw_word_t off)
{
    Dl_info info;
    const char *obj = NULL;
    if (dladdr((void *)ip, &info) && info.dli_fname) obj = info.dli_fname;
    if (name == NULL) { /* no libunwind: the dynamic symbol dladdr found, if it covers ip */
        static char dl_name[256];
        dl_name[0] = '?', dl_name[1] = '?', dl_name[2] = 0;
        off = 0;
        if (obj && info.dli_sname && info.dli_saddr) {
            size_t l = strlen(info.dli_sname);
            if (l >= sizeof dl_name) l = sizeof dl_name - 1;
            memcpy(dl_name, info.dli_sname, l);
            dl_name[l] = 0;
            off = ip - (uintptr_t)info.dli_saddr;
        }
        name = dl_name;
    }
    if (obj && !fr__unw_name_covers(ip, name, (unsigned long)off)) { /* QA5 S19 */
        name[0] = '?';
        name[1] = '?';
        name[2] = 0;
        off = 0;
    }
    bool unnamed = name[0] == '?';
    out_str(fd, "    #");
    out_num(fd, (uint64_t)bt.shown, 10, false);
    out_str(fd, " ");
    out_num(fd, ip, 16, true);
    out_str(fd, " in ");
    out_str(fd, name);
    if (off) {
        out_str(fd, "+");
        out_num(fd, off, 16, true);
    }
    if (obj) {
        out_str(fd, " (");
        out_str(fd, obj);
        if (unnamed) {
            out_str(fd, "+");
            out_num(fd, ip - (uintptr_t)info.dli_fbase, 16, true);
        }
        out_str(fd, ")");
    }
    out_str(fd, "\n");
    bt.shown++;
}

static void backtrace_out(int fd)
{
    unw_context_t ctx;
    unw_cursor_t cur;
    if (!fr__unw_opened()) fr__heap_for_report(); /* the load allocates: not from the damaged lists */
    const struct fr_unw *uw = fr__unw();
    if (!uw) {
        out_str(fd, "    (no backtrace: libunwind.so.8 could not be opened)\n");
        return;
    }
    if (uw->getcontext(&ctx) != 0 || uw->init_local(&cur, &ctx) != 0) {
        out_str(fd, "    (no backtrace: libunwind failed)\n");
        return;
    }
    /* walk first (no allocation), skipping the allocator's own frames by
     * object; then name the rest */
    bt.n = bt.next = bt.shown = 0;
    bool top = true;
    const void *own = fr__unw_own_base(); /* found once per report */
    for (int depth = 0; bt.n < FR_BT_MAX && depth < 128 && uw->step(&cur) > 0; depth++) {
        unw_word_t ip = 0;
        uw->get_reg(&cur, UNW_REG_IP, &ip);
        if (top && fr__unw_in_module(own, ip)) continue;
        top = false;
        bt.ip[bt.n++] = ip;
    }
    /* a second walk for the names, in step with the first */
    if (uw->getcontext(&ctx) != 0 || uw->init_local(&cur, &ctx) != 0) {
        for (; bt.next < bt.n && bt.shown < 24; bt.next++) frame_out(fd, bt.ip[bt.next], NULL, 0);
        return;
    }
    bool skipping = true;
    while (bt.next < bt.n && bt.shown < 24 && uw->step(&cur) > 0) {
        unw_word_t ip = 0, off = 0;
        uw->get_reg(&cur, UNW_REG_IP, &ip);
        if (ip != bt.ip[bt.next]) {
            if (bt.next == 0) continue; /* one of the skipped top frames */
            break;                      /* the walks disagree: names from dladdr */
        }
        char name[256];
        bt_naming = true;
        if (uw->get_proc_name(&cur, name, sizeof name, &off) != 0) {
            name[0] = '?';
            name[1] = 0;
            off = 0;
        }
        bt_naming = false;
        bt.next++;
        if (skipping && own_frame(name)) continue;
        skipping = false;
        frame_out(fd, ip, name, off);
    }
    for (; bt.next < bt.n && bt.shown < 24; bt.next++) frame_out(fd, bt.ip[bt.next], NULL, 0);
    if (bt.shown == 0) out_str(fd, "    (no frames outside the allocator)\n");
}

static _Noreturn void fatal_v(const char *what, const void *ptr, const char *fmt, va_list ap)
{
    static _Atomic int reporting;
    if (atomic_exchange(&reporting, 1)) {
        if (fr__unw_opening()) { /* dlopen, late, met the damaged heap */
            out_str(2, "    (no backtrace: loading libunwind needed the heap that is damaged)\n");
            out_flush(2);
        }
        /* naming a frame of the report called back into the allocator, on
         * the heap that is damaged: finish the report without names (the
         * report lock is ours already) */
        if (bt_naming) {
            bt_naming = false;
            out_str(2, "    (naming the frames needed the heap that is damaged: the rest by object only)\n");
            for (; bt.next < bt.n && bt.shown < 24; bt.next++) frame_out(2, bt.ip[bt.next], NULL, 0);
            out_flush(2);
        }
        abort();
    }
    fr__lock(&fr_report_lock);
    out_str(2, "ferrum: ");
    out_str(2, what);
    out_str(2, ": ");
    out_vfmt(2, fmt, ap);
    out_str(2, " (pointer ");
    out_num(2, (uintptr_t)ptr, 16, true);
    out_str(2, ")\n");
    out_str(2, "  called from:\n");
    out_flush(2);
    backtrace_out(2);
    out_flush(2);
    fr__unlock(&fr_report_lock);
    abort();
}

_Noreturn void fr__fatal(const char *what, const void *ptr, const char *detail)
{
    fr__fatal_fmt(what, ptr, "%s", detail);
}

/* the detail formatted as fr__print formats (%s %u %zu %x %p) */
_Noreturn void fr__fatal_fmt(const char *what, const void *ptr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fatal_v(what, ptr, fmt, ap);
}
