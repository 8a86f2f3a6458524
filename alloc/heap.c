/*
 * alloc/heap.c — per-thread heaps: creation on a thread's first allocation,
 * reclamation when the thread exits.
 *
 * A thread reaches its heap through one initial-exec TLS pointer
 * (fr__tls_heap), which starts out pointing at fr__heap_empty: a static heap
 * whose direct table leads to an empty page, so the first malloc falls into
 * the slow path without any "is it initialized" test on the fast path.
 * Heap structs come from a private mmap'd pool (never from malloc) and are
 * recycled, never unmapped, so a stale pointer to one is always readable.
 *
 * Reclamation: a pthread key whose destructor (fr__heap_thread_done) runs at
 * thread exit collects the heap's pages, returns empty ones and abandons the
 * segments that still hold blocks (see segment.c).  The TLS pointer is set
 * before pthread_setspecific, which may itself call calloc for keys >= 32.
 */
#include "internal.h"

#include <pthread.h>

static pthread_key_t fr_heap_key;
static _Atomic int fr_heap_key_state; /* 0 none, 1 creating, 2 ok, 3 failed */
static fr_heap *fr_heap_pool;          /* free heap structs */
static fr_heap *fr_heaps;              /* live heaps */
static uint8_t *fr_heap_chunk;
static size_t fr_heap_chunk_left;

static fr_heap *heap_struct_alloc(void)
{
    fr_heap *h = fr_heap_pool;
    if (h) {
        fr_heap_pool = h->pool_next;
        return h;
    }
    size_t sz = (sizeof(fr_heap) + 63) & ~(size_t)63;
    if (fr_heap_chunk_left < sz) {
        size_t chunk = 64 * 1024;
        fr_heap_chunk = fr__os_map(chunk);
        if (fr_heap_chunk == NULL) return NULL;
        fr_heap_chunk_left = chunk;
    }
    h = (fr_heap *)fr_heap_chunk;
    fr_heap_chunk += sz;
    fr_heap_chunk_left -= sz;
    return h;
}

static void key_create(void)
{
    int expected = 0;
    if (!atomic_compare_exchange_strong(&fr_heap_key_state, &expected, 1)) return;
    int rc = pthread_key_create(&fr_heap_key, fr__heap_thread_done);
    atomic_store(&fr_heap_key_state, rc == 0 ? 2 : 3);
}

/* A zeroed heap struct made this thread's: no pages yet, so every size
 * class leads to the empty page and the first malloc of each to the slow
 * path, which carves a fresh page for it. */
static void heap_start(fr_heap *h)
{
    h->tid = fr__thread_id();
    for (unsigned i = 0; i <= FR_TINY_MAX; i++) h->tiny[i] = &fr__page_empty;
    for (unsigned i = 0; i < FR_DIRECT; i++) h->direct[i] = &fr__page_empty;
    fr__tls_heap = h;
}

fr_heap *fr__heap_get(void)
{
    fr_heap *h = fr__tls_heap;
    if (h != &fr__heap_empty) return h;
    if (atomic_load_explicit(&fr__init_state, memory_order_acquire) != 2) fr__init();
    fr__lock(&fr__heaps_lock);
    h = heap_struct_alloc();
    if (h) {
        memset(h, 0, sizeof *h);
        h->all_next = fr_heaps;
        if (fr_heaps) fr_heaps->all_prev = h;
        fr_heaps = h;
    }
    fr__unlock(&fr__heaps_lock);
    if (h == NULL) return NULL;
    heap_start(h);
    if (atomic_load(&fr_heap_key_state) == 0) key_create();
    if (atomic_load(&fr_heap_key_state) == 2) pthread_setspecific(fr_heap_key, h);
    return h;
}

/* A report is about to load libunwind (report.c), and dlopen allocates: its
 * blocks must not come from the free list whose damage may be what is being
 * reported.  This thread gets a heap of its own with no pages, mapped here
 * and in no list (no lock taken: the report may come from inside the
 * allocator), so the load's blocks come from pages carved fresh in new
 * segments.  The report aborts afterwards; the heap is never given back. */
void fr__heap_for_report(void)
{
    if (atomic_load_explicit(&fr__init_state, memory_order_acquire) != 2) return; /* the slow path starts it all */
    fr_heap *h = fr__os_map((sizeof(fr_heap) + 4095) & ~(size_t)4095);
    if (h) heap_start(h);
}

static void heap_release(fr_heap *h)
{
    fr__segment_abandon_all(h);
    fr__lock(&fr__heaps_lock);
    if (h->all_prev) h->all_prev->all_next = h->all_next;
    else fr_heaps = h->all_next;
    if (h->all_next) h->all_next->all_prev = h->all_prev;
    h->pool_next = fr_heap_pool;
    fr_heap_pool = h;
    fr__unlock(&fr__heaps_lock);
}

void fr__heap_thread_done(void *arg)
{
    fr_heap *h = arg;
    if (h == NULL || h == &fr__heap_empty) return;
    if (fr__tls_heap == h) fr__tls_heap = &fr__heap_empty;
    heap_release(h);
}

/* In the child of fork(): only the forking thread exists.  The heaps of the
 * others are abandoned, so their segments can be adopted and reclaimed.
 * Runs single-threaded with the locks freshly reset. */
void fr__heaps_after_fork_child(void)
{
    fr_heap *self = fr__tls_heap;
    fr_heap *h = fr_heaps;
    while (h) {
        fr_heap *nx = h->all_next;
        if (h != self) heap_release(h);
        h = nx;
    }
    if (self != &fr__heap_empty) {
        /* the thread pointer of the child's thread is the parent's: unchanged */
        self->tid = fr__thread_id();
    }
}

/* Walk the live heaps under the heaps lock (for statistics). */
FR_HIDDEN void fr__heaps_foreach(void (*fn)(fr_heap *h, void *arg), void *arg)
{
    fr__lock(&fr__heaps_lock);
    for (fr_heap *h = fr_heaps; h; h = h->all_next) fn(h, arg);
    fr__unlock(&fr__heaps_lock);
}
