/*
 * tests/arena/stress_slab.c — long slab stress (meson -Dlong_tests=true).
 *
 * 8 threads, several caches of different sizes (more caches than thread
 * slots, so slots are evicted), objects handed between threads through
 * shared mailboxes and freed by whoever takes them, caches destroyed and
 * recreated while idle threads still hold magazines.  Every object carries
 * its cache number and a check word written at allocation; a mismatch when
 * it is freed (a duplicate or overlapping allocation) fails the program.
 *
 *   stress_slab [SECONDS]   (default 20)
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ferrum/slab.h>

enum { NTHREADS = 8, NCACHES = 20, MAILBOX = 4096 };

struct obj { uint32_t cache; uint32_t check; uint64_t owner; };

static fr_slab *caches[NCACHES];
static pthread_rwlock_t epoch; /* the writer (main) recreates the caches; writer-preferring */
static void *mailbox[MAILBOX];
static int stop; /* atomic */
static long failures;

static size_t cache_size(int c) { return sizeof(struct obj) + (size_t)c * 24; }

static void *worker(void *arg)
{
    uint64_t id = (uint64_t)(uintptr_t)arg, seed = id * 0x9E3779B97F4A7C15u + 1;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        pthread_rwlock_rdlock(&epoch);
        for (int k = 0; k < 1000; k++) {
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
            int c = (int)(seed % NCACHES);
            struct obj *o = fr_slab_alloc(caches[c]);
            if (!o) { __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED); continue; }
            o->cache = (uint32_t)c;
            o->check = (uint32_t)(seed >> 32);
            o->owner = id;
            memset(o + 1, (int)o->check, cache_size(c) - sizeof *o);
            struct obj *old = __atomic_exchange_n((struct obj **)&mailbox[(seed >> 20) % MAILBOX], o,
                                                  __ATOMIC_ACQ_REL);
            if (old) {
                unsigned char *tail = (unsigned char *)(old + 1);
                for (size_t i = 0; i < cache_size((int)old->cache) - sizeof *old; i++)
                    if (tail[i] != (unsigned char)old->check) {
                        __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
                        break;
                    }
                fr_slab_free(caches[old->cache], old);
            }
        }
        pthread_rwlock_unlock(&epoch);
    }
    return NULL;
}

static void make_caches(void)
{
    for (int c = 0; c < NCACHES; c++) caches[c] = fr_slab_create("stress", cache_size(c), 0, NULL, NULL);
}

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? atoi(argv[1]) : 20;
    pthread_rwlockattr_t ra;
    pthread_rwlockattr_init(&ra);
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&epoch, &ra);
    make_caches();
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(i + 1));
    time_t end = time(NULL) + seconds;
    int generations = 0;
    while (time(NULL) < end) {
        struct timespec ts = { 0, 200 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        pthread_rwlock_wrlock(&epoch); /* every worker idle, magazines full of objects */
        for (int i = 0; i < MAILBOX; i++) {
            struct obj *o = mailbox[i];
            if (o) fr_slab_free(caches[o->cache], o);
            mailbox[i] = NULL;
        }
        for (int c = 0; c < NCACHES; c++) fr_slab_destroy(caches[c]);
        make_caches();
        generations++;
        pthread_rwlock_unlock(&epoch);
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < NTHREADS; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < MAILBOX; i++) {
        struct obj *o = mailbox[i];
        if (o) fr_slab_free(caches[o->cache], o);
    }
    for (int c = 0; c < NCACHES; c++) fr_slab_destroy(caches[c]);
    printf("stress_slab: %d cache generations, %ld failures\n", generations, failures);
    return failures ? 1 : 0;
}
