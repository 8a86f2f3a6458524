/*
 * analyzer/sarif.c — findings as a SARIF 2.1.0 log (`--format=sarif`), the
 * format GitHub code scanning, VS Code's SARIF viewer and most CI dashboards
 * read.
 *
 * What is written: one run whose tool.driver names ferrum-check with its
 * version and home page and lists a rule per check of the contract (id =
 * the check name; short description, full description and help taken from
 * the --explain text), then one result per finding: ruleId/ruleIndex,
 * level, message, the primary physicalLocation (artifactLocation.uri
 * relative to the source root with uriBaseId %SRCROOT%, region
 * startLine/startColumn), relatedLocations for the notes ("value moved
 * here"), a partial fingerprint so that a finding keeps its identity when
 * lines move (and two findings never share one), and `suppressions: [{kind: "inSource"}]` for findings silenced
 * by a `ferrum: allow(CHECK)` comment (kept, as SARIF wants, not dropped).
 *
 * How: a small streaming JSON writer with correct string escaping (quotes,
 * backslashes, control characters as \u00XX, invalid UTF-8 replaced by
 * U+FFFD), so the document is valid JSON whatever the source contains.  The
 * source root is $FERRUM_SOURCE_ROOT when set, else the current directory;
 * paths outside it are written as absolute file:// URIs.
 *
 * Why: SARIF is how static analysis results reach code review; the rule
 * metadata lets a reviewer read the --explain text next to the finding.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ferrum/common.h>

#include "checks.h"
#include "diag.h"
#include "options.h"

#define STR2(x) #x
#define STR(x) STR2(x)
#define FC_TOOL_VERSION STR(FR_VERSION_MAJOR) "." STR(FR_VERSION_MINOR) "." STR(FR_VERSION_PATCH)
#define FC_TOOL_URI "https://github.com/ferrum-c/ferrum"

/* ---- JSON strings ---- */

/* Length of a valid UTF-8 sequence starting at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len;
    uint32_t cp;
    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xe0) == 0xc0) {
        len = 2;
        cp = s[0] & 0x1f;
    } else if ((s[0] & 0xf0) == 0xe0) {
        len = 3;
        cp = s[0] & 0x0f;
    } else if ((s[0] & 0xf8) == 0xf0) {
        len = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* No overlong forms, no surrogates, nothing above U+10FFFF. */
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    return len;
}

static void json_str(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    fputc('"', out);
    while (n > 0) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
        } else if (c == '\n') {
            fputs("\\n", out);
        } else if (c == '\t') {
            fputs("\\t", out);
        } else if (c == '\r') {
            fputs("\\r", out);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(out, "\\u%04x", c);
        } else if (c >= 0x80) {
            size_t l = utf8_len(p, n);
            if (l == 0) {
                fputs("\\ufffd", out);
                l = 1;
            } else {
                fwrite(p, 1, l, out);
            }
            p += l;
            n -= l;
            continue;
        } else {
            fputc(c, out);
        }
        p++;
        n--;
    }
    fputc('"', out);
}

/* ---- URIs ---- */

/* A JSON string holding prefix + path, the path percent-encoded for a URI
 * (RFC 3986 unreserved characters and '/' kept). */
static void uri_path(FILE *out, const char *prefix, const char *path)
{
    fputc('"', out);
    fputs(prefix, out);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/+,=@", c))
            fputc(c, out);
        else
            fprintf(out, "%%%02X", c);
    }
    fputc('"', out);
}

struct root {
    char dir[PATH_MAX]; /* absolute, without trailing slash ("" for /) */
    size_t len;
};

static void root_init(struct root *r)
{
    const char *env = getenv("FERRUM_SOURCE_ROOT");
    char buf[PATH_MAX];
    r->dir[0] = 0;
    if (env && *env && realpath(env, buf))
        snprintf(r->dir, sizeof r->dir, "%s", buf);
    else if (getcwd(buf, sizeof buf))
        snprintf(r->dir, sizeof r->dir, "%s", buf);
    r->len = strlen(r->dir);
    while (r->len > 0 && r->dir[r->len - 1] == '/')
        r->dir[--r->len] = 0;
}

/* Write "uri": ..., "uriBaseId": ... for a file, relative to the root when inside it. */
static void artifact(FILE *out, const struct root *r, const char *file)
{
    char abs[PATH_MAX];
    const char *path = file ? file : "<unknown>";
    if (realpath(path, abs))
        path = abs;
    if (path[0] == '/' && r->len > 0 && strncmp(path, r->dir, r->len) == 0 && path[r->len] == '/') {
        fputs("\"artifactLocation\": {\"uri\": ", out);
        uri_path(out, "", path + r->len + 1);
        fputs(", \"uriBaseId\": \"%SRCROOT%\"}", out);
    } else if (path[0] == '/') {
        fputs("\"artifactLocation\": {\"uri\": ", out);
        uri_path(out, "file://", path);
        fputs("}", out);
    } else {
        while (path[0] == '.' && path[1] == '/')
            path += 2;
        fputs("\"artifactLocation\": {\"uri\": ", out);
        uri_path(out, "", path);
        fputs(", \"uriBaseId\": \"%SRCROOT%\"}", out);
    }
}

/* clang's columns count bytes; the run declares unicodeCodePoints. */
static void region(FILE *out, const fc_loc *l)
{
    fprintf(out, "\"region\": {\"startLine\": %u", l->line ? l->line : 1);
    if (l->col)
        fprintf(out, ", \"startColumn\": %u", fc_char_column(l->file, l->line, l->col, false));
    if (l->col && l->end_col > l->col)
        fprintf(out, ", \"endColumn\": %u", fc_char_column(l->file, l->line, l->end_col, false));
    fputc('}', out);
}

static void physical(FILE *out, const struct root *r, const fc_loc *l)
{
    fputs("\"physicalLocation\": {", out);
    artifact(out, r, l->file);
    if (l->line) {
        fputs(", ", out);
        region(out, l);
    }
    fputc('}', out);
}

/* ---- Fingerprint (FNV-1a over check, file, message: stable when lines move) ---- */

static uint64_t fnv(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ull;
    }
    h ^= 0xff;
    h *= 0x100000001b3ull;
    return h;
}

/* The text of line `line` of `path` without leading and trailing blanks
 * (empty when unreadable): part of the fingerprint, as GitHub's own
 * primaryLocationLineHash hashes the line's content, not its number. */
static void line_text(const char *path, unsigned line, char *buf, size_t size)
{
    const char *t = path && line ? fc_source_line(path, line) : NULL;
    size_t len = 0;
    while (t && (*t == ' ' || *t == '\t'))
        t++;
    while (t && t[len] && len + 1 < size) {
        buf[len] = t[len];
        len++;
    }
    while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t' || buf[len - 1] == '\r'))
        len--;
    buf[len] = 0;
}

/* A finding's identity for code scanning: FNV-1a over the check, the file,
 * the message, the label and the text of the primary line and of every
 * note's line (stable when lines move, different for two functions making
 * the same mistake in different words of code); identical ones are told
 * apart by their ordinal in the log (":0", ":1", ...). */
static uint64_t fingerprint(const fc_finding *f)
{
    char text[512];
    uint64_t h = fnv(fnv(fnv(fnv(0xcbf29ce484222325ull, f->check), f->loc.file), f->msg), f->label);
    line_text(f->loc.file, f->loc.line, text, sizeof text);
    h = fnv(h, text);
    for (size_t i = 0; i < f->nnotes; i++) {
        line_text(f->notes[i].loc.file, f->notes[i].loc.line, text, sizeof text);
        h = fnv(fnv(h, f->notes[i].msg), text);
    }
    return h;
}

/* ---- The document ---- */

static int rule_index(const char *check)
{
    for (size_t i = 0; i < fc_check_count; i++)
        if (strcmp(fc_check_names[i], check) == 0)
            return (int)i;
    return -1;
}

static void rules(FILE *out)
{
    for (size_t i = 0; i < fc_check_count; i++) {
        const char *id = fc_check_names[i];
        const fc_explain *e = fc_explain_find(id);
        fprintf(out, "%s\n        {\"id\": ", i ? "," : "");
        json_str(out, id);
        fputs(", \"name\": ", out);
        json_str(out, id);
        fputs(",\n         \"shortDescription\": {\"text\": ", out);
        json_str(out, e && e->summary ? e->summary : id);
        fputs("},\n         \"fullDescription\": {\"text\": ", out);
        json_str(out, e && e->summary ? e->summary : id);
        fputs("},\n         \"help\": {\"text\": ", out);
        json_str(out, e && e->text ? e->text : id);
        fputs("},\n         \"helpUri\": ", out);
        char uri[256];
        snprintf(uri, sizeof uri, "%s/blob/main/docs/checks.md#%s", FC_TOOL_URI, id);
        json_str(out, uri);
        fputs(",\n         \"defaultConfiguration\": {\"level\": \"warning\"},", out);
        fputs("\n         \"properties\": {\"tags\": [\"correctness\", \"memory-safety\"], "
              "\"precision\": \"high\", \"problem.severity\": \"warning\"}}",
              out);
    }
}

static void result(FILE *out, const struct root *r, const fc_finding *f, uint64_t fp, unsigned ordinal)
{
    fputs("        {\"ruleId\": ", out);
    json_str(out, f->check);
    int ri = rule_index(f->check);
    if (ri >= 0)
        fprintf(out, ", \"ruleIndex\": %d", ri);
    fputs(", \"level\": \"warning\",\n         \"message\": {\"text\": ", out);
    json_str(out, f->msg);
    fputs("},\n         \"locations\": [{", out);
    physical(out, r, &f->loc);
    if (f->label) {
        fputs(", \"message\": {\"text\": ", out);
        json_str(out, f->label);
        fputc('}', out);
    }
    fputs("}]", out);
    if (f->nnotes) {
        fputs(",\n         \"relatedLocations\": [", out);
        for (size_t i = 0; i < f->nnotes; i++) {
            fprintf(out, "%s\n           {\"id\": %zu, ", i ? "," : "", i + 1);
            physical(out, r, &f->notes[i].loc);
            fputs(", \"message\": {\"text\": ", out);
            json_str(out, f->notes[i].msg);
            fputs("}}", out);
        }
        fputs("]", out);
    }
    fprintf(out, ",\n         \"partialFingerprints\": {\"ferrumFinding/v2\": \"%016llx:%u\"}",
            (unsigned long long)fp, ordinal);
    if (f->suppressed)
        fputs(",\n         \"suppressions\": [{\"kind\": \"inSource\", \"status\": \"accepted\"}]", out);
    fputs("}", out);
}

int fc_sarif_write(FILE *out, fc_finding *const *findings, size_t n, const struct fc_options *o,
                   const char *const *failed, size_t nfailed)
{
    (void)o;
    struct root r;
    root_init(&r);
    fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n", out);
    fputs("  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n", out);
    fputs("      \"tool\": {\"driver\": {\"name\": \"ferrum-check\", \"version\": \"" FC_TOOL_VERSION
          "\", \"semanticVersion\": \"" FC_TOOL_VERSION "\",\n"
          "        \"informationUri\": \"" FC_TOOL_URI "\",\n        \"rules\": [",
          out);
    rules(out);
    fputs("]}},\n", out);
    fputs("      \"originalUriBaseIds\": {\"%SRCROOT%\": {\"uri\": ", out);
    char rootdir[PATH_MAX + 2];
    snprintf(rootdir, sizeof rootdir, "%s/", r.dir);
    uri_path(out, "file://", rootdir);
    fputs("}},\n", out);
    fputs("      \"columnKind\": \"unicodeCodePoints\",\n", out);
    fputs("      \"results\": [", out);
    uint64_t *fps = n ? calloc(n, sizeof *fps) : NULL;
    bool first = true;
    size_t nremarks = 0;
    for (size_t i = 0; i < n; i++) {
        if (fc_finding_is_remark(findings[i])) {
            nremarks++;
            continue;   /* a note about the run, not a result */
        }
        uint64_t fp = fingerprint(findings[i]);
        unsigned ordinal = 0;
        for (size_t j = 0; fps && j < i; j++)
            ordinal += fps[j] == fp;
        if (fps)
            fps[i] = fp;
        fputs(first ? "\n" : ",\n", out);
        first = false;
        result(out, &r, findings[i], fp, ordinal);
    }
    free(fps);
    fprintf(out, "\n      ],\n      \"invocations\": [{\"executionSuccessful\": %s", nfailed ? "false" : "true");
    if (nremarks || nfailed) {
        /* functions the checks skipped, units not analyzed: SARIF's
         * notifications of the run */
        fputs(",\n        \"toolExecutionNotifications\": [", out);
        first = true;
        for (size_t i = 0; i < nfailed; i++) {
            fputs(first ? "\n" : ",\n", out);
            first = false;
            fputs("          {\"level\": \"error\", \"message\": {\"text\": \"unit not analyzed (see the tool's "
                  "standard error)\"}, \"locations\": [{", out);
            fc_loc l = {fc_intern(failed[i]), 0, 0, 0};
            physical(out, &r, &l);
            fputs("}]}", out);
        }
        for (size_t i = 0; i < n; i++) {
            if (!fc_finding_is_remark(findings[i]))
                continue;
            fputs(first ? "\n" : ",\n", out);
            first = false;
            fputs("          {\"level\": \"note\", \"message\": {\"text\": ", out);
            json_str(out, findings[i]->msg);
            fputs("}, \"locations\": [{", out);
            physical(out, &r, &findings[i]->loc);
            fputs("}]}", out);
        }
        fputs("]", out);
    }
    fputs("}]\n    }\n  ]\n}\n", out);
    return ferror(out) ? -1 : 0;
}
