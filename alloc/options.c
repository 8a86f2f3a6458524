/*
 * alloc/options.c — FERRUM_OPTIONS, read once when the engine starts.
 *
 * Syntax: a comma-separated list of name=value (a bare name means 1):
 *   stats=1            print a summary to stderr at exit (and count every
 *                      operation: the fast paths are disabled)
 *   verbose=1          say when the allocator starts (bad options are reported
 *                      either way)
 *   purge_delay_ms=N   free pages go back to the OS after N ms (0: at once;
 *                      at most 4294967295, about 49 days)
 *   huge_cache=N       freed huge blocks kept for reuse (0..64)
 *   valgrind=0|1|auto  annotate blocks for valgrind (auto, the default: when
 *                      running under memcheck, helgrind or drd)
 *   deepbind=1         libferrum-malloc.so's dlopen keeps RTLD_DEEPBIND
 *                      (by default it clears it: deepbind.c)
 *   early_unwind=1     load libunwind at start (by default the first report
 *                      loads it: a process that chroots, sandboxes itself or
 *                      runs out of memory before it reports gets frames then)
 *   secure=1           guard pages (an inaccessible 4 KiB page closes
 *                      every segment and follows every huge block) and
 *                      allocation order randomized within a page; the
 *                      checks of free and the encoded free lists are
 *                      always on
 * Unknown names, malformed values and numbers out of range are reported on
 * stderr and ignored (the default stays):
 * a typo must not change how a program runs.  Parsing works on the
 * environment string in place: no allocation (this runs inside malloc).
 */
#include "internal.h"

#include <stdlib.h>

static bool name_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(s, name, n) == 0;
}

/* The first non-blank of [s, end), and the end of [s, end) without its
 * trailing blanks. */
static const char *skip_blanks(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t')) s++;
    return s;
}

static const char *trim_blanks(const char *s, const char *end)
{
    while (end > s && (end[-1] == ' ' || end[-1] == '\t')) end--;
    return end;
}

/* Parse a decimal number; false if it is not one.  A number of more than
 * 12 digits reads as UINT64_MAX, so the option's range check reports it as
 * out of range, as it does 4294967296 (QA14 Y8: "bad value" before). */
static bool parse_num(const char *s, size_t n, uint64_t *out)
{
    if (n == 0) return false;
    if (n > 12) {
        for (size_t i = 0; i < n; i++)
            if (s[i] < '0' || s[i] > '9') return false;
        *out = UINT64_MAX;
        return true;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            if (n == 4 && memcmp(s, "true", 4) == 0) return *out = 1, true;
            if (n == 3 && memcmp(s, "yes", 3) == 0) return *out = 1, true;
            if (n == 5 && memcmp(s, "false", 5) == 0) return *out = 0, true;
            if (n == 2 && memcmp(s, "no", 2) == 0) return *out = 0, true;
            return false;
        }
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

static void bad(const char *what, const char *s, size_t n)
{
    char buf[64];
    size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
    memcpy(buf, s, k);
    buf[k] = 0;
    fr__print(2, "ferrum: FERRUM_OPTIONS: %s '%s' (ignored)\n", what, buf);
}

void fr__options_read(void)
{
    const char *env = getenv("FERRUM_OPTIONS");
    if (env == NULL) return;
    const char *s = env;
    while (*s) {
        const char *next = s;
        while (*next && *next != ',') next++;
        /* blanks around an item, its name and its value are no part of
         * them ("stats=1 ,verbose=1" turned stats=1 into a bad value) */
        s = skip_blanks(s, next);
        const char *end = trim_blanks(s, next);
        const char *eq = s;
        while (eq < end && *eq != '=') eq++;
        size_t nlen = (size_t)(trim_blanks(s, eq) - s);
        const char *val = eq < end ? skip_blanks(eq + 1, end) : NULL;
        size_t vlen = val ? (size_t)(end - val) : 0;
        uint64_t v = 1;
        if (nlen == 0 && end == s) {
            /* empty item (",,"): nothing */
        } else if (nlen == 0) {
            bad("option without a name", s, (size_t)(end - s));
        } else if (name_is(s, nlen, "valgrind") && val != NULL && vlen == 4 && memcmp(val, "auto", 4) == 0) {
            fr__opt.valgrind_mode = -1;
        } else if (val != NULL && !parse_num(val, vlen, &v)) {
            bad("bad value in", s, (size_t)(end - s));
        } else if (v > 1 && (name_is(s, nlen, "stats") || name_is(s, nlen, "verbose") || name_is(s, nlen, "secure") ||
                             name_is(s, nlen, "valgrind") || name_is(s, nlen, "deepbind") ||
                             name_is(s, nlen, "early_unwind"))) {
            /* an on/off option given 2 is a typo, not "on" (QA7 U11) */
            bad("value out of range (0 or 1) in", s, (size_t)(end - s));
        } else if (name_is(s, nlen, "stats")) {
            fr__opt.stats = v != 0;
        } else if (name_is(s, nlen, "verbose")) {
            fr__opt.verbose = v != 0;
        } else if (name_is(s, nlen, "purge_delay_ms")) {
            if (v > UINT32_MAX)
                bad("value out of range (0..4294967295 ms) in", s, (size_t)(end - s));
            else
                fr__opt.purge_delay_ns = v * 1000000u;
        } else if (name_is(s, nlen, "secure")) {
            fr__opt.secure = v != 0;
        } else if (name_is(s, nlen, "valgrind")) {
            fr__opt.valgrind_mode = v != 0;
        } else if (name_is(s, nlen, "huge_cache")) {
            if (v > 64)
                bad("value out of range (0..64) in", s, (size_t)(end - s));
            else
                fr__opt.huge_cache = (unsigned)v;
        } else if (name_is(s, nlen, "deepbind")) {
            fr__opt.keep_deepbind = v != 0;
        } else if (name_is(s, nlen, "early_unwind")) {
            fr__opt.early_unwind = v != 0;
        } else {
            bad("unknown option", s, nlen);
        }
        s = *next ? next + 1 : next;
    }
}
