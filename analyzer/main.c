/*
 * analyzer/main.c — ferrum-check's command line: which translation units to
 * analyze (compile_commands.json through compdb.c's tolerant reader, which
 * skips a malformed entry instead of the whole file, or FILE... -- FLAGS),
 * running them in worker processes, and printing the findings (GCC text, or
 * SARIF through sarif.c).
 *
 *   ferrum-check [-p BUILD_DIR] [--format=text|sarif] [-o FILE] [-j N]
 *                [--checks=LIST] [--snippets] [--explain CHECK] [FILE...] [-- FLAGS]
 *
 * Exit status: 0 no findings, 1 findings, 2 the tool could not do its job
 * (bad flags, unreadable or unparsable unit, a worker that crashed).
 *
 * Workers.  libclang keeps its state per process and a crash inside it
 * would take the tool down, so every unit is analyzed in a forked worker
 * (N of them with -j N).  The parent hands out one unit at a time over a
 * pipe and reads findings back as lines (diag.c's protocol); a worker that
 * dies or exceeds the per-unit time limit (--timeout, default 300 s) costs
 * only its current unit (status 2, reported) and is replaced.  The parent
 * de-duplicates and sorts, so output does not depend on N.  A progress line
 * goes to stderr when it is a terminal.
 */
#include <clang-c/Index.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checks.h"
#include "compdb.h"
#include "diag.h"
#include "driver.h"
#include "summary_cache.h"
#include "options.h"
#include "util.h"

#ifndef FERRUM_VERSION
#define FERRUM_VERSION "0.1.0"
#endif

static const char usage[] =
    "usage: ferrum-check [-p BUILD_DIR] [--format=text|sarif] [-o FILE] [-j N]\n"
    "                    [--checks=LIST] [--snippets] [--explain CHECK] [FILE...] [-- FLAGS]\n"
    "\n"
    "Analyzes C translation units for memory-safety bugs: every unit of\n"
    "BUILD_DIR/compile_commands.json (or only the FILEs named; a directory\n"
    "names every unit below it), or the FILEs compiled with FLAGS.\n"
    "\n"
    "  -p DIR           read DIR/compile_commands.json\n"
    "  --format=FMT     text (GCC style, default) or sarif (SARIF 2.1.0)\n"
    "  -o FILE          write findings to FILE instead of stdout\n"
    "  -j N             analyze N units in parallel (default: 1)\n"
    "  --checks=LIST    comma-separated checks to run; -NAME disables one; 'all'\n"
    "  --snippets       show source lines with labelled carets (default on a terminal)\n"
    "  --no-snippets    plain GCC lines even on a terminal\n"
    "  --explain CHECK  explain a check (what, why, how to fix) and exit\n"
    "  --list-checks    list the checks (with --checks, the ones it selects) and exit\n"
    "  --timeout=SEC    give up on a unit after SEC seconds (default 300)\n"
    "  -q               no summary line on stderr\n"
    "  -h, --help       this text;  --version  the version\n"
    "\n"
    "Suppress a finding with a comment that begins `ferrum: allow(CHECK[,CHECK...])`\n"
    "on its line, or alone on the line above.\n"
    "Exit status: 0 no findings, 1 findings, 2 the tool could not do its job.\n";

/* ---- Units ---- */

typedef struct unitlist {
    fc_unit *v;
    size_t n;
} unitlist;

/* A unit's source as a path from the current directory (malloc'd). */
static char *unit_path(const fc_unit *u)
{
    return u->file[0] == '/' || !u->dir ? fc_xstrdup(u->file) : fc_xasprintf("%s/%s", u->dir, u->file);
}

/* -o naming a unit's source file (the same inode, however spelled), the
 * database, or any name a C or C++ source or header would have. */
static bool output_is_an_input(const char *path, const struct unitlist *units)
{
    static const char *const ext[] = {".c", ".h", ".i", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".inc"};
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!strcmp(slash ? slash + 1 : path, "compile_commands.json"))
        return true;   /* the database just read (QA6 T13) */
    if (dot && (!slash || dot > slash))
        for (size_t k = 0; k < sizeof ext / sizeof ext[0]; k++)
            if (!strcmp(dot, ext[k]))
                return true;
    struct stat so;
    if (stat(path, &so) != 0)
        return false;
    for (size_t i = 0; i < units->n; i++) {
        char *full = unit_path(&units->v[i]);
        struct stat si;
        bool same = stat(full, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino;
        free(full);
        if (same)
            return true;
    }
    return false;
}

static void add_unit(unitlist *l, const char *file, const char *dir, char **args, int nargs, int has_compiler)
{
    l->v = fc_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    fc_unit *u = &l->v[l->n++];
    u->file = fc_xstrdup(file);
    u->dir = dir ? fc_xstrdup(dir) : NULL;
    u->nargs = nargs;
    u->has_compiler = has_compiler;
    u->args = fc_xcalloc((size_t)nargs + 1, sizeof *u->args);
    for (int i = 0; i < nargs; i++)
        u->args[i] = fc_xstrdup(args[i]);
}

static void free_unit(fc_unit *u)
{
    free(u->file);
    free(u->dir);
    for (int k = 0; k < u->nargs; k++)
        free(u->args[k]);
    free(u->args);
}

static void free_units(unitlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free_unit(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static void add_entry(unitlist *l, const fc_compdb_entry *e)
{
    add_unit(l, e->file, e->dir, e->args, e->nargs, 1);
}

/* The absolute, normalized form of a path named on the command line. */
static char *abs_arg(const char *path)
{
    char *real = realpath(path, NULL);
    return real ? real : fc_xstrdup(fc_abs_path(path));
}

/* Add every unit of db whose source file lies below directory dirname;
 * returns how many were added. */
static unsigned units_under_dir(unitlist *l, const fc_compdb *db, const char *dirname, bool *picked)
{
    char *root = abs_arg(dirname);
    size_t rn = strlen(root);
    while (rn > 1 && root[rn - 1] == '/')
        root[--rn] = 0;
    unsigned added = 0;
    for (size_t i = 0; i < db->n; i++) {
        const char *path = db->v[i].path;
        if (!strncmp(path, root, rn) && (path[rn] == '/' || rn == 1)) {
            add_entry(l, &db->v[i]);
            picked[i] = true;
            added++;
        }
    }
    free(root);
    return added;
}

/* Without a database, a directory names every .c file below it (sorted
 * within each directory, hidden entries skipped), compiled with FLAGS. */
static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned add_c_files_under(unitlist *l, const char *dirname, char **flags, int nflags)
{
    DIR *d = opendir(dirname);
    if (!d)
        return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            names = fc_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = fc_xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, name_cmp);
    unsigned added = 0;
    for (size_t i = 0; i < n; i++) {
        size_t dl = strlen(dirname);
        char *path = fc_xasprintf(dl && dirname[dl - 1] == '/' ? "%s%s" : "%s/%s", dirname, names[i]);
        struct stat st;
        size_t pl = strlen(path);
        if (stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                added += add_c_files_under(l, path, flags, nflags);
            } else if (S_ISREG(st.st_mode) && pl > 2 && !strcmp(path + pl - 2, ".c")) {
                add_unit(l, path, NULL, flags, nflags, 0);
                added++;
            }
        }
        free(path);
        free(names[i]);
    }
    free(names);
    return added;
}

static bool same_inode(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* A file named with -p that the database does not list (a new file, or
 * one the build never compiles) is analyzed with the flags of its nearest
 * neighbour in the database, as clangd does: the entry whose source shares
 * the longest directory prefix with it.  The neighbour's own source file is
 * left out of the copied arguments.  Returns false when the database has
 * no unit to borrow from. */
static bool infer_entry(unitlist *l, const fc_compdb *db, const char *abs, const char *file)
{
    const fc_compdb_entry *best = NULL;
    size_t best_len = 0;
    for (size_t k = 0; k < db->n; k++) {
        const char *p = db->v[k].path;
        size_t i = 0, dir_len = 0;
        while (p[i] && p[i] == abs[i]) {
            if (p[i] == '/') dir_len = i + 1;
            i++;
        }
        if (!best || dir_len > best_len) {
            best = &db->v[k];
            best_len = dir_len;
        }
    }
    if (!best)
        return false;
    char **args = fc_xcalloc((size_t)best->nargs + 1, sizeof *args);
    int n = 0;
    char neighbour[PATH_MAX];
    bool have_real = realpath(best->path, neighbour) != NULL;
    for (int i = 0; i < best->nargs; i++) {
        const char *a = best->args[i];
        if (i > 0 && a[0] != '-' && (!strcmp(a, best->file) || !strcmp(a, best->path)))
            continue;
        if (i > 0 && a[0] != '-' && have_real) {
            /* the neighbour's source spelled another way (bear: "file" is
             * absolute, the argument relative to "directory"), QA5 S17 */
            char joined[PATH_MAX * 2], real[PATH_MAX];
            snprintf(joined, sizeof joined, "%s%s%s", a[0] == '/' ? "" : best->dir, a[0] == '/' ? "" : "/", a);
            if (realpath(joined, real) && !strcmp(real, neighbour))
                continue;
        }
        args[n++] = best->args[i];
    }
    add_unit(l, abs, best->dir, args, n, 1);
    free(args);
    fprintf(stderr, "ferrum-check: note: %s has no compile command in %s; analyzed with the flags of %s\n",
            file, db->name, best->file);
    return true;
}

/* Units from BUILD_DIR/compile_commands.json (compdb.c): all of them, or
 * those of the files and directories named.  A malformed entry was reported
 * by the reader and is skipped; the run still ends with status 2. */
static int units_from_db(unitlist *l, unitlist *others, const char *build_dir, char **files, int nfiles)
{
    fc_compdb db;
    if (fc_compdb_load(build_dir, &db, stderr) != 0) {
        fc_compdb_free(&db);
        return 2;
    }
    int status = db.bad ? 2 : 0;
    if (nfiles == 0) {
        for (size_t i = 0; i < db.n; i++)
            add_entry(l, &db.v[i]);
        if (db.n == 0 && !db.bad) {
            /* a build that wrote an empty database (wrong directory, failed
             * configure) must not pass as clean (QA13 X8) */
            fprintf(stderr, "ferrum-check: %s lists no units\n", db.name);
            status = 2;
        }
    } else {
        bool *picked = fc_xcalloc(db.n + 1, sizeof *picked);
        for (int i = 0; i < nfiles; i++) {
            struct stat st;
            bool exists = stat(files[i], &st) == 0;
            if (exists && S_ISDIR(st.st_mode)) {
                /* A directory selects every unit of the database below it. */
                if (units_under_dir(l, &db, files[i], picked) == 0) {
                    fprintf(stderr, "ferrum-check: %s: no unit of %s is in this directory\n", files[i], db.name);
                    status = 2;
                }
                continue;
            }
            char *abs = abs_arg(files[i]);
            unsigned n = 0;
            for (size_t k = 0; k < db.n; k++)
                if (!strcmp(db.v[k].path, abs)) {
                    add_entry(l, &db.v[k]);
                    picked[k] = true;
                    n++;
                }
            for (size_t k = 0; !n && k < db.n; k++)   /* hard links, odd spellings */
                if (same_inode(db.v[k].path, abs)) {
                    add_entry(l, &db.v[k]);
                    picked[k] = true;
                    n++;
                }
            if (n == 0 && !(exists && S_ISREG(st.st_mode) && infer_entry(l, &db, abs, files[i]))) {
                fprintf(stderr, "ferrum-check: %s: no compile command in %s\n", files[i], db.name);
                status = 2;
            }
            free(abs);
        }
        /* The rest of the database: their summaries (from the cache) still
         * describe the functions the named files call. */
        for (size_t k = 0; k < db.n; k++)
            if (!picked[k])
                add_entry(others, &db.v[k]);
        free(picked);
    }
    fc_compdb_free(&db);
    return status;
}

/* ---- Options ---- */

static int parse_checks(struct fc_options *o, const char *spec)
{
    o->enabled = (1ul << fc_check_count) - 1;
    if (!spec || !*spec)
        return 0; /* `--checks=` (an empty variable in a script): every check (QA9 W3) */
    char *copy = fc_xstrdup(spec);
    bool first = true;
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        bool neg = tok[0] == '-';
        const char *name = neg ? tok + 1 : tok;
        if (!strncmp(name, "ferrum-", 7))
            name += 7;
        if (first && !neg)
            o->enabled = 0;
        first = false;
        if (!strcmp(name, "all")) {
            o->enabled = neg ? 0 : (1ul << fc_check_count) - 1;
            continue;
        }
        size_t i;
        for (i = 0; i < fc_check_count; i++)
            if (!strcmp(fc_check_names[i], name))
                break;
        if (i == fc_check_count) {
            fprintf(stderr, "ferrum-check: unknown check '%s' (see --list-checks)\n", name);
            free(copy);
            return 2;
        }
        if (neg)
            o->enabled &= ~(1ul << i);
        else
            o->enabled |= 1ul << i;
    }
    free(copy);
    if (!o->enabled) {
        /* a run that checks nothing would pass every file (QA8 V8) */
        fprintf(stderr, "ferrum-check: --checks=%s leaves no check enabled: nothing would be analyzed\n", spec);
        return 2;
    }
    return 0;
}

static int explain(const char *check)
{
    const fc_explain *e = fc_explain_find(check);
    if (!e) {
        fprintf(stderr, "ferrum-check: no explanation for '%s'; known:", check);
        for (unsigned i = 0; i < fc_explain_count(); i++)
            fprintf(stderr, " %s", fc_explain_at(i)->check);
        fprintf(stderr, "\n");
        return 2;
    }
    printf("[ferrum-%s] %s\n\n%s", e->check, e->summary, e->text);
    return 0;
}

/* The checks, or with --checks=LIST the ones LIST selects (ferrum-cc
 * validates its list this way before compiling: QA8 V22). */
static void list_checks(unsigned long enabled)
{
    for (size_t i = 0; i < fc_check_count; i++) {
        if (!(enabled & (1ul << i)))
            continue;
        const fc_explain *e = fc_explain_find(fc_check_names[i]);
        printf("%-22s %s\n", fc_check_names[i], e ? e->summary : "(not built in this ferrum-check)");
    }
}

/* ---- Workers ---- */

typedef struct worker {
    pid_t pid;
    int cmd_fd;          /* parent -> worker: unit indices */
    int res_fd;          /* worker -> parent: findings and completions */
    long current;        /* unit being analyzed, -1 idle */
    volatile unsigned char *parsing;   /* shared with the worker: 1 while libclang parses */
    fc_buf in;           /* unparsed bytes */
    fc_buf rec;          /* finding record being assembled */
} worker;

static unsigned timeout_s = 300;

static int read_full(int fd, void *p, size_t n)
{
    char *c = p;
    while (n) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

static void worker_main(int cmd_fd, int res_fd, const unitlist *units, const struct fc_options *o)
{
    signal(SIGPIPE, SIG_DFL);
    CXIndex idx = clang_createIndex(0, 0);
    for (;;) {
        int32_t i;
        if (read_full(cmd_fd, &i, sizeof i) < 0 || i < 0 || (size_t)i >= units->n)
            break;
        fc_diag_sink *sink = fc_diag_sink_new(o);
        char *errbuf = NULL;
        size_t errlen = 0;
        FILE *err = open_memstream(&errbuf, &errlen);
        alarm(timeout_s);
        /* test hook: make this worker die on a unit, to test the containment */
        const char *crash = getenv("FERRUM_CHECK_TEST_CRASH");
        if (crash && *crash && strstr(units->v[i].file, crash))
            abort();
        int st = 0;   /* summary_cache.c: an unchanged unit's findings are replayed,
                       * unless a dump was asked for (it needs the analysis) */
        if (fc_dump_summaries || fc_dump_cfg || !fc_summary_cache_replay(&units->v[i], sink, o, &st)) {
            st = fc_analyze_unit(idx, &units->v[i], sink, o, err ? err : stderr);
            fc_summary_cache_record(&units->v[i], sink, o, st);
        }
        alarm(0);
        if (err) {
            fclose(err);
            if (errlen) {
                /* clear the parent's progress line first */
                if (o->progress) {
                    ssize_t c = write(2, "\r\033[K", 4);
                    (void)c;
                }
                ssize_t w = write(2, errbuf, errlen);
                (void)w;
            }
            free(errbuf);
        }
        size_t n;
        fc_finding *const *all = fc_diag_findings(sink, &n);
        for (size_t k = 0; k < n; k++)
            fc_finding_write(res_fd, all[k]);
        char done[64];
        int dl = snprintf(done, sizeof done, "D\t%d\t%d\n", (int)i, st);
        if (write(res_fd, done, (size_t)dl) < 0)
            break;
        fc_diag_sink_free(sink);
    }
    clang_disposeIndex(idx);
    fflush(NULL);
    _exit(0);
}

/* Start a worker; false with errno set when a pipe or the fork failed
 * (nothing left open). */
static bool spawn(worker *w, const unitlist *units, const struct fc_options *o, worker *all, unsigned nw)
{
    int cmd[2], res[2];
    if (pipe(cmd))
        return false;
    if (pipe(res)) {
        int e = errno;
        close(cmd[0]);
        close(cmd[1]);
        errno = e;
        return false;
    }
    fflush(NULL);
    if (w->parsing)
        *w->parsing = 0;
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(cmd[0]);
        close(cmd[1]);
        close(res[0]);
        close(res[1]);
        errno = e;
        return false;
    }
    if (pid == 0) {
        fc_parse_mark = w->parsing;
        close(cmd[1]);
        close(res[0]);
        for (unsigned k = 0; k < nw; k++)
            if (&all[k] != w && all[k].pid > 0) {
                close(all[k].cmd_fd);
                close(all[k].res_fd);
            }
        worker_main(cmd[0], res[1], units, o);
    }
    close(cmd[0]);
    close(res[1]);
    w->pid = pid;
    w->cmd_fd = cmd[1];
    w->res_fd = res[0];
    w->current = -1;
    w->in.len = 0;
    w->rec.len = 0;
    return true;
}

typedef struct runstate {
    const unitlist *units;
    fc_diag_sink *sink;
    const struct fc_options *o;
    int *status;
    size_t next, done;
} runstate;

static void progress(runstate *rs, const fc_unit *u)
{
    if (!rs->o->progress)
        return;
    const char *name = u->file;
    if (u->dir && u->file[0] != '/') {
        char *j = fc_xasprintf("%s/%s", u->dir, u->file);
        name = fc_display_path(fc_intern(j));
        free(j);
    } else {
        name = fc_display_path(fc_intern(u->file));
    }
    fprintf(stderr, "\r\033[K[%zu/%zu] %s", rs->done, rs->units->n, name);
    fflush(stderr);
}

static void dispatch(runstate *rs, worker *w)
{
    if (rs->next >= rs->units->n) {
        int32_t stop = -1;
        if (w->cmd_fd >= 0) {
            ssize_t r = write(w->cmd_fd, &stop, sizeof stop);
            (void)r;
            close(w->cmd_fd);
            w->cmd_fd = -1;
        }
        w->current = -1;
        return;
    }
    int32_t i = (int32_t)rs->next++;
    w->current = i;
    if (write(w->cmd_fd, &i, sizeof i) != (ssize_t)sizeof i)
        w->current = -1;
}

/* Process complete lines from a worker.  Returns true if the worker asks for more work. */
static bool consume(runstate *rs, worker *w)
{
    bool want = false;
    size_t start = 0;
    for (size_t i = 0; i < w->in.len; i++) {
        if (w->in.data[i] != '\n')
            continue;
        char *line = w->in.data + start;
        size_t len = i - start + 1;
        start = i + 1;
        if (line[0] == 'D') {
            int idx = -1, st = 0;
            sscanf(line, "D\t%d\t%d", &idx, &st);
            if (idx >= 0 && (size_t)idx < rs->units->n) {
                rs->status[idx] = st;
                rs->done++;
                progress(rs, &rs->units->v[idx]);
            }
            want = true;
            continue;
        }
        for (size_t k = 0; k < len; k++)
            fc_buf_putc(&w->rec, line[k]);
        if (line[0] == 'E') {
            FILE *m = fmemopen(w->rec.data, w->rec.len, "r");
            if (m) {
                fc_finding *f = fc_finding_read(m);
                fclose(m);
                if (f)
                    fc_diag_emit(rs->sink, f);
            }
            w->rec.len = 0;
        }
    }
    if (start) {
        memmove(w->in.data, w->in.data + start, w->in.len - start);
        w->in.len -= start;
        if (w->in.data)
            w->in.data[w->in.len] = 0;
    }
    return want;
}

static void run_units(const unitlist *units, fc_diag_sink *sink, const struct fc_options *o, int *status)
{
    unsigned nw = o->jobs ? o->jobs : 1;
    if (nw > units->n)
        nw = (unsigned)units->n;
    if (nw == 0)
        return;
    signal(SIGPIPE, SIG_IGN);
    worker *ws = fc_xcalloc(nw, sizeof *ws);
    /* a byte per worker that says whether it is inside libclang's parse */
    size_t marks_len = (nw + 4095) & ~(size_t)4095;
    unsigned char *marks = mmap(NULL, marks_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (marks == MAP_FAILED)
        marks = NULL;
    for (unsigned k = 0; k < nw; k++) {
        ws[k].pid = -1, ws[k].cmd_fd = ws[k].res_fd = -1;
        ws[k].parsing = marks ? marks + k : NULL;
    }
    runstate rs = { units, sink, o, status, 0, 0 };
    for (unsigned k = 0; k < nw; k++) {
        if (!spawn(&ws[k], units, o, ws, nw)) {
            /* -j N beyond what the limits allow (open files, processes):
             * go on with the workers that started (QA13 X11) */
            fprintf(stderr, "ferrum-check: cannot start worker process %u of %u: %s%s\n", k + 1, nw,
                    strerror(errno), k ? "; going on with fewer" : "");
            if (k == 0) {
                for (size_t i = 0; i < units->n; i++)
                    status[i] = 2;
                free(ws);
                return;
            }
            nw = k;
            break;
        }
        dispatch(&rs, &ws[k]);
    }
    struct pollfd *pfd = fc_xcalloc(nw, sizeof *pfd);
    for (;;) {
        unsigned live = 0;
        for (unsigned k = 0; k < nw; k++) {
            pfd[k].fd = ws[k].res_fd;
            pfd[k].events = POLLIN;
            pfd[k].revents = 0;
            if (ws[k].res_fd >= 0)
                live++;
        }
        if (!live)
            break;
        if (poll(pfd, nw, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (unsigned k = 0; k < nw; k++) {
            worker *w = &ws[k];
            if (w->res_fd < 0 || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[65536];
            ssize_t r = read(w->res_fd, buf, sizeof buf);
            if (r > 0) {
                for (ssize_t b = 0; b < r; b++)
                    fc_buf_putc(&w->in, buf[b]);
                if (consume(&rs, w))
                    dispatch(&rs, w);
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            /* end of stream: the worker exited */
            close(w->res_fd);
            w->res_fd = -1;
            if (w->cmd_fd >= 0) {
                close(w->cmd_fd);
                w->cmd_fd = -1;
            }
            int ws_status = 0;
            waitpid(w->pid, &ws_status, 0);
            w->pid = -1;
            if (w->current >= 0) {
                const fc_unit *u = &units->v[w->current];
                if (WIFSIGNALED(ws_status) && WTERMSIG(ws_status) == SIGALRM)
                    fprintf(stderr, "%sferrum-check: %s: analysis stopped after %u s (--timeout)\n",
                            o->progress ? "\r\033[K" : "", u->file, timeout_s);
                else if (w->parsing && *w->parsing)   /* QA13 X14: a parser stack overflow is not ours */
                    fprintf(stderr, "%sferrum-check: %s: libclang failed while parsing this unit (%s %d); "
                            "`clang -fsyntax-only` on it tells whether the compiler itself does\n",
                            o->progress ? "\r\033[K" : "", u->file,
                            WIFSIGNALED(ws_status) ? "signal" : "exit status",
                            WIFSIGNALED(ws_status) ? WTERMSIG(ws_status) : WEXITSTATUS(ws_status));
                else
                    fprintf(stderr, "%sferrum-check: %s: the analyzer failed on this unit (%s %d)\n",
                            o->progress ? "\r\033[K" : "", u->file,
                            WIFSIGNALED(ws_status) ? "signal" : "exit status",
                            WIFSIGNALED(ws_status) ? WTERMSIG(ws_status) : WEXITSTATUS(ws_status));
                status[w->current] = 2;
                rs.done++;
                w->current = -1;
                if (rs.next < units->n && spawn(w, units, o, ws, nw))
                    dispatch(&rs, w);
            }
        }
    }
    if (rs.next < units->n) {   /* every worker gone and none could be started again */
        fprintf(stderr, "ferrum-check: %zu unit%s not analyzed: no worker process could be started\n",
                units->n - rs.next, units->n - rs.next == 1 ? "" : "s");
        for (size_t i = rs.next; i < units->n; i++)
            status[i] = 2;
    }
    for (unsigned k = 0; k < nw; k++) {
        free(ws[k].in.data);
        free(ws[k].rec.data);
    }
    if (marks)
        munmap(marks, marks_len);
    free(pfd);
    free(ws);
    if (o->progress) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
}

/* ---- main ---- */

static void free_files(char ***files)
{
    free(*files);
}

int main(int argc, char **argv)
{
    struct fc_options o;
    memset(&o, 0, sizeof o);
    fc_set_path_base(NULL);   /* remember the starting directory for display paths */
    o.jobs = 1;
    o.max_block_visits = 24;
    o.max_blocks = 20000;
    int snippets = -1;
    /* freed on every return, early ones included */
    char **files __attribute__((cleanup(free_files))) = fc_xcalloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    char **flags = NULL;
    int nflags = 0;
    const char *checks = NULL;
    bool list_only = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            flags = argv + i + 1;
            nflags = argc - i - 1;
            break;
        } else if (!strcmp(a, "-p") && i + 1 < argc) {
            o.build_dir = argv[++i];
        } else if (!strncmp(a, "-p", 2) && a[2]) {
            o.build_dir = a + 2;
        } else if (!strncmp(a, "--format=", 9)) {
            if (!strcmp(a + 9, "text"))
                o.format = FC_FORMAT_TEXT;
            else if (!strcmp(a + 9, "sarif"))
                o.format = FC_FORMAT_SARIF;
            else {
                fprintf(stderr, "ferrum-check: unknown format '%s' (text or sarif)\n", a + 9);
                return 2;
            }
        } else if (!strcmp(a, "-o") && i + 1 < argc) {
            o.output = argv[++i];
        } else if (!strcmp(a, "-j") && i + 1 < argc) {
            o.jobs = (unsigned)atoi(argv[++i]);
        } else if (!strncmp(a, "-j", 2) && a[2]) {
            o.jobs = (unsigned)atoi(a + 2);
        } else if (!strncmp(a, "--checks=", 9)) {
            checks = a + 9;
        } else if (!strcmp(a, "--snippets")) {
            snippets = 1;
        } else if (!strcmp(a, "--no-snippets")) {
            snippets = 0;
        } else if (!strcmp(a, "--explain")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "ferrum-check: --explain needs a check name\n");
                return 2;
            }
            return explain(argv[i + 1]);
        } else if (!strncmp(a, "--explain=", 10)) {
            return explain(a + 10);
        } else if (!strcmp(a, "--list-checks")) {
            list_only = true;
        } else if (!strncmp(a, "--timeout=", 10)) {
            char *end = NULL;
            errno = 0;
            unsigned long t = strtoul(a + 10, &end, 10);
            if (a[10] < '1' || a[10] > '9' || *end || errno || t > 86400) {
                fprintf(stderr, "ferrum-check: --timeout needs a number of seconds from 1 to 86400, not '%s'\n",
                        a + 10);
                return 2;
            }
            timeout_s = (unsigned)t;
        } else if (!strcmp(a, "--dump-cfg")) {
            fc_dump_cfg = 1;
        } else if (!strcmp(a, "--timing")) {
            fc_timing = 1;
        } else if (!strcmp(a, "--dump-summaries")) {
            fc_dump_summaries = 1;
        } else if (!strcmp(a, "-q")) {
            o.quiet = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            CXString v = clang_getClangVersion();
            printf("ferrum-check %s (%s)\n", FERRUM_VERSION, clang_getCString(v));
            clang_disposeString(v);
            return 0;
        } else if (!strcmp(a, "-p") || !strcmp(a, "-o") || !strcmp(a, "-j")) {
            fprintf(stderr, "ferrum-check: %s needs %s\n", a,
                    a[1] == 'p' ? "a build directory" : a[1] == 'o' ? "a file name" : "a number");
            return 2;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "ferrum-check: unknown option '%s'\n%s", a, usage);
            return 2;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (o.jobs < 1 || o.jobs > 256) {
        fprintf(stderr, "ferrum-check: -j needs a number from 1 to 256\n");
        return 2;
    }
    if (parse_checks(&o, checks))
        return 2;
    if (list_only) {
        list_checks(o.enabled);
        return 0;
    }
    o.checks_spec = checks;
    if (o.format == FC_FORMAT_SARIF && !fc_sarif_write) {
        fprintf(stderr, "ferrum-check: SARIF output is not built into this ferrum-check\n");
        return 2;
    }
    bool tty = isatty(1) && !o.output;
    o.color = tty && o.format == FC_FORMAT_TEXT && !getenv("NO_COLOR");
    o.snippets = snippets < 0 ? tty : snippets;
    o.progress = isatty(2) && !o.quiet;

    unitlist units = { 0 }, others = { 0 };
    int status = 0;
    if (o.build_dir) {
        status = units_from_db(&units, &others, o.build_dir, files, nfiles);
    } else if (nfiles) {
        for (int i = 0; i < nfiles; i++) {
            struct stat st;
            bool exists = stat(files[i], &st) == 0;
            if (exists && S_ISDIR(st.st_mode)) {
                if (add_c_files_under(&units, files[i], flags, nflags) == 0) {
                    fprintf(stderr, "ferrum-check: %s: a directory with no .c file\n", files[i]);
                    status = 2;
                }
                continue;
            }
            add_unit(&units, files[i], NULL, flags, nflags, 0);
        }
    } else {
        fprintf(stderr, "ferrum-check: nothing to analyze: give -p BUILD_DIR or FILE... [-- FLAGS]\n\n%s", usage);
        return 2;
    }

    /* Units that are not C (C++ in a mixed database, a file named as
     * another language): said once, not analyzed, not counted. */
    size_t nskip = 0, kept = 0;
    char first_skipped[512] = "";
    for (size_t i = 0; i < units.n; i++) {
        if (fc_unit_is_c(&units.v[i])) {
            units.v[kept++] = units.v[i];
            continue;
        }
        if (!nskip++)
            snprintf(first_skipped, sizeof first_skipped, "%s", units.v[i].file);
        free_unit(&units.v[i]);
    }
    units.n = kept;
    if (nskip) {
        fprintf(stderr, "ferrum-check: note: %zu unit%s not C (C++ or another language, by %s name or -x) "
                "skipped, %s%s\n", nskip, nskip == 1 ? "" : "s", nskip == 1 ? "its" : "their",
                first_skipped, nskip > 1 ? " and others" : "");
        if (kept == 0)
            status = 2;
    }

    FILE *out = stdout;
    if (o.output && output_is_an_input(o.output, &units)) {
        /* fopen("w") would empty it before it is read (QA5 S38) */
        fprintf(stderr, "ferrum-check: -o %s: that is an input (a source file, a C/C++ file name or a "
                        "compile_commands.json); refusing to overwrite it\n", o.output);
        free_units(&units);
        free_units(&others);
        return 2;
    }
    if (o.output) {
        out = fopen(o.output, "w");
        if (!out) {
            fprintf(stderr, "ferrum-check: cannot write '%s': %s\n", o.output, strerror(errno));
            free_units(&units);
            free_units(&others);
            return 2;
        }
    }
    int *ust = fc_xcalloc(units.n + 1, sizeof *ust);
    fc_diag_sink *sink = fc_diag_sink_new(&o);
    /* cross-file summaries (summary_cache.c), with what the cache knows of
     * the units of the database that were not named */
    fc_summary_cache_prepare(units.v, units.n, others.v, others.n, &o);
    run_units(&units, sink, &o, ust);
    size_t failed = 0;
    for (size_t i = 0; i < units.n; i++)
        if (ust[i])
            failed++;
    if (o.format == FC_FORMAT_SARIF) {
        size_t n, k = 0;
        fc_finding *const *all = fc_diag_findings(sink, &n);
        const char **fails = fc_xcalloc(failed + 1, sizeof *fails);
        for (size_t i = 0; i < units.n && k < failed; i++)
            if (ust[i]) {
                char *p = unit_path(&units.v[i]);
                fails[k++] = fc_abs_path(p);   /* interned */
                free(p);
            }
        if (fc_sarif_write(out, all, n, &o, fails, k) != 0)
            status = 2;
        free(fails);
    } else {
        fc_diag_print_text(sink, out);
    }
    /* functions the checks skipped: on stderr, once each (diag.h remarks) */
    size_t nskipped = fc_diag_print_remarks(sink, o.quiet ? NULL : stderr);
    /* Findings that could not be written are lost: say so, and do not let
     * the exit status claim a complete run. */
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "ferrum-check: cannot write the findings to %s: %s\n",
                o.output ? o.output : "standard output", strerror(errno));
        status = 2;
    }
    size_t nf = fc_diag_count(sink);
    if (!o.quiet) {   /* also for one clean unit: "analyzed, clean" is not silence (QA8 V9) */
        char extra[128] = "";
        if (failed && nskipped)
            snprintf(extra, sizeof extra, " (%zu could not be analyzed; %zu function%s not analyzed, named above)",
                     failed, nskipped, nskipped == 1 ? "" : "s");
        else if (failed)
            snprintf(extra, sizeof extra, " (%zu could not be analyzed)", failed);
        else if (nskipped)
            snprintf(extra, sizeof extra, " (%zu function%s not analyzed, named above)", nskipped,
                     nskipped == 1 ? "" : "s");
        fprintf(stderr, "ferrum-check: %zu finding%s in %zu unit%s%s\n", nf, nf == 1 ? "" : "s", units.n,
                units.n == 1 ? "" : "s", extra);
    }
    if (out != stdout && fclose(out) != 0)
        status = 2;
    if (failed)
        status = 2;
    if (!status && nf)
        status = 1;
    fc_diag_sink_free(sink);
    free_units(&units);
    free_units(&others);
    free(ust);
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define FC_SANITIZED 1
#endif
#endif
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && !defined(FC_SANITIZED)
    /* Done: leave without running libclang's and LLVM's static destructors.
     * After the fork of a worker every page they write takes a fault in
     * this process (stb_ds.c: 5,971 -> 5,715 page faults a run; 0.9 M
     * instructions).  The findings are written and flushed above; nothing
     * of ours is registered with atexit.  Sanitizer builds return, so their
     * exit-time checks still run. */
    fflush(NULL);
    _exit(status);
#else
    return status;
#endif
}
