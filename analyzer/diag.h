/*
 * analyzer/diag.h — findings, as every check produces them and every output
 * format (text with snippets, SARIF) consumes them.  Private to analyzer/.
 *
 * A check fills an fc_finding (the check's contract name, the primary
 * location and message, and notes at related places: "value moved here",
 * "freed here", each with a rustc-style label) and hands it to
 * fc_diag_emit().  The sink applies suppressions (`ferrum: allow(CHECK)` on
 * the line or the line above), de-duplicates, and either prints at once or
 * keeps the findings for SARIF.
 */
#ifndef FC_DIAG_H
#define FC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct fc_loc {
    const char *file;   /* interned path (stays valid for the run) */
    unsigned line, col; /* 1-based; line 0 = unknown */
    unsigned end_col;   /* 0 = one token / unknown; used for caret ranges */
} fc_loc;

typedef struct fc_note {
    fc_loc loc;
    char *msg;          /* GCC note text: "memory was freed here" */
    char *label;        /* rustc label under the caret: "value moved here" (may be NULL) */
} fc_note;

typedef struct fc_finding {
    const char *check;  /* contract name: "use-after-free", "leak", ... */
    fc_loc loc;
    char *msg;          /* "use of memory after it was freed: 'p'" */
    char *label;        /* rustc label at the primary place (may be NULL) */
    fc_note *notes;
    size_t nnotes;
    bool suppressed;    /* set by the sink (kept for SARIF's suppression state) */
} fc_finding;

/* The check names that are the contract (DESIGN.md). */
extern const char *const fc_check_names[];
extern const size_t fc_check_count;

typedef struct fc_diag_sink fc_diag_sink;

/* Build a finding: msg/label are formatted copies; notes added with fc_finding_note. */
fc_finding *fc_finding_new(const char *check, fc_loc loc, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void fc_finding_note(fc_finding *f, fc_loc loc, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Hand a finding to the sink (takes ownership). */
void fc_diag_emit(fc_diag_sink *sink, fc_finding *f);

/* A remark is not a finding but a note about the run itself, such as a
 * function the memory checks had to skip.  It travels like a finding (the
 * -j worker pipe, the findings cache, the sink's de-duplication), so it is
 * said once per run and again when a cached unit is replayed; it is never
 * counted, suppressed or filtered by -checks, the text output leaves it out
 * (fc_diag_print_remarks puts it on stderr) and SARIF lists it under the
 * invocation's toolExecutionNotifications. */
#define FC_REMARK_CHECK "remark"
fc_finding *fc_remark_new(fc_loc loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool fc_finding_is_remark(const fc_finding *f);


/* ---- The sink (diag.c) ---- */
struct fc_options;

/* A sink keeps every finding (suppressed ones flagged) until fc_diag_finish. */
fc_diag_sink *fc_diag_sink_new(const struct fc_options *o);
void fc_diag_sink_free(fc_diag_sink *s);
/* Number of findings kept that are not suppressed. */
size_t fc_diag_count(const fc_diag_sink *s);
/* All kept findings, sorted by place (file, line, col, check); suppressed included. */
fc_finding *const *fc_diag_findings(fc_diag_sink *s, size_t *n);
/* Text output: GCC lines + notes, with snippets when o->snippets. */
void fc_diag_print_text(fc_diag_sink *s, FILE *out);
/* The remarks, one "ferrum-check: note: FILE:LINE: MSG" line each; returns
 * how many there are (printed or not: out may be NULL). */
size_t fc_diag_print_remarks(fc_diag_sink *s, FILE *out);
void fc_finding_free(fc_finding *f);

/* Line `line` of the source file `path` (an interned fc_loc path), read
 * once and cached; NULL when unreadable or past the end. */
const char *fc_source_line(const char *path, unsigned line);
/* The 1-based column of byte column byte_col on that line counted in code
 * points (display false: SARIF's unicodeCodePoints) or in display columns
 * (display true: East Asian wide characters take two).  byte_col itself
 * when the line cannot be read. */
unsigned fc_char_column(const char *path, unsigned line, unsigned byte_col, bool display);

/* Worker processes (-j) send findings to the parent through a pipe. */
int fc_finding_write(int fd, const fc_finding *f);      /* 0 ok, -1 error */
fc_finding *fc_finding_read(FILE *in);                  /* NULL at end of stream */

/* SARIF 2.1.0 writer (sarif.c); weak so the tool builds without it.
 * failed[nfailed]: the units that could not be analyzed (parse errors, a
 * worker killed, a timeout): the invocation is then not successful and
 * names each in an error notification. */
int fc_sarif_write(FILE *out, fc_finding *const *findings, size_t n, const struct fc_options *o,
                   const char *const *failed, size_t nfailed) __attribute__((weak));

#endif /* FC_DIAG_H */
