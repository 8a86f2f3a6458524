/*
 * tests/reliability/failmmap.c — an LD_PRELOAD fault injector that makes
 * the OS "refuse memory": mmap, mmap64 and mremap fail with ENOMEM on demand.
 *
 * It needs no hook inside the allocator: preloaded first, its mmap is the
 * one every library's PLT call reaches (ferrum's allocator included).  The
 * real work is done with the raw syscall, so the injector itself never
 * allocates and never calls dlsym (which could re-enter the allocator).
 *
 * Control, from the environment at start-up or from the test at run time:
 *   FR_FAILMMAP="after=N"      the first N calls succeed, every later one fails
 *   FR_FAILMMAP="prob=P,seed=S" each call fails with probability P (0..1)
 *   FR_FAILMMAP="off"          (the default) nothing fails; calls are counted
 * and, looked up with dlsym(RTLD_DEFAULT, ...), the functions
 *   fr_failmmap_set(long after, double prob)  after >= 0: fail after N more
 *                                             calls; prob > 0: random faults
 *   fr_failmmap_off(void)
 *   fr_failmmap_counts(unsigned long *calls, unsigned long *failed)
 * MAP_FIXED requests on an existing mapping are passed through (they
 * cannot be refused by the kernel for lack of memory in the same way, and
 * glibc's loader uses them), so are mappings made before the first arm.
 */
#undef _FILE_OFFSET_BITS   /* meson's default would rename mmap to mmap64 */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

static atomic_long fm_after = -1;      /* < 0: no threshold */
static _Atomic double fm_prob = 0.0;
static atomic_ulong fm_calls, fm_failed, fm_rng = 0x9E3779B97F4A7C15ull;
static atomic_int fm_env_read;

static void fm_read_env(void)
{
    if (atomic_exchange(&fm_env_read, 1)) return;
    const char *v = getenv("FR_FAILMMAP");
    if (!v) return;
    const char *a = strstr(v, "after="), *p = strstr(v, "prob="), *s = strstr(v, "seed=");
    if (a) atomic_store(&fm_after, strtol(a + 6, NULL, 10));
    if (p) atomic_store(&fm_prob, strtod(p + 5, NULL));
    if (s) atomic_store(&fm_rng, strtoul(s + 5, NULL, 10) | 1);
}

/* Decide whether this call fails; counts every call. */
static int fm_should_fail(void)
{
    fm_read_env();
    atomic_fetch_add(&fm_calls, 1);
    long after = atomic_load(&fm_after);
    if (after == 0) {
        atomic_fetch_add(&fm_failed, 1);
        return 1;
    }
    if (after > 0) {
        atomic_fetch_sub(&fm_after, 1);  /* one more allowed call used up */
        return 0;
    }
    double prob = atomic_load(&fm_prob);
    if (prob > 0) {
        unsigned long x = atomic_load(&fm_rng), y;
        do {
            y = x ^ (x << 13);
            y ^= y >> 7;
            y ^= y << 17;
        } while (!atomic_compare_exchange_weak(&fm_rng, &x, y));
        if ((double)(y >> 11) / (double)(1ull << 53) < prob) {
            atomic_fetch_add(&fm_failed, 1);
            return 1;
        }
    }
    return 0;
}

EXPORT void fr_failmmap_set(long after, double prob)
{
    fm_read_env();
    atomic_store(&fm_after, after);
    atomic_store(&fm_prob, prob < 0 ? 0 : prob);
}

EXPORT void fr_failmmap_off(void)
{
    fr_failmmap_set(-1, 0);
}

EXPORT void fr_failmmap_counts(unsigned long *calls, unsigned long *failed)
{
    if (calls) *calls = atomic_load(&fm_calls);
    if (failed) *failed = atomic_load(&fm_failed);
}

EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (!(flags & MAP_FIXED) && fm_should_fail()) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    long r = syscall(SYS_mmap, addr, len, prot, flags, fd, off);
    return r == -1 ? MAP_FAILED : (void *)r;
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    return mmap(addr, len, prot, flags, fd, off);
}

EXPORT void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
    void *new_addr = NULL;
    if (flags & MREMAP_FIXED) {
        va_list ap;
        va_start(ap, flags);
        new_addr = va_arg(ap, void *);
        va_end(ap);
    }
    if (new_len > old_len && fm_should_fail()) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    long r = syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
    return r == -1 ? MAP_FAILED : (void *)r;
}
