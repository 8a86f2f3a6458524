/*
 * tests/alloc/uaf.c — a program with a use-after-free, run by valgrind.sh
 * under memcheck on ferrum: memcheck must still see the bug (ferrum tells it
 * about blocks with client requests).  Exit status 0; the bug is the point.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void release(char *p)
{
    free(p);
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
    puts("done");
    return 0;
}
