/*
 * sh6bench.c — many small, short-lived objects (after MicroQuill's SmartHeap
 * benchmarks sh6bench and sh8bench).
 *
 * What: each thread repeatedly allocates a batch of small blocks (1..512
 * bytes, growing then shrinking sizes as sh6bench does), frees the first half
 * in allocation order (FIFO) and the second half in reverse order (LIFO),
 * while a few longer-lived blocks survive across batches.  With cross=1 (the
 * sh8bench shape) each thread hands every second batch's LIFO half to its
 * neighbour thread, which frees those blocks: frees from another thread.
 *
 * How: a per-thread seeded generator and id-derived tags give an
 * allocator-independent checksum; hand-over happens through a per-thread
 * mailbox guarded by a mutex, and every handed block is freed exactly once.
 * The mailbox is bounded (BOX_LIMIT blocks): a thread whose neighbour has
 * not yet freed what it was given waits, freeing its own mailbox meanwhile
 * (so two threads waiting on each other both move on); a thread that has
 * finished its batches keeps freeing its mailbox until all are done.  Unbounded, the
 * number of blocks waiting depended on how far the scheduler let one thread
 * run ahead: between 1,500 and 524,000 (0.2 to 75 MiB) from one run to the
 * next under every allocator, on a loaded 2-core machine, and peak RSS
 * measured the scheduler instead of the allocator.
 *
 * Usage: sh6bench [batches-per-thread [threads [cross]]]  (defaults 4000, 1, 0)
 */
#include "bench_common.h"

#include <pthread.h>
#include <stdatomic.h>

#define BATCH 1000
#define LONG_LIVED 64

struct blk { void *p; uint32_t size; uint64_t tag; };

struct mailbox {
    pthread_mutex_t mu;
    pthread_cond_t drained; /* broadcast when the owner emptied it */
    struct blk *items;
    size_t n, cap;
    pthread_cond_t filled;  /* broadcast when blocks were put in */
};

/* blocks a mailbox may hold: sixteen hand-overs (about 1.2 MiB) */
#define BOX_LIMIT (16 * (BATCH / 2))

static int nthreads, cross;
static long batches;
static uint64_t sums[64];
static struct mailbox boxes[64];
static atomic_int running; /* workers not yet done */

static uint64_t box_drain(struct mailbox *m);

static void deadline_1ms(struct timespec *until)
{
    clock_gettime(CLOCK_REALTIME, until);
    until->tv_nsec += 1000000;
    if (until->tv_nsec >= 1000000000) {
        until->tv_sec++;
        until->tv_nsec -= 1000000000;
    }
}

/* Hand n blocks to mailbox m; while it is full, free what our own mailbox
 * holds (its owner may be waiting for us) and wait at most 1 ms for m's
 * owner to drain it.  Returns the tags of the blocks freed meanwhile. */
static uint64_t box_put(struct mailbox *m, struct mailbox *own, const struct blk *b, size_t n)
{
    uint64_t sum = 0;
    pthread_mutex_lock(&m->mu);
    while (m->n + n > BOX_LIMIT) {
        pthread_mutex_unlock(&m->mu);
        sum += box_drain(own);
        pthread_mutex_lock(&m->mu);
        if (m->n + n <= BOX_LIMIT) break;
        struct timespec until;
        deadline_1ms(&until);
        pthread_cond_timedwait(&m->drained, &m->mu, &until);
    }
    if (m->n + n > m->cap) {
        size_t cap = (m->n + n) * 2;
        struct blk *it = realloc(m->items, cap * sizeof *it);
        if (!it) { fprintf(stderr, "sh6bench: out of memory\n"); exit(3); }
        m->items = it;
        m->cap = cap;
    }
    memcpy(m->items + m->n, b, n * sizeof *b);
    m->n += n;
    pthread_cond_broadcast(&m->filled);
    pthread_mutex_unlock(&m->mu);
    return sum;
}

/* Free whatever neighbours handed us; returns the sum of their tags. */
static uint64_t box_drain(struct mailbox *m)
{
    uint64_t sum = 0;
    pthread_mutex_lock(&m->mu);
    for (size_t i = 0; i < m->n; i++) {
        sum += bench_check(m->items[i].p, m->items[i].size, m->items[i].tag, "sh8bench");
        free(m->items[i].p);
    }
    m->n = 0;
    pthread_cond_broadcast(&m->drained);
    pthread_mutex_unlock(&m->mu);
    return sum;
}

static void *worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    bench_rng r = bench_rng_seed(2000 + (uint64_t)t);
    struct blk *b = bench_xmalloc(BATCH * sizeof *b);
    struct blk keep[LONG_LIVED] = {{0}};
    uint64_t sum = 0, seq = 0;
    for (long it = 0; it < batches; it++) {
        for (int i = 0; i < BATCH; i++) {
            /* sizes sweep up then down within a batch, plus noise */
            size_t base = (size_t)(i < BATCH / 2 ? i : BATCH - i) / 2;
            size_t n = 16 + base + (size_t)bench_below(&r, 16);
            b[i].size = (uint32_t)n;
            b[i].tag = bench_mix(((uint64_t)t << 40) ^ seq++);
            b[i].p = bench_xmalloc(n);
            bench_tag(b[i].p, n, b[i].tag);
        }
        /* a long-lived block replaced now and then */
        struct blk *k = &keep[bench_below(&r, LONG_LIVED)];
        if (k->p) {
            sum += bench_check(k->p, k->size, k->tag, "sh6bench");
            free(k->p);
        }
        k->size = (uint32_t)(64 + bench_below(&r, 4096));
        k->tag = bench_mix(((uint64_t)t << 40) ^ seq++ ^ (1ULL << 39));
        k->p = bench_xmalloc(k->size);
        bench_tag(k->p, k->size, k->tag);

        for (int i = 0; i < BATCH / 2; i++) {             /* FIFO half */
            sum += bench_check(b[i].p, b[i].size, b[i].tag, "sh6bench");
            free(b[i].p);
        }
        if (cross && nthreads > 1 && (it & 1)) {           /* sh8bench: hand LIFO half over */
            sum += box_put(&boxes[(t + 1) % nthreads], &boxes[t], b + BATCH / 2, BATCH / 2);
        } else {
            for (int i = BATCH - 1; i >= BATCH / 2; i--) { /* LIFO half */
                sum += bench_check(b[i].p, b[i].size, b[i].tag, "sh6bench");
                free(b[i].p);
            }
        }
        if (cross)
            sum += box_drain(&boxes[t]);
    }
    for (int i = 0; i < LONG_LIVED; i++)
        if (keep[i].p) {
            sum += bench_check(keep[i].p, keep[i].size, keep[i].tag, "sh6bench");
            free(keep[i].p);
        }
    /* keep freeing what the others hand over until every thread is done,
     * so that a thread that runs behind still hands its blocks to its
     * neighbour, within the bound */
    atomic_fetch_sub(&running, 1);
    while (cross && nthreads > 1 && atomic_load(&running) > 0) {
        sum += box_drain(&boxes[t]);
        pthread_mutex_lock(&boxes[t].mu);
        if (boxes[t].n == 0 && atomic_load(&running) > 0) {
            struct timespec until;
            deadline_1ms(&until);
            pthread_cond_timedwait(&boxes[t].filled, &boxes[t].mu, &until);
        }
        pthread_mutex_unlock(&boxes[t].mu);
    }
    sum += box_drain(&boxes[t]);
    free(b);
    sums[t] = sum;
    return NULL;
}

BENCH_NOINLINE static void bench_body(void)
{
    if (nthreads == 1) {
        worker((void *)0);
        return;
    }
    bench_run_threads("sh6bench", nthreads, worker);
}

int main(int argc, char **argv)
{
    batches = bench_arg(argc, argv, 1, 4000, "batches per thread");
    nthreads = (int)bench_arg(argc, argv, 2, 1, "threads");
    cross = argc > 3 ? (int)bench_arg(argc, argv, 3, 0, "cross") : 0;
    if (nthreads > 64) {
        fprintf(stderr, "sh6bench: at most 64 threads\n");
        return 2;
    }
    for (int t = 0; t < nthreads; t++) {
        pthread_mutex_init(&boxes[t].mu, NULL);
        pthread_cond_init(&boxes[t].drained, NULL);
        pthread_cond_init(&boxes[t].filled, NULL);
    }
    atomic_store(&running, nthreads);
    double t0 = bench_now();
    bench_body();
    uint64_t sum = 0;
    for (int t = 0; t < nthreads; t++) {
        sum += sums[t];
        sum += box_drain(&boxes[t]);     /* blocks handed over after the receiver finished */
        free(boxes[t].items);
    }
    bench_result(cross ? "sh8bench" : "sh6bench", (uint64_t)batches * (BATCH + 1) * (uint64_t)nthreads,
                 sum, bench_now() - t0);
    return 0;
}
