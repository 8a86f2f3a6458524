/*
 * analyzer/util.h — small helpers shared by the analyzer's files: allocation
 * that never returns NULL (out of memory ends the run with exit 2), a
 * growable string buffer, interning, and a hash map from libclang cursors to
 * integers.  Private to analyzer/.
 */
#ifndef FC_UTIL_H
#define FC_UTIL_H

#include <clang-c/Index.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *fc_xmalloc(size_t n);
void *fc_xcalloc(size_t n, size_t size);
void *fc_xrealloc(void *p, size_t n);
char *fc_xstrdup(const char *s);
char *fc_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

typedef struct fc_buf {
    char *data;
    size_t len, cap;
} fc_buf;
void fc_buf_puts(fc_buf *b, const char *s);
void fc_buf_putc(fc_buf *b, char c);
void fc_buf_printf(fc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A character of a C identifier ([A-Za-z0-9_]): for the places that read
 * names from source text where libclang gives no token. */
static inline bool fc_ident_char(char c)
{
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Interned copy of a libclang string (disposes it). */
const char *fc_intern_cx(CXString s);
/* Interned USR / spelling of a declaration, computed once per Decl for the
 * unit being analyzed (ir.c). */
const char *fc_decl_usr(CXCursor decl);
const char *fc_decl_name(CXCursor decl);

/* Cursor -> int map (clang_hashCursor / clang_equalCursors). */
/* clang_Cursor_isNull without the call (about 70 instructions: it compares
 * with a null cursor through clang_equalCursors): libclang's null cursor is
 * CXCursor_InvalidFile with all three data words null. */
static inline bool fc_cursor_null(CXCursor c)
{
    return c.kind == CXCursor_InvalidFile && !c.data[0] && !c.data[1] && !c.data[2];
}

typedef struct fc_cmap fc_cmap;
fc_cmap *fc_cmap_new(void);
void fc_cmap_free(fc_cmap *m);
void fc_cmap_put(fc_cmap *m, CXCursor k, int v);
bool fc_cmap_get(const fc_cmap *m, CXCursor k, int *v);

/* Display paths: names relative to the compile command's directory `dir`
 * become relative to the starting directory (or absolute outside it). */
void fc_set_path_base(const char *dir);
const char *fc_abs_path(const char *raw);        /* absolute, normalized; idempotent */
const char *fc_get_path_base(void);
const char *fc_display_path(const char *raw);

/* A FunctionDecl that never returns (known names or a noreturn type). */
bool fc_func_noreturn_decl(CXCursor d);

#endif /* FC_UTIL_H */
