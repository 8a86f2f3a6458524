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

#endif /* FC_DIAG_H */
