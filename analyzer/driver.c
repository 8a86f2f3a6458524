/*
 * analyzer/driver.c — one translation unit from flags to findings.
 *
 * 1. Flags.  A compile command may come from gcc: flags clang does not know
 *    (-fconserve-stack, -mindirect-branch=..., every -W option, dependency
 *    outputs) are dropped by a table, warnings are silenced (-w: we only care
 *    whether the code parses), and the resource directory of the libclang
 *    actually loaded is added (found next to libclang.so with dladdr, so
 *    <stddef.h> and friends resolve wherever LLVM is installed).  If clang
 *    still reports "unknown argument", those arguments are dropped and the
 *    unit is parsed once more.
 * 2. Parse in the command's directory (relative -I paths).  Errors: print
 *    the compiler's diagnostics, the unit fails with status 2.
 * 3. Summaries: every function defined outside system headers, callees
 *    first (iterative DFS over the direct calls), so a function that frees
 *    its argument or returns new memory is known before its callers are
 *    checked; a callee found never to return ends its callers' blocks.  The
 *    run that summarizes a function also checks it (one dataflow, not two).
 * 4. Passes: the memory checks, then registered function and TU passes.
 */
#include "driver.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "check_owner.h"
#include "checks.h"
#include "ir.h"
#include "memcheck.h"
#include "summary.h"
#include "util.h"
#include "walk.h"

int fc_dump_cfg;
int fc_timing;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: the machine may be busy */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
int fc_dump_summaries;

/* ---- Flags ---- */

static const char *resource_dir(void)
{
    static char *dir;
    static bool done;
    if (done)
        return dir;
    done = true;
    Dl_info info;
    if (dladdr((void *)clang_createIndex, &info) && info.dli_fname) {
        char *lib = realpath(info.dli_fname, NULL);
        if (lib) {
            char *slash = strrchr(lib, '/');
            if (slash)
                *slash = 0;
            char *base = fc_xasprintf("%s/clang", lib);
            DIR *d = opendir(base);
            if (d) {
                struct dirent *e;
                while ((e = readdir(d)) != NULL) {
                    if (e->d_name[0] == '.')
                        continue;
                    char *cand = fc_xasprintf("%s/%s", base, e->d_name);
                    char *hdr = fc_xasprintf("%s/include/stddef.h", cand);
                    if (!dir && access(hdr, R_OK) == 0)
                        dir = cand;
                    else
                        free(cand);
                    free(hdr);
                }
                closedir(d);
            }
            free(base);
            free(lib);
        }
    }
#ifdef FC_LIBCLANG_PREFIX
    if (!dir) {
        char *base = fc_xasprintf("%s/lib/clang", FC_LIBCLANG_PREFIX);
        DIR *d = opendir(base);
        if (d) {
            struct dirent *e;
            while (!dir && (e = readdir(d)) != NULL)
                if (e->d_name[0] != '.')
                    dir = fc_xasprintf("%s/%s", base, e->d_name);
            closedir(d);
        }
        free(base);
    }
#endif
    return dir;
}

/* gcc options clang rejects or that make no sense for parsing. */
static const char *const drop_exact[] = {
    "-c", "-S", "-E", "-M", "-MM", "-MD", "-MMD", "-MP", "-pipe", "-fconserve-stack",
    "-fno-allow-store-data-races", "-fno-var-tracking-assignments", "-fmerge-constants",
    "-fno-ipa-sra", "-fno-ipa-cp-clone", "-fno-partial-inlining", "-fsched-pressure",
    "-fno-tree-loop-distribute-patterns", "-fanalyzer", "-fno-semantic-interposition",
    "-ffat-lto-objects", "-fno-fat-lto-objects", "-fipa-pta", "-fno-guess-branch-probability",
    "-fno-reorder-blocks", "-fno-tree-vrp", "-fgcse-after-reload", "-fpredictive-commoning",
    "-fvar-tracking", "-fvar-tracking-assignments", "-fno-delete-null-pointer-checks",
    "-Werror", "-pedantic-errors", "-save-temps", "-fno-strict-overflow",
};
static const char *const drop_prefix[] = {
    "-W",              /* warnings (but -Wp, is kept below) */
    "-mindirect-branch", "-mfunction-return", "-mrecord-mcount", "-mharden-sls",
    "-flto", "-fmax-errors", "-fdiagnostics-", "-fcallgraph-info", "-fstack-usage",
    "-fdump-", "-fopt-info", "-fprofile-", "-fauto-profile", "-specs", "-fplugin",
    "-fzero-call-used-regs", "-fmin-function-alignment", "-fpatchable-function-entry",
    "-ftree-", "-fno-tree-", "-fipa-", "-fno-ipa-", "-fsched-", "-fno-sched-",
    "-fgcse", "-fno-gcse", "-falign-jumps", "-falign-loops", "-falign-labels",
    "-fstack-check", "-fno-jump-tables", "-ffile-prefix-map", "-fdebug-prefix-map",
    /* code generation only; clang 14 refuses `=zero` unless told it will go
     * away (QA16 Z11: openssh's configure adds it for gcc 12: every unit failed) */
    "-ftrivial-auto-var-init",
};
/* options whose value is the next argument and that we drop */
static const char *const drop_with_arg[] = { "-o", "-MF", "-MT", "-MQ", "-main-file-name", "-aux-info" };

static bool drop_arg(const char *a)
{
    for (size_t i = 0; i < sizeof drop_exact / sizeof drop_exact[0]; i++)
        if (!strcmp(a, drop_exact[i]))
            return true;
    if (!strncmp(a, "-Wp,", 4))
        return false;
    for (size_t i = 0; i < sizeof drop_prefix / sizeof drop_prefix[0]; i++)
        if (!strncmp(a, drop_prefix[i], strlen(drop_prefix[i])))
            return true;
    return false;
}

static bool same_file(const char *a, const char *b)
{
    if (!strcmp(a, b))
        return true;
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* A precompiled header beside F, as gcc and CMake's target_precompile_headers
 * leave it (F.gch, a file or a directory): clang's driver would take it for
 * its own PCH and fail the unit. */
static bool pch_beside(const char *f)
{
    char *g = fc_xasprintf("%s.gch", f);
    bool there = access(g, F_OK) == 0;
    free(g);
    return there;
}

char **fc_clang_args(const fc_unit *u, int *n)
{
    char **out = fc_xcalloc((size_t)u->nargs * 2 + 8, sizeof *out);
    int k = 0;
    for (int i = u->has_compiler ? 1 : 0; i < u->nargs; i++) {
        const char *a = u->args[i];
        if (!strcmp(a, "-include") && i + 1 < u->nargs && pch_beside(u->args[i + 1])) {
            /* the header itself, handed to the front end past the driver's
             * PCH lookup (QA13 X17: every unit of such a build failed) */
            out[k++] = fc_xstrdup("-Xclang");
            out[k++] = fc_xstrdup("-include");
            out[k++] = fc_xstrdup("-Xclang");
            out[k++] = fc_xstrdup(u->args[++i]);
            continue;
        }
        bool with_arg = false;
        for (size_t j = 0; j < sizeof drop_with_arg / sizeof drop_with_arg[0]; j++)
            if (!strcmp(a, drop_with_arg[j]))
                with_arg = true;
        if (with_arg) {
            i++;
            continue;
        }
        if (drop_arg(a))
            continue;
        if (a[0] != '-' && u->file && same_file(a, u->file))
            continue;   /* the source file itself: passed separately */
        out[k++] = fc_xstrdup(a);
    }
    out[k++] = fc_xstrdup("-w");
    out[k++] = fc_xstrdup("-ferror-limit=50");
    /* The ownership rules are checked on the checked build's declarations:
     * in the unchecked one (-DFR_UNCHECKED=1, what -Downer_checks=false
     * puts in compile_commands.json) a typed handle is a plain T * and
     * nothing would be left to check (QA5 S35).  The API is the same. */
    out[k++] = fc_xstrdup("-UFR_UNCHECKED");
    const char *rd = resource_dir();
    if (rd) {
        out[k++] = fc_xstrdup("-resource-dir");
        out[k++] = fc_xstrdup(rd);
    }
    *n = k;
    return out;
}

void fc_free_args(char **a, int n)
{
    for (int i = 0; i < n; i++)
        free(a[i]);
    free(a);
}

/* ---- Parse ---- */

bool fc_is_c_source(const char *f)
{
    const char *dot = strrchr(f, '.');
    return dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h") || !strcmp(dot, ".i"));
}

/* The language a unit is compiled as: the last -x of its arguments (-x c,
 * -xc, c-header, cpp-output), else its file name (fc_is_c_source). */
bool fc_unit_is_c(const fc_unit *u)
{
    const char *lang = NULL;
    for (int i = u->has_compiler ? 1 : 0; i < u->nargs; i++) {
        const char *a = u->args[i];
        if (!strcmp(a, "-x") && i + 1 < u->nargs)
            lang = u->args[++i];
        else if (!strncmp(a, "-x", 2) && a[2])
            lang = a + 2;
    }
    if (lang && strcmp(lang, "none") != 0)
        return !strcmp(lang, "c") || !strcmp(lang, "c-header") || !strcmp(lang, "cpp-output") ||
               !strcmp(lang, "c-cpp-output");
    return fc_is_c_source(u->file);
}

volatile unsigned char *fc_parse_mark;

static CXTranslationUnit parse(CXIndex idx, const char *file, char **args, int nargs, enum CXErrorCode *ec)
{
    CXTranslationUnit tu = NULL;
    unsigned flags = CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
    if (fc_parse_mark)
        *fc_parse_mark = 1;
    *ec = clang_parseTranslationUnit2(idx, file, (const char *const *)args, nargs, NULL, 0, flags, &tu);
    if (fc_parse_mark)
        *fc_parse_mark = 0;
    return *ec == CXError_Success ? tu : NULL;
}

/* Collect "unknown argument: 'X'" options; true if any. */
static bool unknown_args(CXTranslationUnit tu, char ***bad, int *nbad)
{
    unsigned nd = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < nd; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        CXString s = clang_getDiagnosticSpelling(d);
        const char *t = clang_getCString(s);
        const char *p = t ? strstr(t, "unknown argument: '") : NULL;
        if (p) {
            p += strlen("unknown argument: '");
            const char *e = strchr(p, '\'');
            if (e) {
                *bad = fc_xrealloc(*bad, (size_t)(*nbad + 1) * sizeof **bad);
                (*bad)[(*nbad)++] = strndup(p, (size_t)(e - p));
            }
        }
        clang_disposeString(s);
        clang_disposeDiagnostic(d);
    }
    return *nbad > 0;
}

static int print_errors(CXTranslationUnit tu, FILE *err)
{
    unsigned nd = clang_getNumDiagnostics(tu);
    int errors = 0;
    for (unsigned i = 0; i < nd; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            CXSourceLocation l = clang_getDiagnosticLocation(d);
            CXFile f;
            unsigned line, col;
            clang_getSpellingLocation(l, &f, &line, &col, NULL);
            CXString msg = clang_getDiagnosticSpelling(d);
            if (f)
                fprintf(err, "%s:%u:%u: %s: %s\n", fc_display_path(fc_intern_cx(clang_getFileName(f))), line, col,
                        sev == CXDiagnostic_Fatal ? "fatal error" : "error", clang_getCString(msg));
            else
                fprintf(err, "error: %s\n", clang_getCString(msg));
            clang_disposeString(msg);
            errors++;
        }
        clang_disposeDiagnostic(d);
    }
    return errors;
}

/* ---- Functions and summaries ---- */

typedef struct fninfo {
    CXCursor decl;
    const char *usr;
    unsigned *callees;
    unsigned ncallees;
    fc_func *fn;
    int state;   /* 0 new, 1 on stack, 2 done */
    bool called; /* some function of this unit calls it: worth a summary */
    bool checked; /* its memory checks ran with its summary (one dataflow run) */
} fninfo;

typedef struct fnset {
    fninfo *v;
    unsigned n;
    const char **keys;   /* open addressing on interned USR pointers */
    unsigned *idx;
    unsigned cap;
} fnset;

static int fnset_find(const fnset *s, const char *usr)
{
    if (!s->cap)
        return -1;
    size_t h = ((uintptr_t)usr >> 3) & (s->cap - 1);
    while (s->keys[h]) {
        if (s->keys[h] == usr)
            return (int)s->idx[h];
        h = (h + 1) & (s->cap - 1);
    }
    return -1;
}

static enum CXChildVisitResult collect_fn(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    fnset *s = d;
    if (clang_getCursorKind(c) != CXCursor_FunctionDecl || !clang_isCursorDefinition(c))
        return CXChildVisit_Continue;
    if (clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
        return CXChildVisit_Continue;
    s->v = fc_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
    memset(&s->v[s->n], 0, sizeof s->v[s->n]);
    s->v[s->n].decl = c;
    s->v[s->n].usr = fc_intern_cx(clang_getCursorUSR(c));
    s->n++;
    return CXChildVisit_Continue;
}

typedef struct callscan {
    fnset *s;
    fninfo *f;
    fc_tu_info *ti;   /* writes to statics are collected on the same walk */
} callscan;

/* Functions named in a local function pointer's initializer, or in a local
 * array's or struct's: memcheck calls them through that variable when it is
 * never written again (QA10 J3), so it wants their summaries. */
static enum CXChildVisitResult mark_fn_refs(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    callscan *cs = d;
    if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
        CXCursor f = clang_getCursorReferenced(c);
        if (clang_getCursorKind(f) == CXCursor_FunctionDecl) {
            int i = fnset_find(cs->s, fc_decl_usr(f));
            if (i >= 0)
                cs->s->v[i].called = true;
        }
        return CXChildVisit_Continue;
    }
    return CXChildVisit_Recurse;
}

static bool holds_functions(CXType t)
{
    /* canonical types only behind a typedef: most locals are plain
     * integers and pointers to structs, decided from the declared kind */
    if (t.kind == CXType_Typedef)
        t = clang_getCanonicalType(t);
    if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray) {
        t = clang_getArrayElementType(t);
        if (t.kind == CXType_Typedef)
            t = clang_getCanonicalType(t);
    }
    if (t.kind == CXType_Record || t.kind == CXType_Elaborated)
        return true;
    if (t.kind != CXType_Pointer)
        return false;
    t = clang_getPointeeType(t);
    if (t.kind == CXType_Typedef || t.kind == CXType_Unexposed)
        t = clang_getCanonicalType(t);
    return t.kind == CXType_FunctionProto || t.kind == CXType_FunctionNoProto;
}

static enum CXChildVisitResult collect_calls(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    callscan *cs = d;
    fc_tu_info_see(cs->ti, c, parent);
    if (clang_getCursorKind(c) == CXCursor_VarDecl && holds_functions(clang_getCursorType(c)))
        clang_visitChildren(c, mark_fn_refs, cs);
    if (clang_getCursorKind(c) == CXCursor_CallExpr) {
        CXCursor callee = fc_callee_decl(c);
        if (!clang_Cursor_isNull(callee)) {
            int i = fnset_find(cs->s, fc_decl_usr(callee));
            if (i >= 0)
                cs->s->v[i].called = true;
            if (i >= 0 && cs->f->ncallees < 4096) {
                cs->f->callees = fc_xrealloc(cs->f->callees, (cs->f->ncallees + 1) * sizeof *cs->f->callees);
                cs->f->callees[cs->f->ncallees++] = (unsigned)i;
            }
        }
    }
    return CXChildVisit_Recurse;
}

static bool wants_memcheck(const struct fc_options *o)
{
    return fc_check_enabled(o, "use-after-free") || fc_check_enabled(o, "double-free") ||
           fc_check_enabled(o, "leak") || fc_check_enabled(o, "free-nonheap") ||
           fc_check_enabled(o, "return-stack-address");
}

typedef void (*sum_cb)(void *ctx, const char *usr, const char *name, const fc_summary *sum);

/* each: also summarize the functions no function of this unit calls, and
 * hand every summary to it (summary_cache.c's pre-pass). */
static void analyze(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *o, sum_cb each, void *ctx)
{
    fnset s = { 0 };
    fc_children_cache_reset();
    fc_visit(clang_getTranslationUnitCursor(tu), collect_fn, &s);
    s.cap = 16;
    while (s.cap < s.n * 2 + 2)
        s.cap *= 2;
    s.keys = fc_xcalloc(s.cap, sizeof *s.keys);
    s.idx = fc_xcalloc(s.cap, sizeof *s.idx);
    for (unsigned i = 0; i < s.n; i++) {
        size_t h = ((uintptr_t)s.v[i].usr >> 3) & (s.cap - 1);
        while (s.keys[h] && s.keys[h] != s.v[i].usr)
            h = (h + 1) & (s.cap - 1);
        s.keys[h] = s.v[i].usr;
        s.idx[h] = i;
    }
    fc_tu_info *ti = fc_tu_info_build(tu);
    fc_tu_info_begin(ti);
    for (unsigned i = 0; i < s.n; i++) {
        callscan cs = { &s, &s.v[i], ti };
        fc_visit(s.v[i].decl, collect_calls, &cs);
    }
    fc_tu_info_end(ti);

    double t0 = now(), t_cfg = 0;
    fc_summaries *sums = fc_summaries_new();
    fc_run_summary_passes(tu, sums, o);
    unsigned max_blocks = o && o->max_blocks ? o->max_blocks : 20000;

    /* post-order over the call graph (iterative DFS) */
    unsigned *order = fc_xcalloc(s.n + 1, sizeof *order), no = 0;
    unsigned *stack = fc_xcalloc(s.n + 1, sizeof *stack), *next = fc_xcalloc(s.n + 1, sizeof *next);
    for (unsigned r = 0; r < s.n; r++) {
        if (s.v[r].state)
            continue;
        unsigned sp = 0;
        stack[sp++] = r;
        s.v[r].state = 1;
        while (sp) {
            unsigned v = stack[sp - 1];
            if (next[v] < s.v[v].ncallees) {
                unsigned w = s.v[v].callees[next[v]++];
                if (!s.v[w].state) {
                    s.v[w].state = 1;
                    stack[sp++] = w;
                }
            } else {
                s.v[v].state = 2;
                order[no++] = v;
                sp--;
            }
        }
    }
    for (unsigned k = 0; k < no; k++) {
        fninfo *f = &s.v[order[k]];
        /* CPU-clock reads only when timing is asked for: each is a system
         * call (4,800 of them on SQLite's 2,400 functions) */
        double tb = fc_timing ? now() : 0;
        f->fn = fc_func_build_with(tu, f->decl, max_blocks, ti, sums);
        if (fc_timing)
            t_cfg += now() - tb;
        if (!f->fn && sink) {
            /* a definition whose graph was cut at a bound: no pass runs on
             * it, so say so, as for the memory checks' own bounds (QA5 S12) */
            fc_loc l = fc_loc_of(f->decl);
            l.col = 0;
            CXString nm = clang_getCursorSpelling(f->decl);
            fc_diag_emit(sink, fc_remark_new(l, "'%s' not analyzed: its control-flow graph would need more than %u "
                                                "blocks, or statements or conditions nested more than 256 deep",
                                             clang_getCString(nm), max_blocks));
            clang_disposeString(nm);
        }
        if (!f->fn || (!f->called && !fc_dump_summaries && !each))
            continue;   /* no caller in this unit: its summary would not be used */
        fc_summary sum;
        /* one dataflow for both when the summary is used here; a function
         * nobody here calls is checked on its own below, as without each
         * (memcheck's check skips a function that cannot report) */
        bool ok = wants_memcheck(o) && f->called ? fc_memcheck_summarize_check(f->fn, sink, o, &sum, &f->checked)
                                                 : fc_memcheck_summarize(f->fn, o, &sum);
        if (ok)
            fc_annot_apply(f->decl, &sum); /* annotate.h's contract wins (check_owner.c) */
        if (ok)
            fc_summaries_put(sums, f->usr, f->fn->name, &sum);
        if (ok && each)
            each(ctx, f->usr, f->fn->name, &sum);
        if (fc_dump_summaries)
            printf("summary %s: %s frees=%#x may_free=%#x escapes=%#x returns_owned=%d returns_param=%d(%u) noreturn=%d returns_freed=%d returns_const=%d(%lld)\n",
                   f->fn->name, ok ? "ok" : "none", sum.frees, sum.may_free, sum.escapes, sum.returns_owned,
                   sum.returns_param, sum.ret_param, sum.noreturn, sum.returns_freed, sum.returns_const,
                   sum.const_val);
    }
    double t1 = now();
    for (unsigned k = 0; k < no; k++) {
        fninfo *f = &s.v[order[k]];
        if (!f->fn)
            continue;
        if (fc_dump_cfg)
            fc_cfg_dump(f->fn, stdout);
        if (wants_memcheck(o) && !f->checked)
            fc_memcheck_function(f->fn, sink, o);
        fc_run_function_passes(f->fn, sink, o);
    }
    double t2 = now();
    fc_run_tu_passes(tu, sink, o);
    if (fc_timing)
        fprintf(stderr, "ferrum-check: timing: %u functions: CFG %.3f s, summaries %.3f s, function passes %.3f s, "
                "TU passes %.3f s\n", no, t_cfg, t1 - t0 - t_cfg, t2 - t1, now() - t2);

    for (unsigned i = 0; i < s.n; i++) {
        fc_func_free(s.v[i].fn);
        free(s.v[i].callees);
    }
    free(order);
    free(stack);
    free(next);
    free(s.v);
    free(s.keys);
    free(s.idx);
    fc_tu_info_free(ti);
    fc_summaries_free(sums);
    fc_children_cache_reset();
}

void fc_analyze_parsed(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *o)
{
    analyze(tu, sink, o, NULL, NULL);
}

void fc_analyze_parsed_all(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *o, sum_cb each,
                           void *ctx)
{
    analyze(tu, sink, o, each, ctx);
}

int fc_analyze_unit(CXIndex idx, const fc_unit *u, fc_diag_sink *sink, const struct fc_options *o, FILE *err)
{
    int cwd = -1;
    const char *saved_base = fc_get_path_base();
    if (u->dir && *u->dir) {
        cwd = open(".", O_RDONLY | O_DIRECTORY);
        if (chdir(u->dir) != 0) {
            fprintf(err, "ferrum-check: %s: cannot enter directory '%s'\n", u->file, u->dir);
            if (cwd >= 0)
                close(cwd);
            fc_set_path_base(saved_base);
            return 2;
        }
        char here[4096];
        fc_set_path_base(getcwd(here, sizeof here) ? here : NULL);
    } else {
        fc_set_path_base(NULL);
    }
    int status = 0;
    if (access(u->file, R_OK) != 0) {
        fprintf(err, "ferrum-check: cannot read '%s'\n", fc_display_path(fc_intern(u->file)));
        status = 2;
        goto out;
    }
    struct stat fst;
    if (stat(u->file, &fst) == 0 && !S_ISREG(fst.st_mode) && !S_ISFIFO(fst.st_mode)) {
        /* /dev/zero: libclang would read it to the end of memory (QA13 X10).
         * A pipe is a source (`git show REV:f.c | ferrum-check /dev/stdin
         * -- -x c`, QA15 R5); a named FIFO nobody writes waits for --timeout. */
        fprintf(err, "ferrum-check: '%s' is not a regular file\n", fc_display_path(fc_intern(u->file)));
        status = 2;
        goto out;
    }
    if (!fc_unit_is_c(u))
        goto out;     /* C++ and others in a mixed database: not ours (main.c says so) */
    int nargs;
    char **args = fc_clang_args(u, &nargs);
    enum CXErrorCode ec;
    double tp = now();
    CXTranslationUnit tu = parse(idx, u->file, args, nargs, &ec);
    if (fc_timing)
        fprintf(err, "ferrum-check: timing: %s: parse %.3f s\n", u->file, now() - tp);
    char **bad = NULL;
    int nbad = 0;
    if (tu && unknown_args(tu, &bad, &nbad)) {
        clang_disposeTranslationUnit(tu);
        int k = 0;
        for (int i = 0; i < nargs; i++) {
            bool drop = false;
            for (int j = 0; j < nbad; j++)
                if (!strcmp(args[i], bad[j]))
                    drop = true;
            if (drop)
                free(args[i]);
            else
                args[k++] = args[i];
        }
        nargs = k;
        tu = parse(idx, u->file, args, nargs, &ec);
    }
    for (int j = 0; j < nbad; j++)
        free(bad[j]);
    free(bad);
    fc_free_args(args, nargs);
    if (!tu) {
        /* CXErrorCode, in words a user can act on */
        const char *why = ec == CXError_Crashed          ? "libclang crashed while parsing it"
                          : ec == CXError_InvalidArguments ? "libclang refused its arguments"
                          : ec == CXError_ASTReadError
                              ? "libclang took an input for a precompiled file (two inputs in the "
                                "arguments, -include-pch, or a .pch/.gch it cannot read)"
                              : "libclang could not parse it (an unreadable input, or arguments it "
                                "does not accept)";
        fprintf(err, "ferrum-check: %s: not analyzed: %s (libclang error %d)",
                fc_display_path(fc_intern(u->file)), why, (int)ec);
        if (u->has_compiler && u->nargs > 0) {
            /* which entry of the database, when a file has several (QA8 M4) */
            fputs("; its command:", err);
            size_t w = 0;
            for (int j = 0; j < u->nargs && w < 240; j++) {
                fprintf(err, " %s", u->args[j]);
                w += strlen(u->args[j]) + 1;
            }
            if (w >= 240)
                fputs(" ...", err);
        }
        fputc('\n', err);
        status = 2;
        goto out;
    }
    if (print_errors(tu, err)) {
        fprintf(err, "ferrum-check: %s: not analyzed: the compiler reported errors\n",
                fc_display_path(fc_intern(u->file)));
        status = 2;
    } else {
        analyze(tu, sink, o, NULL, NULL);
    }
    clang_disposeTranslationUnit(tu);
out:
    if (cwd >= 0) {
        if (fchdir(cwd) != 0)
            status = 2;
        close(cwd);
    }
    fc_set_path_base(saved_base);
    return status;
}
