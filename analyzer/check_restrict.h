/*
 * analyzer/check_restrict.h — the `restrict-overlap` check (an AST pass).
 * Private to analyzer/.
 */
#ifndef FC_CHECK_RESTRICT_H
#define FC_CHECK_RESTRICT_H

#include <clang-c/Index.h>

#include "diag.h"

struct fc_options;

/* Report calls that pass the same object, or overlapping ranges, to two
 * restrict-qualified parameters (memcpy, strcpy, strcat, sprintf(buf, ..,
 * "%s", buf), user functions with restrict parameters). */
void fc_check_restrict(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *opt);

#endif /* FC_CHECK_RESTRICT_H */
