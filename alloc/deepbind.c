/*
 * alloc/deepbind.c — dlopen() without RTLD_DEEPBIND under libferrum-malloc.so.
 *
 * What: a library opened with RTLD_DEEPBIND looks up its symbols in its own
 * dependencies first, so its calls to free/realloc bind to glibc's even
 * though the process allocates with ferrum (PHP opens every extension that
 * way, and so do some JNI and scripting-language embedders).  The first
 * block the program hands such a library to free is a ferrum block freed by
 * glibc: glibc aborts ("free(): invalid pointer") or crashes.  jemalloc,
 * mimalloc and tcmalloc, preloaded, all fail like this.  So the preloaded
 * library defines dlopen, clears RTLD_DEEPBIND from the mode (the library
 * then binds malloc and free to ours, as every other library does) and
 * hands the call to the next dlopen, glibc's.  FERRUM_OPTIONS=deepbind=1
 * keeps the flag; verbose=1 names each library whose flag was cleared.
 *
 * How: glibc's dlopen reads its caller from its return address (which
 * object's RUNPATH and $ORIGIN a bare library name is searched with, and
 * which namespace the library goes to).  A C wrapper would make this
 * library the caller.  On x86-64 the wrapper is a trampoline that keeps its
 * caller's return address: it saves the arguments, asks fr__dlopen_mode for
 * the mode (and the next dlopen), restores them and jumps (no call) to
 * glibc's dlopen, which returns straight to the program.  Elsewhere dlopen
 * is not wrapped: RTLD_DEEPBIND libraries keep the problem there (the
 * guide says so).
 *
 * Why here: only libferrum-malloc.so replaces malloc; libferrum's fr_ API
 * does not, and does not define dlopen.
 */
#include "internal.h"

#include <dlfcn.h>

#if defined(__x86_64__)

/* glibc's dlopen, found once (the first dlopen call; dlsym may allocate). */
FR_HIDDEN void *(*fr__real_dlopen)(const char *, int);

FR_HIDDEN int fr__dlopen_mode(const char *file, int mode)
{
    if (fr__real_dlopen == NULL)
        fr__real_dlopen = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
    if ((mode & RTLD_DEEPBIND) && !fr__opt.keep_deepbind) {
        mode &= ~RTLD_DEEPBIND;
        if (fr__opt.verbose)
            fr__print(2, "ferrum: dlopen(\"%s\"): RTLD_DEEPBIND cleared, so that the library frees with "
                         "ferrum's free (FERRUM_OPTIONS=deepbind=1 keeps it)\n",
                      file ? file : "(main program)");
    }
    return mode;
}

/* void *dlopen(const char *file, int mode): rdi = file, esi = mode.  At
 * entry rsp is 8 mod 16; two pushes and 8 bytes make the call aligned.
 * If glibc's dlopen could not be found, NULL (no library). */
__asm__(".text\n"
        ".globl dlopen\n"
        ".type dlopen, @function\n"
        "dlopen:\n"
        ".cfi_startproc\n"
#if defined(__CET__)
        "endbr64\n"
#endif
        "push %rdi\n"
        ".cfi_adjust_cfa_offset 8\n"
        "push %rsi\n"
        ".cfi_adjust_cfa_offset 8\n"
        "sub $8, %rsp\n"
        ".cfi_adjust_cfa_offset 8\n"
        "call fr__dlopen_mode\n"
        "add $8, %rsp\n"
        ".cfi_adjust_cfa_offset -8\n"
        "pop %rsi\n"
        ".cfi_adjust_cfa_offset -8\n"
        "pop %rdi\n"
        ".cfi_adjust_cfa_offset -8\n"
        "mov %eax, %esi\n"
        "mov fr__real_dlopen(%rip), %rax\n"
        "test %rax, %rax\n"
        "jz 1f\n"
        "jmp *%rax\n"
        "1:\n"
        "xor %eax, %eax\n"
        "ret\n"
        ".cfi_endproc\n"
        ".size dlopen, .-dlopen\n");

#endif /* __x86_64__ */
