/*
 * analyzer/check_owner.h — the ownership checks of the ferrum handle API
 * (`use-after-move`, `borrow-conflict`, `dangling-borrow`, and `double-free`,
 * `use-after-free`, `leak` for handles) and the annotations of
 * <ferrum/annotate.h>.  Private to analyzer/.
 */
#ifndef FC_CHECK_OWNER_H
#define FC_CHECK_OWNER_H

#include <stdbool.h>

#include "ir.h"

struct fc_options;

/* The flow-sensitive pass over one function (registered as a function pass). */
void fc_check_owner(fc_func *fn, fc_diag_sink *sink, const struct fc_options *o);

/* Annotations on a function declaration (any redeclaration carries them). */
enum fc_annot {
    FC_ANNOT_NONE = 0,
    FC_ANNOT_RETURNS_OWNED = 1,
    FC_ANNOT_TAKES = 2,
    FC_ANNOT_BORROWS = 4,
    FC_ANNOT_BORROWS_MUT = 8,
};
/* Annotations of the function itself (FC_ANNOT_RETURNS_OWNED). */
unsigned fc_annot_function(CXCursor fndecl);
/* Annotations of its parameter i (TAKES / BORROWS / BORROWS_MUT). */
unsigned fc_annot_param(CXCursor fndecl, unsigned i);

/* Make a computed summary agree with the function's annotations (they are
 * the contract and win over what the body seems to do): FR_TAKES pointer
 * parameters escape into the callee (a later use is use-after-move, not
 * use-after-free), FR_BORROWS/FR_BORROWS_MUT ones are only dereferenced,
 * FR_RETURNS_OWNED returns memory the caller owns. */
struct fc_summary;
void fc_annot_apply(CXCursor fndecl, struct fc_summary *sum);

#endif /* FC_CHECK_OWNER_H */
