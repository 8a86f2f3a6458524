/*
 * larson.c — a server simulation with cross-thread frees (after Larson and
 * Krishnan's benchmark, "Memory allocation for long-running server
 * applications", ISMM 1998).
 *
 * What: each thread owns an array of slots holding live blocks of 16..1024
 * bytes.  In each round a thread replaces randomly chosen slots: it checks
 * and frees the old block, then allocates and tags a new one.  Between rounds
 * the threads pass their arrays on to the next thread, as a server hands
 * connections between worker threads, so most frees happen on a thread other
 * than the one that allocated the block.
 *
 * How: rounds are separated by a barrier, and every thread draws from its own
 * seeded generator, so which block is freed when is the same in every run;
 * the checksum (sum of freed tags) is therefore allocator-independent.
 *
 * Usage: larson [replacements-per-thread [threads]]   (defaults 2000000, 2)
 */
#include "bench_common.h"

#include <pthread.h>

#define SLOTS 2000
#define ROUNDS 20
#define MIN_SIZE 16
#define MAX_SIZE 1024

struct slot { void *p; uint32_t size; uint64_t tag; };

static struct slot *arrays[64];
static int nthreads;
static long per_thread;
static pthread_barrier_t barrier;
static uint64_t sums[64];

static void *worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    bench_rng r = bench_rng_seed(1000 + (uint64_t)t);
    uint64_t sum = 0, seq = 0;
    long per_round = per_thread / ROUNDS;
    for (int round = 0; round < ROUNDS; round++) {
        struct slot *a = arrays[(t + round) % nthreads];
        for (long i = 0; i < per_round; i++) {
            struct slot *s = &a[bench_below(&r, SLOTS)];
            if (s->p) {
                sum += bench_check(s->p, s->size, s->tag, "larson");
                free(s->p);
            }
            s->size = (uint32_t)(MIN_SIZE + bench_below(&r, MAX_SIZE - MIN_SIZE + 1));
            s->tag = bench_mix(((uint64_t)t << 40) ^ seq++);
            s->p = bench_xmalloc(s->size);
            bench_tag(s->p, s->size, s->tag);
        }
        pthread_barrier_wait(&barrier);
    }
    sums[t] = sum;
    return NULL;
}

BENCH_NOINLINE static void bench_body(void)
{
    bench_run_threads("larson", nthreads, worker);
}

int main(int argc, char **argv)
{
    per_thread = bench_arg(argc, argv, 1, 2000000, "replacements per thread");
    nthreads = (int)bench_arg(argc, argv, 2, 2, "threads");
    if (nthreads > 64) {
        fprintf(stderr, "larson: at most 64 threads\n");
        return 2;
    }
    pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
    for (int t = 0; t < nthreads; t++)
        arrays[t] = calloc(SLOTS, sizeof(struct slot));
    double t0 = bench_now();
    bench_body();
    uint64_t sum = 0;
    for (int t = 0; t < nthreads; t++) {
        sum += sums[t];
        for (int i = 0; i < SLOTS; i++) {
            struct slot *s = &arrays[t][i];
            if (s->p) {
                sum += bench_check(s->p, s->size, s->tag, "larson");
                free(s->p);
            }
        }
        free(arrays[t]);
    }
    bench_result("larson", (uint64_t)(per_thread / ROUNDS) * ROUNDS * (uint64_t)nthreads, sum,
                 bench_now() - t0);
    return 0;
}
