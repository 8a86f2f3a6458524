/*
 * bench/arena/cost.c — per-object cost of ferrum's arena, slab and region
 * against malloc/free, GNU obstack and talloc.
 *
 *   bench_arena_cost ALLOCATOR SHAPE [SIZE] [OBJECTS] [ROUNDS] [REPS]
 *
 * ALLOCATOR: malloc (whatever malloc is: glibc, or ferrum's under
 * LD_PRELOAD=libferrum-malloc.so), arena, slab, region, obstack, talloc, or
 * none: the same loops over a preallocated buffer, no allocator at all (the
 * baseline; subtract it to get the allocator's own cost).
 * SHAPE:
 *   batch  allocate OBJECTS objects of SIZE bytes (writing each), then give
 *          them all back the allocator's natural way: free() each (malloc,
 *          slab), fr_arena_reset, fr_region_destroy of the region holding
 *          them, obstack_free to the first object, talloc_free of the parent
 *          context.  Repeated ROUNDS times.  This is "allocate many, then
 *          destroy" for region and talloc.
 *   ctor   as batch, for objects that need set-up: a 64-byte struct with a
 *          pthread mutex, two list links and a counter.  malloc pays
 *          pthread_mutex_init + field stores after each malloc and
 *          pthread_mutex_destroy before each free; a slab cache made with a
 *          constructor/destructor pays them once per object when the slab is
 *          created/reclaimed (Bonwick's argument for object caching).
 *          none: the same loops over objects constructed once beforehand.
 *   pair   allocate one object and free it right away (malloc/free,
 *          fr_slab_alloc/fr_slab_free; for arena: alloc then rewind to a mark),
 *          OBJECTS * ROUNDS times.
 * The best of REPS repetitions is reported (the machine is shared; the
 * minimum is the least disturbed), in CPU time of the thread (BENCH_CLOCK=wall
 * for CLOCK_MONOTONIC), as one machine-readable line:
 *   RESULT bench=arena-cost alloc=slab shape=batch size=32 objects=1000
 *          rounds=2000 ns_per_object=1.23 checksum=...
 * The checksum is computed from object contents only, so it is the same for
 * every allocator of a shape (a mismatch means a broken allocator).
 */
#include <obstack.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ferrum/arena.h>
#include <ferrum/region.h>
#include <ferrum/slab.h>

#ifdef HAVE_TALLOC
#include <talloc.h>
#endif

#define obstack_chunk_alloc malloc
#define obstack_chunk_free free

/* CPU time of this thread by default: on a shared machine the time spent
 * descheduled would otherwise land in the measurement (BENCH_CLOCK=wall:
 * CLOCK_MONOTONIC instead).  The loops are single-threaded and never
 * sleep, so on an idle machine the two agree. */
static clockid_t clock_id = CLOCK_THREAD_CPUTIME_ID;

static double now(void)
{
    struct timespec ts;
    clock_gettime(clock_id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t size, objects, rounds;
static unsigned char **ptrs;

/* Write the object (so the allocation is used) and later read it back.
 * The loops read the object size from a local copy (sz), so that every
 * allocator's loop is the same code: a loop that read the global after
 * storing through an object pointer would reload it per object (the store
 * may alias it) -- except malloc's, whose result the compiler knows to be
 * fresh memory, so it would give malloc's loop one load less per object
 * than any other (session 4: glibc's pair and batch loops were the only
 * ones with `size` kept in a register). */
static inline void fill_sz(unsigned char *p, size_t i, size_t sz)
{
    p[0] = (unsigned char)i;
    p[sz - 1] = (unsigned char)(i >> 3);
}
static inline uint64_t take_sz(const unsigned char *p, size_t sz) { return (uint64_t)p[0] + p[sz - 1]; }
#define fill(p, i) fill_sz((p), (i), sz)
#define take(p) take_sz((p), sz)

static uint64_t batch(const char *alloc)
{
    uint64_t sum = 0;
    const size_t sz = size;
    if (!strcmp(alloc, "none")) {
        unsigned char *buf = malloc(objects * ((sz + 15) & ~(size_t)15));
        for (size_t r = 0; r < rounds; r++) {
            unsigned char *volatile base = buf; /* re-read each round, like a fresh allocation */
            for (size_t i = 0; i < objects; i++) fill(ptrs[i] = base + i * ((sz + 15) & ~(size_t)15), i);
            for (size_t i = 0; i < objects; i++) sum += take(ptrs[i]);
        }
        free(buf);
    } else if (!strcmp(alloc, "malloc")) {
        for (size_t r = 0; r < rounds; r++) {
            for (size_t i = 0; i < objects; i++) fill(ptrs[i] = malloc(sz), i);
            for (size_t i = 0; i < objects; i++) { sum += take(ptrs[i]); free(ptrs[i]); }
        }
    } else if (!strcmp(alloc, "arena")) {
        fr_arena *a = fr_arena_create(0);
        for (size_t r = 0; r < rounds; r++) {
            for (size_t i = 0; i < objects; i++) fill(ptrs[i] = fr_arena_alloc(a, sz), i);
            for (size_t i = 0; i < objects; i++) sum += take(ptrs[i]);
            fr_arena_reset(a);
        }
        fr_arena_destroy(a);
    } else if (!strcmp(alloc, "slab")) {
        fr_slab *s = fr_slab_create("bench", size, 0, NULL, NULL);
        for (size_t r = 0; r < rounds; r++) {
            for (size_t i = 0; i < objects; i++) fill(ptrs[i] = fr_slab_alloc(s), i);
            for (size_t i = 0; i < objects; i++) { sum += take(ptrs[i]); fr_slab_free(s, ptrs[i]); }
        }
        fr_slab_destroy(s);
    } else if (!strcmp(alloc, "region")) {
        for (size_t r = 0; r < rounds; r++) {
            fr_region *g = fr_region_create(NULL);
            for (size_t i = 0; i < objects; i++) fill(ptrs[i] = fr_region_alloc(g, sz), i);
            for (size_t i = 0; i < objects; i++) sum += take(ptrs[i]);
            fr_region_destroy(g);
        }
    } else if (!strcmp(alloc, "obstack")) {
        struct obstack ob;
        obstack_init(&ob);
        for (size_t r = 0; r < rounds; r++) {
            for (size_t i = 0; i < objects; i++) fill(ptrs[i] = obstack_alloc(&ob, sz), i);
            for (size_t i = 0; i < objects; i++) sum += take(ptrs[i]);
            obstack_free(&ob, ptrs[0]);
        }
        obstack_free(&ob, NULL);
#ifdef HAVE_TALLOC
    } else if (!strcmp(alloc, "talloc")) {
        for (size_t r = 0; r < rounds; r++) {
            void *ctx = talloc_new(NULL);
            for (size_t i = 0; i < objects; i++) fill(ptrs[i] = talloc_size(ctx, sz), i);
            for (size_t i = 0; i < objects; i++) sum += take(ptrs[i]);
            talloc_free(ctx);
        }
#endif
    } else {
        return UINT64_MAX;
    }
    return sum;
}

/* ---- Objects with set-up (shape ctor) ---- */
struct thing {
    pthread_mutex_t lock;
    struct thing *next, *prev;
    uint64_t count;
};
static void thing_init(void *p)
{
    struct thing *t = p;
    pthread_mutex_init(&t->lock, NULL);
    t->next = t->prev = t;
    t->count = 0;
}
static void thing_fini(void *p) { pthread_mutex_destroy(&((struct thing *)p)->lock); }

static uint64_t ctor_shape(const char *alloc)
{
    uint64_t sum = 0;
    struct thing **t = (struct thing **)ptrs;
    if (!strcmp(alloc, "none")) { /* objects constructed once, as a slab would: the loop alone */
        struct thing *pool = malloc(objects * sizeof *pool);
        for (size_t i = 0; i < objects; i++) thing_init(&pool[i]);
        for (size_t r = 0; r < rounds; r++) {
            struct thing *volatile base = pool; /* re-read each round, like a fresh allocation */
            for (size_t i = 0; i < objects; i++) {
                t[i] = base + i;
                t[i]->count = i;
            }
            for (size_t i = 0; i < objects; i++) sum += t[i]->count + (t[i]->next == t[i]);
        }
        for (size_t i = 0; i < objects; i++) thing_fini(&pool[i]);
        free(pool);
    } else if (!strcmp(alloc, "malloc")) {
        for (size_t r = 0; r < rounds; r++) {
            for (size_t i = 0; i < objects; i++) {
                t[i] = malloc(sizeof(struct thing));
                thing_init(t[i]);
                t[i]->count = i;
            }
            for (size_t i = 0; i < objects; i++) {
                sum += t[i]->count + (t[i]->next == t[i]);
                thing_fini(t[i]);
                free(t[i]);
            }
        }
    } else if (!strcmp(alloc, "slab")) {
        fr_slab *s = fr_slab_create("thing", sizeof(struct thing), 0, thing_init, thing_fini);
        for (size_t r = 0; r < rounds; r++) {
            for (size_t i = 0; i < objects; i++) {
                t[i] = fr_slab_alloc(s);
                t[i]->count = i;
            }
            for (size_t i = 0; i < objects; i++) {
                sum += t[i]->count + (t[i]->next == t[i]);
                fr_slab_free(s, t[i]); /* returned in its constructed state */
            }
        }
        fr_slab_destroy(s);
    } else {
        return UINT64_MAX;
    }
    return sum;
}

static uint64_t pair(const char *alloc)
{
    uint64_t sum = 0;
    const size_t sz = size;
    size_t n = objects * rounds;
    if (!strcmp(alloc, "malloc")) {
        for (size_t i = 0; i < n; i++) {
            unsigned char *volatile p = malloc(sz);
            fill(p, i);
            sum += take(p);
            free(p);
        }
    } else if (!strcmp(alloc, "none")) {
        unsigned char *buf = malloc(sz);
        for (size_t i = 0; i < n; i++) {
            unsigned char *volatile p = buf;
            fill(p, i);
            sum += take(p);
        }
        free(buf);
    } else if (!strcmp(alloc, "slab")) {
        fr_slab *s = fr_slab_create("bench", size, 0, NULL, NULL);
        for (size_t i = 0; i < n; i++) {
            unsigned char *volatile p = fr_slab_alloc(s); /* volatile as for malloc: same loop */
            fill(p, i);
            sum += take(p);
            fr_slab_free(s, p);
        }
        fr_slab_destroy(s);
    } else if (!strcmp(alloc, "arena")) {
        fr_arena *a = fr_arena_create(0);
        (void)fr_arena_alloc(a, 16);
        fr_arena_mark m = fr_arena_save(a);
        for (size_t i = 0; i < n; i++) {
            unsigned char *volatile p = fr_arena_alloc(a, sz);
            fill(p, i);
            sum += take(p);
            fr_arena_rewind(a, m);
        }
        fr_arena_destroy(a);
    } else {
        return UINT64_MAX;
    }
    return sum;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s none|malloc|arena|slab|region|obstack|talloc batch|ctor|pair "
                        "[SIZE] [OBJECTS] [ROUNDS] [REPS]\n", argv[0]);
        return 2;
    }
    const char *alloc = argv[1], *shape = argv[2];
    const char *clk = getenv("BENCH_CLOCK");
    if (clk && !strcmp(clk, "wall")) clock_id = CLOCK_MONOTONIC;
    size = argc > 3 ? strtoul(argv[3], NULL, 0) : 32;
    objects = argc > 4 ? strtoul(argv[4], NULL, 0) : 1000;
    rounds = argc > 5 ? strtoul(argv[5], NULL, 0) : 2000;
    size_t reps = argc > 6 ? strtoul(argv[6], NULL, 0) : 5;
    if (!strcmp(shape, "ctor")) size = sizeof(struct thing);
    if (size == 0 || objects == 0 || rounds == 0 || reps == 0) {
        fprintf(stderr, "%s: sizes and counts must be positive\n", argv[0]);
        return 2;
    }
    ptrs = malloc(objects * sizeof *ptrs);
    int is_batch = !strcmp(shape, "batch"), is_ctor = !strcmp(shape, "ctor");
    if (is_ctor) size = sizeof(struct thing);
    if (!is_batch && !is_ctor && strcmp(shape, "pair")) {
        fprintf(stderr, "%s: unknown shape %s\n", argv[0], shape);
        return 2;
    }
    double best = 1e30;
    uint64_t sum = 0;
    for (size_t k = 0; k < reps; k++) {
        double t0 = now();
        sum = is_batch ? batch(alloc) : is_ctor ? ctor_shape(alloc) : pair(alloc);
        double t = now() - t0;
        if (sum == UINT64_MAX) {
            fprintf(stderr, "%s: allocator %s not available for shape %s\n", argv[0], alloc, shape);
            return 3;
        }
        if (t < best) best = t;
    }
    printf("RESULT bench=arena-cost alloc=%s shape=%s size=%zu objects=%zu rounds=%zu "
           "ns_per_object=%.2f checksum=%llu\n", alloc, shape, size, objects, rounds,
           best * 1e9 / ((double)objects * (double)rounds), (unsigned long long)sum);
    free(ptrs);
    return 0;
}
