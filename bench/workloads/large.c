/*
 * large.c — large blocks allocated and freed in a loop.
 *
 * What: keeps a small ring of 4 live blocks of 5..25 MiB; each iteration frees
 * the oldest block and allocates a new one, touching a few pages of it.  On a
 * 2-core machine like ours glibc ran this shape in 3 s and jemalloc and
 * mimalloc in 17-19 s, almost all system time from unmapping and purging on
 * every free (DESIGN.md, "Lessons").  An allocator that keeps a few large
 * blocks cached and purges on a delay does well here.
 *
 * How: touches 64 pages per block (first, last and 62 pseudo-random ones)
 * rather than all of them, so the page-fault cost of the block itself does
 * not hide the allocator's map/unmap/purge policy.  The checksum sums values
 * read back from the touched pages.
 *
 * Usage: large [iterations]  (default 2000)
 */
#include "bench_common.h"

#define RING 4
#define MIB ((size_t)1 << 20)
#define PAGE 4096
#define TOUCH 64

static long iterations;

BENCH_NOINLINE static uint64_t bench_body(void)
{
    bench_rng r = bench_rng_seed(6000);
    unsigned char *ring[RING] = {0};
    size_t size[RING] = {0};
    uint64_t sum = 0;
    for (long i = 0; i < iterations; i++) {
        int k = (int)(i % RING);
        if (ring[k]) {
            sum += ring[k][0] + ring[k][size[k] - 1];
            free(ring[k]);
        }
        size[k] = 5 * MIB + (size_t)bench_below(&r, 20 * MIB + 1);
        unsigned char *p = bench_xmalloc(size[k]);
        p[0] = (unsigned char)i;
        p[size[k] - 1] = (unsigned char)(i >> 8);
        size_t pages = size[k] / PAGE;
        for (int j = 0; j < TOUCH - 2; j++) {
            size_t off = (size_t)bench_below(&r, pages) * PAGE;
            p[off] = (unsigned char)j;
            sum += p[off];
        }
        p[0] = (unsigned char)i;                 /* the touch loop may have hit page 0 */
        p[size[k] - 1] = (unsigned char)(i >> 8);
        ring[k] = p;
    }
    for (int k = 0; k < RING; k++)
        if (ring[k]) {
            sum += ring[k][0] + ring[k][size[k] - 1];
            free(ring[k]);
        }
    return sum;
}

int main(int argc, char **argv)
{
    iterations = bench_arg(argc, argv, 1, 2000, "iterations");
    double t0 = bench_now();
    uint64_t sum = bench_body();
    bench_result("large", (uint64_t)iterations, sum, bench_now() - t0);
    return 0;
}
