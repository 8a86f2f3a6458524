/*
 * owner/depot.c — a store of call stacks, each kept once.
 *
 * Every handle remembers where it was made, moved and dropped, for the
 * reports.  Kept in the handle's metadata, three 16-frame stacks cost 408
 * bytes per handle (about 540 bytes a live handle with the rest), and a
 * program makes its handles from a few hundred call sites at most.  So, as
 * sanitizer runtimes do, a stack is stored once in this depot and the
 * metadata keeps a pointer to it and the thread id (16 bytes an event;
 * a stack of one frame, a move's call site, is kept in place instead).
 *
 * How: a hash table of 2^16 chains, each entry a stack (frame count and
 * return addresses) with its hash and the next entry of its chain.
 * Entries are carved from 64 KiB chunks mapped from the system and are
 * never freed: the depot grows with the number of distinct stacks, not
 * with the number of events.  16 locks, each guarding the chains whose
 * index is congruent to it, keep threads that make handles from different
 * places apart; a lookup that finds its stack returns the existing entry.
 * (Not more: the fork handler holds them all at once, and ThreadSanitizer's
 * deadlock detector stops a thread that holds 64 locks.)
 * The locks are taken around fork() (a handler registered at load time),
 * so a child never inherits a lock held by a thread that no longer exists.
 * Entries are written before the pointer to them is published, under the
 * lock, and readers reach them through metadata that was itself published
 * after (a release store of the generation, or the table lock).
 */
#include "internal.h"

#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#define DEPOT_BITS 16
#define DEPOT_CHAINS (1u << DEPOT_BITS)
#define DEPOT_LOCKS 16
#define DEPOT_CHUNK (64u << 10)

struct fr__stack {
    struct fr__stack *next;
    uint32_t hash;
    uint32_t n;
    void *pc[];
};

static struct fr__stack *chains[DEPOT_CHAINS];
static pthread_mutex_t locks[DEPOT_LOCKS];
/* per lock: the chunk entries are being carved from */
static struct {
    unsigned char *cur, *end;
} carve[DEPOT_LOCKS];

__attribute__((constructor)) static void depot_init(void)
{
    for (unsigned i = 0; i < DEPOT_LOCKS; i++)
        pthread_mutex_init(&locks[i], NULL);
}

static void depot_fork_prepare(void)
{
    for (unsigned i = 0; i < DEPOT_LOCKS; i++)
        pthread_mutex_lock(&locks[i]);
}

static void depot_fork_after(void)
{
    for (unsigned i = DEPOT_LOCKS; i-- > 0;)
        pthread_mutex_unlock(&locks[i]);
}

/* At load time, for the same reason as the unwinder's handler (trace.c). */
__attribute__((constructor)) static void depot_fork_arm(void)
{
    pthread_atfork(depot_fork_prepare, depot_fork_after, depot_fork_after);
}

static uint32_t stack_hash(void *const *pc, uint32_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ n;
    for (uint32_t i = 0; i < n; i++) {
        h ^= (uint64_t)(uintptr_t)pc[i];
        h *= 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    return (uint32_t)h;
}

/* An entry of n frames from lock k's chunk (lock k held); NULL when the
 * system has no memory left. */
static struct fr__stack *carve_entry(unsigned k, uint32_t n)
{
    size_t need = sizeof(struct fr__stack) + n * sizeof(void *);
    if ((size_t)(carve[k].end - carve[k].cur) < need) {
        void *c = mmap(NULL, DEPOT_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (c == MAP_FAILED) return NULL;
        carve[k].cur = c;
        carve[k].end = (unsigned char *)c + DEPOT_CHUNK;
    }
    struct fr__stack *s = (struct fr__stack *)carve[k].cur;
    carve[k].cur += need;
    return s;
}

fr__event fr__trace_keep(const fr__trace *t)
{
    fr__event e = {NULL, t->tid, 0, 0};
    uint32_t n = t->n < FR__TRACE_DEPTH ? t->n : FR__TRACE_DEPTH;
    if (n == 0) return e;
    if (n == 1) { /* in place: moves stay cheap */
        e.p = t->pc[0];
        e.one_pc = 1;
        return e;
    }
    uint32_t h = stack_hash(t->pc, n);
    uint32_t c = h & (DEPOT_CHAINS - 1);
    unsigned k = c % DEPOT_LOCKS;
    pthread_mutex_lock(&locks[k]);
    struct fr__stack *s = chains[c];
    while (s && !(s->hash == h && s->n == n && memcmp(s->pc, t->pc, n * sizeof(void *)) == 0))
        s = s->next;
    if (!s && (s = carve_entry(k, n)) != NULL) {
        s->hash = h;
        s->n = n;
        memcpy(s->pc, t->pc, n * sizeof(void *));
        s->next = chains[c];
        chains[c] = s;
    }
    pthread_mutex_unlock(&locks[k]);
    e.p = s; /* NULL without memory: the event is then "unknown" */
    return e;
}

void fr__trace_get(fr__event e, fr__trace *out)
{
    out->tid = e.tid;
    if (e.one_pc) {
        out->n = 1;
        out->pc[0] = (void *)e.p;
        return;
    }
    const struct fr__stack *s = e.p;
    out->n = s ? s->n : 0;
    if (out->n) memcpy(out->pc, s->pc, out->n * sizeof(void *));
}
