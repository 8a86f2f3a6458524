/*
 * analyzer/diag.c — the finding sink of diag.h: suppression comments,
 * de-duplication, sorting, GCC-format text output with optional rustc-style
 * source snippets, and the line protocol that carries findings from worker
 * processes to the parent.
 *
 * How: every finding is kept (suppressed ones flagged, for SARIF) in an
 * array; a hash set of "check|file|line|col|message" keys drops duplicates
 * (the same inline function of a header is analyzed in every translation
 * unit that includes it).  Suppression lexes the file of a finding once
 * (comments, string and character literals) and looks for a comment that
 * begins with `ferrum: allow(CHECK)` (exact check names, several
 * comma-separated, or `all`) on the finding's line, or on the line above
 * when that line holds only comments.  A comment in those places that was
 * clearly meant as such a directive but is not one (other case, no colon,
 * a name that is no check) earns the finding a note saying why it did not
 * apply, instead of being ignored in silence.  Output is sorted by file, line, column and check so that runs
 * with -j N print exactly what -j 1 prints.
 *
 * Why not print at once: parallel workers finish in any order, and de-dup
 * needs to have seen the earlier finding.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ir.h"
#include "options.h"
#include "util.h"

const char *const fc_check_names[] = {
    "use-after-free", "double-free", "leak", "free-nonheap", "use-after-move",
    "borrow-conflict", "dangling-borrow", "restrict-overlap", "strict-aliasing",
    "return-stack-address",
};
const size_t fc_check_count = sizeof fc_check_names / sizeof fc_check_names[0];

bool fc_check_enabled(const struct fc_options *o, const char *check)
{
    if (!o)
        return true;
    for (size_t i = 0; i < fc_check_count; i++)
        if (!strcmp(fc_check_names[i], check))
            return (o->enabled >> i) & 1;
    return true;
}

/* ---- Findings ---- */

static char *vfmt(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        return fc_xstrdup("?");
    return s;
}

fc_finding *fc_finding_new(const char *check, fc_loc loc, const char *label, const char *fmt, ...)
{
    fc_finding *f = fc_xcalloc(1, sizeof *f);
    f->check = fc_intern(check);
    f->loc = loc;
    f->label = label ? fc_xstrdup(label) : NULL;
    va_list ap;
    va_start(ap, fmt);
    f->msg = vfmt(fmt, ap);
    va_end(ap);
    return f;
}

fc_finding *fc_remark_new(fc_loc loc, const char *fmt, ...)
{
    fc_finding *f = fc_xcalloc(1, sizeof *f);
    f->check = FC_REMARK_CHECK;
    f->loc = loc;
    va_list ap;
    va_start(ap, fmt);
    f->msg = vfmt(fmt, ap);
    va_end(ap);
    return f;
}

bool fc_finding_is_remark(const fc_finding *f)
{
    return f && f->check && !strcmp(f->check, FC_REMARK_CHECK);
}

void fc_finding_note(fc_finding *f, fc_loc loc, const char *label, const char *fmt, ...)
{
    f->notes = fc_xrealloc(f->notes, (f->nnotes + 1) * sizeof *f->notes);
    fc_note *n = &f->notes[f->nnotes++];
    n->loc = loc;
    n->label = label ? fc_xstrdup(label) : NULL;
    va_list ap;
    va_start(ap, fmt);
    n->msg = vfmt(fmt, ap);
    va_end(ap);
}

void fc_finding_free(fc_finding *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nnotes; i++) {
        free(f->notes[i].msg);
        free(f->notes[i].label);
    }
    free(f->notes);
    free(f->msg);
    free(f->label);
    free(f);
}

/* ---- Source file cache (suppressions, snippets) ---- */

typedef struct srcfile {
    const char *path;
    char *text;
    char **lines;
    unsigned nlines;
    char **comments;   /* per line: comment text only, see scan_comments() */
    bool *has_code;    /* per line: anything but comments and blanks */
} srcfile;

static srcfile *files;
static size_t nfiles;

static const srcfile *source(const char *path)
{
    for (size_t i = 0; i < nfiles; i++)
        if (files[i].path == path)
            return &files[i];
    files = fc_xrealloc(files, (nfiles + 1) * sizeof *files);
    srcfile *s = &files[nfiles++];
    memset(s, 0, sizeof *s);
    s->path = path;
    FILE *fp = path ? fopen(path, "rb") : NULL;
    if (!fp)
        return s;
    fc_buf b = { 0 };
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk - 1, fp)) > 0) {
        chunk[n] = 0;
        for (size_t i = 0; i < n; i++)
            fc_buf_putc(&b, chunk[i] ? chunk[i] : ' ');
        if (b.len > (64u << 20))
            break;
    }
    fclose(fp);
    s->text = b.data ? b.data : fc_xstrdup("");
    unsigned cap = 64;
    s->lines = fc_xmalloc(cap * sizeof *s->lines);
    char *p = s->text;
    for (;;) {
        if (s->nlines == cap) {
            cap *= 2;
            s->lines = fc_xrealloc(s->lines, cap * sizeof *s->lines);
        }
        s->lines[s->nlines++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = 0;
        if (nl > p && nl[-1] == '\r')
            nl[-1] = 0;
        p = nl + 1;
    }
    return s;
}

static const char *line_text(const char *path, unsigned line)
{
    const srcfile *s = source(path);
    if (!s->text || line == 0 || line > s->nlines)
        return NULL;
    return s->lines[line - 1];
}

const char *fc_source_line(const char *path, unsigned line)
{
    return line_text(path, line);
}

/* Is code point c shown two columns wide (East Asian wide and fullwidth
 * forms, emoji)?  The main blocks of Unicode's EastAsianWidth W and F. */
static bool wide_cp(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) ||
           (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
           (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
           (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
           (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd);
}

/* Columns of text[0, n): a UTF-8 sequence counts one (two if wide and
 * display is set), a byte that starts no valid sequence one. */
static unsigned text_columns(const char *text, size_t n, bool display)
{
    const unsigned char *t = (const unsigned char *)text;
    unsigned cols = 0;
    size_t i = 0;
    while (i < n && t[i]) {
        size_t len = t[i] < 0x80 ? 1 : (t[i] & 0xe0) == 0xc0 ? 2 : (t[i] & 0xf0) == 0xe0 ? 3 : (t[i] & 0xf8) == 0xf0 ? 4 : 1;
        uint32_t c = len == 1 ? t[i] : t[i] & (0x7f >> len);
        size_t k = 1;
        for (; k < len && i + k < n && (t[i + k] & 0xc0) == 0x80; k++)
            c = (c << 6) | (t[i + k] & 0x3f);
        if (k < len) { /* truncated or invalid: one column for the lead byte */
            k = 1;
            c = t[i];
        }
        cols += display && wide_cp(c) ? 2 : 1;
        i += k;
    }
    return cols;
}

unsigned fc_char_column(const char *path, unsigned line, unsigned byte_col, bool display)
{
    const char *text = byte_col > 1 ? line_text(path, line) : NULL;
    if (!text)
        return byte_col;
    size_t tl = strlen(text);
    if (byte_col - 1 > tl) /* past the end (the newline): as many past it */
        return text_columns(text, tl, display) + 1 + (unsigned)(byte_col - 1 - tl);
    return text_columns(text, byte_col - 1, display) + 1;
}

/*
 * Suppressions are read from comments only, never from string literals or
 * code.  scan_comments() lexes the file once (comments, string and character
 * literals, backslash-newline continuations) and keeps for every line a copy
 * in which everything but comment text is blanked, each comment opener
 * replaced by \1 and each closer by \2, plus whether the line holds code.
 */
static void scan_comments(srcfile *s)
{
    enum { CODE, BLOCK, LINE, STR, CHR } st = CODE;
    s->comments = fc_xcalloc(s->nlines ? s->nlines : 1, sizeof *s->comments);
    s->has_code = fc_xcalloc(s->nlines ? s->nlines : 1, sizeof *s->has_code);
    bool continued = false;
    for (unsigned l = 0; l < s->nlines; l++) {
        const char *t = s->lines[l];
        size_t n = strlen(t);
        if (!continued && (st == LINE || st == STR || st == CHR))
            st = CODE;
        char *m = fc_xmalloc(n + 1);
        memset(m, ' ', n);
        m[n] = 0;
        for (size_t i = 0; i < n; i++) {
            char c = t[i], d = i + 1 < n ? t[i + 1] : 0;
            switch (st) {
            case CODE:
                if (c == '/' && (d == '/' || d == '*')) {
                    m[i] = '\1';
                    st = d == '/' ? LINE : BLOCK;
                    i++;
                } else if (c == '"' || c == '\'') {
                    st = c == '"' ? STR : CHR;
                    s->has_code[l] = true;
                } else if (c != ' ' && c != '\t' && c != '\f' && c != '\v' && c != '\\') {
                    s->has_code[l] = true;
                }
                break;
            case BLOCK:
                if (c == '*' && d == '/') {
                    m[i] = '\2';
                    st = CODE;
                    i++;
                } else {
                    m[i] = c;
                }
                break;
            case LINE:
                m[i] = c;
                break;
            case STR:
            case CHR:
                if (c == '\\')
                    i++;
                else if (c == (st == STR ? '"' : '\''))
                    st = CODE;
                break;
            }
        }
        continued = n > 0 && t[n - 1] == '\\';
        s->comments[l] = m;
    }
}

/* Is the word w[0..wl) the name of check (bare or ferrum-prefixed), or all? */
static bool names_check(const char *w, size_t wl, const char *check)
{
    size_t cl = strlen(check);
    if (wl == 3 && !memcmp(w, "all", 3))
        return true;
    if (wl == cl && !memcmp(w, check, cl))
        return true;
    return wl == cl + 7 && !memcmp(w, "ferrum-", 7) && !memcmp(w + 7, check, cl);
}

/* The next name of an allow(LIST) list in [*q, end) (names are separated
 * by commas and blanks): its start and length, or NULL after the last. */
static const char *next_name(const char **q, const char *end, size_t *len)
{
    const char *p = *q;
    while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
        p++;
    const char *w = p;
    while (p < end && *p != ',' && *p != ' ' && *p != '\t')
        p++;
    *q = p;
    *len = (size_t)(p - w);
    return p > w ? w : NULL;
}

/*
 * A suppression directive at the start of a comment's text (p: just after
 * the opener): `ferrum: allow(` in any case and spelling (`FERRUM allow (`,
 * `ferrum-allow(`).  Returns its list (just after the parenthesis), or NULL
 * when the comment is no directive; *start is where the directive begins
 * and *exact whether it is spelled exactly: "ferrum:", blanks, "allow(".
 */
static const char *directive(const char *p, const char **start, bool *exact)
{
    while (*p == ' ' || *p == '\t' || *p == '*' || *p == '/' || *p == '!')
        p++;
    *start = p;
    if (strncasecmp(p, "ferrum", 6))
        return NULL;
    p += 6;
    bool colon = *p == ':';
    while (*p == ' ' || *p == '\t' || *p == ':' || *p == '-')
        p++;
    if (strncasecmp(p, "allow", 5))
        return NULL;
    p += 5;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '(')
        return NULL;
    *exact = colon && !strncmp(*start, "ferrum:", 7) && !strncmp(p - 5, "allow", 5);
    for (const char *q = *start + 7; *exact && q < p - 5; q++)
        if (*q != ' ' && *q != '\t')
            *exact = false;
    return p + 1;
}

/*
 * Does a comment that starts on this line begin with `ferrum: allow(LIST)`
 * naming check?  LIST is check names separated by commas (and blanks), or
 * `all`; names match exactly and case-sensitively, as --checks= spells them.
 */
static bool allows(const char *m, const char *check)
{
    if (!m)
        return false;
    for (const char *c = m; (c = strchr(c, '\1')) != NULL;) {
        const char *start;
        bool exact;
        const char *p = directive(++c, &start, &exact);
        if (!p || !exact)
            continue;
        size_t len = strcspn(p, ")\1\2");
        if (p[len] != ')')
            continue;
        size_t wl;
        for (const char *q = p, *end = p + len, *w; (w = next_name(&q, end, &wl)) != NULL;)
            if (names_check(w, wl, check))
                return true;
    }
    return false;
}

static bool known_check(const char *w, size_t wl)
{
    for (size_t i = 0; i < fc_check_count; i++)
        if (names_check(w, wl, fc_check_names[i]))
            return true;
    return false;
}

/*
 * A comment that was meant to suppress a finding but does not: the
 * directive spelled in another case or without its colon (`FERRUM:
 * ALLOW(leak)`, `ferrum allow(leak)`), or naming no check at all
 * (`ferrum: allow(use_after_free)`).  A directive that names another,
 * existing check is deliberate and is not one of these.  Returns the byte
 * column of the comment's text (1-based) and a description in *why, or 0.
 */
static unsigned near_miss(const char *m, const char **why, char *word, size_t wordcap)
{
    if (!m)
        return 0;
    for (const char *c = m; (c = strchr(c, '\1')) != NULL;) {
        const char *start;
        bool exact;
        const char *p = directive(++c, &start, &exact);
        if (!p)
            continue;
        if (!exact) {
            *why = "spelling";
            return (unsigned)(start - m) + 1;
        }
        size_t len = strcspn(p, ")\1\2");
        size_t wl;
        unsigned names = 0;
        for (const char *q = p, *end = p + len, *w; (w = next_name(&q, end, &wl)) != NULL; names++)
            if (!known_check(w, wl)) {
                snprintf(word, wordcap, "%.*s", (int)wl, w);
                *why = "name";
                return (unsigned)(start - m) + 1;
            }
        /* exact and every name known, yet the finding stands: the list
         * names no check, or only others (QA13 X9) */
        snprintf(word, wordcap, "%.*s", (int)(len < wordcap ? len : wordcap - 1), p);
        *why = names ? "other" : "empty";
        return (unsigned)(start - m) + 1;
    }
    return 0;
}

/* Say on an unsuppressed finding why the suppression comment next to it
 * (its line, or the comment-only line above) did not apply.  Said once:
 * findings pass through a sink twice with -j (worker, then the parent). */
static void explain_near_miss(fc_finding *f)
{
    if (!f->loc.file || !f->loc.line)
        return;
    srcfile *s = (srcfile *)source(f->loc.file);
    if (!s->text || f->loc.line > s->nlines)
        return;
    if (!s->comments)
        scan_comments(s);
    unsigned l = f->loc.line - 1;
    for (int k = 0; k < 2; k++, l--) {
        if (k == 1 && (l == (unsigned)-1 || s->has_code[l]))
            break;
        const char *why = NULL;
        char word[64];
        unsigned col = near_miss(s->comments[l], &why, word, sizeof word);
        if (!col)
            continue;
        for (size_t i = 0; i < f->nnotes; i++)
            if (f->notes[i].loc.line == l + 1 && f->notes[i].loc.file == f->loc.file &&
                strstr(f->notes[i].msg, "does not suppress"))
                return;
        fc_loc at = { f->loc.file, l + 1, col, 0 };
        if (!strcmp(why, "name"))
            fc_finding_note(f, at, NULL, "this comment does not suppress the finding: '%s' is not a check name "
                            "(this one is '%s'; see --list-checks)", word, f->check);
        else if (!strcmp(why, "empty"))
            fc_finding_note(f, at, NULL, "this comment does not suppress the finding: it names no check "
                            "(this one is '%s': 'ferrum: allow(%s)')", f->check, f->check);
        else if (!strcmp(why, "other"))
            fc_finding_note(f, at, NULL, "this comment does not suppress the finding: it allows '%s', "
                            "and this finding is '%s'", word, f->check);
        else
            fc_finding_note(f, at, NULL, "this comment does not suppress the finding: the directive is spelled "
                            "'ferrum: allow(%s)' exactly (lower case, with the colon)", f->check);
        return;
    }
}

/*
 * A finding is suppressed by a directive in a comment on its own line, or
 * in a comment on the line above when that line holds nothing but comments
 * (a trailing comment belongs to its own statement, not to the next one).
 */
static bool suppressed(const fc_finding *f)
{
    if (!f->loc.file || !f->loc.line)
        return false;
    srcfile *s = (srcfile *)source(f->loc.file);
    if (!s->text || f->loc.line > s->nlines)
        return false;
    if (!s->comments)
        scan_comments(s);
    unsigned l = f->loc.line - 1;
    if (allows(s->comments[l], f->check))
        return true;
    return l > 0 && !s->has_code[l - 1] && allows(s->comments[l - 1], f->check);
}

/* ---- The sink ---- */

struct fc_diag_sink {
    const struct fc_options *opts;
    fc_finding **all;
    size_t n, cap;
    char **keys;
    size_t keycap, nkeys;
    size_t unsuppressed;
    bool sorted;
};

fc_diag_sink *fc_diag_sink_new(const struct fc_options *o)
{
    fc_diag_sink *s = fc_xcalloc(1, sizeof *s);
    s->opts = o;
    return s;
}

void fc_diag_sink_free(fc_diag_sink *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        fc_finding_free(s->all[i]);
    free(s->all);
    for (size_t i = 0; i < s->keycap; i++)
        free(s->keys[i]);
    free(s->keys);
    free(s);
}

static uint64_t hkey(const char *k)
{
    uint64_t h = 1469598103934665603ull;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ull;
    return h;
}

/* Insert key; false if it was already there. */
static bool key_insert(fc_diag_sink *s, char *key)
{
    if ((s->nkeys + 1) * 2 > s->keycap) {
        size_t ncap = s->keycap ? s->keycap * 2 : 64;
        char **nk = fc_xcalloc(ncap, sizeof *nk);
        for (size_t i = 0; i < s->keycap; i++)
            if (s->keys[i]) {
                size_t j = hkey(s->keys[i]) & (ncap - 1);
                while (nk[j])
                    j = (j + 1) & (ncap - 1);
                nk[j] = s->keys[i];
            }
        free(s->keys);
        s->keys = nk;
        s->keycap = ncap;
    }
    size_t j = hkey(key) & (s->keycap - 1);
    while (s->keys[j]) {
        if (!strcmp(s->keys[j], key)) {
            free(key);
            return false;
        }
        j = (j + 1) & (s->keycap - 1);
    }
    s->keys[j] = key;
    s->nkeys++;
    return true;
}

void fc_diag_emit(fc_diag_sink *sink, fc_finding *f)
{
    if (!sink || !f) {
        fc_finding_free(f);
        return;
    }
    bool remark = fc_finding_is_remark(f);
    if (!remark && sink->opts && !fc_check_enabled(sink->opts, f->check)) {
        fc_finding_free(f);
        return;
    }
    /* names as clang spells them (relative to the unit's directory) become
     * absolute here; text output shows them relative to the start directory */
    f->loc.file = fc_abs_path(f->loc.file);
    for (size_t i = 0; i < f->nnotes; i++)
        f->notes[i].loc.file = fc_abs_path(f->notes[i].loc.file);
    char *key = fc_xasprintf("%s|%s|%u|%u|%s", f->check, f->loc.file ? f->loc.file : "", f->loc.line,
                             f->loc.col, f->msg);
    if (!key_insert(sink, key)) {
        fc_finding_free(f);
        return;
    }
    f->suppressed = !remark && suppressed(f);
    if (!f->suppressed && !remark) {
        sink->unsuppressed++;
        explain_near_miss(f);
    }
    if (sink->n == sink->cap) {
        sink->cap = sink->cap ? sink->cap * 2 : 32;
        sink->all = fc_xrealloc(sink->all, sink->cap * sizeof *sink->all);
    }
    sink->all[sink->n++] = f;
    sink->sorted = false;
}

size_t fc_diag_count(const fc_diag_sink *s)
{
    return s ? s->unsuppressed : 0;
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
    const fc_finding *a = *(fc_finding *const *)pa, *b = *(fc_finding *const *)pb;
    int c = cmp_str(a->loc.file, b->loc.file);
    if (c)
        return c;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    c = strcmp(a->check, b->check);
    if (c)
        return c;
    return strcmp(a->msg, b->msg);
}

fc_finding *const *fc_diag_findings(fc_diag_sink *s, size_t *n)
{
    if (!s->sorted && s->n > 1)
        qsort(s->all, s->n, sizeof *s->all, cmp_finding);
    s->sorted = true;
    *n = s->n;
    return s->all;
}

/* ---- Text output ---- */

#define C_BOLD "\033[1m"
#define C_WARN "\033[1;35m"
#define C_NOTE "\033[1;36m"
#define C_BLUE "\033[1;34m"
#define C_RED "\033[1;31m"
#define C_OFF "\033[0m"

typedef struct mark {
    fc_loc loc;
    const char *label;
    bool primary;
} mark;

static int cmp_mark(const void *pa, const void *pb)
{
    const mark *a = pa, *b = pb;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    return a->loc.col < b->loc.col ? -1 : a->loc.col > b->loc.col;
}

/* rustc-style snippet: the lines of every place in the primary file. */
static void print_snippet(FILE *out, const fc_finding *f, bool color)
{
    mark marks[17];
    size_t nm = 0;
    marks[nm++] = (mark){ f->loc, f->label, true };
    for (size_t i = 0; i < f->nnotes && nm < 17; i++)
        if (f->notes[i].loc.file == f->loc.file && f->notes[i].loc.line)
            marks[nm++] = (mark){ f->notes[i].loc, f->notes[i].label, false };
    qsort(marks, nm, sizeof *marks, cmp_mark);
    unsigned maxline = 0;
    for (size_t i = 0; i < nm; i++)
        if (marks[i].loc.line > maxline)
            maxline = marks[i].loc.line;
    int w = snprintf(NULL, 0, "%u", maxline);
    const char *blue = color ? C_BLUE : "", *off = color ? C_OFF : "";
    fprintf(out, "%*s %s|%s\n", w, "", blue, off);
    unsigned last = 0;
    for (size_t i = 0; i < nm; i++) {
        const mark *mk = &marks[i];
        const char *text = line_text(mk->loc.file, mk->loc.line);
        if (!text)
            continue;
        if (mk->loc.line != last) {
            if (last && mk->loc.line > last + 1)
                fprintf(out, "%s...%s\n", blue, off);
            fprintf(out, "%s%*u |%s ", blue, w, mk->loc.line, off);
            for (const char *p = text; *p; p++)
                fputc(*p == '\t' ? ' ' : *p, out);
            fputc('\n', out);
            last = mk->loc.line;
        }
        /* clang's columns count bytes; carets go under display columns */
        unsigned bcol = mk->loc.col ? mk->loc.col : 1;
        unsigned col = fc_char_column(mk->loc.file, mk->loc.line, bcol, true);
        unsigned len = mk->loc.end_col > bcol ? fc_char_column(mk->loc.file, mk->loc.line, mk->loc.end_col, true) - col : 1;
        unsigned tl = text_columns(text, strlen(text), true);
        if (col - 1 + len > tl + 1)
            len = tl >= col ? tl - col + 1 : 1;
        fprintf(out, "%*s %s|%s ", w, "", blue, off);
        for (unsigned c = 1; c < col; c++)
            fputc(' ', out);
        const char *mc = mk->primary ? (color ? C_WARN : "") : blue;
        fputs(mc, out);
        for (unsigned c = 0; c < len; c++)
            fputc(mk->primary ? '^' : '-', out);
        if (mk->label)
            fprintf(out, " %s", mk->label);
        fprintf(out, "%s\n", off);
    }
}

static void print_loc(FILE *out, fc_loc l)
{
    const char *name = fc_display_path(l.file);
    if (name && l.line)
        fprintf(out, "%s:%u:%u: ", name, l.line, l.col ? l.col : 1);
    else if (name)
        fprintf(out, "%s: ", name);
}

void fc_diag_print_text(fc_diag_sink *s, FILE *out)
{
    size_t n;
    fc_finding *const *all = fc_diag_findings(s, &n);
    bool color = s->opts && s->opts->color;
    bool snippets = s->opts && s->opts->snippets;
    for (size_t i = 0; i < n; i++) {
        const fc_finding *f = all[i];
        if (f->suppressed || fc_finding_is_remark(f))
            continue;
        if (color)
            fputs(C_BOLD, out);
        print_loc(out, f->loc);
        fprintf(out, "%swarning:%s %s%s [ferrum-%s]%s\n", color ? C_WARN : "", color ? C_OFF C_BOLD : "",
                f->msg, color ? C_OFF : "", f->check, "");
        if (snippets)
            print_snippet(out, f, color);
        for (size_t j = 0; j < f->nnotes; j++) {
            if (color)
                fputs(C_BOLD, out);
            print_loc(out, f->notes[j].loc);
            fprintf(out, "%snote:%s %s\n", color ? C_NOTE : "", color ? C_OFF : "", f->notes[j].msg);
        }
    }
    fflush(out);
}

size_t fc_diag_print_remarks(fc_diag_sink *s, FILE *out)
{
    size_t n, k = 0;
    fc_finding *const *all = fc_diag_findings(s, &n);
    for (size_t i = 0; i < n; i++) {
        if (!fc_finding_is_remark(all[i]))
            continue;
        k++;
        if (!out)
            continue;
        fputs("ferrum-check: note: ", out);
        print_loc(out, all[i]->loc);
        fprintf(out, "%s\n", all[i]->msg);
    }
    if (out)
        fflush(out);
    return k;
}

/* ---- Worker protocol ---- */

static void put_field(fc_buf *b, const char *s)
{
    fc_buf_putc(b, '\t');
    if (!s) {
        fc_buf_puts(b, "\\0");
        return;
    }
    for (; *s; s++) {
        if (*s == '\t')
            fc_buf_puts(b, "\\t");
        else if (*s == '\n')
            fc_buf_puts(b, "\\n");
        else if (*s == '\\')
            fc_buf_puts(b, "\\\\");
        else
            fc_buf_putc(b, *s);
    }
}

static void put_loc(fc_buf *b, fc_loc l)
{
    put_field(b, l.file);
    fc_buf_printf(b, "\t%u\t%u\t%u", l.line, l.col, l.end_col);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int fc_finding_write(int fd, const fc_finding *f)
{
    fc_buf b = { 0 };
    fc_buf_puts(&b, "F");
    put_field(&b, f->check);
    put_loc(&b, f->loc);
    put_field(&b, f->label);
    put_field(&b, f->msg);
    fc_buf_putc(&b, '\n');
    for (size_t i = 0; i < f->nnotes; i++) {
        fc_buf_puts(&b, "N");
        put_loc(&b, f->notes[i].loc);
        put_field(&b, f->notes[i].label);
        put_field(&b, f->notes[i].msg);
        fc_buf_putc(&b, '\n');
    }
    fc_buf_puts(&b, "E\n");
    int r = write_all(fd, b.data, b.len);
    free(b.data);
    return r;
}

/* Split a protocol line into fields (unescaping in place). */
static unsigned split(char *line, char **out, unsigned max)
{
    unsigned n = 0;
    char *p = line;
    out[n++] = p;
    while (*p && n < max) {
        if (*p == '\t') {
            *p = 0;
            out[n++] = p + 1;
        }
        p++;
    }
    for (unsigned i = 0; i < n; i++) {
        char *r = out[i], *w = out[i];
        if (!strcmp(r, "\\0")) {
            out[i] = NULL;
            continue;
        }
        while (*r) {
            if (*r == '\\' && r[1]) {
                r++;
                *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
                r++;
            } else {
                *w++ = *r++;
            }
        }
        *w = 0;
    }
    return n;
}

static fc_loc get_loc(char **f)
{
    fc_loc l;
    l.file = f[0] ? fc_intern(f[0]) : NULL;
    l.line = (unsigned)strtoul(f[1], NULL, 10);
    l.col = (unsigned)strtoul(f[2], NULL, 10);
    l.end_col = (unsigned)strtoul(f[3], NULL, 10);
    return l;
}

fc_finding *fc_finding_read(FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    fc_finding *f = NULL;
    ssize_t len;
    while ((len = getline(&line, &cap, in)) > 0) {
        if (line[len - 1] == '\n')
            line[len - 1] = 0;
        char *fl[8];
        unsigned n = split(line, fl, 8);
        if (!strcmp(fl[0], "F") && n == 8 && !f) {
            f = fc_xcalloc(1, sizeof *f);
            f->check = fc_intern(fl[1] ? fl[1] : "?");
            f->loc = get_loc(fl + 2);
            f->label = fl[6] ? fc_xstrdup(fl[6]) : NULL;
            f->msg = fc_xstrdup(fl[7] ? fl[7] : "");
        } else if (!strcmp(fl[0], "N") && n == 7 && f) {
            f->notes = fc_xrealloc(f->notes, (f->nnotes + 1) * sizeof *f->notes);
            fc_note *no = &f->notes[f->nnotes++];
            no->loc = get_loc(fl + 1);
            no->label = fl[5] ? fc_xstrdup(fl[5]) : NULL;
            no->msg = fc_xstrdup(fl[6] ? fl[6] : "");
        } else if (!strcmp(fl[0], "E") && f) {
            free(line);
            return f;
        }
    }
    free(line);
    fc_finding_free(f);
    return NULL;
}
