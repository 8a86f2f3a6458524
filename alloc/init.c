/*
 * alloc/init.c — process-wide state of the engine and its one-time start.
 *
 * The first allocation (which can come before main, from a constructor or
 * from ld.so itself) runs fr__init(): a random secret from the kernel's
 * AT_RANDOM bytes (no system call, usable before libc is set up), then
 * FERRUM_OPTIONS, then the pthread key whose destructor reclaims a thread's
 * heap, the fork handlers and the exit hook for stats=1.  Once the secret
 * and options are set the state moves to "ready", so that an allocation made
 * by pthread_atfork or atexit themselves (glibc may allocate there) is served
 * normally instead of recursing into init.  A constructor also runs init so
 * that FERRUM_OPTIONS is read at start even in a program that never
 * allocates.
 *
 * Slow mode: when stats are on or the program runs under valgrind, every
 * heap is created with its fast paths disabled (direct table pointing at an
 * empty page, page owners left 0), so that every malloc and free goes through
 * the slow paths, which count and annotate.  The fast paths stay free of
 * both.
 */
#include "internal.h"
#include "unwind.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <time.h>

uintptr_t fr__secret = 0x9e3779b97f4a7c15u;
fr_options fr__opt = {.purge_delay_ns = 10u * 1000 * 1000, .huge_cache = 32, .valgrind_mode = -1};
_Atomic int fr__init_state;

/* the direct table's page for classes without one: its head, with bit 63
 * set, is outside its own segment, so the malloc fast path never pops it */
fr_page fr__page_empty = {.free = (fr_block *)((uintptr_t)1 << 63)};
fr_heap fr__heap_empty = {.tiny = {[0 ... FR_TINY_MAX] = &fr__page_empty},
                          .direct = {[0 ... FR_DIRECT - 1] = &fr__page_empty}};
__thread fr_heap *fr__tls_heap __attribute__((tls_model("initial-exec"))) = &fr__heap_empty;

_Atomic size_t fr__st_mapped, fr__st_peak_mapped, fr__st_purged;
_Atomic uint64_t fr__st_huge_allocs, fr__st_huge_frees, fr__st_huge_bytes;
_Atomic uint64_t fr__st_retired[5];
_Atomic uint64_t fr__st_retired_class[FR_CLASSES + 1];

fr_lock fr__heaps_lock = FR_LOCK_INIT, fr__abandoned_lock = FR_LOCK_INIT, fr__huge_lock = FR_LOCK_INIT;

void fr__lock(fr_lock *l)
{
    unsigned spins = 0;
    while (atomic_flag_test_and_set_explicit(&l->f, memory_order_acquire)) {
        if (FR_UNLIKELY(fr__fork_holder) && fr__fork_held(l)) return; /* fork.c */
        if (++spins > 64) {
            sched_yield();
            spins = 0;
        }
    }
    if (FR_UNLIKELY(fr__opt.valgrind)) fr__race_acquired(l); /* helgrind, drd (race.c) */
}

uint64_t fr__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uintptr_t make_secret(void)
{
    uintptr_t s = 0;
    const uint8_t *r = (const uint8_t *)getauxval(AT_RANDOM);
    if (r != NULL) {
        /* bytes 8..15: glibc uses 0..7 for the stack guard and pointer guard */
        memcpy(&s, r + 8, sizeof s);
    }
    s ^= (uintptr_t)&s * 0x9e3779b97f4a7c15u;
    s ^= (uintptr_t)fr__now_ns() << 17;
    s |= 1; /* never 0: a zero word 1 must never look like a key */
    return s;
}

void fr__init(void)
{
    static uintptr_t init_tid;
    int expected = 0;
    if (!atomic_compare_exchange_strong(&fr__init_state, &expected, 1)) {
        /* recursion from inside init (pthread_atfork, atexit): go on;
         * another thread initializing: wait for it */
        if (__atomic_load_n(&init_tid, __ATOMIC_ACQUIRE) == fr__thread_id()) return;
        while (atomic_load(&fr__init_state) != 2) sched_yield();
        return;
    }
    __atomic_store_n(&init_tid, fr__thread_id(), __ATOMIC_RELEASE);
    int saved = errno;
    fr__secret = make_secret();
    fr__options_read();
    /* slow mode under the valgrind tools that track heap blocks (memcheck,
     * and helgrind/drd which preload the same way); not under callgrind or
     * cachegrind, where the fast paths are what one wants to measure.
     * FERRUM_OPTIONS=valgrind=0/1 overrides. */
    if (fr__opt.valgrind_mode >= 0) {
        fr__opt.valgrind = fr__opt.valgrind_mode && fr_track_running();
    } else if (fr_track_running()) {
        const char *pre = getenv("LD_PRELOAD");
        fr__opt.valgrind = pre && (strstr(pre, "vgpreload_memcheck") || strstr(pre, "vgpreload_helgrind") ||
                                   strstr(pre, "vgpreload_drd"));
    }
    fr__opt.slow_mode = fr__opt.stats || fr__opt.valgrind;
    atomic_store(&fr__init_state, 2);
    fr__fork_install();
    if (fr__opt.stats) fr__stats_arm();
    if (fr__opt.verbose) {
        fr__print(2, "ferrum: allocator ready (stats=%u, purge_delay_ms=%lu, huge_cache=%u, secure=%u, valgrind=%u%s, "
                     "deepbind=%u)\n",
                  (unsigned)fr__opt.stats, (unsigned long)(fr__opt.purge_delay_ns / 1000000u),
                  fr__opt.huge_cache, (unsigned)fr__opt.secure, (unsigned)fr__opt.valgrind,
                  fr__opt.valgrind_mode < 0 ? " (auto)" : "", (unsigned)fr__opt.keep_deepbind);
    }
    errno = saved;
}

__attribute__((constructor(101))) static void fr_init_at_start(void)
{
    if (atomic_load(&fr__init_state) == 0) fr__init();
    /* here, not in fr__init (which may run inside a malloc of ld.so's) */
    if (fr__opt.early_unwind) (void)fr__unw();
}
