/*
 * bench/owner/memory.c — resident memory per live handle, against malloc.
 *
 * Makes N handles of 8-byte objects over the heap allocator and reads the
 * growth of VmRSS (/proc/self/status), then N plain malloc(8) blocks for
 * comparison, then drops everything and reads it again.  Usage:
 *     bench_owner_memory [N]          (default 100000)
 * Prints "handles: B bytes/handle; malloc: B bytes/block; after drop: K KiB".
 */
#include <ferrum/ferrum.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kib = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    if (n <= 0 || n > 2000000) {
        fprintf(stderr, "usage: bench_owner_memory [N <= 2000000]\n");
        return 2;
    }
    fr_handle *h = calloc((size_t)n, sizeof *h);
    void **p = calloc((size_t)n, sizeof *p);
    if (!h || !p) {
        free(h);
        free(p);
        return 1;
    }
    long r0 = rss_kib();
    for (long i = 0; i < n; i++)
        h[i] = fr_own_new(fr_heap_allocator(), 8, NULL);
    long r1 = rss_kib();
    for (long i = 0; i < n; i++)
        p[i] = malloc(8);
    long r2 = rss_kib();
    for (long i = 0; i < n; i++) {
        fr_drop(&h[i]);
        free(p[i]);
    }
    long r3 = rss_kib();
    printf("handles: %.0f bytes/handle; malloc: %.0f bytes/block; after drop: %ld KiB above the start\n",
           (r1 - r0) * 1024.0 / n, (r2 - r1) * 1024.0 / n, r3 - r0);
    free(h);
    free(p);
    return 0;
}
