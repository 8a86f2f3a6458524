/*
 * analyzer/walk.h — one libclang walk per function body, replayed for every
 * pass.  Private to analyzer/.
 *
 * fc_visit() has clang_visitChildren's contract (same callback, same
 * Recurse / Continue / Break, same order, same parent argument, nonzero
 * when a callback broke off) but serves cursors inside a function from a
 * tree recorded on the first walk of that function.  See walk.c for why.
 */
#ifndef FC_WALK_H
#define FC_WALK_H

#include <clang-c/Index.h>
#include <stdbool.h>

/* clang_visitChildren(root, cb, d), from the recorded tree when root is a
 * function definition or lies inside one, or is the translation unit (its
 * top-level cursors are recorded; a Recurse into one walks it with
 * fc_visit); a function's tree is recorded the first time it (or nothing
 * inside it yet) is asked for. */
unsigned fc_visit(CXCursor root, CXCursorVisitor cb, CXClientData d);

/* The children of c, in order, from the recorded tree: copies up to max
 * into out and returns how many there are, or -1 if c is not recorded. */
int fc_walk_children(CXCursor c, CXCursor *out, unsigned max);
/* Whether pred holds for some node below root (root itself excluded), in
 * pre-order, stopping at the first: 1 yes, 0 no, -1 root was not recorded
 * (nothing known).  A scan of the recorded array, no callbacks per level:
 * the passes use it to skip functions without the constructs they check. */
int fc_walk_any(CXCursor root, bool (*pred)(CXCursor c, void *ctx), void *ctx);
/* The same, asking pred only about the nodes of one kind. */
int fc_walk_any_of(CXCursor root, enum CXCursorKind kind, bool (*pred)(CXCursor c, void *ctx), void *ctx);

/* Answers kept per recorded expression or statement node, each asked of
 * libclang once: fc_strip (parentheses, casts, UnexposedExpr wrappers, as
 * ir.c defines it), clang_getCursorReferenced, clang_getCursorType and its
 * canonical type, clang_getCursorExtent.  Each returns false when c is not
 * a recorded expression or statement (the caller asks libclang itself then). */
bool fc_walk_strip(CXCursor c, CXCursor *out);
bool fc_walk_referenced(CXCursor c, CXCursor *out);
bool fc_walk_type(CXCursor c, CXType *out, bool canonical);
bool fc_walk_extent(CXCursor c, CXSourceRange *out);
/* A word per recorded expression for ir.c's own answers (FC_MEMO_OP: the
 * operator, FC_MEMO_LIT: a literal's value), 0 until set; NULL when c is
 * not a recorded expression.  Valid until the next function is recorded. */
enum { FC_MEMO_OP, FC_MEMO_LIT };
int *fc_walk_memo(CXCursor c, int which);

/* Forget every tree (between translation units). */
void fc_walk_reset(void);

#endif /* FC_WALK_H */
