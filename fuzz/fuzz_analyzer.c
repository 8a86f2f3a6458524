/*
 * fuzz/fuzz_analyzer.c — libFuzzer target: ferrum-check's engine over
 * arbitrary C source.
 *
 * Each input is written to a temporary .c file and analyzed exactly as
 * ferrum-check analyzes a file named on its command line: fc_analyze_unit
 * (parse with libclang, build the CFG of every function, summaries, every
 * registered check), then the findings are printed as text and, when the
 * SARIF writer is built in, as SARIF — to /dev/null.  Whatever the input
 * (unbalanced braces, gotos into loops, deep nesting, huge switch tables,
 * macros, garbage bytes), the engine must neither crash nor trip a
 * sanitizer; a unit that does not parse is a status of 2, not a failure.
 * Work per function is bounded by the same limits ferrum-check uses, and
 * libFuzzer's -timeout catches a hang.
 */
#include <clang-c/Index.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "driver.h"
#include "options.h"

static CXIndex g_idx;
static char g_path[64];
static FILE *g_null;

static void cleanup(void)
{
    unlink(g_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_idx) {
        g_idx = clang_createIndex(0, 0);
        snprintf(g_path, sizeof g_path, "/tmp/ferrum-fuzz-analyzer-%d.c", (int)getpid());
        g_null = fopen("/dev/null", "w");
        if (!g_idx || !g_null) abort();
        atexit(cleanup);
    }
    FILE *f = fopen(g_path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);

    struct fc_options o;
    memset(&o, 0, sizeof o);
    o.format = FC_FORMAT_TEXT;
    o.jobs = 1;
    o.quiet = true;
    o.enabled = (1ul << fc_check_count) - 1;
    o.max_block_visits = 24;
    o.max_blocks = 20000;
    fc_unit u = { .file = g_path, .dir = NULL, .args = NULL, .nargs = 0, .has_compiler = 0 };
    fc_diag_sink *sink = fc_diag_sink_new(&o);
    if (!sink) abort();
    int st = fc_analyze_unit(g_idx, &u, sink, &o, g_null);
    if (st != 0 && st != 2) {
        fprintf(stderr, "fuzz_analyzer: fc_analyze_unit returned %d\n", st);
        abort();
    }
    size_t n;
    fc_finding *const *all = fc_diag_findings(sink, &n);
    if (fc_sarif_write) fc_sarif_write(g_null, all, n, &o, NULL, 0);
    fc_diag_print_text(sink, g_null);
    fc_diag_sink_free(sink);
    return 0;
}
