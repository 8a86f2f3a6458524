/*
 * cache_scratch.c — passive false sharing (after Hoard's cache-scratch,
 * Berger et al., "Hoard: A Scalable Memory Allocator for Multithreaded
 * Applications", ASPLOS 2000).
 *
 * What: the main thread allocates one small block per worker and hands it
 * over; each worker frees that block, then repeatedly allocates a small block,
 * writes it many times and frees it.  An allocator that gives a worker the
 * memory just freed, which shares a cache line with another worker's block,
 * makes the threads fight over that line: time rises with threads instead of
 * staying flat.
 *
 * How: fixed object size (8 bytes) and write count; the values written are a
 * function of the thread and iteration, so the checksum (sum of final values)
 * does not depend on the allocator.
 *
 * Usage: cache_scratch [iterations [threads [writes]]]  (defaults 50000, 2, 200)
 */
#include "bench_common.h"

#include <pthread.h>

#define OBJ_SIZE 8

static long iterations, writes;
static int nthreads;
static char *initial[64];
static uint64_t sums[64];

static void *worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    free(initial[t]);                  /* freed here, allocated on the main thread */
    uint64_t sum = 0;
    for (long i = 0; i < iterations; i++) {
        volatile char *p = bench_xmalloc(OBJ_SIZE);
        for (int j = 0; j < OBJ_SIZE; j++)
            p[j] = (char)i;
        for (long w = 0; w < writes; w++)
            for (int j = 0; j < OBJ_SIZE; j++)
                p[j] = (char)(p[j] + 1 + t);
        uint64_t v = 0;
        for (int j = 0; j < OBJ_SIZE; j++)
            v += (unsigned char)p[j];
        sum += v;
        free((void *)p);
    }
    sums[t] = sum;
    return NULL;
}

BENCH_NOINLINE static void bench_body(void)
{
    for (int t = 0; t < nthreads; t++)
        initial[t] = bench_xmalloc(OBJ_SIZE);
    bench_run_threads("cache_scratch", nthreads, worker);
}

int main(int argc, char **argv)
{
    iterations = bench_arg(argc, argv, 1, 50000, "iterations");
    nthreads = (int)bench_arg(argc, argv, 2, 2, "threads");
    writes = bench_arg(argc, argv, 3, 200, "writes");
    if (nthreads > 64) {
        fprintf(stderr, "cache_scratch: at most 64 threads\n");
        return 2;
    }
    double t0 = bench_now();
    bench_body();
    uint64_t sum = 0;
    for (int t = 0; t < nthreads; t++)
        sum += sums[t];
    bench_result("cache_scratch", (uint64_t)iterations * (uint64_t)nthreads, sum, bench_now() - t0);
    return 0;
}
