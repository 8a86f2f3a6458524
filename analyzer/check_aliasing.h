/*
 * analyzer/check_aliasing.h — the `strict-aliasing` check (an AST pass).
 * Private to analyzer/.
 */
#ifndef FC_CHECK_ALIASING_H
#define FC_CHECK_ALIASING_H

#include <clang-c/Index.h>

#include "diag.h"

struct fc_options;

/* Report reads and writes of a declared object through a pointer to an
 * incompatible type (*(int *)&some_float, (long *) of a double array). */
void fc_check_aliasing(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *opt);

#endif /* FC_CHECK_ALIASING_H */
