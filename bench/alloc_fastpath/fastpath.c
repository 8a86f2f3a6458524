/*
 * bench/alloc_fastpath/fastpath.c — the malloc+free fast path, for
 * callgrind.  One noinline function, fastpath_loop, runs N pairs of
 * malloc(SIZE) and free() on one thread; run.sh counts the instructions
 * executed inside it (valgrind --tool=callgrind --toggle-collect) and
 * divides by N.  The count includes the loop itself (7 instructions on x86-64)
 * and the calls through the PLT, as any program pays them.  The program
 * calls only malloc/free, so any allocator can be put under it with
 * LD_PRELOAD.  Usage: bench_alloc_fastpath [N] [SIZE]
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) void fastpath_loop(size_t n, size_t size)
{
    for (size_t i = 0; i < n; i++) {
        void *p = malloc(size);
        __asm__ volatile("" : : "r"(p) : "memory"); /* keep the pair */
        free(p);
    }
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    size_t size = argc > 2 ? strtoul(argv[2], NULL, 10) : 32;
    /* warm up: the heap and the page of this size class exist */
    void *keep[64];
    for (int i = 0; i < 64; i++) keep[i] = malloc(size);
    for (int i = 0; i < 64; i++) free(keep[i]);
    fastpath_loop(n, size);
    printf("%zu pairs of malloc(%zu)+free\n", n, size);
    return 0;
}
