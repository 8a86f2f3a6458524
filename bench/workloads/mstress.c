/*
 * mstress.c — mixed sizes with realloc (after mimalloc-bench's mstress and
 * rpmalloc's rptest).
 *
 * What: each thread keeps a working set of slots.  Each step picks a slot and
 * either allocates a block (sizes mostly small, 1/size distributed up to
 * 64 KiB, with one step in 200 taking up to 1 MiB), reallocates it to a new
 * size (growing or shrinking, checking that the kept prefix survived), or
 * frees it.  Between rounds each thread swaps half of its slots with its
 * neighbour, so blocks are reallocated and freed by threads that did not
 * allocate them.
 *
 * How: blocks carry a tag at their start and a tag at the end of the prefix
 * realloc must keep; a per-thread seeded generator and barriers between
 * rounds make the checksum (sum of tags seen at free) allocator-independent.
 *
 * Usage: mstress [steps-per-thread [threads]]  (defaults 1000000, 1)
 */
#include "bench_common.h"

#include <pthread.h>

#define SLOTS 4096
#define ROUNDS 10

struct slot { unsigned char *p; uint32_t size; uint64_t tag; };

static struct slot *arrays[64];
static int nthreads;
static long steps;
static pthread_barrier_t barrier;
static uint64_t sums[64];

static size_t pick_size(bench_rng *r)
{
    if (bench_below(r, 200) == 0)
        return bench_size_pow(r, 65536, 1 << 20);
    return bench_size_pow(r, 16, 65536);
}

static void fill(struct slot *s)
{
    bench_tag(s->p, s->size, s->tag);
}

static void *worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    bench_rng r = bench_rng_seed(4000 + (uint64_t)t);
    uint64_t sum = 0, seq = 0;
    long per_round = steps / ROUNDS;
    for (int round = 0; round < ROUNDS; round++) {
        struct slot *a = arrays[t];
        for (long i = 0; i < per_round; i++) {
            struct slot *s = &a[bench_below(&r, SLOTS)];
            uint64_t what = bench_below(&r, 4);
            if (!s->p) {
                s->size = (uint32_t)pick_size(&r);
                s->tag = bench_mix(((uint64_t)t << 40) ^ seq++);
                s->p = bench_xmalloc(s->size);
                fill(s);
            } else if (what == 0) {
                sum += bench_check(s->p, s->size, s->tag, "mstress");
                free(s->p);
                s->p = NULL;
            } else {
                /* realloc: the first 8 bytes (the tag) must survive */
                bench_check(s->p, s->size, s->tag, "mstress");
                size_t n = pick_size(&r);
                unsigned char *q = realloc(s->p, n);
                if (!q) {
                    fprintf(stderr, "mstress: realloc(%zu) failed\n", n);
                    exit(3);
                }
                uint64_t head;
                memcpy(&head, q, 8);
                if (head != s->tag) {
                    fprintf(stderr, "mstress: realloc lost the block's contents\n");
                    exit(4);
                }
                s->p = q;
                s->size = (uint32_t)n;
                s->tag = bench_mix(s->tag + 1);
                fill(s);
            }
        }
        pthread_barrier_wait(&barrier);
        if (nthreads > 1 && t % 2 == 0 && t + 1 < nthreads) {
            /* swap the upper half of the slots with the neighbour */
            struct slot *b = arrays[t + 1];
            for (int i = SLOTS / 2; i < SLOTS; i++) {
                struct slot x = a[i];
                a[i] = b[i];
                b[i] = x;
            }
        }
        pthread_barrier_wait(&barrier);
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
    bench_run_threads("mstress", nthreads, worker);
}

int main(int argc, char **argv)
{
    steps = bench_arg(argc, argv, 1, 1000000, "steps per thread");
    nthreads = (int)bench_arg(argc, argv, 2, 1, "threads");
    if (nthreads > 64) {
        fprintf(stderr, "mstress: at most 64 threads\n");
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
        for (int i = 0; i < SLOTS; i++)
            if (arrays[t][i].p) {
                sum += bench_check(arrays[t][i].p, arrays[t][i].size, arrays[t][i].tag, "mstress");
                free(arrays[t][i].p);
            }
        free(arrays[t]);
    }
    bench_result("mstress", (uint64_t)(steps / ROUNDS) * ROUNDS * (uint64_t)nthreads, sum,
                 bench_now() - t0);
    return 0;
}
