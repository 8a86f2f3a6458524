/*
 * bench/owner/tree.c — a tree workload through handles, three ways.
 *
 * Builds a binary search tree of N nodes with pseudo-random keys, walks
 * it W times (an in-order sum that borrows every node), then drops it.
 * Compiled three times from this one file:
 *   bench_owner_tree_checked    typed handles, the checked owner layer
 *   bench_owner_tree_unchecked  the same code with -DFR_UNCHECKED=1
 *   bench_owner_tree_raw        -DTREE_RAW=1: plain pointers, the same
 *                               allocator through fr_allocator
 * Each phase is a noinline function (phase_build, phase_walk, phase_drop)
 * so that bench/owner/run can read each phase's instructions from
 * callgrind; the program prints a checksum that must agree across the
 * three builds.  Over the heap (default) or an arena (argument "arena").
 *
 * Usage: bench_owner_tree_* [N [W [heap|arena]]]   (default 100000 10 heap)
 */
#include <ferrum/ferrum.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noclone))
#endif

#ifdef TREE_RAW
/* ---- Raw pointers ---- */
struct node {
    long key;
    struct node *left, *right;
};
typedef struct node *link;
#define LIVE(l) ((l) != NULL)
#define GET(l) ((const struct node *)(l))
#define GET_MUT(l) (l)
#define PUT(l) ((void)0)
static fr_allocator g_al;
static link make(long key)
{
    struct node *n = fr_allocator_alloc(g_al, sizeof *n, _Alignof(struct node));
    memset(n, 0, sizeof *n);
    n->key = key;
    return n;
}
static void destroy(link *l)
{
    if (!*l) return;
    destroy(&(*l)->left);
    destroy(&(*l)->right);
    fr_allocator_free(g_al, *l, sizeof **l);
    *l = NULL;
}
#define MODE "raw"
#else
/* ---- Handles ---- */
struct node;
FR_OWN_DECLARE(node_own, struct node);
struct node {
    long key;
    node_own left, right;
};
FR_OWN_DEFINE(node_own, struct node);
typedef node_own link;
#define LIVE(l) node_own_is_live(l)
#define GET(l) node_own_borrow(l)
#define GET_MUT(l) node_own_borrow_mut(l)
#define PUT(l) node_own_release(l)
static fr_allocator g_al;
static void node_drop(void *obj)
{
    struct node *n = obj;
    node_own_drop(&n->left);
    node_own_drop(&n->right);
}
static link make(long key)
{
    node_own h = node_own_new(g_al, node_drop);
    struct node *n = node_own_borrow_mut(h);
    n->key = key;
    node_own_release(h);
    return h;
}
static void destroy(link *l) { node_own_drop(l); }
#define MODE (FR_CHECKED ? "checked" : "unchecked")
#endif

NOINLINE void phase_build(link *root, long n)
{
    unsigned long x = 88172645463325252ul;
    for (long i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        long key = (long)(x % 100000007ul);
        link *slot = root;
        while (LIVE(*slot)) {
            struct node *cur = GET_MUT(*slot);
            link *next = key < cur->key ? &cur->left : &cur->right;
            PUT(*slot);
            slot = next;
        }
        *slot = make(key);
    }
}

static long walk(link l)
{
    long s = 0;
    while (LIVE(l)) {
        const struct node *n = GET(l);
        s += walk(n->left) + (n->key & 0xffff);
        link r = n->right;
        PUT(l);
        l = r;
    }
    return s;
}

NOINLINE long phase_walk(link root, long w)
{
    long s = 0;
    for (long i = 0; i < w; i++) s += walk(root);
    return s;
}

NOINLINE void phase_drop(link *root) { destroy(root); }

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    long w = argc > 2 ? atol(argv[2]) : 10;
    const char *where = argc > 3 ? argv[3] : "heap";
    if (n <= 0 || w < 0 || (strcmp(where, "heap") && strcmp(where, "arena"))) {
        fprintf(stderr, "usage: %s [N [W [heap|arena]]]\n", argv[0]);
        return 2;
    }
    fr_arena *arena = NULL;
    if (!strcmp(where, "arena")) {
        arena = fr_arena_create(0);
        g_al = fr_arena_allocator(arena);
    } else {
        g_al = fr_heap_allocator();
    }
    link root;
    memset(&root, 0, sizeof root);
    phase_build(&root, n);
    long sum = phase_walk(root, w);
    phase_drop(&root);
    if (arena) fr_arena_destroy(arena);
    printf("%s %s: nodes=%ld walks=%ld checksum=%ld\n", MODE, where, n, w, sum);
    return 0;
}
