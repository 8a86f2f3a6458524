/*
 * analyzer/summary_cache.c — whole-codebase summaries across files, cached
 * on disk, and cached findings for units that did not change.
 *
 * What: before the units of a compile_commands.json are checked, every
 * function defined in any of them gets a summary (frees or may free
 * parameter N, lets it escape, dereferences it, returns owned memory, never
 * returns, drops or consumes a handle: summary.h), so a call to a function
 * of another file is checked with what that function really does.  The
 * summaries are iterated to a fixpoint over the call graph:
 *   - inside a unit, every function (static ones too) is summarized in
 *     post-order, then a worklist sends the callers of a function whose
 *     summary changed round again (recursion; at most MAX_VISITS times per
 *     function);
 *   - across units, a unit is computed again whenever the summaries of the
 *     functions it calls in other units differ from the ones its record was
 *     computed with (in_hash, kept in the record: also after an edit in
 *     another file, for records loaded from the cache), until no record
 *     disagrees (MAX_ROUNDS only guards against oscillation);
 *   - inside a round, the units are computed callees first (unit_order.c:
 *     levels over the units' call graph, guessed from the source text for
 *     units never parsed), a level at a time, each level from the
 *     summaries of the levels below: a unit outside a cycle of the graph
 *     is then computed once (libxml2's 67 units: 179 computations in 4
 *     rounds before).
 * The result is installed as the process-wide provider of summary.h,
 * consulted whenever a unit's own table lacks a callee (the checking pass
 * of a unit finds its static functions' converged summaries there when its
 * own single pass meets a cycle).
 *
 * The cache: one entry per unit, named by a 128-bit key over what decides
 * the unit's summaries: the tool's and libclang's versions (and the
 * analyzer executable's own hash, so a rebuilt tool starts afresh), the working
 * directory, the file name, every compiler argument, and the source file's
 * content.  An entry lists the content hash of every file the unit
 * included (a header edit invalidates it), the summaries of the functions
 * it defines and the external functions it calls.  A second kind of entry
 * keeps the unit's findings, keyed by the unit key, the included files'
 * hashes, the enabled checks and the summaries of its external callees: an unchanged unit whose callees
 * did not change is not parsed at all, its findings are replayed.  That is
 * what makes a rerun over an unchanged codebase fast (no libclang parse).
 *
 * The pre-pass parse also runs the checks with the summaries of its round
 * and stores the findings under the key of those summaries: a unit whose
 * callees' summaries end the fixpoint unchanged is not parsed again by the
 * checking pass.  Not for a unit that calls one placed after it in its
 * round (it will be computed again).  Without a cache directory the
 * entries go to a directory of the run, the final ones are read into
 * memory and the directory is removed before the checking pass: a cold
 * run parses most units once in all.  On that parse a unit without
 * recursion gets its summaries and its findings from one run of the checks
 * (each function summarized by the dataflow that checks it); a unit with
 * recursion first takes its cycles and what they call to their fixpoint,
 * then the same one run, which must give the fixpoint's summaries back
 * (analyze_cyclic): the other functions are summarized once, not twice.
 * A run over a single unit computes nothing in advance (no other unit can
 * contribute summaries; the checking pass summarizes the unit's own
 * functions), so it parses the unit once.
 *
 * Where: $FERRUM_CACHE_DIR, else BUILD_DIR/.ferrum-cache with -p BUILD_DIR;
 * FERRUM_CACHE=0 turns the cache off; FERRUM_CROSSFILE=0 skips the whole
 * pre-pass (each unit then sees only its own functions' summaries).
 * Entries are written to a temporary file in the same directory and renamed
 * over the final name: rename(2) is atomic, so concurrent runs (ferrum-check
 * -j, two builds at once) see either a whole old entry or a whole new one,
 * never a torn one; each entry is validated (magic line, dependency hashes,
 * finding count) before it is trusted.  Entries unused for 30 days, and
 * temporary files left by a killed writer, are removed at the start of a run.
 *
 * Why: summaries make the analysis interprocedural across files at the cost
 * of one extra parse per unit; the cache pays that cost once per change.
 */
#include "summary_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <dlfcn.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <clang-c/Index.h>
#include <ferrum/common.h>

#include "check_owner.h"
#include "checks.h"
#include "ir.h"
#include "memcheck.h"
#include "summary.h"
#include "unit_order.h"
#include "util.h"

#define MAX_ROUNDS 64
#define MAGIC_SUM "ferrum-summaries 9"
#define MAGIC_FIND "ferrum-findings 1"

/* ---- Hashing (two 64-bit lanes: FNV-1a and a multiply-xorshift) ---- */

typedef struct hkey {
    uint64_t a, b;
} hkey;

static void h_init(hkey *h)
{
    h->a = 0xcbf29ce484222325ull;
    h->b = 0x9e3779b97f4a7c15ull;
}

static void h_bytes(hkey *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t a = h->a, b = h->b;
    for (size_t i = 0; i < n; i++) {
        a = (a ^ s[i]) * 0x100000001b3ull;
        b = (b + s[i] + 1) * 0xff51afd7ed558ccdull;
        b ^= b >> 29;
    }
    h->a = a;
    h->b = b;
}

static void h_str(hkey *h, const char *s)
{
    h_bytes(h, s ? s : "", strlen(s ? s : "") + 1);
}

static void h_hex(const hkey *h, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h->a, (unsigned long long)h->b);
}

/* Hash a file's content; false when it cannot be read, or is no regular
 * file (a FIFO would block the open, /dev/zero never end: QA13 X10). */
static bool h_file(const char *path, hkey *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return false;
    }
    h_init(out);
    char buf[65536];
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0)
        h_bytes(out, buf, (size_t)r);
    close(fd);
    return r == 0;
}

/* Hashes of the files seen in this run (headers are shared by most units:
 * each is read once).  Path -> hash, open addressing. */
typedef struct fmemo {
    char *path;
    hkey h;
    bool ok;
} fmemo;

static fmemo *memo;
static size_t memo_cap, memo_n;

static bool h_file_memo(const char *path, hkey *out)
{
    if (path[0] != '/')
        return h_file(path, out); /* relative: depends on the unit's directory */
    uint64_t hv = 1469598103934665603ull;
    for (const char *p = path; *p; p++)
        hv = (hv ^ (unsigned char)*p) * 1099511628211ull;
    if (memo_cap) {
        for (size_t i = (size_t)hv & (memo_cap - 1); memo[i].path; i = (i + 1) & (memo_cap - 1))
            if (!strcmp(memo[i].path, path)) {
                *out = memo[i].h;
                return memo[i].ok;
            }
    }
    bool ok = h_file(path, out);
    if ((memo_n + 1) * 2 > memo_cap) {
        size_t ncap = memo_cap ? memo_cap * 2 : 1024;
        fmemo *nm = calloc(ncap, sizeof *nm);
        if (!nm)
            return ok;
        for (size_t i = 0; i < memo_cap; i++)
            if (memo[i].path) {
                uint64_t h2 = 1469598103934665603ull;
                for (const char *p = memo[i].path; *p; p++)
                    h2 = (h2 ^ (unsigned char)*p) * 1099511628211ull;
                size_t j = (size_t)h2 & (ncap - 1);
                while (nm[j].path)
                    j = (j + 1) & (ncap - 1);
                nm[j] = memo[i];
            }
        free(memo);
        memo = nm;
        memo_cap = ncap;
    }
    size_t i = (size_t)hv & (memo_cap - 1);
    while (memo[i].path)
        i = (i + 1) & (memo_cap - 1);
    memo[i].path = strdup(path);
    if (memo[i].path) {
        memo[i].h = *out;
        memo[i].ok = ok;
        memo_n++;
    }
    return ok;
}

/* ---- The global table: USR -> summary ---- */

typedef struct gent {
    char *usr;
    fc_summary sum;
    size_t owner;      /* the unit whose definition it is (the first in the database) */
    /* The next unit that defines the same name, if any: two programs of one
     * database with their own `cleanup()`.  When the two definitions
     * disagree, a call is unknown rather than one of them picked. */
    fc_summary other;
    size_t other_owner;
    bool has_other, conflict;
} gent;

static gent *gtab;
static size_t gcap, gn;

static size_t g_slot(const char *usr)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = usr; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return (size_t)h & (gcap - 1);
}

static gent *g_find(const char *usr)
{
    if (!gcap)
        return NULL;
    for (size_t i = g_slot(usr);; i = (i + 1) & (gcap - 1)) {
        if (!gtab[i].usr)
            return NULL;
        if (!strcmp(gtab[i].usr, usr))
            return &gtab[i];
    }
}

/* Would a caller's own summary come out differently?  What a callee
 * dereferences does not change what its callers free, keep or return. */
static bool same_for_callers(const fc_summary *a, const fc_summary *b)
{
    return a->frees == b->frees && a->may_free == b->may_free && a->escapes == b->escapes &&
           a->returns_owned == b->returns_owned && a->returns_param == b->returns_param &&
           a->ret_param == b->ret_param && a->noreturn == b->noreturn &&
           a->returns_freed == b->returns_freed && a->returns_const == b->returns_const &&
           a->const_val == b->const_val && a->h_known == b->h_known && a->h_drops == b->h_drops &&
           a->h_consumes == b->h_consumes && a->h_escapes == b->h_escapes && a->h_conflict_a == b->h_conflict_a &&
           a->h_borrows == b->h_borrows && a->h_borrows_mut == b->h_borrows_mut &&
           a->h_conflict_b == b->h_conflict_b && a->h_conflict_mut == b->h_conflict_mut && a->derefs == b->derefs &&
           a->pt_frees == b->pt_frees && a->pt_may_free == b->pt_may_free && a->pt_uses == b->pt_uses &&
           a->pt_keeps == b->pt_keeps && a->h_ret_borrow == b->h_ret_borrow &&
           a->pt_owned == b->pt_owned && a->pt_owned_all == b->pt_owned_all && a->ret_family == b->ret_family &&
           a->pt_status == b->pt_status && a->ret_nonheap == b->ret_nonheap &&
           a->h_region_ends == b->h_region_ends && a->nfields == b->nfields &&
           !memcmp(a->fields, b->fields, a->nfields * sizeof a->fields[0]);
}

/* Put the summary of `usr` as defined by unit `owner`.  A function may be
 * defined by several units (one file compiled twice with other flags, a
 * name reused by two programs of the database): the definition of the
 * unit that comes first in the database is the one kept, so the table does
 * not depend on the order in which units were loaded or computed (the
 * fixpoint compares against it).  The second unit's is kept too: if the two
 * differ for callers (two programs each with its own `cleanup()`), the
 * name is a conflict and calls to it are unknown, not one program's
 * function applied to the other's calls. */
static void g_put(const char *usr, const fc_summary *s, size_t owner)
{
    if ((gn + 1) * 2 > gcap) {
        size_t ncap = gcap ? gcap * 2 : 1024;
        gent *nt = calloc(ncap, sizeof *nt);
        if (!nt)
            return;
        gent *old = gtab;
        size_t ocap = gcap;
        gtab = nt;
        gcap = ncap;
        for (size_t i = 0; i < ocap; i++)
            if (old[i].usr) {
                size_t j = g_slot(old[i].usr);
                while (gtab[j].usr)
                    j = (j + 1) & (gcap - 1);
                gtab[j] = old[i];
            }
        free(old);
    }
    size_t i = g_slot(usr);
    while (gtab[i].usr && strcmp(gtab[i].usr, usr))
        i = (i + 1) & (gcap - 1);
    gent *e = &gtab[i];
    if (e->usr) {
        if (owner == e->owner) {
            e->sum = *s;
        } else if (owner < e->owner) {
            e->other = e->sum;
            e->other_owner = e->owner;
            e->has_other = true;
            e->sum = *s;
            e->owner = owner;
        } else if (!e->has_other || owner <= e->other_owner) {
            e->other = *s;
            e->other_owner = owner;
            e->has_other = true;
        }
        e->conflict = e->has_other && !same_for_callers(&e->sum, &e->other);
        return;
    }
    e->usr = strdup(usr);
    if (!e->usr)
        return;
    e->sum = *s;
    e->owner = owner;
    e->has_other = e->conflict = false;
    gn++;
}

static bool provider(void *ctx, const char *usr, fc_summary *out)
{
    (void)ctx;
    gent *e = g_find(usr);
    if (!e || e->conflict)
        return false;
    *out = e->sum;
    return true;
}

/* ---- Per-unit records ---- */

typedef struct fdef {
    char *usr, *name;
    fc_summary sum;
} fdef;

typedef struct dep {
    char *path;
    hkey h;
} dep;

typedef struct urec {
    hkey key;          /* what decides the unit's summaries */
    bool keyed;        /* key computed (the file was readable) */
    bool valid;        /* defs/exts/deps hold (from the cache or computed) */
    bool computed;     /* computed in this run: write it back */
    bool dirty;        /* to (re)compute in the next round */
    fdef *defs;
    size_t ndefs;
    char **exts;       /* USRs called but not defined here */
    size_t nexts;
    dep *deps;
    size_t ndeps;
    char fkey[33];     /* findings entry name ("" : none) */
    hkey inhash;       /* the external callees' summaries it was computed with */
    bool has_in;
    size_t requeued, unconverged; /* fixpoint()'s counts (computed in a worker) */
    char **asked;      /* own functions the pre-pass's checks asked the provider for */
    size_t nasked;
    bool go;           /* computed in the current batch (a level of a round) */
    bool early;        /* check it on the pre-pass parse too (no callee placed after it) */
    char *fbuf;        /* its final findings entry, without a cache directory */
    size_t flen;
} urec;

static urec *recs;
static const fc_unit *base_units;
static size_t nunits;
static char cache_dir[PATH_MAX];
static bool have_dir;
/* Where the pre-pass leaves findings computed on its parse: the cache
 * directory, or without one a directory of this run, removed at the end of
 * fc_summary_cache_prepare once the final entries are read into memory. */
static char find_dir[PATH_MAX];
static bool have_find;
static fc_cache_stats stats;

static void rec_clear(urec *r)
{
    for (size_t i = 0; i < r->ndefs; i++) {
        free(r->defs[i].usr);
        free(r->defs[i].name);
    }
    for (size_t i = 0; i < r->nexts; i++)
        free(r->exts[i]);
    for (size_t i = 0; i < r->ndeps; i++)
        free(r->deps[i].path);
    for (size_t i = 0; i < r->nasked; i++)
        free(r->asked[i]);
    free(r->defs);
    free(r->exts);
    free(r->deps);
    free(r->asked);
    r->defs = NULL;
    r->exts = NULL;
    r->deps = NULL;
    r->asked = NULL;
    r->ndefs = r->nexts = r->ndeps = r->nasked = 0;
    r->valid = false;
    r->has_in = false;
    r->requeued = r->unconverged = 0;
}

static bool push(void **v, size_t *n, size_t size)
{
    void *p = realloc(*v, (*n + 1) * size);
    if (!p)
        return false;
    *v = p;
    memset((char *)p + *n * size, 0, size);
    (*n)++;
    return true;
}

/* ---- Paths and directories ---- */

/* Run fn inside the unit's directory (relative paths in its command). */
static int enter(const fc_unit *u)
{
    if (!u->dir || !*u->dir)
        return -1;
    int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (chdir(u->dir) != 0) {
        if (cwd >= 0)
            close(cwd);
        return -2;
    }
    return cwd;
}

static void leave(int cwd)
{
    if (cwd >= 0) {
        if (fchdir(cwd) != 0) {
            /* nothing better to do: later relative paths fail visibly */
        }
        close(cwd);
    }
}

static bool mkdirs(const char *dir)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    return mkdir(tmp, 0777) == 0 || errno == EEXIST;
}

/*
 * The cache directory, created only when there is something to cache (n
 * units: the compilation database loaded, or files were given).  With -p
 * BUILD_DIR it is BUILD_DIR/.ferrum-cache, made only inside a build
 * directory that exists: a mistyped -p must leave no trace (QA F10).  An
 * explicit $FERRUM_CACHE_DIR is created with its parents, as asked.
 */
static bool choose_dir(const struct fc_options *o, size_t n)
{
    const char *off = getenv("FERRUM_CACHE");
    if (off && (!strcmp(off, "0") || !strcmp(off, "no") || !strcmp(off, "off")))
        return false;
    if (n == 0)
        return false;
    const char *env = getenv("FERRUM_CACHE_DIR");
    char dir[PATH_MAX];
    if (env && *env) {
        snprintf(dir, sizeof dir, "%s", env);
        if (!mkdirs(dir))
            return false;
    } else if (o && o->build_dir) {
        struct stat st;
        if (stat(o->build_dir, &st) != 0 || !S_ISDIR(st.st_mode))
            return false;
        if (snprintf(dir, sizeof dir, "%s/.ferrum-cache", o->build_dir) >= (int)sizeof dir)
            return false;
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            return false;
    } else {
        return false;
    }
    if (!realpath(dir, cache_dir))
        return false;
    return access(cache_dir, W_OK | X_OK) == 0;
}

/* Write `data` as dir/name atomically (temp file + rename). */
static void write_atomic(const char *dir, const char *name, const char *data, size_t len)
{
    char tmp[PATH_MAX + 160], fin[PATH_MAX + 160];
    snprintf(fin, sizeof fin, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.tmp.%ld.%s", dir, (long)getpid(), name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return;
    size_t off = 0;
    bool ok = true;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0) {
            ok = false;
            break;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0)
        ok = false;
    if (!ok || rename(tmp, fin) != 0)
        unlink(tmp);
}

/* ---- Unit keys ---- */

/* The analyzer itself: a rebuilt ferrum-check (same version number, new
 * code) must not trust the entries of the old one. */
static hkey tool_hash;
static bool tool_hashed;

static bool unit_key(const fc_unit *u, hkey *k)
{
    if (!tool_hashed) {
        if (!h_file("/proc/self/exe", &tool_hash))
            h_init(&tool_hash);
        tool_hashed = true;
    }
    hkey content;
    int cwd = enter(u);
    bool ok = cwd != -2 && h_file(u->file, &content);
    leave(cwd);
    if (!ok)
        return false;
    h_init(k);
    h_str(k, MAGIC_SUM);
    char ver[32];
    snprintf(ver, sizeof ver, "%d.%d.%d", FR_VERSION_MAJOR, FR_VERSION_MINOR, FR_VERSION_PATCH);
    h_str(k, ver);
    CXString cv = clang_getClangVersion();
    h_str(k, clang_getCString(cv));
    clang_disposeString(cv);
    h_bytes(k, &tool_hash, sizeof tool_hash);
    h_str(k, u->dir);
    h_str(k, u->file);
    for (int i = 0; i < u->nargs; i++)
        h_str(k, u->args[i]);
    h_bytes(k, &content, sizeof content);
    return true;
}

/* ---- Entries on disk ---- */

/* Mark an entry as used (prune() keeps it). */
static void touch(const char *path)
{
    utimensat(AT_FDCWD, path, NULL, 0);
}

/* Field by field (no padding bytes: entries and keys are deterministic). */
/* One summary as a line of text (the cache entries' format, also hashed
 * into findings keys). */
static void fmt_sum(char *buf, size_t size, const fc_summary *s)
{
    snprintf(buf, size, "%u %u %u %u %d %d %u %d %d %d %lld %d %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u",
             s->frees,
             s->may_free, s->escapes, s->derefs, s->returns_owned, s->returns_param, s->ret_param,
             s->noreturn, s->returns_freed, s->returns_const, s->const_val, s->h_known, s->h_drops,
             s->h_consumes, s->h_escapes, (unsigned)s->h_conflict_a, (unsigned)s->h_conflict_b,
             (unsigned)s->h_conflict_mut, s->h_borrows, s->h_borrows_mut, s->pt_frees, s->pt_may_free,
             s->pt_uses, s->pt_keeps, (unsigned)s->h_ret_borrow, s->h_region_ends, s->pt_owned, s->pt_owned_all,
             (unsigned)s->ret_family, (unsigned)s->pt_status, (unsigned)s->ret_nonheap);
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, " %u", (unsigned)s->nfields);
    for (unsigned i = 0; i < s->nfields && i < FC_SUM_FIELDS; i++) {
        n = strlen(buf);
        snprintf(buf + n, size - n, " %u %u %u", s->fields[i].key, (unsigned)s->fields[i].param,
                 (unsigned)s->fields[i].eff);
    }
}

static void put_sum(FILE *f, const fc_summary *s)
{
    char buf[512];
    fmt_sum(buf, sizeof buf, s);
    fputs(buf, f);
}

static bool get_sum(const char *p, fc_summary *s)
{
    int ro, rp, nr, rf, rc, hk;
    unsigned ca, cb, cm, rb, rfam, pst, rnh;
    memset(s, 0, sizeof *s);
    if (sscanf(p, "%u %u %u %u %d %d %u %d %d %d %lld %d %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u",
               &s->frees,
               &s->may_free, &s->escapes, &s->derefs, &ro, &rp, &s->ret_param, &nr, &rf, &rc, &s->const_val, &hk,
               &s->h_drops, &s->h_consumes, &s->h_escapes, &ca, &cb, &cm, &s->h_borrows,
               &s->h_borrows_mut, &s->pt_frees, &s->pt_may_free, &s->pt_uses, &s->pt_keeps, &rb,
               &s->h_region_ends, &s->pt_owned, &s->pt_owned_all, &rfam, &pst, &rnh) != 31)
        return false;
    s->h_ret_borrow = (uint8_t)rb;
    s->ret_family = (uint8_t)rfam;
    s->pt_status = (uint8_t)pst;
    s->ret_nonheap = (uint8_t)rnh;
    /* the fields of parameters: a count, then key param eff per field */
    int used = 0;
    for (int i = 0; i < 31; i++) {
        while (p[used] == ' ')
            used++;
        while (p[used] && p[used] != ' ')
            used++;
    }
    unsigned nf, key, pa, ef;
    int adv = 0;
    if (sscanf(p + used, " %u%n", &nf, &adv) != 1 || nf > FC_SUM_FIELDS)
        return false;
    used += adv;
    s->nfields = (uint8_t)nf;
    for (unsigned i = 0; i < nf; i++) {
        if (sscanf(p + used, " %u %u %u%n", &key, &pa, &ef, &adv) != 3)
            return false;
        used += adv;
        s->fields[i].key = key;
        s->fields[i].param = (uint8_t)pa;
        s->fields[i].eff = (uint8_t)ef;
    }
    s->returns_owned = ro;
    s->returns_param = rp;
    s->noreturn = nr;
    s->returns_freed = rf;
    s->returns_const = rc;
    s->h_known = hk;
    s->h_conflict_a = (uint8_t)ca;
    s->h_conflict_b = (uint8_t)cb;
    s->h_conflict_mut = (uint8_t)cm;
    return true;
}

/* Hash a summary's fields. */
static void h_sum(hkey *k, const fc_summary *s)
{
    char buf[512];
    fmt_sum(buf, sizeof buf, s);
    h_str(k, buf);
}

/* What a unit's summaries were computed from, besides its own text: the
 * summary of every function of another unit it calls, as the global table
 * has it now ("-" for none yet: a first summary that says "no effect" is a
 * change too, from unknown).  A unit whose record was computed with other
 * inputs than today's is computed again: that is the fixpoint's worklist
 * across units, and it applies to entries loaded from the cache as well
 * (an edit in a callee's file re-summarizes its callers' units). */
static gent *g_find(const char *usr);
static void in_hash(const urec *r, hkey *out)
{
    h_init(out);
    h_str(out, MAGIC_SUM);
    for (size_t i = 0; i < r->nexts; i++) {
        gent *e = g_find(r->exts[i]);
        h_str(out, r->exts[i]);
        if (e && !e->conflict)
            h_sum(out, &e->sum);
        else
            h_str(out, e ? "!" : "-");
    }
}

static void save_rec(const char *dir, const urec *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    fprintf(f, "%s\n", MAGIC_SUM);
    for (size_t i = 0; i < r->ndeps; i++) {
        char hx[33];
        h_hex(&r->deps[i].h, hx);
        fprintf(f, "D\t%s\t%s\n", hx, r->deps[i].path);
    }
    for (size_t i = 0; i < r->ndefs; i++) {
        fprintf(f, "S\t%s\t%s\t", r->defs[i].usr, r->defs[i].name ? r->defs[i].name : "");
        put_sum(f, &r->defs[i].sum);
        fputc('\n', f);
    }
    for (size_t i = 0; i < r->nexts; i++)
        fprintf(f, "X\t%s\n", r->exts[i]);
    for (size_t i = 0; i < r->nasked; i++)
        fprintf(f, "A\t%s\n", r->asked[i]);
    if (r->has_in) {
        char hx[33];
        h_hex(&r->inhash, hx);
        fprintf(f, "I\t%s\n", hx);
    }
    fprintf(f, "Q\t%zu %zu\n", r->requeued, r->unconverged);
    fprintf(f, "END\n");
    if (fclose(f) == 0) {
        char name[64];
        h_hex(&r->key, name);
        strcat(name, ".sum");
        write_atomic(dir, name, buf, len);
    }
    free(buf);
}

static bool load_rec(const char *dir, urec *r, const fc_unit *u)
{
    char name[64], path[PATH_MAX + 160];
    h_hex(&r->key, name);
    snprintf(path, sizeof path, "%s/%s.sum", dir, name);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool ok = false, first = true;
    int cwd = enter(u);
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = 0;
        if (first) {
            first = false;
            if (strcmp(line, MAGIC_SUM) != 0)
                break;
            continue;
        }
        if (!strcmp(line, "END")) {
            ok = true;
            break;
        }
        char *t1 = strchr(line, '\t');
        if (!t1)
            break;
        *t1++ = 0;
        if (!strcmp(line, "D")) {
            char *t2 = strchr(t1, '\t');
            if (!t2)
                break;
            *t2++ = 0;
            hkey now;
            char hx[33];
            if (!h_file_memo(t2, &now))
                break;
            h_hex(&now, hx);
            if (strcmp(hx, t1) != 0)
                break; /* an included file changed */
            if (!push((void **)&r->deps, &r->ndeps, sizeof *r->deps))
                break;
            r->deps[r->ndeps - 1].path = strdup(t2);
            r->deps[r->ndeps - 1].h = now;
        } else if (!strcmp(line, "S")) {
            char *t2 = strchr(t1, '\t'), *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
            if (!t2 || !t3)
                break;
            *t2++ = 0;
            *t3++ = 0;
            if (!push((void **)&r->defs, &r->ndefs, sizeof *r->defs))
                break;
            fdef *d = &r->defs[r->ndefs - 1];
            d->usr = strdup(t1);
            d->name = strdup(t2);
            if (!d->usr || !get_sum(t3, &d->sum))
                break;
        } else if (!strcmp(line, "X")) {
            if (!push((void **)&r->exts, &r->nexts, sizeof *r->exts))
                break;
            r->exts[r->nexts - 1] = strdup(t1);
        } else if (!strcmp(line, "A")) {
            if (!push((void **)&r->asked, &r->nasked, sizeof *r->asked))
                break;
            r->asked[r->nasked - 1] = strdup(t1);
        } else if (!strcmp(line, "I")) {
            if (strlen(t1) != 32 || sscanf(t1, "%16llx%16llx", (unsigned long long *)&r->inhash.a,
                                           (unsigned long long *)&r->inhash.b) != 2)
                break;
            r->has_in = true;
        } else if (!strcmp(line, "Q")) {
            if (sscanf(t1, "%zu %zu", &r->requeued, &r->unconverged) != 2)
                break;
        } else {
            break;
        }
    }
    leave(cwd);
    free(line);
    fclose(f);
    if (!ok)
        rec_clear(r);
    else
        touch(path);
    r->valid = ok;
    return ok;
}

/* ---- Computing a unit's summaries ---- */

typedef struct fnode {
    CXCursor decl;
    char *usr, *name;
    int state;          /* 0 new, 1 on the stack, 2 done */
    int *callees;       /* nodes this function calls */
    size_t ncallees;
    unsigned visits;    /* times summarized */
    bool has;           /* sum holds */
    fc_summary sum;
} fnode;

typedef struct scan {
    fnode *v;
    size_t n;
    urec *r;
    CXTranslationUnit tu;
} scan;

static enum CXChildVisitResult collect_defs(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    scan *s = d;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_LinkageSpec || k == CXCursor_UnexposedDecl)
        return CXChildVisit_Recurse;
    if (k != CXCursor_FunctionDecl || !clang_isCursorDefinition(c) ||
        clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
        return CXChildVisit_Continue;
    if (push((void **)&s->v, &s->n, sizeof *s->v)) {
        CXString usr = clang_getCursorUSR(c);
        s->v[s->n - 1].decl = c;
        s->v[s->n - 1].usr = strdup(clang_getCString(usr));
        clang_disposeString(usr);
    }
    return CXChildVisit_Continue;
}

static int node_of(const scan *s, const char *usr)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].usr && !strcmp(s->v[i].usr, usr))
            return (int)i;
    return -1;
}

typedef struct calls {
    scan *s;
    int *out;
    size_t n, cap;
} calls;

/* A declaration from the C library or another installed package: under
 * /usr/include, /usr/local/include, /usr/lib, /usr/share or /opt (or with no
 * file: a builtin), a system header.  A system header of
 * the project itself (`-isystem include/`, CMake's SYSTEM include
 * directories) may declare functions the database defines: their calls
 * count (QA5 S8: libbsd's setprogname). */
static char **roots;   /* the database's working directories, canonical, with a final '/' */
static size_t nroots;

static const char *const installed_dirs[] = {"/usr/include/", "/usr/local/include/", "/usr/lib/",
                                             "/usr/lib64/", "/usr/share/", "/opt/"};

/* The working directory of a unit of the database, a root of the project:
 * a header under it is the project's wherever the tree is (/opt/app:
 * QA6 T11).  A directory that holds installed headers itself (`/usr`,
 * `/opt`) is no root. */
static void add_root(const fc_unit *u)
{
    char abs[PATH_MAX];
    if (!realpath(u->dir ? u->dir : ".", abs))
        return;
    size_t len = strlen(abs);
    if (len + 2 > sizeof abs)
        return;
    if (abs[len - 1] != '/') {
        abs[len++] = '/';
        abs[len] = 0;
    }
    for (size_t i = 0; i < sizeof installed_dirs / sizeof installed_dirs[0]; i++)
        if (!strncmp(installed_dirs[i], abs, len))
            return;
    for (size_t i = 0; i < nroots; i++)
        if (!strcmp(roots[i], abs))
            return;
    char *c = strdup(abs);
    if (c && push((void **)&roots, &nroots, sizeof *roots))
        roots[nroots - 1] = c;
    else
        free(c);
}

static bool installed_header(CXSourceLocation loc)
{
    if (!clang_Location_isInSystemHeader(loc))
        return false;
    CXFile f;
    clang_getSpellingLocation(loc, &f, NULL, NULL, NULL);
    if (!f)
        return true;
    CXString name = clang_getFileName(f);
    const char *n = clang_getCString(name);
    char abs[PATH_MAX];
    const char *full = !n ? NULL : n[0] == '/' ? n : realpath(n, abs); /* relative: to the unit's directory */
    /* the C library's and installed packages' headers (a project checked
     * out under /usr/src or /usr/local/src is not installed: QA6 T11),
     * unless the header is in the project's own tree */
    bool installed = !full;
    for (size_t i = 0; full && !installed && i < sizeof installed_dirs / sizeof installed_dirs[0]; i++)
        installed = !strncmp(full, installed_dirs[i], strlen(installed_dirs[i]));
    for (size_t i = 0; full && installed && i < nroots; i++)
        installed = strncmp(full, roots[i], strlen(roots[i])) != 0;
    clang_disposeString(name);
    return installed;
}

static enum CXChildVisitResult collect_calls(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    calls *cl = d;
    if (clang_getCursorKind(c) != CXCursor_CallExpr)
        return CXChildVisit_Recurse;
    CXCursor callee = clang_getCursorReferenced(c);
    if (clang_Cursor_isNull(callee) || clang_getCursorKind(callee) != CXCursor_FunctionDecl)
        return CXChildVisit_Recurse;
    if (installed_header(clang_getCursorLocation(callee)))
        return CXChildVisit_Recurse;
    CXString usr = clang_getCursorUSR(callee);
    const char *u = clang_getCString(usr);
    int i = u ? node_of(cl->s, u) : -1;
    if (i >= 0) {
        if (cl->n < 4096 && push((void **)&cl->out, &cl->n, sizeof *cl->out))
            cl->out[cl->n - 1] = i;
    } else if (u && *u) {
        urec *r = cl->s->r;
        bool seen = false;
        for (size_t k = 0; k < r->nexts && !seen; k++)
            seen = !strcmp(r->exts[k], u);
        if (!seen && push((void **)&r->exts, &r->nexts, sizeof *r->exts))
            r->exts[r->nexts - 1] = strdup(u);
    }
    clang_disposeString(usr);
    return CXChildVisit_Recurse;
}

/* Are two summaries the same in every field? */
static bool sum_equal(const fc_summary *a, const fc_summary *b)
{
    return same_for_callers(a, b) && a->derefs == b->derefs;
}

/* Summarize one function with the summaries known now (its CFG depends on
 * them too: a callee that never returns ends a block).  Returns true when
 * its summary changed (or appeared). */
static bool summarize_one(scan *s, size_t i, fc_summaries *sums, fc_tu_info *ti,
                          const struct fc_options *o)
{
    unsigned max_blocks = o && o->max_blocks ? o->max_blocks : 20000;
    fnode *nd = &s->v[i];
    nd->visits++;
    fc_func *fn = fc_func_build_with(s->tu, nd->decl, max_blocks, ti, sums);
    if (!fn)
        return false;
    fc_summary sum;
    bool changed = false;
    if (fc_memcheck_summarize(fn, o, &sum)) {
        fc_annot_apply(nd->decl, &sum); /* annotations are the contract */
        changed = !nd->has || !sum_equal(&nd->sum, &sum);
        nd->sum = sum;
        nd->has = true;
        if (!nd->name)
            nd->name = strdup(fn->name ? fn->name : "");
        fc_summaries_put(sums, nd->usr, fn->name, &sum);
    }
    fc_func_free(fn);
    return changed;
}

/* Every function of the unit, to a fixpoint over the unit's call graph:
 * first in post-order (callees before callers), then a worklist: a
 * function whose summary changed sends the functions that call it round
 * again, so recursion (a cycle, where the post-order had to go first with
 * an unknown callee) is iterated until nothing changes.  Each function is
 * summarized at most MAX_VISITS times (summaries are not guaranteed to be
 * monotone; the bound makes termination certain). */
#define MAX_VISITS 16

/* The fixpoint over the call graph in s (callees filled in); only over the
 * functions of mask when given (a set closed under calls). */
static void fixpoint(scan *s, fc_summaries *sums, fc_tu_info *ti, const struct fc_options *o, const bool *mask)
{
    size_t n = s->n;
    /* post-order (iterative depth-first search) */
    size_t *order = calloc(n, sizeof *order), no = 0;
    size_t *stack = calloc(n, sizeof *stack), *next = calloc(n, sizeof *next);
    size_t *pos = calloc(n, sizeof *pos);
    bool *queued = calloc(n, sizeof *queued);
    size_t *queue = calloc(n, sizeof *queue);
    if (!order || !stack || !next || !pos || !queued || !queue)
        goto out;
    for (size_t r = 0; r < n; r++) {
        if (s->v[r].state || (mask && !mask[r]))
            continue;
        size_t sp = 0;
        stack[sp++] = r;
        s->v[r].state = 1;
        while (sp) {
            size_t v = stack[sp - 1];
            if (next[v] < s->v[v].ncallees) {
                size_t w = (size_t)s->v[v].callees[next[v]++];
                if (!s->v[w].state) {
                    s->v[w].state = 1;
                    stack[sp++] = w;
                }
            } else {
                s->v[v].state = 2;
                pos[v] = no;
                order[no++] = v;
                sp--;
            }
        }
    }
    for (size_t k = 0; k < no; k++)
        summarize_one(s, order[k], sums, ti, o);
    /* A function that calls one summarized after it (a back edge of a
     * cycle, or itself) was summarized with a summary missing: queue it. */
    size_t qh = 0, qt = 0, qn = 0;
    for (size_t k = 0; k < no; k++) {
        size_t v = order[k];
        for (size_t c = 0; c < s->v[v].ncallees && !queued[v]; c++)
            if (pos[s->v[v].callees[c]] >= pos[v]) {
                queued[v] = true;
                queue[qt] = v;
                qt = (qt + 1) % n;
                qn++;
            }
    }
    while (qn) {
        size_t v = queue[qh];
        qh = (qh + 1) % n;
        qn--;
        queued[v] = false;
        if (s->v[v].visits >= MAX_VISITS) {
            s->r->unconverged++;
            continue;
        }
        s->r->requeued++;
        if (!summarize_one(s, v, sums, ti, o))
            continue;
        /* its callers in this unit go round again */
        for (size_t u = 0; u < n; u++) {
            if (queued[u] || (mask && !mask[u]))
                continue;
            for (size_t c = 0; c < s->v[u].ncallees; c++)
                if ((size_t)s->v[u].callees[c] == v) {
                    queued[u] = true;
                    queue[qt] = u;
                    qt = (qt + 1) % n;
                    qn++;
                    break;
                }
        }
    }
out:
    free(order);
    free(stack);
    free(next);
    free(pos);
    free(queued);
    free(queue);
}

/* The call graph: callees of each function (collect_calls also records the
 * unit's external callees). */
static void call_graph(scan *s)
{
    for (size_t i = 0; i < s->n; i++) {
        calls cl = {s, NULL, 0, 0};
        clang_visitChildren(s->v[i].decl, collect_calls, &cl);
        s->v[i].callees = cl.out;
        s->v[i].ncallees = cl.n;
    }
}

/* Does a function of the unit call itself, directly or through others? */
static bool has_cycle(const scan *s)
{
    size_t n = s->n;
    unsigned char *color = calloc(n + 1, 1);   /* 0 new, 1 on the path, 2 done */
    size_t *stack = calloc(n + 1, sizeof *stack), *next = calloc(n + 1, sizeof *next);
    bool cyc = !color || !stack || !next;      /* out of memory: take the general way */
    for (size_t r = 0; r < n && !cyc; r++) {
        if (color[r])
            continue;
        size_t sp = 0;
        stack[sp++] = r;
        color[r] = 1;
        while (sp && !cyc) {
            size_t v = stack[sp - 1];
            if (next[v] < s->v[v].ncallees) {
                size_t w = (size_t)s->v[v].callees[next[v]++];
                if (color[w] == 1)
                    cyc = true;
                else if (!color[w]) {
                    color[w] = 1;
                    stack[sp++] = w;
                }
            } else {
                color[v] = 2;
                sp--;
            }
        }
    }
    free(color);
    free(stack);
    free(next);
    return cyc;
}

/* Every function's summary, static ones too, into the record: the checking
 * pass of this unit consults them where its own single post-order pass
 * meets a cycle (summary.h's provider). */
static void defs_out(scan *s)
{
    size_t n = s->n;
    urec *r = s->r;
    for (size_t i = 0; i < n; i++)
        if (s->v[i].has && push((void **)&r->defs, &r->ndefs, sizeof *r->defs)) {
            r->defs[r->ndefs - 1].usr = strdup(s->v[i].usr);
            r->defs[r->ndefs - 1].name = strdup(s->v[i].name ? s->v[i].name : "");
            r->defs[r->ndefs - 1].sum = s->v[i].sum;
        }
}

/* ---- Summaries and findings from one analysis ---- */

/* The unit's own functions by USR (sorted), for the two callbacks below. */
typedef struct ownent {
    const char *usr;
    size_t idx;
} ownent;

typedef struct ownset {
    ownent *v;
    size_t n;
    const bool *allowed; /* (analyze_cyclic) functions the provider may be asked for, */
    const fc_summary *fix; /* with their summaries from the fixpoint when fixed[] */
    const bool *fixed;
    scan *s;           /* (analyze_once) where the summaries go */
    urec *r;           /* (check_early) the record that lists what was asked */
    bool asked;        /* the checks asked the provider for one of them */
} ownset;

static ownset *watching;

static long own_find(const ownset *w, const char *usr)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(w->v[mid].usr, usr);
        if (!c)
            return (long)w->v[mid].idx;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static bool provider(void *ctx, const char *usr, fc_summary *out);

/* The provider while the checks run on the pre-pass parse: a question
 * about one of the unit's own functions means its summary was wanted
 * before it was computed (a call through a pointer to it); that unit
 * takes the general way. */
static bool provider_watch(void *ctx, const char *usr, fc_summary *out)
{
    long own = watching ? own_find(watching, usr) : -1;
    if (own >= 0) {
        bool allowed = watching->allowed && watching->allowed[own];
        if (!allowed)
            watching->asked = true;
        urec *r = watching->r;
        bool seen = false;
        for (size_t i = 0; r && i < r->nasked && !seen; i++)
            seen = !strcmp(r->asked[i], usr);
        if (r && !seen && push((void **)&r->asked, &r->nasked, sizeof *r->asked))
            r->asked[r->nasked - 1] = strdup(usr);
        if (allowed && watching->fixed[own]) {
            *out = watching->fix[own];   /* as in the table the checking pass will have */
            return true;
        }
    }
    return provider(ctx, usr, out);
}

static void take_sum(void *ctx, const char *usr, const char *name, const fc_summary *sum)
{
    ownset *w = ctx;
    long i = own_find(w, usr);
    if (i < 0)
        return;
    fnode *nd = &w->s->v[i];
    nd->sum = *sum;
    nd->has = true;
    if (!nd->name)
        nd->name = strdup(name ? name : "");
}

static int cmp_own(const void *a, const void *b)
{
    return strcmp(((const ownent *)a)->usr, ((const ownent *)b)->usr);
}

/*
 * The unit's summaries and its findings from one run of the checks
 * (driver.c's analysis, which summarizes each function in post-order with
 * the dataflow that checks it), instead of a summarizing pass and then the
 * checks.  The two give the same summaries when no function of the unit is
 * needed before it is summarized: no recursion in the unit's call graph,
 * and no question to the provider about one of its own functions (a call
 * through a local pointer to it); otherwise NULL, and the caller takes the
 * general way (fixpoint, then the checks).  Returns the findings.
 */
static fc_diag_sink *analyze_once(CXTranslationUnit tu, scan *s, const struct fc_options *o, const bool *allowed,
                                  const fc_summary *fix, const bool *fixed, urec *r)
{
    ownset w = {calloc(s->n + 1, sizeof *w.v), s->n, allowed, fix, fixed, s, r, false};
    if (!w.v)
        return NULL;
    for (size_t i = 0; i < s->n; i++)
        w.v[i] = (ownent){s->v[i].usr ? s->v[i].usr : "", i};
    qsort(w.v, w.n, sizeof *w.v, cmp_own);
    const char *saved = fc_get_path_base();
    char here[PATH_MAX];
    fc_set_path_base(getcwd(here, sizeof here) ? here : NULL);
    fc_diag_sink *sink = fc_diag_sink_new(o);
    watching = &w;
    fc_summaries_set_provider(provider_watch, NULL);
    fc_analyze_parsed_all(tu, sink, o, take_sum, &w);
    fc_summaries_set_provider(provider, NULL);
    watching = NULL;
    fc_set_path_base(saved);
    free(w.v);
    if (!w.asked)
        return sink;
    fc_diag_sink_free(sink);
    for (size_t i = 0; i < s->n; i++)
        s->v[i].has = false;
    return NULL;
}


static void include_visit(CXFile file, CXSourceLocation *stack, unsigned len, CXClientData d)
{
    (void)stack;
    (void)len;
    urec *r = d;
    CXString name = clang_getFileName(file);
    const char *p = clang_getCString(name);
    hkey h;
    if (p && *p && h_file_memo(p, &h) && push((void **)&r->deps, &r->ndeps, sizeof *r->deps)) {
        r->deps[r->ndeps - 1].path = strdup(p);
        r->deps[r->ndeps - 1].h = h;
    }
    clang_disposeString(name);
}


static void findings_key(urec *r, const struct fc_options *o);
static void write_findings(urec *r, fc_diag_sink *sink);

/* The checks run on the pre-pass parse too, with the summaries known in
 * this round, and their findings are stored under the findings key of
 * those summaries.  When the fixpoint ends with the same summaries for
 * every external callee of the unit (always for a unit that calls no
 * function of another unit, and for any unit whose callees' summaries were
 * already cached), the checking pass finds that entry and replays it: the
 * unit is parsed once, not twice.  Otherwise the key differs and the
 * checking pass parses and checks with the final summaries as before. */
/*
 * The same for a unit with recursion: the functions of its cycles and every
 * function they call (a set closed under calls) go to their fixpoint first,
 * summaries only, and into this worker's table; then one run of the checks
 * summarizes every function again, meeting the cycles' back edges in the
 * table.  A function summarized with its callees' final summaries has its
 * final summary, so the run must give the fixpoint's summaries back; if one
 * differs, or the fixpoint stopped at its bound, or the checks asked about
 * a function outside the set, NULL (the general way).  The functions
 * outside the cycles' set are summarized once instead of twice.
 */
static fc_diag_sink *analyze_cyclic(CXTranslationUnit tu, scan *s, urec *r, const struct fc_options *o)
{
    size_t n = s->n;
    bool *clos = calloc(n + 1, sizeof *clos);
    size_t *stack = calloc(n + 1, sizeof *stack);
    fc_summary *fix = calloc(n + 1, sizeof *fix);
    bool *fixed = calloc(n + 1, sizeof *fixed);
    fc_diag_sink *sink = NULL;
    if (!clos || !stack || !fix || !fixed)
        goto out;
    /* the functions on a cycle: those that reach themselves */
    for (size_t v = 0; v < n; v++) {
        bool *seen = calloc(n + 1, sizeof *seen);
        if (!seen)
            goto out;
        size_t sp = 0;
        for (size_t c = 0; c < s->v[v].ncallees; c++) {
            size_t w = (size_t)s->v[v].callees[c];
            if (!seen[w]) {
                seen[w] = true;
                stack[sp++] = w;
            }
        }
        while (sp && !seen[v]) {
            size_t x = stack[--sp];
            for (size_t c = 0; c < s->v[x].ncallees; c++) {
                size_t w = (size_t)s->v[x].callees[c];
                if (!seen[w]) {
                    seen[w] = true;
                    stack[sp++] = w;
                }
            }
        }
        clos[v] = seen[v];
        free(seen);
    }
    /* ... and everything they call */
    size_t sp = 0;
    for (size_t v = 0; v < n; v++)
        if (clos[v])
            stack[sp++] = v;
    while (sp) {
        size_t x = stack[--sp];
        for (size_t c = 0; c < s->v[x].ncallees; c++) {
            size_t w = (size_t)s->v[x].callees[c];
            if (!clos[w]) {
                clos[w] = true;
                stack[sp++] = w;
            }
        }
    }
    fc_summaries *sums = fc_summaries_new();
    fc_run_summary_passes(tu, sums, o);
    fc_tu_info *ti = fc_tu_info_build(tu);
    fixpoint(s, sums, ti, o, clos);
    fc_tu_info_free(ti);
    fc_summaries_free(sums);
    fc_children_cache_reset();
    if (r->unconverged)
        goto out;
    for (size_t v = 0; v < n; v++)
        if (clos[v] && s->v[v].has) {
            fix[v] = s->v[v].sum;
            fixed[v] = true;
        }
    for (size_t v = 0; v < n; v++)
        s->v[v].has = false;
    /* the own functions asked for are listed in the record (findings key) */
    sink = analyze_once(tu, s, o, clos, fix, fixed, r);
    for (size_t v = 0; sink && v < n; v++)
        if (clos[v] && (fixed[v] != s->v[v].has || (fixed[v] && !sum_equal(&fix[v], &s->v[v].sum)))) {
            fc_diag_sink_free(sink);
            sink = NULL;
        }
out:
    if (!sink) {
        /* the general way starts afresh */
        for (size_t v = 0; v < n; v++) {
            s->v[v].state = 0;
            s->v[v].visits = 0;
            s->v[v].has = false;
        }
        r->requeued = r->unconverged = 0;
        for (size_t i = 0; i < r->nasked; i++)
            free(r->asked[i]);
        free(r->asked);
        r->asked = NULL;
        r->nasked = 0;
    }
    free(clos);
    free(stack);
    free(fix);
    free(fixed);
    return sink;
}

static void store_early(urec *r, const struct fc_options *o, fc_diag_sink *sink);

static void check_early(CXTranslationUnit tu, urec *r, const struct fc_options *o)
{
    const char *saved = fc_get_path_base();
    char here[PATH_MAX];
    fc_set_path_base(getcwd(here, sizeof here) ? here : NULL);
    fc_diag_sink *sink = fc_diag_sink_new(o);
    /* which of its own functions the checks take from the provider */
    ownset w = {calloc(r->ndefs + 1, sizeof *w.v), r->ndefs, NULL, NULL, NULL, NULL, r, false};
    if (w.v) {
        for (size_t i = 0; i < r->ndefs; i++)
            w.v[i] = (ownent){r->defs[i].usr ? r->defs[i].usr : "", i};
        qsort(w.v, w.n, sizeof *w.v, cmp_own);
        watching = &w;
        fc_summaries_set_provider(provider_watch, NULL);
    }
    fc_analyze_parsed(tu, sink, o);
    fc_summaries_set_provider(provider, NULL);
    watching = NULL;
    free(w.v);
    store_early(r, o, sink);
    fc_diag_sink_free(sink);
    fc_set_path_base(saved);
}

/* Store findings of the pre-pass under the findings key of the summaries
 * they were computed with, and note the entry. */
static void store_early(urec *r, const struct fc_options *o, fc_diag_sink *sink)
{
    findings_key(r, o);
    write_findings(r, sink);
    /* note the entry: the parent removes it if it is not the final one */
    char uk[33], path[PATH_MAX + 160];
    h_hex(&r->key, uk);
    snprintf(path, sizeof path, "%s/%s.early", find_dir, uk);
    FILE *f = fopen(path, "ae");
    if (f) {
        fprintf(f, "%s\n", r->fkey);
        fclose(f);
    }
    r->fkey[0] = 0;
}

static void compute(urec *r, const fc_unit *u, CXIndex idx, const struct fc_options *o)
{
    rec_clear(r);
    if (!fc_unit_is_c(u)) {
        /* C++ and others in a mixed database are not ours, as in the
         * checking pass (driver.c): no summaries, no early findings */
        r->valid = true;
        in_hash(r, &r->inhash);
        r->has_in = true;
        r->computed = true;
        stats.computed++;
        return;
    }
    int cwd = enter(u);
    if (cwd == -2)
        return;
    int nargs = 0;
    char **args = fc_clang_args(u, &nargs);
    CXTranslationUnit tu = NULL;
    unsigned flags = CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
    enum CXErrorCode ec = clang_parseTranslationUnit2(idx, u->file, (const char *const *)args, nargs,
                                                      NULL, 0, flags, &tu);
    fc_free_args(args, nargs);
    bool errors = false;
    for (unsigned i = 0; tu && i < clang_getNumDiagnostics(tu) && !errors; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        errors = clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error;
        clang_disposeDiagnostic(d);
    }
    if (ec == CXError_Success && tu && errors) {
        /* Like the checks, no summaries from a unit that does not compile. */
        clang_getInclusions(tu, include_visit, r);
        r->valid = true;
        in_hash(r, &r->inhash);
        r->has_in = true;
    } else if (ec == CXError_Success && tu) {
        clang_getInclusions(tu, include_visit, r);
        scan s = {NULL, 0, r, tu};
        clang_visitChildren(clang_getTranslationUnitCursor(tu), collect_defs, &s);
        /* the external callees of every function are recorded on the way
         * (the findings key must cover every summary the checks consult) */
        call_graph(&s);
        /* checked on this parse too: summaries and findings from one run
         * of the checks when the unit allows it */
        fc_diag_sink *early = NULL;
        if (have_find && o && r->early)
            early = has_cycle(&s) ? analyze_cyclic(tu, &s, r, o) : analyze_once(tu, &s, o, NULL, NULL, NULL, NULL);
        if (early) {
            defs_out(&s);
        } else if (s.n) {
            /* every function, static ones too, to a fixpoint inside the unit */
            fc_summaries *sums = fc_summaries_new();
            fc_run_summary_passes(tu, sums, o);
            fc_tu_info *ti = fc_tu_info_build(tu);
            fixpoint(&s, sums, ti, o, NULL);
            defs_out(&s);
            fc_tu_info_free(ti);
            fc_summaries_free(sums);
        }
        for (size_t i = 0; i < s.n; i++) {
            free(s.v[i].usr);
            free(s.v[i].name);
            free(s.v[i].callees);
        }
        free(s.v);
        r->valid = true;
        in_hash(r, &r->inhash);
        r->has_in = true;
        /* (a worker's own copy of the table) the checks below see this
         * unit's converged summaries, as the checking pass will */
        for (size_t k = 0; k < r->ndefs; k++)
            g_put(r->defs[k].usr, &r->defs[k].sum, (size_t)(r - recs));
        if (early) {
            store_early(r, o, early);
            fc_diag_sink_free(early);
        } else if (have_find && o && r->early) {
            check_early(tu, r, o);
        }
    }
    /* the children, operator and walk caches hold this unit's AST nodes */
    fc_children_cache_reset();
    if (tu)
        clang_disposeTranslationUnit(tu);
    leave(cwd);
    r->computed = true;
    stats.computed++;
}

/* Compute the dirty units of a round in worker processes, one unit per
 * process and at most `jobs` at a time; each writes its record into dir and
 * the parent reads it back.  libclang can crash on odd input: a worker that
 * dies costs that unit its summaries, never the run. */
static void compute_parallel(const fc_unit *units, size_t n, const struct fc_options *o, unsigned jobs,
                             const char *dir)
{
    if (jobs < 1)
        jobs = 1;
    if (jobs > 64)
        jobs = 64;
    unsigned running = 0;
    size_t next = 0;
    pid_t *pids = calloc(n, sizeof *pids);
    bool *done = calloc(n, sizeof *done);   /* its worker exited normally */
    fflush(NULL);
    for (;;) {
        while (running < jobs && next < n) {
            size_t i = next++;
            if (!recs[i].go)
                continue;
            pid_t pid = fork();
            if (pid > 0 && pids)
                pids[i] = pid;
            if (pid == 0) {
                alarm(300);
                CXIndex cidx = clang_createIndex(0, 0);
                compute(&recs[i], &units[i], cidx, o);
                if (recs[i].valid)
                    save_rec(dir, &recs[i]);
                _exit(0);
            }
            if (pid > 0)
                running++;
        }
        if (running == 0)
            break;
        int st;
        pid_t w = wait(&st);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        running--;
        /* A worker that died costs its unit the summaries of this run: say
         * which (FERRUM_CACHE_STATS), it may be a bug worth reporting. */
        bool bad = WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) != 0);
        for (size_t i = 0; pids && done && !bad && i < n; i++)
            if (pids[i] == w)
                done[i] = true;
        for (size_t i = 0; pids && bad && i < n; i++)
            if (pids[i] == w && getenv("FERRUM_CACHE_STATS"))
                fprintf(stderr, "ferrum-check: summaries of %s not computed: worker %s %d\n", units[i].file,
                        WIFSIGNALED(st) ? "killed by signal" : "exited with status",
                        WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
    }
    free(pids);
    for (size_t i = 0; i < n; i++) {
        urec *r = &recs[i];
        if (!r->go)
            continue;
        rec_clear(r);
        /* not an entry an earlier round (or run) left under the same name */
        if ((!done || done[i]) && load_rec(dir, r, &units[i])) {
            stats.computed++;
            stats.requeued += r->requeued;
            stats.unconverged += r->unconverged;
        }
        r->computed = true; /* loaded, or its worker failed: no summaries this run */
    }
    free(done);
}

/* ---- The order of the computations (unit_order.c) ---- */

/* The lexical guess of a unit's definitions and calls, for units that have
 * no record yet (read once per run). */
static fc_lexrefs *lex;
static bool *lexed;

typedef struct nameu {
    const char *name;
    size_t unit;
} nameu;

static int cmp_nameu(const void *a, const void *b)
{
    const nameu *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->unit > y->unit) - (x->unit < y->unit);
}

/* The name of a function with external linkage from its USR, else NULL. */
static const char *extern_name(const char *usr)
{
    return !strncmp(usr, "c:@F@", 5) && usr[5] ? usr + 5 : NULL;
}

static void add_nameu(nameu **v, size_t *nv, size_t *cap, const char *name, size_t unit)
{
    if (*nv == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        *v = fc_xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*nv)++] = (nameu){name, unit};
}

/*
 * The levels of the units to compute in this round: an edge from a unit to
 * every other unit to compute that defines a function it calls, weighed by
 * the number of such functions.  Exact for a unit with a record (its
 * external callees and definitions as parsed), guessed from the source for
 * the others.  Units of level 0 are computed first, and so on.
 */
static unsigned order_dirty(const fc_unit *units, size_t n, unsigned *wave, unsigned *level, bool *back)
{
    if (!lex) {
        lex = calloc(n, sizeof *lex);
        lexed = calloc(n, sizeof *lexed);
    }
    nameu *defs = NULL, *calls = NULL;
    size_t nd = 0, dcap = 0, nc = 0, ccap = 0;
    for (size_t i = 0; i < n; i++) {
        wave[i] = level[i] = 0;
        back[i] = false;
        urec *r = &recs[i];
        if (!r->dirty)
            continue;
        if (r->valid) {
            for (size_t k = 0; k < r->ndefs; k++) {
                const char *nm = extern_name(r->defs[k].usr);
                if (nm)
                    add_nameu(&defs, &nd, &dcap, nm, i);
            }
            for (size_t k = 0; k < r->nexts; k++) {
                const char *nm = extern_name(r->exts[k]);
                if (nm)
                    add_nameu(&calls, &nc, &ccap, nm, i);
            }
            continue;
        }
        if (!lex || !lexed)
            continue;
        if (!lexed[i] && fc_unit_is_c(&units[i])) {
            int cwd = enter(&units[i]);
            if (cwd != -2)
                fc_lex_refs(units[i].file, &lex[i]);
            leave(cwd);
        }
        lexed[i] = true;
        for (size_t k = 0; k < lex[i].ndefs; k++)
            add_nameu(&defs, &nd, &dcap, lex[i].defs[k], i);
        for (size_t k = 0; k < lex[i].ncalls; k++)
            add_nameu(&calls, &nc, &ccap, lex[i].calls[k], i);
    }
    if (nd)
        qsort(defs, nd, sizeof *defs, cmp_nameu);
    fc_uedge *edges = NULL;
    size_t ne = 0, ecap = 0;
    for (size_t k = 0; k < nc; k++) {
        /* the first definition of the name, then every other one */
        size_t lo = 0, hi = nd;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(defs[mid].name, calls[k].name) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t d = lo; d < nd && !strcmp(defs[d].name, calls[k].name); d++) {
            if (defs[d].unit == calls[k].unit)
                continue;
            if (ne && edges[ne - 1].from == calls[k].unit && edges[ne - 1].to == defs[d].unit) {
                edges[ne - 1].w++;
                continue;
            }
            if (ne == ecap) {
                ecap = ecap ? ecap * 2 : 1024;
                edges = fc_xrealloc(edges, ecap * sizeof *edges);
            }
            edges[ne++] = (fc_uedge){calls[k].unit, defs[d].unit, 1};
        }
    }
    /* (a pair met again later is a second edge: their weights add up) */
    unsigned nwave = fc_unit_levels(n, edges, ne, wave, level, back);
    free(edges);
    free(defs);
    free(calls);
    return nwave;
}

/* A whole file into memory, NUL-terminated (*len without the NUL). */
static bool slurp(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return false;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        if (got == 0)
            break;
        n += got;
    }
    bool err = ferror(f) != 0;
    fclose(f);
    if (err) {
        free(buf);
        return false;
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return true;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[PATH_MAX + 300];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Entries not used for 30 days go, and temporary files of writers that
 * died (older than an hour).  Used entries are touched when read. */
static void prune(void)
{
    DIR *d = opendir(cache_dir);
    if (!d)
        return;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        bool tmp = !strncmp(e->d_name, ".tmp.", 5);
        size_t len = strlen(e->d_name);
        bool entry = len > 4 && (!strcmp(e->d_name + len - 4, ".sum") || !strcmp(e->d_name + len - 5, ".find"));
        if (!tmp && !entry)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, 0) != 0)
            continue;
        if (now - st.st_mtime > (tmp ? 3600 : 30 * 86400))
            unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}

/* ---- Findings keys ---- */

static void findings_key(urec *r, const struct fc_options *o)
{
    hkey k = r->key;
    h_str(&k, MAGIC_FIND);
    h_bytes(&k, &o->enabled, sizeof o->enabled);
    h_str(&k, o->checks_spec);
    /* Every file the unit includes, as it is now (a header edit changes findings). */
    for (size_t i = 0; i < r->ndeps; i++) {
        h_str(&k, r->deps[i].path);
        h_bytes(&k, &r->deps[i].h, sizeof r->deps[i].h);
    }
    for (size_t i = 0; i < r->nexts; i++) {
        gent *e = g_find(r->exts[i]);
        h_str(&k, r->exts[i]);
        if (e && !e->conflict)
            h_sum(&k, &e->sum);
        else if (e)
            h_str(&k, "!");
    }
    /* Its own functions the checks asked the provider for (a cycle): one
     * that another unit defines differently is unknown there. */
    for (size_t i = 0; i < r->nasked; i++) {
        gent *e = g_find(r->asked[i]);
        h_str(&k, r->asked[i]);
        h_str(&k, e && e->conflict ? "!" : "");
    }
    h_hex(&k, r->fkey);
}

/* Remove the findings entries stored by check_early() under keys that did
 * not turn out final (r->fkey, when set). */
static void drop_early(urec *r)
{
    char uk[33], path[PATH_MAX + 160], line[64];
    h_hex(&r->key, uk);
    snprintf(path, sizeof path, "%s/%s.early", find_dir, uk);
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    bool keep_final = r->fkey[0] != 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (strlen(line) != 32 || (keep_final && !strcmp(line, r->fkey)))
            continue;
        char fp[PATH_MAX + 160];
        snprintf(fp, sizeof fp, "%s/%s.find", find_dir, line);
        unlink(fp);
    }
    fclose(f);
    unlink(path);
}

/* ---- The driver's entry points ---- */

/* The name in a function's USR ("c:@F@name", "c:file.c@F@name"). */
static const char *usr_name(const char *usr)
{
    const char *p = usr, *q;
    while ((q = strstr(p, "@F@")) != NULL)
        p = q + 3;
    return p;
}

/* Units of the database that were not named and have no cache entry
 * matter only if a named unit calls a function they may define: one
 * declared outside the system headers (collect_calls) that no summary
 * describes; not ferrum's own fr_/fr__ names (the API the checks model and
 * the internals its inline functions call), nor a compiler builtin.  The
 * note names a few of them.  A unit without a record (a single file named,
 * no cache entry) has no list of its callees: then the note counts units. */
static void note_unknown_callees(size_t n, size_t others_missing)
{
    const char **names = NULL;
    size_t nnames = 0;
    bool blind = false;
    for (size_t i = 0; i < n; i++) {
        const urec *r = &recs[i];
        if (!r->valid) {
            blind = true;
            continue;
        }
        for (size_t k = 0; k < r->nexts && nnames < 4096; k++) {
            const char *name = usr_name(r->exts[k]);
            if (g_find(r->exts[k]) || !*name || !strncmp(name, "fr_", 3) ||
                !strncmp(name, "__builtin_", 10) || !strncmp(name, "__atomic_", 9) || !strncmp(name, "__sync_", 7))
                continue;
            /* the C library's, declared by a sysroot outside /usr (cross
             * builds, Nix): this process has the same names (QA6 T18) */
            if (dlsym(RTLD_DEFAULT, name))
                continue;
            bool dup = false;
            for (size_t m = 0; m < nnames && !dup; m++)
                dup = !strcmp(names[m], name);
            if (!dup && push((void **)&names, &nnames, sizeof *names))
                names[nnames - 1] = name;
        }
    }
    if (nnames) {
        char list[256] = "";
        size_t len = 0;
        for (size_t m = 0; m < nnames && m < 3 && len < sizeof list; m++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'", m ? ", " : "", names[m]);
        fprintf(stderr,
                "ferrum-check: note: %zu function%s called here (%s%s) ha%s no summary: if %s defined in "
                "the %zu unit%s of the database not analyzed yet, a run over the whole database fills "
                "the cache\n",
                nnames, nnames == 1 ? "" : "s", list, nnames > 3 ? ", ..." : "", nnames == 1 ? "s" : "ve",
                nnames == 1 ? "it is" : "they are", others_missing, others_missing == 1 ? "" : "s");
    } else if (blind) {
        fprintf(stderr,
                "ferrum-check: note: %zu other unit%s of the database %s no cached summaries: what %s "
                "define%s is unknown here (a run over the whole database fills the cache)\n",
                others_missing, others_missing == 1 ? "" : "s", others_missing == 1 ? "has" : "have",
                others_missing == 1 ? "it" : "they", others_missing == 1 ? "s" : "");
    }
    free(names);
}

void fc_summary_cache_prepare(const fc_unit *units, size_t n, const fc_unit *others, size_t nothers,
                              const struct fc_options *o)
{
    memset(&stats, 0, sizeof stats);
    stats.units = n;
    const char *xf = getenv("FERRUM_CROSSFILE");
    if (xf && !strcmp(xf, "0"))
        return; /* each unit with its own summaries only (for comparisons) */
    have_dir = choose_dir(o, n);
    stats.dir = have_dir ? cache_dir : NULL;
    if (n < 2 && !have_dir)
        return; /* one file and no cache: its own summaries are enough */
    /* One unit with a cache directory: there is no other unit to take
     * summaries from, and the checking pass computes the unit's own; a
     * valid entry (left by an earlier run over the whole database) still
     * lets its findings be replayed, but a missing one is not computed:
     * that would parse the unit twice to save nothing but a later replay. */
    bool single = n == 1;
    if (have_dir)
        prune();
    recs = calloc(n, sizeof *recs);
    if (!recs)
        return;
    base_units = units;
    nunits = n;
    for (size_t i = 0; i < n; i++)
        add_root(&units[i]);
    for (size_t j = 0; j < nothers; j++)
        add_root(&others[j]);

    /* Load what is still valid. */
    for (size_t i = 0; i < n; i++) {
        urec *r = &recs[i];
        r->keyed = unit_key(&units[i], &r->key);
        if (!r->keyed)
            continue;
        if (have_dir && load_rec(cache_dir, r, &units[i]))
            stats.hits++;
        else if (!single)
            r->dirty = true;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; recs[i].valid && k < recs[i].ndefs; k++)
            g_put(recs[i].defs[k].usr, &recs[i].defs[k].sum, i);
    /* The units of the database that were not named (-p with files): the
     * summaries their cache entries hold, when still valid; nothing is
     * computed for them (that would parse the whole codebase to check one
     * file).  Without an entry their functions are unknown, and a note
     * says how to fill the cache. */
    size_t others_missing = 0;
    for (size_t j = 0; j < nothers; j++) {
        urec tmp;
        memset(&tmp, 0, sizeof tmp);
        if (have_dir && unit_key(&others[j], &tmp.key) && load_rec(cache_dir, &tmp, &others[j]))
            for (size_t k = 0; tmp.valid && k < tmp.ndefs; k++)
                g_put(tmp.defs[k].usr, &tmp.defs[k].sum, n + j);
        else if (fc_unit_is_c(&others[j]))
            others_missing++;
        rec_clear(&tmp);
    }
    fc_summaries_set_provider(provider, NULL);

    /* Compute what changed, then iterate to a fixpoint across files: a
     * unit is (re)computed when it has no valid record or when the
     * summaries of the functions it calls in other units are not the ones
     * its record was computed with (in_hash).  Recomputing it may change
     * its own functions' summaries, which sends its callers' units round
     * again; it stops when every record matches the table.  MAX_ROUNDS
     * only guards against summaries that oscillate (none is known). */
    bool unloaded = false;   /* some unit has no record yet: its summaries are not in the table */
    for (size_t i = 0; i < n; i++)
        unloaded |= recs[i].dirty;
    char tmpdir[PATH_MAX];
    const char *dir = have_dir ? cache_dir : NULL;
    if (!dir) {
        const char *t = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/ferrum-sum.XXXXXX", t && *t ? t : "/tmp");
        dir = mkdtemp(tmpdir);
    }
    if (dir) {
        snprintf(find_dir, sizeof find_dir, "%s", dir);
        have_find = true;
    }
    unsigned *wave = calloc(n, sizeof *wave), *level = calloc(n, sizeof *level);
    bool *back = calloc(n, sizeof *back), *here = calloc(n, sizeof *here);
    for (unsigned round = 0; wave && level && back && here; round++) {
        for (size_t i = 0; i < n; i++) {
            urec *r = &recs[i];
            /* Until the units without a record are computed, their callers
             * would see their functions as missing: compare from round 1. */
            if (!r->keyed || r->dirty || !r->valid || (round == 0 && unloaded))
                continue;
            hkey now;
            in_hash(r, &now);
            if (!r->has_in || now.a != r->inhash.a || now.b != r->inhash.b)
                r->dirty = true;
        }
        bool any = false;
        for (size_t i = 0; i < n; i++)
            any |= recs[i].dirty;
        if (!any) {
            stats.converged = true;
            break;
        }
        if (round == MAX_ROUNDS) {
            for (size_t i = 0; i < n; i++)
                recs[i].dirty = false;
            break;
        }
        for (size_t i = 0; i < n; i++)
            if (recs[i].dirty)
                recs[i].computed = false;
        unsigned jobs = o && o->jobs > 1 ? o->jobs : 1;
        /* Callees first (unit_order.c): a wave at a time; inside a wave, a
         * level at a time, each level computed from the summaries of what
         * came before it; then the units of the wave whose callees changed
         * (a cycle) go again, until the wave agrees with itself, before any
         * of its callers is computed. */
        unsigned nwave = order_dirty(units, n, wave, level, back);
        size_t most = 0;   /* passes of the wave that needed most */
        bool bounded = false;
        for (unsigned wv = 0; wv < nwave; wv++) {
            size_t pass = 0;
            for (size_t i = 0; i < n; i++)
                here[i] = recs[i].dirty && wave[i] == wv;
            for (;; pass++) {
                unsigned top = 0;
                bool any_w = false;
                for (size_t i = 0; i < n; i++)
                    if (here[i] && recs[i].dirty) {
                        any_w = true;
                        if (level[i] > top)
                            top = level[i];
                    }
                if (!any_w || pass == MAX_ROUNDS)
                    break;
                for (unsigned lv = 0; lv <= top; lv++) {
                    bool batch = false;
                    for (size_t i = 0; i < n; i++) {
                        recs[i].go = here[i] && recs[i].dirty && level[i] == lv;
                        /* checked on this parse unless a callee of its
                         * cycle comes later in this pass */
                        recs[i].early = !back[i] || pass > 0;
                        batch |= recs[i].go;
                    }
                    if (!batch)
                        continue;
                    if (dir)
                        compute_parallel(units, n, o, jobs, dir);
                    for (size_t i = 0; i < n; i++) {
                        urec *r = &recs[i];
                        if (!r->go)
                            continue;
                        r->go = false;
                        r->dirty = false;
                        if (!r->valid)
                            r->keyed = false;   /* its worker failed: no summaries this run, not again */
                        for (size_t k = 0; k < r->ndefs; k++)
                            g_put(r->defs[k].usr, &r->defs[k].sum, i);
                    }
                }
                /* the wave's units whose callees' summaries moved since */
                for (size_t i = 0; i < n; i++) {
                    urec *r = &recs[i];
                    if (!here[i] || !r->keyed || !r->valid)
                        continue;
                    hkey now;
                    in_hash(r, &now);
                    if (!r->has_in || now.a != r->inhash.a || now.b != r->inhash.b)
                        r->dirty = true;
                }
            }
            for (size_t i = 0; i < n; i++)
                if (here[i])
                    recs[i].dirty = false;
            if (pass > most)
                most = pass;
            bounded |= pass == MAX_ROUNDS;
        }
        stats.rounds += most;
        if (bounded)
            break;   /* summaries that oscillate: stop (not "fixpoint reached") */
    }
    free(wave);
    free(here);
    free(level);
    free(back);
    for (size_t i = 0; lex && i < n; i++)
        fc_lexrefs_free(&lex[i]);
    free(lex);
    free(lexed);
    lex = NULL;
    lexed = NULL;
    stats.functions = gn;
    if (others_missing && !(o && o->quiet))
        note_unknown_callees(n, others_missing);
    if (getenv("FERRUM_CACHE_STATS"))
        fprintf(stderr, "ferrum-check: summaries: %zu units, %zu from the cache, %zu computed in %zu round%s, "
                        "%zu functions, %s (%zu re-summarized in a unit, %zu stopped at the bound)\n",
                stats.units, stats.hits, stats.computed, stats.rounds, stats.rounds == 1 ? "" : "s",
                stats.functions, stats.converged ? "fixpoint reached" : "stopped at the round bound",
                stats.requeued, stats.unconverged);

    for (size_t i = 0; i < n; i++) {
        urec *r = &recs[i];
        if (have_dir && r->computed && r->valid)
            save_rec(cache_dir, r);
        if (have_find && r->valid)
            findings_key(r, o);
        if (have_find && r->keyed)
            drop_early(r);
        if (have_find && r->valid) {
            char fp[PATH_MAX + 160];
            snprintf(fp, sizeof fp, "%s/%s.find", find_dir, r->fkey);
            if (have_dir) {
                if (access(fp, R_OK) == 0)
                    stats.ready++;
            } else if (slurp(fp, &r->fbuf, &r->flen)) {
                stats.ready++;   /* the checking pass replays it from memory */
            } else {
                r->fkey[0] = 0;
            }
        }
    }
    if (have_find && !have_dir) {
        remove_dir(find_dir);
        have_find = false;
    }
    if (getenv("FERRUM_CACHE_STATS"))
        fprintf(stderr, "ferrum-check: findings: %zu units answered without a parse of the checking pass\n",
                stats.ready);
}

static urec *rec_of(const fc_unit *u)
{
    if (!recs || !base_units || u < base_units || u >= base_units + nunits)
        return NULL;
    urec *r = &recs[u - base_units];
    return r->fkey[0] ? r : NULL;
}

bool fc_summary_cache_replay(const fc_unit *u, fc_diag_sink *sink, const struct fc_options *o,
                             int *status)
{
    (void)o;
    urec *r = rec_of(u);
    if (!r || (!have_dir && !r->fbuf))
        return false;
    char path[PATH_MAX + 160];
    snprintf(path, sizeof path, "%s/%s.find", cache_dir, r->fkey);
    char *buf = NULL;
    size_t len = 0;
    if (!have_dir) {
        /* taken over: a unit is replayed once */
        buf = r->fbuf;
        len = r->flen;
        r->fbuf = NULL;
    } else if (!slurp(path, &buf, &len)) {
        return false;
    }
    /* A whole entry: the magic line first, "COUNT\t<n>" last. */
    size_t ml = strlen(MAGIC_FIND);
    char *last = len >= 2 ? buf + len - 2 : buf;
    while (last > buf && *last != '\n')
        last--;
    if (*last == '\n')
        last++;
    long count = -1;
    if (len > ml && !strncmp(buf, MAGIC_FIND, ml) && buf[ml] == '\n' && !strncmp(last, "COUNT\t", 6))
        count = strtol(last + 6, NULL, 10);
    bool ok = false;
    if (count >= 0) {
        FILE *m = fmemopen(buf + ml + 1, len - ml - 1, "r");
        fc_finding **all = NULL;
        size_t n = 0;
        fc_finding *fd;
        while (m && (fd = fc_finding_read(m)) != NULL) {
            if (!push((void **)&all, &n, sizeof *all)) {
                fc_finding_free(fd);
                break;
            }
            all[n - 1] = fd;
        }
        if (m)
            fclose(m);
        ok = (size_t)count == n;
        int cwd = ok ? enter(u) : -1; /* suppressions are read relative to the unit */
        for (size_t i = 0; i < n; i++) {
            if (ok)
                fc_diag_emit(sink, all[i]);
            else
                fc_finding_free(all[i]);
        }
        leave(cwd);
        free(all);
    }
    free(buf);
    if (ok && have_dir)
        touch(path);
    if (ok && status)
        *status = 0;
    return ok;
}

void fc_summary_cache_record(const fc_unit *u, fc_diag_sink *sink, const struct fc_options *o,
                             int status)
{
    (void)o;
    urec *r = rec_of(u);
    if (!r || !have_dir || status != 0)
        return;
    write_findings(r, sink);
}

/* Store a unit's findings under its findings key (atomically). */
static void write_findings(urec *r, fc_diag_sink *sink)
{
    size_t n;
    fc_finding *const *all = fc_diag_findings(sink, &n);
    char tmp[PATH_MAX + 160], fin[PATH_MAX + 160];
    snprintf(fin, sizeof fin, "%s/%s.find", find_dir, r->fkey);
    snprintf(tmp, sizeof tmp, "%s/.tmp.%ld.%s.find", find_dir, (long)getpid(), r->fkey);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return;
    char line[64];
    int l = snprintf(line, sizeof line, "%s\n", MAGIC_FIND);
    bool ok = write(fd, line, (size_t)l) == l;
    for (size_t i = 0; i < n && ok; i++)
        ok = fc_finding_write(fd, all[i]) == 0;
    l = snprintf(line, sizeof line, "COUNT\t%zu\n", n);
    ok = ok && write(fd, line, (size_t)l) == l;
    if (close(fd) != 0)
        ok = false;
    /* Written whole under a temporary name, then renamed: atomic. */
    if (!ok || rename(tmp, fin) != 0)
        unlink(tmp);
}

const fc_cache_stats *fc_summary_cache_stats(void)
{
    return &stats;
}
