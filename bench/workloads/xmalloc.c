/*
 * xmalloc.c — producer/consumer frees (after Lever and Boreham's
 * xmalloc-test, "malloc() Performance in a Multithreaded Linux Environment",
 * USENIX 2000).
 *
 * What: producer threads allocate and tag blocks of 8..2048 bytes and push
 * them, in batches of 64, onto a shared bounded queue; consumer threads pop
 * the batches, check every block and free it.  Every free is a free from a
 * thread other than the one that allocated the block: the case where a
 * per-page remote-free list pays off and a global lock hurts.
 *
 * How: each producer draws sizes and tags from its own seeded generator; the
 * checksum is the sum of all tags freed, independent of which consumer freed
 * which block.  The queue is bounded so that memory in flight stays small and
 * peak RSS measures the allocator, not the queue.
 *
 * Usage: xmalloc [blocks-per-producer [producers]]  (defaults 2000000, 1;
 * as many consumers as producers)
 */
#include "bench_common.h"

#include <pthread.h>

#define BATCH 64
#define QCAP 256           /* batches in flight */

struct batch { void *p[BATCH]; uint32_t size[BATCH]; uint64_t tag[BATCH]; int n; };

static struct batch *queue[QCAP];
static int qhead, qtail, qcount, producers_left;
static pthread_mutex_t qmu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qnotfull = PTHREAD_COND_INITIALIZER, qnotempty = PTHREAD_COND_INITIALIZER;
static long per_producer;
static int nprod;
static uint64_t csums[64];

static void push(struct batch *b)
{
    pthread_mutex_lock(&qmu);
    while (qcount == QCAP)
        pthread_cond_wait(&qnotfull, &qmu);
    queue[qtail] = b;
    qtail = (qtail + 1) % QCAP;
    qcount++;
    pthread_cond_signal(&qnotempty);
    pthread_mutex_unlock(&qmu);
}

/* NULL when every producer is done and the queue is empty. */
static struct batch *pop(void)
{
    pthread_mutex_lock(&qmu);
    while (qcount == 0 && producers_left > 0)
        pthread_cond_wait(&qnotempty, &qmu);
    struct batch *b = NULL;
    if (qcount > 0) {
        b = queue[qhead];
        qhead = (qhead + 1) % QCAP;
        qcount--;
        pthread_cond_signal(&qnotfull);
    }
    pthread_mutex_unlock(&qmu);
    return b;
}

static void *producer(void *arg)
{
    int t = (int)(intptr_t)arg;
    bench_rng r = bench_rng_seed(3000 + (uint64_t)t);
    uint64_t seq = 0;
    for (long i = 0; i < per_producer; i += BATCH) {
        struct batch *b = bench_xmalloc(sizeof *b);   /* the batch itself crosses threads too */
        b->n = (int)(per_producer - i < BATCH ? per_producer - i : BATCH);
        for (int j = 0; j < b->n; j++) {
            size_t n = bench_size_pow(&r, 16, 2048);
            b->size[j] = (uint32_t)n;
            b->tag[j] = bench_mix(((uint64_t)t << 40) ^ seq++);
            b->p[j] = bench_xmalloc(n);
            bench_tag(b->p[j], n, b->tag[j]);
        }
        push(b);
    }
    pthread_mutex_lock(&qmu);
    producers_left--;
    pthread_cond_broadcast(&qnotempty);
    pthread_mutex_unlock(&qmu);
    return NULL;
}

static void *consumer(void *arg)
{
    int t = (int)(intptr_t)arg;
    uint64_t sum = 0;
    struct batch *b;
    while ((b = pop()) != NULL) {
        for (int j = 0; j < b->n; j++) {
            sum += bench_check(b->p[j], b->size[j], b->tag[j], "xmalloc");
            free(b->p[j]);
        }
        free(b);
    }
    csums[t] = sum;
    return NULL;
}

BENCH_NOINLINE static void bench_body(void)
{
    pthread_t pt[64], ct[64];
    producers_left = nprod;
    for (int t = 0; t < nprod; t++) {
        if (pthread_create(&pt[t], NULL, producer, (void *)(intptr_t)t) != 0 ||
            pthread_create(&ct[t], NULL, consumer, (void *)(intptr_t)t) != 0) {
            fprintf(stderr, "xmalloc: pthread_create failed\n");
            exit(3);
        }
    }
    for (int t = 0; t < nprod; t++) {
        pthread_join(pt[t], NULL);
        pthread_join(ct[t], NULL);
    }
}

int main(int argc, char **argv)
{
    per_producer = bench_arg(argc, argv, 1, 2000000, "blocks per producer");
    nprod = (int)bench_arg(argc, argv, 2, 1, "producers");
    if (nprod > 64) {
        fprintf(stderr, "xmalloc: at most 64 producers\n");
        return 2;
    }
    double t0 = bench_now();
    bench_body();
    uint64_t sum = 0;
    for (int t = 0; t < nprod; t++)
        sum += csums[t];
    bench_result("xmalloc", (uint64_t)per_producer * (uint64_t)nprod, sum, bench_now() - t0);
    return 0;
}
