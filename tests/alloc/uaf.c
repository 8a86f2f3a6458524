/*
 * tests/alloc/uaf.c — a program with a use-after-free, run by valgrind.sh
 * under memcheck on ferrum: memcheck must still see the bug (ferrum tells it
 * about blocks with client requests).  Exit status 0; the bug is the point.
 * It also leaks 50 small blocks in 3 size classes (the first block of each
 * page among them) and one huge block: memcheck's leak check must call all
 * 51 "definitely lost" (QA F2: ferrum's page descriptors held the address
 * of each page's first block, and memcheck called those "still reachable").
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void release(char *p)
{
    free(p);
}

__attribute__((noinline)) static void leak_small(int i)
{
    char *p = malloc(100 + (size_t)i);
    memset(p, 0, 100);
}

__attribute__((noinline)) static void leak_large(void)
{
    char *p = malloc(1u << 20); /* a large class: a page of its own in a segment */
    memset(p, 0, 100);
}

__attribute__((noinline)) static void leak_huge(void)
{
    char *p = malloc(3u << 20); /* a mapping of its own */
    memset(p, 0, 100);
}

int main(void)
{
    char *p = malloc(64);
    /* 64 on ferrum (class size); memcheck's own malloc would also say 64, so
     * also show a size where they differ: ferrum rounds 1 up to 16 */
    void *one = malloc(1);
    printf("usable(1)=%zu\n", malloc_usable_size(one));
    free(one);
    strcpy(p, "ferrum");
    release(p);
    volatile char c = p[3]; /* read after free */
    (void)c;
    char *q = malloc(100);
    q[100] = 1; /* one past the end */
    free(q);
    /* the same past a huge block (QA3 Q20: its page-rounding tail was
     * open); a write in the tail after malloc_usable_size is not an error */
    char *h = malloc(3000000);
    h[3000000] = 1;
    char *g = malloc(3000000);
    g[malloc_usable_size(g) - 1] = 1;
    free(g);
    free(h);
    /* and past a block of a large class, and of one that fills its class
     * (the rest of its page is no-access too) */
    char *l = malloc(140000);
    l[140000] = 1;
    char *f = malloc(1u << 20);
    f[1u << 20] = 1;
    free(f);
    free(l);
    for (int i = 0; i < 50; i++) leak_small(i); /* 6225 bytes */
    leak_large();                               /* 1048576 bytes */
    leak_huge();                                /* 3145728 bytes */
    puts("done");
    return 0;
}
