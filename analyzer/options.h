/*
 * analyzer/options.h — the run's options as parsed from the command line,
 * shared by the driver, every check and every output format.  Private to
 * analyzer/.
 *
 * Checks are selected by their contract names (DESIGN.md); a check module
 * asks fc_check_enabled() before doing work for a check so that
 * `--checks=leak` costs only what the leak check costs.
 */
#ifndef FC_OPTIONS_H
#define FC_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

enum fc_format { FC_FORMAT_TEXT, FC_FORMAT_SARIF };

struct fc_options {
    enum fc_format format;
    const char *output;        /* -o FILE, NULL: stdout */
    const char *build_dir;     /* -p DIR, NULL: none */
    unsigned jobs;             /* -j N (>= 1) */
    bool snippets;             /* --snippets, or stdout is a terminal (text only) */
    bool color;                /* stdout is a terminal */
    bool progress;             /* progress line on stderr (a terminal, -j) */
    bool quiet;                /* -q: no summary line */
    const char *checks_spec;   /* --checks=a,b,-c (NULL: all) */
    unsigned long enabled;     /* bit i: fc_check_names[i] is enabled */
    unsigned max_block_visits; /* dataflow work bound per block (default 24) */
    unsigned max_blocks;       /* functions with more CFG blocks are skipped (default 20000) */
};

/* True when the check named `check` (a contract name) is enabled. */
bool fc_check_enabled(const struct fc_options *o, const char *check);

#endif /* FC_OPTIONS_H */
