/*
 * glibc_simple.c — the shape of glibc's benchtests/bench-malloc-simple.c.
 *
 * What: for each block size in {16, 64, 256, 1024} and each batch length in
 * {1, 25, 100, 400, 1600}, allocate a batch of equal-sized blocks, touch each,
 * then free them all; the number of batches is chosen so every (size, batch)
 * pair does the same number of malloc+free pairs.  Batch length 1 is the
 * allocator's fast path: malloc then free of the same block, with 1000 other
 * blocks of that size live so that no page empties on each free.  With threads > 1
 * the same loop runs in that many threads at once (glibc's benchmark runs the
 * loop once more after creating a thread, to leave its single-thread path).
 *
 * How: prints per-configuration nanoseconds per pair (informational) and a
 * checksum of the bytes written.  "pair" as the third argument runs only the
 * batch-length-1 loop, "batch" only the batch-length-100 loop: bench/run
 * counts each with callgrind (functions bench_body_pair, bench_body_batch) to
 * give instructions per malloc+free pair on the fast path.
 *
 * Usage: glibc_simple [pairs-per-config [threads [pair|batch]]]  (defaults 2000000, 1)
 */
#include "bench_common.h"

#include <pthread.h>

static const size_t sizes[] = { 16, 64, 256, 1024 };
static const int lens[] = { 1, 25, 100, 400, 1600 };
#define NSIZES (sizeof sizes / sizeof sizes[0])
#define NLENS (sizeof lens / sizeof lens[0])

static long pairs;
static int nthreads, pair_only;
static uint64_t sums[64];
static double cfg_ns[64][NSIZES][NLENS];

/* The fast path alone: malloc and free of one block, `n` times. */
BENCH_NOINLINE uint64_t bench_body_pair(size_t size, long n)
{
    uint64_t sum = 0;
    for (long i = 0; i < n; i++) {
        volatile unsigned char *p = malloc(size);
        p[0] = (unsigned char)i;
        sum += p[0];
        free((void *)p);
    }
    return sum;
}

/* `len` mallocs then `len` frees, n/len times: what the fast path costs once
 * a page's free list and the thread cache turn over in bulk. */
BENCH_NOINLINE uint64_t bench_body_batch(size_t size, int len, long n, void **v)
{
    uint64_t sum = 0;
    for (long it = 0; it < n / len; it++) {
        for (int i = 0; i < len; i++) {
            unsigned char *p = bench_xmalloc(size);
            p[0] = (unsigned char)(i + it);
            v[i] = p;
        }
        for (int i = 0; i < len; i++) {
            sum += *(unsigned char *)v[i];
            free(v[i]);
        }
    }
    return sum;
}

static void *worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    void **v = bench_xmalloc(1600 * sizeof *v);
    uint64_t sum = 0;
    for (size_t s = 0; s < NSIZES; s++)
        for (size_t l = 0; l < NLENS; l++) {
            if ((pair_only == 1 && lens[l] != 1) || (pair_only == 2 && lens[l] != 100))
                continue;
            double t0 = bench_now();
            if (lens[l] == 1) {
                /* 1000 live blocks of the same size first, so that the pair
                 * loop does not empty (and retire) a page on every free: the
                 * fast path a program sees, not the page-turnover path. */
                for (int i = 0; i < 1000; i++)
                    v[i] = bench_xmalloc(sizes[s]);
                sum += bench_body_pair(sizes[s], pairs);
                for (int i = 0; i < 1000; i++)
                    free(v[i]);
            } else {
                sum += bench_body_batch(sizes[s], lens[l], pairs, v);
            }
            cfg_ns[t][s][l] = (bench_now() - t0) * 1e9 / (double)pairs;
        }
    free(v);
    sums[t] = sum;
    return NULL;
}

int main(int argc, char **argv)
{
    pairs = bench_arg(argc, argv, 1, 2000000, "pairs per configuration");
    nthreads = (int)bench_arg(argc, argv, 2, 1, "threads");
    pair_only = argc <= 3 ? 0 : strcmp(argv[3], "pair") == 0 ? 1 : strcmp(argv[3], "batch") == 0 ? 2 : -1;
    if (pair_only < 0) {
        fprintf(stderr, "glibc_simple: third argument must be 'pair' or 'batch'\n");
        return 2;
    }
    if (nthreads > 64) {
        fprintf(stderr, "glibc_simple: at most 64 threads\n");
        return 2;
    }
    pairs = (pairs / 1600 + 1) * 1600;      /* every batch length divides it */
    double t0 = bench_now();
    if (nthreads == 1) {
        worker((void *)0);
    } else {
        bench_run_threads("glibc_simple", nthreads, worker);
    }
    double secs = bench_now() - t0;
    uint64_t sum = 0;
    for (int t = 0; t < nthreads; t++)
        sum += sums[t];
    for (size_t s = 0; s < NSIZES; s++)
        for (size_t l = 0; l < NLENS; l++)
            if (!pair_only || (pair_only == 1 && lens[l] == 1) || (pair_only == 2 && lens[l] == 100))
                printf("size=%zu batch=%d ns_per_pair=%.2f\n", sizes[s], lens[l], cfg_ns[0][s][l]);
    uint64_t configs = pair_only ? NSIZES : NSIZES * NLENS;
    bench_result(nthreads > 1 ? "glibc_simple_mt" : "glibc_simple",
                 (uint64_t)pairs * configs * (uint64_t)nthreads, sum, secs);
    return 0;
}
