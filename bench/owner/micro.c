/*
 * bench/owner/micro.c — instructions per checked borrow+release and per
 * move, for callgrind.
 *
 * Each measured operation runs N times in a noinline function of its own
 * (bench_borrow_release, bench_borrow_mut_release, bench_move), next to a
 * baseline with the same loop and the same load through a plain pointer
 * (bench_baseline).  bench/owner/run runs this under callgrind and reports
 * (inclusive Ir of the function - Ir of the baseline) / N: the cost of the
 * ownership operations alone.  Built with and without -DFR_UNCHECKED=1.
 *
 * Usage: bench_owner_micro [N]   (default 1000000)
 */
#include <ferrum/ferrum.h>

#include <stdio.h>
#include <stdlib.h>

#if defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noclone))
#endif

static volatile long sink;

NOINLINE long bench_baseline(const int *p, long n)
{
    long s = 0;
    for (long i = 0; i < n; i++) {
        __asm__ volatile("" : : "r"(p) : "memory");
        s += *p;
    }
    return s;
}

NOINLINE long bench_borrow_release(fr_handle h, long n)
{
    long s = 0;
    for (long i = 0; i < n; i++) {
        const int *p = fr_borrow(h);
        __asm__ volatile("" : : "r"(p) : "memory");
        s += *p;
        fr_release(h);
    }
    return s;
}

NOINLINE long bench_borrow_mut_release(fr_handle h, long n)
{
    long s = 0;
    for (long i = 0; i < n; i++) {
        int *p = fr_borrow_mut(h);
        __asm__ volatile("" : : "r"(p) : "memory");
        s += *p;
        fr_release(h);
    }
    return s;
}

/* Two moves per iteration (there and back); the result is per move. */
NOINLINE long bench_move(fr_handle *a, long n)
{
    fr_handle b;
    for (long i = 0; i < n; i++) {
        b = fr_move(a);
        __asm__ volatile("" : : "r"(&b) : "memory");
        *a = fr_move(&b);
        __asm__ volatile("" : : "r"(a) : "memory");
    }
    return (long)a->bits;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    if (n <= 0) {
        fprintf(stderr, "usage: %s [N > 0]\n", argv[0]);
        return 2;
    }
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    if (!h.bits) return 1;
    int *w = fr_borrow_mut(h);
    *w = 1;
    fr_release(h);
    const int *raw = fr_borrow(h);
    fr_release(h);
    /* the baseline reads through a pointer whose borrow ended, on purpose:
     * a plain load, to subtract from the borrow costs */
    sink = bench_baseline(raw, n); /* ferrum: allow(dangling-borrow) */
    sink = bench_borrow_release(h, n);
    sink = bench_borrow_mut_release(h, n);
    sink = bench_move(&h, n / 2 > 0 ? n / 2 : 1);
    fr_drop(&h);
    printf("%s N=%ld done\n", FR_CHECKED ? "checked" : "unchecked", n);
    return 0;
}
