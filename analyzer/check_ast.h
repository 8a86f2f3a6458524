/*
 * analyzer/check_ast.h — small libclang 14 helpers shared by the AST passes
 * of the aliasing and ownership checks (check_restrict.c, check_aliasing.c,
 * check_owner.c).  Private to analyzer/.
 *
 * libclang 14's C API has gaps these helpers paper over:
 *  - no operator kind for BinaryOperator / UnaryOperator cursors: the
 *    operator is read with clang_tokenize() between the operands' extents;
 *  - implicit casts (and a few other nodes) are UnexposedExpr: fc_strip()
 *    looks through them, parentheses, and (on request) explicit casts;
 *  - locations inside macro expansions: we report the expansion location
 *    (where the user wrote the macro), and decide "user code or not" with
 *    clang_Location_isInSystemHeader, never clang_Location_isFromMainFile.
 */
#ifndef FC_CHECK_AST_H
#define FC_CHECK_AST_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Children of a cursor (at most `max`, in order); returns how many exist. */
unsigned fc_ast_children(CXCursor c, CXCursor *out, unsigned max);

/* Look through UnexposedExpr and ParenExpr (and, with casts, CStyleCastExpr). */
CXCursor fc_ast_strip(CXCursor c, bool casts);

/* The operator spelling of a BinaryOperator / CompoundAssignOperator
 * ("+", "=", "+=", ...) or of a UnaryOperator ("*", "&", "++", ...), copied
 * into buf.  Empty when it cannot be read.  For unary operators *postfix is
 * set when the operator follows its operand. */
void fc_ast_binop(CXCursor c, char *buf, size_t n);
void fc_ast_unop(CXCursor c, char *buf, size_t n, bool *postfix);

/* Same AST node?  clang_equalCursors also compares the parent a cursor was
 * reached from, so the same expression reached through two walks would
 * differ; for statements and expressions compare the node itself. */
bool fc_ast_same(CXCursor a, CXCursor b);

/* Is this DeclRefExpr the whole target of a plain assignment (`x = ...`)?
 * Read from the source text around it, for walkers that could not read the
 * operator (operands spelled through macros such as NULL). */
bool fc_ast_is_assign_target(CXCursor ref);

/* Constant value of an integer expression; false if not a constant. */
bool fc_ast_const_int(CXCursor c, long long *v);

/* The source text of an expression (its extent), shortened to fit n. */
void fc_ast_text(CXCursor c, char *buf, size_t n);

/* The location of a cursor as an fc_loc (expansion location, interned path). */
fc_loc fc_ast_loc(CXCursor c);

/* The closing brace of a compound statement (the end of its extent). */
fc_loc fc_ast_end_loc(CXCursor c);

/* Is the cursor's expansion location in a system header (or nowhere)? */
bool fc_ast_in_system(CXCursor c);

/* Name of the function a CallExpr calls (a copy), or "" for indirect calls;
 * *decl receives the callee declaration (null cursor when unknown). */
void fc_ast_callee(CXCursor call, char *buf, size_t n, CXCursor *decl);

/* A printf-family call (printf, fprintf, dprintf, sprintf, snprintf and
 * their _chk builtins) named `name` with arguments args[0..na): bit i set
 * when a literal format prints argument i with %p.  Printing a freed or
 * released pointer's value reads nothing through it. */
uint64_t fc_ast_printf_pointer_args(const char *name, const CXCursor *args, unsigned na);

/* Interned copy of a path (valid for the whole run; thread-safe). */
const char *fc_ast_intern(const char *path);

/* Visit every function body of the translation unit that is not in a
 * system header: fn(function cursor, ctx). */
void fc_ast_each_function(CXTranslationUnit tu, void (*fn)(CXCursor f, void *ctx), void *ctx);

#endif /* FC_CHECK_AST_H */
