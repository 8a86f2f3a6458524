/*
 * tests/arena/misuse.c — small programs with one memory bug each, for
 * memcheck and AddressSanitizer to catch (run by tests/arena/memcheck.sh and
 * asan.sh).  argv[1] names the case; "clean" uses every allocator correctly
 * and must produce no report at all.
 *
 * The reads go through a volatile pointer so that the compiler keeps them.
 */
#include <stdio.h>
#include <string.h>

#include <ferrum/arena.h>
#include <ferrum/region.h>
#include <ferrum/slab.h>

static volatile unsigned char sink;
static void touch(const void *p) { sink = *(const volatile unsigned char *)p; }

struct node { int value; struct node *next; };
static void node_ctor(void *p) { struct node *n = p; n->value = 7; n->next = NULL; }

static int clean(void)
{
    fr_arena *a = fr_arena_create(0);
    for (int round = 0; round < 3; round++) {
        fr_arena_mark m = fr_arena_save(a);
        for (int i = 0; i < 2000; i++) {
            unsigned char *p = fr_arena_alloc(a, (size_t)(i % 100 + 1));
            memset(p, 1, (size_t)(i % 100 + 1));
            touch(p + i % 100);
        }
        unsigned char *big = fr_arena_alloc_aligned(a, 100000, 4096);
        memset(big, 2, 100000);
        touch(big + 99999);
        fr_arena_rewind(a, m);
    }
    fr_arena_reset(a);
    touch(memset(fr_arena_alloc(a, 8), 0, 8));
    fr_arena_destroy(a);

    fr_slab *s = fr_slab_create("node", sizeof(struct node), 0, node_ctor, NULL);
    struct node *n[500];
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 500; i++) {
            n[i] = fr_slab_alloc(s);
            if (n[i]->value != 7 || n[i]->next) return 1; /* constructed state is defined */
        }
        for (int i = 0; i < 500; i++) fr_slab_free(s, n[i]);
    }
    fr_slab_destroy(s);

    fr_region *r = fr_region_create(NULL);
    fr_region *c = fr_region_create(r);
    for (int i = 0; i < 1000; i++) touch(memset(fr_region_alloc(c, 40), 3, 40));
    fr_region_destroy(r);
    return 0;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "clean";
    if (!strcmp(what, "clean")) return clean();
    if (!strcmp(what, "arena-overread")) {          /* (a) read past an arena object */
        fr_arena *a = fr_arena_create(0);
        unsigned char *p = fr_arena_alloc(a, 16);
        unsigned char *q = fr_arena_alloc(a, 16);
        memset(p, 0, 16);
        memset(q, 0, 16);
        touch(p + 16);
        fr_arena_destroy(a);
        return 0;
    }
    if (!strcmp(what, "arena-after-rewind")) {      /* (b) use after rewind */
        fr_arena *a = fr_arena_create(0);
        fr_arena_mark m = fr_arena_save(a);
        unsigned char *p = fr_arena_alloc(a, 32);
        memset(p, 0, 32);
        fr_arena_rewind(a, m);
        touch(p + 4);
        fr_arena_destroy(a);
        return 0;
    }
    if (!strcmp(what, "arena-after-reset")) {
        fr_arena *a = fr_arena_create(0);
        unsigned char *p = fr_arena_alloc(a, 32);
        memset(p, 0, 32);
        fr_arena_reset(a);
        touch(p);
        fr_arena_destroy(a);
        return 0;
    }
    if (!strcmp(what, "slab-after-free")) {         /* (c) use of a freed slab object */
        fr_slab *s = fr_slab_create("node", sizeof(struct node), 0, node_ctor, NULL);
        struct node *n = fr_slab_alloc(s);
        n->value = 1;
        fr_slab_free(s, n);
        touch(&n->value);
        fr_slab_destroy(s);
        return 0;
    }
    if (!strcmp(what, "region-overread")) {
        fr_region *r = fr_region_create(NULL);
        unsigned char *p = fr_region_alloc(r, 24);
        memset(p, 0, 24);
        touch(p + 24);
        fr_region_destroy(r);
        return 0;
    }
    /* (QA3 Q29) a read just before the first object of a chunk or slab:
     * the headers sit there, behind a no-access red zone */
    if (!strcmp(what, "arena-underflow")) {
        fr_arena *a = fr_arena_create(0);
        unsigned char *p = fr_arena_alloc(a, 32);
        memset(p, 0, 32);
        touch(p - 1);
        fr_arena_destroy(a);
        return 0;
    }
    if (!strcmp(what, "slab-underflow")) {
        fr_slab *s = fr_slab_create("node", sizeof(struct node), 0, node_ctor, NULL);
        struct node *n = fr_slab_alloc(s);
        touch((unsigned char *)n - 1);
        fr_slab_free(s, n);
        fr_slab_destroy(s);
        return 0;
    }
    if (!strcmp(what, "region-underflow")) {
        fr_region *r = fr_region_create(NULL);
        unsigned char *p = fr_region_alloc(r, 24);
        memset(p, 0, 24);
        touch(p - 8);
        fr_region_destroy(r);
        return 0;
    }
    fprintf(stderr, "misuse: unknown case %s\n", what);
    return 2;
}
