/*
 * analyzer/driver.h — analyze one translation unit: parse it with libclang
 * (compiler flags cleaned of what clang rejects), print the compiler's
 * errors if it does not parse, else summarize its functions and run every
 * registered pass.  Used by ferrum-check (main.c) and ferrum-cc.  Private to
 * analyzer/.
 */
#ifndef FC_DRIVER_H
#define FC_DRIVER_H

#include <clang-c/Index.h>
#include <stdio.h>

#include "diag.h"
#include "options.h"

typedef struct fc_unit {
    char *file;        /* source file, as named in the command (relative to dir) */
    char *dir;         /* working directory of the command (NULL: current) */
    char **args;       /* compiler arguments, argv[0] (the compiler) included when has_compiler */
    int nargs;
    int has_compiler;  /* args[0] is the compiler (compile_commands.json) */
} fc_unit;

/* Returns 0 when analyzed, 2 when the unit could not be (unreadable, does
 * not parse: the compiler's errors are printed to err). */
int fc_analyze_unit(CXIndex idx, const fc_unit *u, fc_diag_sink *sink, const struct fc_options *o, FILE *err);

/* The checks over a unit already parsed without errors, from the current
 * directory (summary_cache.c checks in its pre-pass parse). */
void fc_analyze_parsed(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *o);
/* The same, and the summary of every function the unit defines (not only
 * of those it calls itself: other units may), each handed to each(). */
struct fc_summary;
void fc_analyze_parsed_all(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *o,
                           void (*each)(void *ctx, const char *usr, const char *name, const struct fc_summary *sum),
                           void *ctx);

/* The argument vector handed to libclang for a unit (for -v and tests);
 * free with fc_free_args. */
char **fc_clang_args(const fc_unit *u, int *n);
/* A file ferrum-check analyzes (.c, .h, .i); other units of a mixed
 * database (C++, assembler) are skipped by every pass. */
bool fc_is_c_source(const char *file);
/* Is unit u C: its last -x, else its file name. */
bool fc_unit_is_c(const fc_unit *u);
void fc_free_args(char **a, int n);

/* Debug: dump the CFG of every function of the unit (--dump-cfg). */
extern int fc_dump_cfg;
extern int fc_dump_summaries;   /* --dump-summaries */
extern int fc_timing;           /* --timing: per-unit phase times on stderr */
/* When set (main.c's workers: a byte of memory shared with the parent), 1
 * while libclang parses a unit: a worker that dies then died in libclang. */
extern volatile unsigned char *fc_parse_mark;

#endif /* FC_DRIVER_H */
