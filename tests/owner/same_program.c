/*
 * tests/owner/same_program.c — one correct program, built twice: checked
 * (the handle table) and with -DFR_UNCHECKED=1 (plain pointers).
 *
 * It builds a binary search tree of typed handles over the heap and over
 * an arena, moves subtrees, walks it with scoped and explicit borrows,
 * then drops it, printing what it computed.  test_unchecked.c runs both
 * builds and checks that they print the same thing (and that each says
 * which build it is).  Over-aligned types get objects at their alignment
 * in both builds (the unchecked header once put them at 16 mod 64); a
 * slab cache made for sizeof(T) serves typed handles in both (the
 * unchecked header once did not fit: a null handle), but not an
 * over-aligned T (EINVAL in both); handles over a region are dropped by
 * its destroy in both; a child forked while threads make handles over such
 * a slab can make one too (the unchecked side table's lock once stayed
 * held in the child: QA4 R3).  fr_move/fr_drop of NULL (typed too) and
 * errno after calls that succeed are the same in both (QA7 U4, U6).
 */
#include <ferrum/ferrum.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

struct node;
FR_OWN_DECLARE(node_own, struct node);
struct node {
    long key;
    node_own left, right;
};
FR_OWN_DEFINE(node_own, struct node);

static long drops;
static void node_drop(void *obj)
{
    struct node *n = obj;
    node_own_drop(&n->left);
    node_own_drop(&n->right);
    drops++;
}

static void insert(node_own *slot, long key, fr_allocator al)
{
    for (;;) {
        if (!node_own_is_live(*slot)) {
            *slot = node_own_new(al, node_drop);
            FR_WITH_BORROW_MUT(*slot, n) { n->key = key; }
            return;
        }
        struct node *n = node_own_borrow_mut(*slot);
        node_own *next = key < n->key ? &n->left : &n->right;
        node_own_release(*slot);
        slot = next; /* the slot lives inside the node, which stays put */
    }
}

static long sum_depth(node_own t, long depth, long *count)
{
    if (!node_own_is_live(t)) return 0;
    long s = 0;
    FR_WITH_BORROW(t, n) {
        (*count)++;
        s = n->key * depth + sum_depth(n->left, depth + 1, count) +
            sum_depth(n->right, depth + 1, count);
    }
    return s;
}

static void run(const char *name, fr_allocator al, int n)
{
    node_own root = {0};
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        insert(&root, (long)(x % 1000003), al);
    }
    long count = 0;
    long s = sum_depth(root, 1, &count);
    /* move the left subtree out and walk it on its own */
    node_own left = {0};
    FR_WITH_BORROW_MUT(root, r) { left = node_own_move(&r->left); }
    long lcount = 0, ls = sum_depth(left, 1, &lcount);
    drops = 0;
    node_own_drop(&left);
    long dl = drops;
    node_own_drop(&root);
    printf("%s: nodes=%ld sum=%ld left_nodes=%ld left_sum=%ld dropped=%ld+%ld\n", name, count, s,
           lcount, ls, dl, drops - dl);
}

/* Plain (untyped) handles: scoped borrows, moves, a drop function. */
static long untyped(void)
{
    fr_handle v = fr_own_new(fr_heap_allocator(), 8 * sizeof(long), NULL);
    FR_WITH_BORROW_MUT(v, p) {
        long *a = p;
        for (int i = 0; i < 8; i++) a[i] = i * i;
    }
    fr_handle w = fr_move(&v);
    long s = fr_is_live(v) ? -1000 : 0;
    FR_WITH_BORROW(w, p) {
        const long *a = p;
        for (int i = 0; i < 8; i++) s += a[i];
    }
    fr_drop(&v); /* moved from: nothing */
    fr_drop(&w);
    return s + (fr_is_live(w) ? -1000 : 0);
}

/* Objects of an over-aligned type, over the heap and an arena, and raw
 * handles with alignments up to 4096: how many came back misaligned. */
struct vec {
    _Alignas(64) double v[8];
};
FR_OWN_TYPE(vec_own, struct vec);

static int misaligned(fr_allocator al)
{
    int bad = 0;
    vec_own vs[16];
    for (int i = 0; i < 16; i++) {
        vs[i] = vec_own_new(al, NULL);
        struct vec *p = vec_own_borrow_mut(vs[i]);
        if ((uintptr_t)p % _Alignof(struct vec)) bad++;
        for (int k = 0; k < 8; k++) p->v[k] = i + k;
        vec_own_release(vs[i]);
    }
    for (int i = 0; i < 16; i++) vec_own_drop(&vs[i]);
    for (size_t align = 16; align <= 4096; align *= 2) {
        fr_handle h = fr__own_new_aligned(al, 100, align, NULL);
        const void *p = fr_borrow(h);
        if ((uintptr_t)p % align) bad++;
        fr_release(h);
        fr_drop(&h);
    }
    return bad;
}

/* Handles over a slab cache sized for the object, and over a region whose
 * destroy drops what was not dropped before. */
struct pt {
    long x, y;
};
FR_OWN_TYPE(pt_own, struct pt);
static int pt_drops;
static void pt_drop(void *o)
{
    (void)o;
    pt_drops++;
}

static long slab_sum(void)
{
    fr_slab *s = fr_slab_create("pt", sizeof(struct pt), _Alignof(struct pt), NULL, NULL);
    pt_own v[100];
    long sum = 0;
    for (int i = 0; i < 100; i++) {
        v[i] = pt_own_new(fr_slab_allocator(s), pt_drop);
        if (!pt_own_is_live(v[i])) return -1;
        struct pt *p = pt_own_borrow_mut(v[i]);
        p->x = i;
        pt_own_release(v[i]);
    }
    for (int i = 0; i < 100; i++) {
        FR_WITH_BORROW(v[i], p) { sum += p->x; }
        pt_own_drop(&v[i]);
    }
    fr_slab_destroy(s);
    return sum;
}

/* An over-aligned T over a slab of sizeof(T) objects aligned to 16: a
 * null handle with EINVAL, never a misaligned object (QA4 R4). */
struct wide {
    _Alignas(64) double v[24];
};
FR_OWN_TYPE(wide_own, struct wide);

static int wide_refused(void)
{
    fr_slab *s = fr_slab_create("wide", sizeof(struct wide), 16, NULL, NULL);
    int refused = 0;
    for (int i = 0; i < 4; i++) {
        errno = 0;
        wide_own h = wide_own_new(fr_slab_allocator(s), NULL);
        if (!wide_own_is_live(h) && errno == EINVAL)
            refused++;
        wide_own_drop(&h);
    }
    fr_slab_destroy(s);
    return refused;
}

static fr_slab *fork_slab;
static int fork_stop; /* __atomic */

static void *churn(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&fork_stop, __ATOMIC_ACQUIRE)) {
        pt_own h = pt_own_new(fr_slab_allocator(fork_slab), NULL);
        pt_own_drop(&h);
    }
    return NULL;
}

/* Children that hung (2 s) making one handle, of 30 forked while two
 * threads make and drop handles over the same slab. */
static int forks_hung(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return -1; /* ASan's own allocator is not fork-safe (docs/reliability.md) */
#else
    fork_slab = fr_slab_create("pt", sizeof(struct pt), _Alignof(struct pt), NULL, NULL);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, churn, NULL);
    int hung = 0;
    for (int f = 0; f < 30; f++) {
        pid_t pid = fork();
        if (pid == 0) {
            alarm(2);
            pt_own h = pt_own_new(fr_slab_allocator(fork_slab), NULL);
            pt_own_drop(&h);
            _exit(0);
        }
        int st = 0;
        if (pid > 0 && waitpid(pid, &st, 0) == pid && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
            hung++;
    }
    __atomic_store_n(&fork_stop, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    return hung;
#endif
}

static int region_drops(void)
{
    pt_drops = 0;
    fr_region *r = fr_region_create(NULL);
    pt_own a = pt_own_new(fr_region_allocator(r), pt_drop);
    pt_own b = pt_own_new(fr_region_allocator(r), pt_drop);
    pt_own c = pt_own_new(fr_region_allocator(r), pt_drop);
    pt_own_drop(&b); /* once now, not again at the destroy */
    int before = pt_drops;
    fr_region_destroy(r); /* drops a and c */
    (void)a;
    (void)c;
    return before * 10 + pt_drops;
}

/* NULL where a handle's address belongs, and errno after calls that
 * succeed: the same in both builds (QA7 U4: the checked build's first
 * fr_own_new left EAGAIN from libunwind; U6: the unchecked fr_move(NULL)
 * and fr_drop(NULL) crashed). */
static void null_and_errno(void)
{
    errno = 0;
    fr_handle h = fr_own_new(fr_heap_allocator(), 16, NULL);
    printf("errno after the first fr_own_new: %d\n", errno);
    errno = 0;
    fr_handle m = fr_move(NULL);
    printf("fr_move(NULL): live %d, errno %s\n", fr_is_live(m), errno == EINVAL ? "EINVAL" : "other");
    errno = 0;
    fr_drop(NULL);
    node_own_drop(NULL);
    node_own n = node_own_move(NULL);
    printf("node_own_move(NULL): live %d, errno %s; fr_drop(NULL), node_own_drop(NULL) returned\n",
           node_own_is_live(n), errno == EINVAL ? "EINVAL" : "other");
    errno = 0;
    fr_drop(&h);
    printf("errno after fr_drop: %d\n", errno);
}

int main(void)
{
    printf("build: %s\n", FR_CHECKED ? "checked" : "unchecked");
    null_and_errno();
    printf("untyped: %ld\n", untyped());
    run("heap", fr_heap_allocator(), 5000);
    fr_arena *a = fr_arena_create(0);
    run("arena", fr_arena_allocator(a), 3000);
    fr_arena_destroy(a);
    printf("misaligned over the heap: %d\n", misaligned(fr_heap_allocator()));
    a = fr_arena_create(0);
    printf("misaligned over an arena: %d\n", misaligned(fr_arena_allocator(a)));
    fr_arena_destroy(a);
    long sum = slab_sum();
    printf("slab of sizeof(T): sum %ld, drops %d\n", sum, pt_drops);
    printf("region: dropped before the destroy, after it: %d\n", region_drops());
    printf("over-aligned T over a slab of sizeof(T): %d of 4 refused with EINVAL\n", wide_refused());
    printf("children forked while threads make handles that did not finish: %d\n", forks_hung());
    return 0;
}
