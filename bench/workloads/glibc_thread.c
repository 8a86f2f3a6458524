/*
 * glibc_thread.c — the shape of glibc's benchtests/bench-malloc-thread.c.
 *
 * What: each thread keeps a working set of 1024 blocks; each iteration picks a
 * random slot, frees its block and allocates a new one of a random size drawn
 * with a 1/size distribution between 4 bytes and 32 KiB, as glibc's benchmark
 * does.  Threads never share blocks: this measures per-thread caches and
 * contention on shared allocator state.
 *
 * How: glibc's benchmark runs for a fixed time; this one runs a fixed number
 * of iterations so that the work, and the checksum of tags freed, is the same
 * under every allocator.
 *
 * Usage: glibc_thread [iterations-per-thread [threads]]  (defaults 4000000, 2)
 */
#include "bench_common.h"

#include <pthread.h>

#define WORKING_SET 1024

static long iterations;
static int nthreads;
static uint64_t sums[64];

static void *worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    bench_rng r = bench_rng_seed(5000 + (uint64_t)t);
    void *slot[WORKING_SET] = {0};
    uint32_t size[WORKING_SET] = {0};
    uint64_t tag[WORKING_SET] = {0}, sum = 0, seq = 0;
    for (long i = 0; i < iterations; i++) {
        int k = (int)bench_below(&r, WORKING_SET);
        if (slot[k]) {
            sum += bench_check(slot[k], size[k], tag[k], "glibc_thread");
            free(slot[k]);
        }
        size[k] = (uint32_t)bench_size_pow(&r, 16, 32768);
        tag[k] = bench_mix(((uint64_t)t << 40) ^ seq++);
        slot[k] = bench_xmalloc(size[k]);
        bench_tag(slot[k], size[k], tag[k]);
    }
    for (int k = 0; k < WORKING_SET; k++)
        if (slot[k]) {
            sum += bench_check(slot[k], size[k], tag[k], "glibc_thread");
            free(slot[k]);
        }
    sums[t] = sum;
    return NULL;
}

BENCH_NOINLINE static void bench_body(void)
{
    if (nthreads == 1) {
        worker((void *)0);
        return;
    }
    bench_run_threads("glibc_thread", nthreads, worker);
}

int main(int argc, char **argv)
{
    iterations = bench_arg(argc, argv, 1, 4000000, "iterations per thread");
    nthreads = (int)bench_arg(argc, argv, 2, 2, "threads");
    if (nthreads > 64) {
        fprintf(stderr, "glibc_thread: at most 64 threads\n");
        return 2;
    }
    double t0 = bench_now();
    bench_body();
    uint64_t sum = 0;
    for (int t = 0; t < nthreads; t++)
        sum += sums[t];
    bench_result("glibc_thread", (uint64_t)iterations * (uint64_t)nthreads, sum, bench_now() - t0);
    return 0;
}
