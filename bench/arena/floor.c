/*
 * bench/arena/floor.c — what an alloc+free pair costs at least, in time,
 * when it makes K plain stores: the `none` pair loop of cost.c (write two
 * bytes of a buffer through a volatile pointer, read them back) plus K
 * stores of a register to K other cache lines, and nothing else.
 *
 *   bench_arena_floor [ROUNDS_MILLIONS] [REPS] [SIZE]
 *
 * A magazine stack whose top lives in memory stores 3 words per pair (alloc:
 * the new top; free: the object into the magazine, the new top), whatever
 * it checks: so the K = 3 line is the least a slab pair can cost in this
 * loop on this machine (bench/arena/README.md, session 4), and K = 0 is
 * cost.c's `none` baseline.  Prints one line per K: ns per iteration, best
 * of REPS, thread CPU time.  The stores are asm statements so that the
 * compiler keeps exactly K of them per iteration.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t size; /* from the command line, as in cost.c: not a constant */
static uint64_t lines[3][8] __attribute__((aligned(64)));

#if defined(__x86_64__) && defined(__GNUC__)
#define STORE(k, v) __asm__ volatile("movq %0, %1" : : "r"(v), "m"(lines[k][0]) : "memory")
#else
#define STORE(k, v) (*(volatile uint64_t *)&lines[k][0] = (v))
#endif

/* Inlined with a constant k: each K gets a loop of its own, with no test. */
static inline __attribute__((always_inline)) uint64_t loop(size_t n, int k)
{
    unsigned char *buf = malloc(64);
    const size_t sz = size;
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char *volatile p = buf;
        p[0] = (unsigned char)i;
        p[sz - 1] = (unsigned char)(i >> 3);
        sum += (uint64_t)p[0] + p[sz - 1];
        if (k >= 1) STORE(0, i);
        if (k >= 2) STORE(1, i);
        if (k >= 3) STORE(2, i);
    }
    free(buf);
    return sum;
}

int main(int argc, char **argv)
{
    size_t n = (argc > 1 ? strtoul(argv[1], NULL, 0) : 3) * 1000000;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    size = argc > 3 ? strtoul(argv[3], NULL, 0) : 32;
    if (n == 0 || reps <= 0 || size == 0 || size > 64) {
        fprintf(stderr, "usage: %s [ROUNDS_MILLIONS] [REPS] [SIZE: 1..64]\n", argv[0]);
        return 2;
    }
    for (int k = 0; k <= 3; k++) {
        double best = 1e30;
        uint64_t sum = 0;
        for (int r = 0; r < reps; r++) {
            double t0 = now();
            sum = k == 0 ? loop(n, 0) : k == 1 ? loop(n, 1) : k == 2 ? loop(n, 2) : loop(n, 3);
            double t = now() - t0;
            if (t < best) best = t;
        }
        printf("RESULT bench=arena-floor extra_stores=%d ns_per_iteration=%.3f checksum=%llu\n", k,
               best * 1e9 / (double)n, (unsigned long long)sum);
    }
    return 0;
}
