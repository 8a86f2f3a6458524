/*
 * analyzer/ferrum_cc.c — `ferrum-cc`: a compiler wrapper that analyzes each
 * translation unit as the build compiles it.
 *
 *     CC="ferrum-cc gcc" make -j2
 *     ferrum-cc [--werror] [--checks=LIST] CC ARGS...
 *
 * What: ferrum-cc finds the C source files among ARGS, runs ferrum-check on
 * each with the flags that shape what the compiler sees (-D -U -I -include
 * -isystem -std -O ... ), lets its findings appear on stderr the way the
 * compiler prints warnings (`file:line:col: warning: ... [ferrum-CHECK]`,
 * with snippets when stderr is a terminal), then execs the real compiler
 * with exactly the arguments it was given, so the build's result is the
 * compiler's.  With --werror (or FERRUM_CC_WERROR=1) a finding fails that
 * compile with exit status 1 and the compiler is not run, like -Werror.
 * Invocations that compile nothing are passed straight through: linking
 * (no source file), preprocessing (-E), dependency generation only (-M,
 * -MM without -MD/-MMD), assembler input, --version and friends.
 * Response files (`@FILE`, which Meson, CMake and Ninja write when command
 * lines get long) are read as GCC reads them, for the analysis only:
 * arguments separated by blanks, '...' and "..." quoting, backslash escapes,
 * nested @FILE; an @FILE that cannot be read stays a plain argument, as GCC
 * keeps it.
 *
 * How: fork + exec of ferrum-check (the one next to this executable, else
 * $FERRUM_CHECK, else PATH) with its stdout on our stderr; its exit status
 * says whether there were findings (1) or it could not work (2: reported as
 * a note, never a build failure, since the compiler will give its own
 * errors for code that does not parse, so the analyzer's copy of them is
 * hidden unless FERRUM_CC_VERBOSE=1).  FERRUM_CC_DISABLE=1 skips the
 * analysis; FERRUM_CC_CHECKS=LIST selects checks like --checks.
 *
 * Why a separate process: the analyzer's crash or hang on odd input must
 * never take the build down; the wrapper stays tiny and the compiler always
 * runs with untouched arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *prog = "ferrum-cc";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ferrum-cc [--werror] [--checks=LIST] CC ARGS...\n"
            "  Analyzes each C file CC compiles with ferrum-check, prints its findings\n"
            "  as compiler warnings, then runs CC ARGS... unchanged.\n"
            "  --werror         a finding fails that compile (exit 1); also FERRUM_CC_WERROR=1\n"
            "  --checks=LIST    checks to run (as ferrum-check --checks); also FERRUM_CC_CHECKS\n"
            "  FERRUM_CC_DISABLE=1 skips the analysis; FERRUM_CHECK=PATH names the analyzer;\n"
            "  FERRUM_CC_VERBOSE=1 also shows the analyzer's own errors.\n"
            "example: CC=\"ferrum-cc gcc\" make -j2\n");
}

/* ---- Response files ---- */

#define RSP_MAX_DEPTH 16          /* nested @FILE; also breaks @a -> @a loops */
#define RSP_MAX_BYTES (16u << 20) /* a larger "response file" is not one */

struct argv_buf {
    char **v;
    size_t n, cap;
};

static bool argv_push(struct argv_buf *b, char *a)
{
    if (b->n + 1 >= b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        char **v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return false;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = a;
    b->v[b->n] = NULL;
    return true;
}

static bool expand_arg(struct argv_buf *out, char *arg, int depth);

/* Split a response file's text as libiberty's buildargv does: blanks
 * separate arguments; inside '...' or "..." they do not; a backslash takes
 * the next character literally; "" is an empty argument. */
static bool split_response(struct argv_buf *out, const char *text, int depth)
{
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    if (!buf)
        return false;
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
            p++;
        if (!*p)
            break;
        size_t n = 0;
        char quote = 0;
        for (; *p; p++) {
            if (*p == '\\' && p[1]) {
                buf[n++] = *++p;
            } else if (quote) {
                if (*p == quote)
                    quote = 0;
                else
                    buf[n++] = *p;
            } else if (*p == '\'' || *p == '"') {
                quote = *p;
            } else if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
                       *p == '\v') {
                break;
            } else {
                buf[n++] = *p;
            }
        }
        buf[n] = 0;
        char *a = strdup(buf);
        if (!a || !expand_arg(out, a, depth)) {
            free(buf);
            return false;
        }
    }
    free(buf);
    return true;
}

/* Append arg, or the arguments of the response file it names. */
static bool expand_arg(struct argv_buf *out, char *arg, int depth)
{
    if (arg[0] != '@' || !arg[1] || depth >= RSP_MAX_DEPTH)
        return argv_push(out, arg);
    FILE *f = fopen(arg + 1, "rb");
    if (!f)
        return argv_push(out, arg); /* GCC keeps an unreadable @FILE as it is */
    char *text = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    for (int c; (c = getc(f)) != EOF;) {
        if (n + 2 > cap) {
            cap = cap ? cap * 2 : 4096;
            char *t = cap <= RSP_MAX_BYTES ? realloc(text, cap) : NULL;
            if (!t) {
                ok = false;
                break;
            }
            text = t;
        }
        text[n++] = (char)(c ? c : ' ');
    }
    bool read_error = ferror(f);
    fclose(f);
    if (!ok || read_error) {
        free(text);
        return argv_push(out, arg);
    }
    if (!text)
        return true; /* an empty response file adds nothing */
    text[n] = 0;
    ok = split_response(out, text, depth + 1);
    free(text);
    return ok;
}

/* The compiler's arguments with every readable @FILE replaced by its
 * contents.  NULL when out of memory (the analysis is then skipped). */
static char **expand_response_files(int argc, char **argv, int *outc)
{
    struct argv_buf b = {0};
    bool any = false;
    for (int i = 0; i < argc; i++)
        any |= argv[i][0] == '@';
    if (!any) {
        *outc = argc;
        return argv;
    }
    for (int i = 0; i < argc; i++)
        if (!expand_arg(&b, argv[i], 0)) {
            free(b.v);
            return NULL;
        }
    if (!b.v && !(b.v = calloc(1, sizeof *b.v)))
        return NULL; /* only empty response files: no arguments */
    *outc = (int)b.n;
    return b.v;
}

/* ---- Reading the compiler's arguments ---- */

/* Options whose value is the next argument (when not attached). */
static bool takes_value(const char *a)
{
    static const char *const opts[] = {
        "-o", "-D", "-U", "-I", "-include", "-imacros", "-isystem", "-iquote", "-idirafter",
        "-iprefix", "-iwithprefix", "-iwithprefixbefore", "-isysroot", "-MF", "-MT", "-MQ",
        "-x", "-L", "-l", "-Xlinker", "-Xpreprocessor", "-Xassembler", "-Xclang", "-aux-info",
        "--param", "-T", "-u", "-z", "-e", "-specs", "-target", "--target", "-arch",
        "-dumpbase", "-dumpdir", "-dumpbase-ext", "--sysroot",
    };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (strcmp(a, opts[i]) == 0)
            return true;
    return false;
}

/* Options that change what the analyzer must see; those with a separate
 * value are listed in takes_value too.  -f and -m options are passed only
 * when they change the language or the target's types: clang does not know
 * every gcc code-generation option and would stop on them. */
static bool analysis_flag(const char *a)
{
    static const char *const prefixes[] = {
        "-D", "-U", "-I", "-include", "-imacros", "-isystem", "-iquote", "-idirafter",
        "-iprefix", "-iwithprefix", "-isysroot", "--sysroot", "-std=", "-O", "-target", "--target",
    };
    static const char *const exact[] = {
        "-ansi", "-nostdinc", "-pthread", "-undef", "-funsigned-char", "-fsigned-char",
        "-fshort-enums", "-fshort-wchar", "-fms-extensions", "-fopenmp", "-fgnu89-inline",
        "-fno-builtin", "-ffreestanding", "-fno-signed-char", "-fno-unsigned-char",
        "-m32", "-m64", "-mx32",
    };
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(a, exact[i]) == 0)
            return true;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(a, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

static bool is_c_source(const char *a, bool lang_c)
{
    if (lang_c)
        return true;
    size_t n = strlen(a);
    return n > 2 && strcmp(a + n - 2, ".c") == 0;
}

struct plan {
    char **files;      /* C sources to analyze */
    size_t nfiles;
    char **flags;      /* flags for ferrum-check after `--` */
    size_t nflags;
    bool skip;         /* nothing to analyze */
};

static void plan_build(int argc, char **argv, struct plan *p)
{
    bool preprocess_only = false, deps_only = false, deps_side = false, info = false;
    bool lang_c = false, lang_other = false, by_x = false;
    p->files = calloc((size_t)argc + 1, sizeof *p->files);
    p->flags = calloc((size_t)argc * 2 + 3, sizeof *p->flags);
    p->nfiles = p->nflags = 0;
    if (!p->files || !p->flags) {
        p->skip = true;
        return;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == 0) {
            if (!lang_other && is_c_source(a, lang_c) && strcmp(a, "-") != 0) {
                p->files[p->nfiles++] = argv[i];
                by_x |= lang_c;
            }
            continue;
        }
        if (strcmp(a, "-E") == 0)
            preprocess_only = true;
        else if (strcmp(a, "-M") == 0 || strcmp(a, "-MM") == 0)
            deps_only = true;
        else if (strcmp(a, "-MD") == 0 || strcmp(a, "-MMD") == 0)
            deps_side = true;
        else if (strcmp(a, "--version") == 0 || strcmp(a, "-v") == 0 ||
                 strncmp(a, "-print-", 7) == 0 || strncmp(a, "-dump", 5) == 0 ||
                 strcmp(a, "--help") == 0 || strcmp(a, "-###") == 0)
            info = true;
        if (strcmp(a, "-x") == 0 || strncmp(a, "-x", 2) == 0) {
            const char *lang = a[2] ? a + 2 : (i + 1 < argc ? argv[i + 1] : "");
            lang_c = strcmp(lang, "c") == 0;
            lang_other = !lang_c && strcmp(lang, "none") != 0;
        }
        bool sep = takes_value(a) && i + 1 < argc;
        if (analysis_flag(a)) {
            p->flags[p->nflags++] = argv[i];
            if (sep)
                p->flags[p->nflags++] = argv[i + 1];
        }
        if (sep)
            i++;
    }
    if (by_x) { /* a C file named otherwise (a.txt with -x c): ferrum-check is told too */
        p->flags[p->nflags++] = (char *)"-x";
        p->flags[p->nflags++] = (char *)"c";
    }
    p->skip = p->nfiles == 0 || preprocess_only || (deps_only && !deps_side) || info;
}

/* ---- Running ferrum-check ---- */

static void analyzer_path(char *buf, size_t n)
{
    const char *env = getenv("FERRUM_CHECK");
    if (env && *env) {
        snprintf(buf, n, "%s", env);
        return;
    }
    char self[PATH_MAX - 32];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) {
        self[len] = 0;
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = 0;
            snprintf(buf, n, "%s/ferrum-check", self);
            if (access(buf, X_OK) == 0)
                return;
        }
    }
    snprintf(buf, n, "ferrum-check");
}

static bool env_true(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0 && strcmp(v, "no") != 0;
}

/* Run the analyzer on one file: 0 clean, 1 findings, 2 could not analyze,
 * 3 the analyzer could not be run (said already). */
/* Runs the analyzer with arguments av and waits for it: returns its wait
 * status, or -1 when it could not be started.  With `findings`, its
 * findings go where the compiler's warnings go (stderr) and its own
 * complaints (a unit that does not parse) are dropped unless
 * FERRUM_CC_VERBOSE=1, as they would repeat the compiler's errors;
 * without, its output is dropped and its complaints shown. */
static int run_checker(const char *checker, char **av, bool findings)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (findings)
            dup2(STDERR_FILENO, STDOUT_FILENO);
        if (!findings || !env_true("FERRUM_CC_VERBOSE")) {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0) {
                dup2(null, findings ? STDERR_FILENO : STDOUT_FILENO);
                close(null);
            }
        }
        if (strchr(checker, '/'))
            execv(checker, av);
        else
            execvp(checker, av);
        fprintf(stderr, "%s: cannot run %s: %s\n", prog, checker, strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return st;
}

static int analyze(const char *checker, const char *file, const struct plan *p, const char *checks)
{
    size_t n = 0;
    char **av = calloc(p->nflags + 8, sizeof *av);
    if (!av)
        return 2;
    char checks_opt[4096];
    av[n++] = (char *)checker;
    av[n++] = (char *)"-q";
    if (checks && *checks) {
        snprintf(checks_opt, sizeof checks_opt, "--checks=%s", checks);
        av[n++] = checks_opt;
    }
    av[n++] = (char *)file;
    av[n++] = (char *)"--";
    for (size_t i = 0; i < p->nflags; i++)
        av[n++] = p->flags[i];
    av[n] = NULL;
    int st = run_checker(checker, av, true);
    free(av);
    if (st < 0)
        return 2;
    if (WIFEXITED(st)) {
        int rc = WEXITSTATUS(st);
        if (rc == 127) {
            fprintf(stderr, "%s: note: cannot run the analyzer '%s' (set FERRUM_CHECK); compiling anyway\n",
                    prog, checker);
            return 3;
        }
        return rc == 0 || rc == 1 ? rc : 2;
    }
    fprintf(stderr, "%s: note: the analysis of %s stopped (signal %d); compiling anyway\n", prog,
            file, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return 2;
}

/* A check list the analyzer refuses (a misspelled name, one that leaves
 * nothing on) would make every file "could not be analyzed" and turn the
 * gate off without a word: the analyzer's own message is shown and the
 * compile refused, as a compiler refuses a bad option (QA8 V22).  Returns
 * false when the list is refused. */
static bool checks_accepted(const char *checker, const char *checks)
{
    char opt[4096];
    snprintf(opt, sizeof opt, "--checks=%s", checks);
    char *av[] = {(char *)checker, opt, (char *)"--list-checks", NULL};
    int st = run_checker(checker, av, false);
    /* 127: the analyzer cannot run; analyze() says so for each file */
    return st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 127;
}

int main(int argc, char **argv)
{
    bool werror = env_true("FERRUM_CC_WERROR");
    const char *checks = getenv("FERRUM_CC_CHECKS");
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--werror") == 0) {
            werror = true;
        } else if (strncmp(argv[i], "--checks=", 9) == 0) {
            checks = argv[i] + 9;
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else {
            fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "%s: no compiler given\n", prog);
        usage(stderr);
        return 2;
    }
    char **cc = argv + i;
    const char *base = strrchr(cc[0], '/');
    base = base ? base + 1 : cc[0];
    if (strcmp(base, "ferrum-cc") == 0) {
        fprintf(stderr, "%s: the compiler to run cannot be ferrum-cc itself\n", prog);
        return 2;
    }

    int xargc = 0;
    char **xargv = env_true("FERRUM_CC_DISABLE") ? NULL : expand_response_files(argc - i - 1, cc + 1, &xargc);
    if (xargv) {
        struct plan p;
        plan_build(xargc, xargv, &p);
        if (!p.skip) {
            char checker[PATH_MAX + 16];
            analyzer_path(checker, sizeof checker);
            bool found = false;
            for (size_t f = 0; f < p.nfiles; f++) {
                int rc = analyze(checker, p.files[f], &p, checks);
                /* a failed analysis: was it the check list?  (asked only
                 * then, to spare every good compile a second run) */
                if (rc == 2 && checks && *checks && !checks_accepted(checker, checks)) {
                    fprintf(stderr, "%s: error: the check list '%s' (--checks or FERRUM_CC_CHECKS) is refused "
                                    "by the analyzer; not compiling\n", prog, checks);
                    free(p.files);
                    free(p.flags);
                    return 2;
                }
                if (rc == 1)
                    found = true;
                else if (rc == 2)
                    fprintf(stderr, "%s: note: %s could not be analyzed; compiling anyway\n", prog,
                            p.files[f]);
            }
            if (found && werror) {
                fprintf(stderr, "%s: error: ferrum findings are errors (--werror); not compiling\n",
                        prog);
                free(p.files);
                free(p.flags);
                return 1;
            }
        }
        free(p.files);
        free(p.flags);
    }
    fflush(stdout);
    fflush(stderr);
    execvp(cc[0], cc);
    fprintf(stderr, "%s: cannot run '%s': %s\n", prog, cc[0], strerror(errno));
    return 127;
}
