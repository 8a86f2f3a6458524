/*
 * tests/owner/dangling.c — a raw pointer kept past its borrow, for
 * memcheck (run by test_valgrind.c under valgrind).
 *
 * The object comes from a bump allocator that never frees (like an arena),
 * so memcheck only knows the memory is gone because fr_drop marked it
 * no-access.  "dangling" reads through the stale pointer after the drop
 * (memcheck must report an invalid read); "clean" does the same work
 * correctly (memcheck must report nothing).
 */
#include <ferrum/ferrum.h>

#include <stdio.h>
#include <string.h>

static _Alignas(16) unsigned char pool[4096];
static size_t used;

static void *bump(void *ctx, size_t size, size_t align)
{
    (void)ctx;
    size_t at = (used + align - 1) & ~(align - 1);
    if (at + size > sizeof pool) return NULL;
    used = at + size;
    return pool + at;
}

int main(int argc, char **argv)
{
    fr_allocator al = {bump, NULL, NULL};
    fr_handle h = fr_own_new(al, 64, NULL);
    int *p = fr_borrow_mut(h);
    p[3] = 41;
    fr_release(h);
    const int *q = fr_borrow(h);
    int seen = q[3] + 1;
    fr_release(h); /* q must not be used after this */
    fr_drop(&h);
    if (argc > 1 && !strcmp(argv[1], "dangling")) seen += q[3]; /* memcheck: invalid read */
    printf("%d\n", seen);
    return 0;
}
