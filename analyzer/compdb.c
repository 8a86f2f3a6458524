/*
 * analyzer/compdb.c — a tolerant reader of compile_commands.json.
 *
 * What: the list of translation units of a build, each with its directory,
 * source file, optional output and compiler arguments (the `arguments`
 * array, or the `command` string split like a POSIX shell).
 *
 * Why our own reader: libclang's CXCompilationDatabase refuses the whole
 * file when one entry is malformed, so a single bad line written by some
 * generator meant nothing was analyzed.  Here each entry is judged on its
 * own: a bad one is reported with its line and index and skipped, the rest
 * are analyzed (ferrum-check then exits 2: it could not do all its job).
 *
 * How: a small recursive-descent JSON parser (RFC 8259, depth-limited, with
 * \u escapes and surrogate pairs) parses the top-level array one element at
 * a time.  When an element is not valid JSON, the reader re-synchronises on
 * the next ',' or ']' at the array's own nesting level (strings and
 * brackets are skipped while looking), so even a syntax error costs only
 * its entry.  A file that is not a JSON array at all is an error (exit 2).
 */
#include "compdb.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* ---- JSON values ---- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jval {
    enum jtype t;
    char *s;             /* J_STR: the decoded string; J_OBJ: unused */
    struct jval **items; /* J_ARR: elements; J_OBJ: values */
    char **keys;         /* J_OBJ: keys */
    size_t n;
} jval;

static void jfree(jval *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        jfree(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->s);
    free(v);
}

static const char *jtype_name(const jval *v)
{
    static const char *const names[] = { "null", "a boolean", "a number", "a string", "an array", "an object" };
    return names[v->t];
}

static const jval *jget(const jval *o, const char *key)
{
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->keys[i], key))
            return o->items[i];
    return NULL;
}

typedef struct jparser {
    const char *p, *end, *start;
    const char *err;     /* first error message (static string) */
    const char *errpos;
    unsigned depth;
} jparser;

#define JMAX_DEPTH 64

static void jfail(jparser *j, const char *msg)
{
    if (!j->err) {
        j->err = msg;
        j->errpos = j->p;
    }
}

static void jws(jparser *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static jval *jnew(enum jtype t)
{
    jval *v = fc_xcalloc(1, sizeof *v);
    v->t = t;
    return v;
}

static void put_utf8(fc_buf *b, unsigned long c)
{
    if (c < 0x80) {
        fc_buf_putc(b, (char)c);
    } else if (c < 0x800) {
        fc_buf_putc(b, (char)(0xc0 | (c >> 6)));
        fc_buf_putc(b, (char)(0x80 | (c & 0x3f)));
    } else if (c < 0x10000) {
        fc_buf_putc(b, (char)(0xe0 | (c >> 12)));
        fc_buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
        fc_buf_putc(b, (char)(0x80 | (c & 0x3f)));
    } else {
        fc_buf_putc(b, (char)(0xf0 | (c >> 18)));
        fc_buf_putc(b, (char)(0x80 | ((c >> 12) & 0x3f)));
        fc_buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
        fc_buf_putc(b, (char)(0x80 | (c & 0x3f)));
    }
}

static int hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* At an opening quote; returns the decoded string or NULL (error set). */
static char *jstring(jparser *j)
{
    fc_buf b = { 0 };
    fc_buf_puts(&b, "");
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20) {
            jfail(j, "control character inside a string");
            free(b.data);
            return NULL;
        }
        if (c != '\\') {
            fc_buf_putc(&b, (char)c);
            j->p++;
            continue;
        }
        if (j->end - j->p < 2)
            break;
        char e = j->p[1];
        j->p += 2;
        switch (e) {
        case '"': fc_buf_putc(&b, '"'); break;
        case '\\': fc_buf_putc(&b, '\\'); break;
        case '/': fc_buf_putc(&b, '/'); break;
        case 'b': fc_buf_putc(&b, '\b'); break;
        case 'f': fc_buf_putc(&b, '\f'); break;
        case 'n': fc_buf_putc(&b, '\n'); break;
        case 'r': fc_buf_putc(&b, '\r'); break;
        case 't': fc_buf_putc(&b, '\t'); break;
        case 'u': {
            int h = hex4(j->p, j->end);
            if (h < 0) {
                jfail(j, "bad \\u escape in a string");
                free(b.data);
                return NULL;
            }
            j->p += 4;
            unsigned long cp = (unsigned long)h;
            if (cp >= 0xd800 && cp < 0xdc00 && j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
                int lo = hex4(j->p + 2, j->end);
                if (lo >= 0xdc00 && lo < 0xe000) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + ((unsigned long)lo - 0xdc00);
                    j->p += 6;
                }
            }
            if (cp == 0) {
                jfail(j, "NUL character (\\u0000) in a string");
                free(b.data);
                return NULL;
            }
            put_utf8(&b, cp);
            break;
        }
        default:
            j->p--;
            jfail(j, "unknown escape in a string");
            free(b.data);
            return NULL;
        }
    }
    if (j->p >= j->end) {
        jfail(j, "the file ends inside a string");
        free(b.data);
        return NULL;
    }
    j->p++;   /* closing quote */
    return b.data;
}

static jval *jvalue(jparser *j);

static jval *jarray(jparser *j)
{
    jval *v = jnew(J_ARR);
    j->p++;
    jws(j);
    if (j->p < j->end && *j->p == ']') {
        j->p++;
        return v;
    }
    for (;;) {
        jval *e = jvalue(j);
        if (!e) {
            jfree(v);
            return NULL;
        }
        v->items = fc_xrealloc(v->items, (v->n + 1) * sizeof *v->items);
        v->items[v->n++] = e;
        jws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            jws(j);
            continue;
        }
        if (j->p < j->end && *j->p == ']') {
            j->p++;
            return v;
        }
        jfail(j, j->p < j->end ? "expected ',' or ']' in an array" : "the file ends inside an array");
        jfree(v);
        return NULL;
    }
}

static jval *jobject(jparser *j)
{
    jval *v = jnew(J_OBJ);
    j->p++;
    jws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        return v;
    }
    for (;;) {
        jws(j);
        if (j->p >= j->end || *j->p != '"') {
            jfail(j, j->p < j->end ? "expected a \"key\" in an object" : "the file ends inside an object");
            jfree(v);
            return NULL;
        }
        char *k = jstring(j);
        if (!k) {
            jfree(v);
            return NULL;
        }
        jws(j);
        if (j->p >= j->end || *j->p != ':') {
            jfail(j, "expected ':' after a key");
            free(k);
            jfree(v);
            return NULL;
        }
        j->p++;
        jval *e = jvalue(j);
        if (!e) {
            free(k);
            jfree(v);
            return NULL;
        }
        v->items = fc_xrealloc(v->items, (v->n + 1) * sizeof *v->items);
        v->keys = fc_xrealloc(v->keys, (v->n + 1) * sizeof *v->keys);
        v->keys[v->n] = k;
        v->items[v->n++] = e;
        jws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            return v;
        }
        jfail(j, j->p < j->end ? "expected ',' or '}' in an object" : "the file ends inside an object");
        jfree(v);
        return NULL;
    }
}

static bool jword(jparser *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) >= n && !memcmp(j->p, w, n)) {
        j->p += n;
        return true;
    }
    return false;
}

static jval *jvalue(jparser *j)
{
    jws(j);
    if (j->p >= j->end) {
        jfail(j, "the file ends where a value was expected");
        return NULL;
    }
    if (j->depth >= JMAX_DEPTH) {
        jfail(j, "values nested too deeply");
        return NULL;
    }
    jval *v = NULL;
    j->depth++;
    switch (*j->p) {
    case '[': v = jarray(j); break;
    case '{': v = jobject(j); break;
    case '"': {
        char *s = jstring(j);
        if (s) {
            v = jnew(J_STR);
            v->s = s;
        }
        break;
    }
    default:
        if (jword(j, "null"))
            v = jnew(J_NULL);
        else if (jword(j, "true") || jword(j, "false"))
            v = jnew(J_BOOL);
        else if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
            const char *q = j->p;
            while (q < j->end && strchr("+-.eE0123456789", *q))
                q++;
            j->p = q;
            v = jnew(J_NUM);
        } else {
            jfail(j, "expected a value");
        }
    }
    j->depth--;
    return v;
}

/* After a syntax error inside the element that began at `from`: the
 * position of the ',' or ']' that ends it at the top array's level, or NULL
 * when the file ends first. */
static const char *resync(const char *from, const char *end)
{
    int depth = 0;
    for (const char *q = from; q < end; q++) {
        char c = *q;
        if (c == '"') {
            for (q++; q < end && *q != '"'; q++)
                if (*q == '\\')
                    q++;
            if (q >= end)
                return NULL;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            if (depth == 0)
                return c == ']' ? q : NULL;
            depth--;
        } else if (c == ',' && depth == 0) {
            return q;
        }
    }
    return NULL;
}

static unsigned line_of(const char *start, const char *pos)
{
    unsigned line = 1;
    for (const char *q = start; q < pos; q++)
        if (*q == '\n')
            line++;
    return line;
}

/* ---- command splitting ---- */

int fc_split_command(const char *cmd, char ***out)
{
    char **v = NULL;
    int n = 0;
    const char *p = cmd;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        fc_buf w = { 0 };
        fc_buf_puts(&w, "");
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            if (*p == '\'') {
                const char *q = strchr(p + 1, '\'');
                if (!q)
                    goto unterminated;
                for (p++; p < q; p++)
                    fc_buf_putc(&w, *p);
                p++;
            } else if (*p == '"') {
                for (p++; *p && *p != '"'; p++) {
                    if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1]))
                        p++;
                    fc_buf_putc(&w, *p);
                }
                if (!*p)
                    goto unterminated;
                p++;
            } else if (*p == '\\' && p[1]) {
                fc_buf_putc(&w, p[1]);
                p += 2;
            } else {
                fc_buf_putc(&w, *p++);
            }
            continue;
        unterminated:
            free(w.data);
            for (int i = 0; i < n; i++)
                free(v[i]);
            free(v);
            *out = NULL;
            return -1;
        }
        v = fc_xrealloc(v, (size_t)(n + 2) * sizeof *v);
        v[n++] = w.data;
        v[n] = NULL;
    }
    if (!v)
        v = fc_xcalloc(1, sizeof *v);
    *out = v;
    return n;
}

/* ---- entries ---- */

static char *join_path(const char *dir, const char *file)
{
    if (file[0] == '/' || !dir || !*dir)
        return fc_xstrdup(file);
    size_t dl = strlen(dir);
    return fc_xasprintf(dir[dl - 1] == '/' ? "%s%s" : "%s/%s", dir, file);
}

static char *read_all(const char *path, size_t *len);

/* `@FILE` arguments (response files, from CMake and long command lines):
 * replaced by the arguments FILE holds, read relative to the entry's
 * directory and split like a command, nested ones too (8 levels), as gcc
 * and clang do (QA8 V16).  A FILE that cannot be read stays as written,
 * as gcc leaves it. */
static void expand_response_files(char ***argvp, int *argcp, const char *dir, int depth)
{
    char **argv = *argvp;
    int argc = *argcp;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '@' || !argv[i][1] || depth >= 8)
            continue;
        char *path = join_path(dir, argv[i] + 1);
        size_t len = 0;
        char *text = read_all(path, &len);
        free(path);
        char **sub = NULL;
        int ns = text && strlen(text) == len ? fc_split_command(text, &sub) : -1;
        free(text);
        if (ns < 0)
            continue;
        expand_response_files(&sub, &ns, dir, depth + 1);
        char **nv = fc_xcalloc((size_t)(argc - 1 + ns + 1), sizeof *nv);
        int k = 0;
        for (int j = 0; j < i; j++)
            nv[k++] = argv[j];
        for (int j = 0; j < ns; j++)
            nv[k++] = sub[j];
        for (int j = i + 1; j < argc; j++)
            nv[k++] = argv[j];
        free(argv[i]);
        free(argv);
        free(sub);
        argv = nv;
        argc = k;
        i += ns - 1;
    }
    *argvp = argv;
    *argcp = argc;
}

/* Checks one element of the array; on success appends it to db and returns
 * NULL, else returns what is wrong (a malloc'd message). */
static char *take_entry(fc_compdb *db, const jval *e, const char *db_dir)
{
    if (e->t != J_OBJ)
        return fc_xasprintf("is %s, not an object", jtype_name(e));
    const jval *file = jget(e, "file"), *dir = jget(e, "directory"), *args = jget(e, "arguments"),
               *cmd = jget(e, "command"), *output = jget(e, "output");
    if (!file)
        return fc_xstrdup("has no \"file\"");
    if (file->t != J_STR || !*file->s)
        return fc_xasprintf("\"file\" is %s, not a file name", file->t == J_STR ? "empty" : jtype_name(file));
    if (!dir)
        return fc_xstrdup("has no \"directory\"");
    if (dir->t != J_STR || !*dir->s)
        return fc_xasprintf("\"directory\" is %s, not a directory name",
                            dir->t == J_STR ? "empty" : jtype_name(dir));
    if (output && output->t != J_STR)
        return fc_xasprintf("\"output\" is %s, not a file name", jtype_name(output));
    char **argv = NULL;
    int argc = 0;
    if (args) {
        if (args->t != J_ARR)
            return fc_xasprintf("\"arguments\" is %s, not an array of strings", jtype_name(args));
        if (args->n == 0)
            return fc_xstrdup("\"arguments\" is empty (it needs at least the compiler)");
        for (size_t i = 0; i < args->n; i++)
            if (args->items[i]->t != J_STR)
                return fc_xasprintf("\"arguments\"[%zu] is %s, not a string", i, jtype_name(args->items[i]));
        argv = fc_xcalloc(args->n + 1, sizeof *argv);
        for (size_t i = 0; i < args->n; i++)
            argv[argc++] = fc_xstrdup(args->items[i]->s);
    } else if (cmd) {
        if (cmd->t != J_STR)
            return fc_xasprintf("\"command\" is %s, not a string", jtype_name(cmd));
        argc = fc_split_command(cmd->s, &argv);
        if (argc < 0)
            return fc_xstrdup("\"command\" has an unterminated quote");
        if (argc == 0) {
            free(argv);
            return fc_xstrdup("\"command\" is empty");
        }
    } else {
        return fc_xstrdup("has neither \"arguments\" nor \"command\"");
    }
    db->v = fc_xrealloc(db->v, (db->n + 1) * sizeof *db->v);
    fc_compdb_entry *u = &db->v[db->n++];
    u->dir = join_path(db_dir, dir->s);   /* a relative directory: from the database's */
    expand_response_files(&argv, &argc, u->dir, 0);
    u->file = fc_xstrdup(file->s);
    u->output = output ? fc_xstrdup(output->s) : NULL;
    u->args = argv;
    u->nargs = argc;
    char *joined = join_path(u->dir, u->file);
    char *real = realpath(joined, NULL);
    u->path = real ? real : fc_xstrdup(fc_abs_path(joined));
    free(joined);
    return NULL;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fc_buf b = { 0 };
    fc_buf_puts(&b, "");
    char chunk[65536];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        for (size_t i = 0; i < r; i++)
            fc_buf_putc(&b, chunk[i]);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(b.data);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

int fc_compdb_load(const char *where, fc_compdb *db, FILE *err)
{
    memset(db, 0, sizeof *db);
    struct stat st;
    char *name;
    if (stat(where, &st) == 0 && S_ISREG(st.st_mode))
        name = fc_xstrdup(where);
    else
        name = join_path(where, "compile_commands.json");
    db->name = name;
    size_t len = 0;
    char *text = read_all(name, &len);
    if (!text) {
        fprintf(err, "ferrum-check: cannot read %s: %s\n", name, strerror(errno ? errno : EIO));
        return 2;
    }
    /* the database's own directory, for a relative "directory" */
    char *real = realpath(name, NULL);
    char *db_dir = real ? real : fc_xstrdup(fc_abs_path(name));
    char *slash = strrchr(db_dir, '/');
    if (slash)
        slash[slash == db_dir ? 1 : 0] = 0;

    jparser j = { text, text + len, text, NULL, NULL, 0 };
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        j.p += 3;   /* UTF-8 byte order mark */
    jws(&j);
    int status = 0;
    if (j.p >= j.end) {
        fprintf(err, "ferrum-check: %s: the file is empty (expected a JSON array of compile commands)\n", name);
        status = 2;
        goto out;
    }
    if (*j.p != '[') {
        fprintf(err, "ferrum-check: %s:%u: not a compile_commands.json: expected a JSON array '[', found '%c'\n",
                name, line_of(text, j.p), *j.p >= 0x20 && *j.p < 0x7f ? *j.p : '?');
        status = 2;
        goto out;
    }
    j.p++;
    jws(&j);
    if (j.p < j.end && *j.p == ']') {
        j.p++;
    } else {
        for (size_t k = 1;; k++) {
            jws(&j);
            const char *at = j.p;
            j.err = NULL;
            j.depth = 1;
            jval *e = jvalue(&j);
            const char *next = NULL;
            if (e) {
                char *why = take_entry(db, e, db_dir);
                if (why) {
                    fprintf(err, "ferrum-check: %s:%u: entry %zu: %s; entry skipped\n", name, line_of(text, at), k,
                            why);
                    db->bad++;
                    free(why);
                }
                jfree(e);
                jws(&j);
                if (j.p < j.end && (*j.p == ',' || *j.p == ']')) {
                    next = j.p;
                } else {
                    fprintf(err, "ferrum-check: %s:%u: %s after entry %zu\n", name, line_of(text, j.p),
                            j.p < j.end ? "expected ',' or ']'" : "the file ends", k);
                    db->bad++;
                    next = resync(j.p, j.end);
                }
            } else {
                fprintf(err, "ferrum-check: %s:%u: entry %zu: not valid JSON (%s); entry skipped\n", name,
                        line_of(text, j.errpos ? j.errpos : at), k, j.err ? j.err : "syntax error");
                db->bad++;
                next = resync(at, j.end);
            }
            if (!next) {
                fprintf(err, "ferrum-check: %s: the file ends before the array's closing ']' (truncated?)\n", name);
                j.p = j.end;
                break;
            }
            j.p = next + 1;
            if (*next == ']')
                break;
            jws(&j);
            if (j.p < j.end && *j.p == ']') {   /* a trailing comma: tolerated */
                j.p++;
                break;
            }
        }
    }
    jws(&j);
    if (j.p < j.end) {
        fprintf(err, "ferrum-check: %s:%u: text after the array's closing ']' ignored\n", name, line_of(text, j.p));
        db->bad++;
    }
    if (db->n == 0 && db->bad) {
        fprintf(err, "ferrum-check: %s: no usable compile command\n", name);
        status = 2;
    }
out:
    free(db_dir);
    free(text);
    return status;
}

void fc_compdb_free(fc_compdb *db)
{
    for (size_t i = 0; i < db->n; i++) {
        fc_compdb_entry *u = &db->v[i];
        free(u->dir);
        free(u->file);
        free(u->output);
        free(u->path);
        for (int k = 0; k < u->nargs; k++)
            free(u->args[k]);
        free(u->args);
    }
    free(db->v);
    free(db->name);
    memset(db, 0, sizeof *db);
}
