/*
 * cache_thrash.c — active false sharing (after Hoard's cache-thrash, Berger et
 * al., ASPLOS 2000).
 *
 * What: every thread, at the same time, allocates a small block, writes it
 * many times and frees it, again and again.  An allocator that hands
 * concurrently running threads blocks from the same cache line (one shared
 * free list, no per-thread pages) makes every write a cache-line transfer
 * between cores.  Per-thread heaps keep the time flat as threads are added.
 *
 * How: unlike cache_scratch nothing is handed between threads: the false
 * sharing can only come from the allocator's own placement.  Values written
 * depend on the thread and iteration only, so the checksum is
 * allocator-independent.
 *
 * Usage: cache_thrash [iterations [threads [writes]]]  (defaults 50000, 2, 200)
 */
#include "bench_common.h"

#include <pthread.h>

#define OBJ_SIZE 8

static long iterations, writes;
static int nthreads;
static uint64_t sums[64];
static pthread_barrier_t start;

static void *worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    uint64_t sum = 0;
    pthread_barrier_wait(&start);      /* all threads allocate at the same moment */
    for (long i = 0; i < iterations; i++) {
        volatile char *p = bench_xmalloc(OBJ_SIZE);
        for (int j = 0; j < OBJ_SIZE; j++)
            p[j] = (char)(i + j);
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
    bench_run_threads("cache_thrash", nthreads, worker);
}

int main(int argc, char **argv)
{
    iterations = bench_arg(argc, argv, 1, 50000, "iterations");
    nthreads = (int)bench_arg(argc, argv, 2, 2, "threads");
    writes = bench_arg(argc, argv, 3, 200, "writes");
    if (nthreads > 64) {
        fprintf(stderr, "cache_thrash: at most 64 threads\n");
        return 2;
    }
    pthread_barrier_init(&start, NULL, (unsigned)nthreads);
    double t0 = bench_now();
    bench_body();
    uint64_t sum = 0;
    for (int t = 0; t < nthreads; t++)
        sum += sums[t];
    bench_result("cache_thrash", (uint64_t)iterations * (uint64_t)nthreads, sum, bench_now() - t0);
    return 0;
}
