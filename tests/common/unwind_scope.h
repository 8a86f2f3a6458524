/*
 * tests/common/unwind_scope.h — assert that libunwind stays out of the
 * program's global symbol scope.
 *
 * ferrum opens libunwind with RTLD_LOCAL for its reports (alloc/unwind.c):
 * linked, its _Unwind_* would take the place of libgcc_s's for the
 * program's C++ code (QA11 A5, QA12 V1).  A Check test of a library that
 * reports (libferrum-malloc.so, libferrum.so) calls this after making the
 * library load its unwinder.  Header-only: #include "../common/unwind_scope.h".
 */
#ifndef FERRUM_TESTS_COMMON_UNWIND_SCOPE_H
#define FERRUM_TESTS_COMMON_UNWIND_SCOPE_H

#include <check.h>
#include <dlfcn.h>
#include <string.h>

static void assert_libunwind_not_global(void)
{
    ck_assert_ptr_null(dlsym(RTLD_DEFAULT, "_ULx86_64_step"));
    void *raise_exc = dlsym(RTLD_DEFAULT, "_Unwind_RaiseException");
    Dl_info di;
    if (raise_exc && dladdr(raise_exc, &di) && di.dli_fname)
        ck_assert_msg(strstr(di.dli_fname, "libunwind") == NULL, "_Unwind_RaiseException from %s", di.dli_fname);
}

#endif
