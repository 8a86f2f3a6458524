/*
 * tests/alloc/locked_threads.c — a correctly locked multithreaded program,
 * run by helgrind.sh under helgrind and drd with ferrum kept as the
 * allocator: every report would be a false one from inside ferrum (QA7 U5).
 *
 * Threads hand blocks to each other through slots guarded by a pthread
 * mutex, so most blocks are freed by a thread that did not allocate them
 * (ferrum's thread_free hand-over); threads exit with blocks still handed
 * out (their segments are abandoned, later adopted by new threads); the
 * sizes cover small, aligned (served inside larger blocks), large
 * (128 KiB..1 MiB) and huge blocks, and realloc.  Prints "on ferrum" when
 * malloc_usable_size says the blocks are ferrum's (16 usable bytes for
 * malloc(1); glibc gives 24).
 *
 * With the argument "race", two threads instead increment a counter in a
 * malloc'd block at the same time without a lock: the tools must still
 * report that race (ferrum's annotations must not hide the program's own).
 */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SLOTS = 32, THREADS = 2, ROUNDS = 2, ITERS = 400 };

static void *slot[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    unsigned seed = (unsigned)(size_t)arg;
    for (int i = 0; i < ITERS; i++) {
        unsigned r = (unsigned)rand_r(&seed);
        size_t size = r % 50 == 0 ? 2000000 : r % 10 == 0 ? 150000 + r % 300000 : 16 + r % 2000;
        char *p = i % 7 == 0 ? aligned_alloc(64, size) : malloc(size);
        if (p == NULL) abort();
        memset(p, i, size < 512 ? size : 512);
        if (i % 5 == 0) {
            p = realloc(p, size + 100);
            if (p == NULL) abort();
            p[size] = 1;
        }
        unsigned k = r % SLOTS;
        pthread_mutex_lock(&mu);
        void *old = slot[k];
        slot[k] = p;
        pthread_mutex_unlock(&mu);
        free(old);
    }
    return NULL;
}

/* Both racers pass a barrier before they start, so neither can exit (and
 * free, which orders it before a later malloc of main's) before the other
 * thread exists: the allocator gives the tools no order between them. */
static pthread_barrier_t start;

static void *racer(void *arg)
{
    volatile int *counter = arg;
    pthread_barrier_wait(&start);
    for (int i = 0; i < 200000; i++) (*counter)++;
    return NULL;
}

int main(int argc, char **argv)
{
    void *one = malloc(1);
    if (malloc_usable_size(one) == 16) puts("on ferrum");
    free(one);
    if (argc > 1 && strcmp(argv[1], "race") == 0) {
        int *counter = calloc(1, sizeof *counter);
        pthread_barrier_init(&start, NULL, 2);
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            if (pthread_create(&t[i], NULL, racer, counter) != 0) return 1;
        for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
        free(counter);
        puts("done");
        return 0;
    }
    for (int round = 0; round < ROUNDS; round++) {
        pthread_t t[THREADS];
        for (int i = 0; i < THREADS; i++)
            if (pthread_create(&t[i], NULL, worker, (void *)(size_t)(1 + i + round * THREADS)) != 0) return 1;
        for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    }
    for (int k = 0; k < SLOTS; k++) free(slot[k]);
    puts("done");
    return 0;
}
