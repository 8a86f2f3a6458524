/*
 * tests/alloc/test_alloc.c — Check suite of the fr_ API of alloc/ (the
 * static part, as libferrum has it): every function and its corners, size
 * classes, huge blocks and mremap, memory going back to the OS, threads
 * freeing each other's blocks, fork in a multithreaded process, and misuse
 * reports (invalid and double free name the pointer and the call site).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ferrum/alloc.h>
#include <ferrum/allocator.h>

#if defined(FR_HAVE_VALGRIND) && !defined(NVALGRIND)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() (RUNNING_ON_VALGRIND != 0)
#define QUIET_VALGRIND() VALGRIND_DISABLE_ERROR_REPORTING
#else
#define UNDER_VALGRIND() 0
#define QUIET_VALGRIND() ((void)0)
#endif

/* ---- helpers ---- */

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed + i * 7);
}

static int check_fill(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed + i * 7)) return 0;
    return 1;
}

static size_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, res = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &res) != 2) res = 0;
        fclose(f);
    }
    return (size_t)res * (size_t)sysconf(_SC_PAGESIZE);
}

/* sizes the compiler must not see as constants (it warns about them) */
static size_t opaque(size_t x)
{
    volatile size_t v = x;
    return v;
}

/* ---- basic API ---- */

START_TEST(test_malloc_zero_unique)
{
    void *a = fr_malloc(0), *b = fr_malloc(0);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
    ck_assert_uint_ge(fr_usable_size(a), 1);
    fr_free(a);
    fr_free(b);
    fr_free(NULL);
}
END_TEST

START_TEST(test_alignment_16)
{
    void *keep[512];
    for (size_t i = 0; i < 512; i++) {
        size_t n = 16 + i * 13;
        keep[i] = fr_malloc(n);
        ck_assert_ptr_nonnull(keep[i]);
        ck_assert_uint_eq((uintptr_t)keep[i] % 16, 0);
        ck_assert_uint_ge(fr_usable_size(keep[i]), n);
    }
    for (size_t i = 0; i < 512; i++) fr_free(keep[i]);
}
END_TEST

START_TEST(test_every_size_usable_and_distinct)
{
    /* every size up to 1.1 MiB (all classes, the large ones above 128 KiB
     * too, and the first huge ones) */
    for (size_t n = 1; n <= 1100 * 1024; n += (n < 2048 ? 1 : n < 140 * 1024 ? 61 : 32749)) {
        unsigned char *p = fr_malloc(n), *q = fr_malloc(n);
        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_nonnull(q);
        size_t u = fr_usable_size(p);
        ck_assert_uint_ge(u, n);
        /* internal waste stays below 25% above 64 bytes */
        if (n > 64 && n <= 1024 * 1024) ck_assert_uint_le(u - n, n / 4);
        ck_assert(p + u <= q || q + fr_usable_size(q) <= p);
        fill(p, u, (unsigned)n);
        fill(q, n, (unsigned)n + 1);
        ck_assert(check_fill(p, u, (unsigned)n));
        fr_free(q);
        fr_free(p);
    }
}
END_TEST

START_TEST(test_enomem)
{
    errno = 0;
    ck_assert_ptr_null(fr_malloc(opaque(SIZE_MAX)));
    ck_assert_int_eq(errno, ENOMEM);
    errno = 0;
    ck_assert_ptr_null(fr_malloc(opaque((size_t)PTRDIFF_MAX + 1)));
    ck_assert_int_eq(errno, ENOMEM);
    errno = 0;
    ck_assert_ptr_null(fr_calloc(opaque(SIZE_MAX / 2), 3)); /* overflow */
    ck_assert_int_eq(errno, ENOMEM);
    errno = 0;
    ck_assert_ptr_null(fr_calloc(opaque((size_t)1 << 33), opaque((size_t)1 << 33)));
    ck_assert_int_eq(errno, ENOMEM);
    void *p = fr_malloc(10);
    errno = 0;
    ck_assert_ptr_null(fr_realloc(p, opaque(SIZE_MAX - 8)));
    ck_assert_int_eq(errno, ENOMEM);
    fr_free(p); /* still valid after the failed realloc */
    errno = 0;
    ck_assert_ptr_null(fr_aligned_alloc(64, opaque(SIZE_MAX - 100)));
    ck_assert_int_eq(errno, ENOMEM);
    /* an absurd but representable size: the OS refuses, we say ENOMEM */
    errno = 0;
    ck_assert_ptr_null(fr_malloc(opaque((size_t)1 << 46)));
    ck_assert_int_eq(errno, ENOMEM);
}
END_TEST

START_TEST(test_einval)
{
    errno = 0;
    ck_assert_ptr_null(fr_aligned_alloc(24, 100));
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_ptr_null(fr_aligned_alloc(0, 100));
    ck_assert_int_eq(errno, EINVAL);
    void *p = (void *)1;
    ck_assert_int_eq(fr_posix_memalign(&p, 24, 10), EINVAL);
    ck_assert_int_eq(fr_posix_memalign(&p, 4, 10), EINVAL); /* < sizeof(void *) */
    ck_assert_ptr_eq(p, (void *)1);
    ck_assert_int_eq(fr_posix_memalign(&p, 64, SIZE_MAX - 10), ENOMEM);
}
END_TEST

START_TEST(test_aligned)
{
    static const size_t aligns[] = {16, 32, 64, 128, 256, 4096, 65536, 1 << 20, 1 << 22, 1 << 23};
    static const size_t sizes[] = {0, 1, 24, 100, 256, 512, 4000, 5000, 70000, 300000, 5 << 20};
    for (size_t i = 0; i < sizeof aligns / sizeof *aligns; i++) {
        for (size_t j = 0; j < sizeof sizes / sizeof *sizes; j++) {
            unsigned char *p = fr_aligned_alloc(aligns[i], sizes[j]);
            ck_assert_ptr_nonnull(p);
            ck_assert_uint_eq((uintptr_t)p % aligns[i], 0);
            ck_assert_uint_ge(fr_usable_size(p), sizes[j]);
            fill(p, sizes[j], 3);
            void *q = NULL;
            ck_assert_int_eq(fr_posix_memalign(&q, aligns[i], sizes[j]), 0);
            ck_assert_uint_eq((uintptr_t)q % aligns[i], 0);
            ck_assert(check_fill(p, sizes[j], 3));
            fr_free(q);
            fr_free(p);
        }
    }
    /* aligned_alloc(256, 512): the case mimalloc 2.0.9 gets wrong */
    for (int k = 0; k < 100; k++) {
        void *p = fr_aligned_alloc(256, 512);
        ck_assert_uint_eq((uintptr_t)p % 256, 0);
        fr_free(p);
    }
}
END_TEST

/* A 0-byte block aligned to 4 MiB or more must own its address: the next
 * such block once got its header mapped there, and freeing the first then
 * reported "invalid pointer" (found under memcheck, whose mmap placement
 * made the two meet). */
START_TEST(test_aligned_zero_owns_its_address)
{
    static const size_t aligns[] = {1 << 22, 1 << 23};
    for (size_t i = 0; i < 2; i++) {
        void *p = fr_aligned_alloc(aligns[i], 0);
        ck_assert_ptr_nonnull(p);
        unsigned char vec[1];
        ck_assert_msg(mincore(p, 4096, vec) == 0, "%p is not mapped by its block", p);
        fr_free(p);
    }
}
END_TEST

START_TEST(test_calloc_zero)
{
    for (size_t n = 1; n < 300000; n = n * 3 + 1) {
        unsigned char *p = fr_malloc(n);
        memset(p, 0xab, n);
        fr_free(p);
        unsigned char *q = fr_calloc(n, 1);
        ck_assert_ptr_nonnull(q);
        for (size_t i = 0; i < n; i++) ck_assert_uint_eq(q[i], 0);
        fr_free(q);
    }
    void *z = fr_calloc(0, 10);
    ck_assert_ptr_nonnull(z);
    fr_free(z);
}
END_TEST

/* calloc above 1 MiB reuses freed huge blocks from the cache (it took a
 * fresh mapping each time before) and clears what the last owner wrote,
 * over the whole usable size, also when the cached block is larger than
 * the request, and after realloc grew a block into its mapping.  The first
 * rounds run while a live huge block of 32 MiB (never touched) lets the
 * cache keep the freed block's pages (a quarter of the live huge bytes,
 * huge.c): calloc must clear them; the later ones without it, where the
 * block is purged on entering the cache. */
static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0) return 0;
    return 1;
}

START_TEST(test_calloc_huge_from_cache)
{
    size_t big = 3u << 20;
    unsigned char *p = fr_calloc(1, big);
    ck_assert_ptr_nonnull(p);
    ck_assert(all_zero(p, fr_usable_size(p)));
    int reused = 0;
    void *live = fr_malloc(32u << 20);
    ck_assert_ptr_nonnull(live);
    for (int round = 0; round < 9; round++) {
        if (round == 6) fr_free(live);
        memset(p, 0xab, fr_usable_size(p));
        fr_free(p);
        size_t n = round % 3 == 2 ? big * 2 / 3 : big; /* a smaller request takes the larger block */
        unsigned char *q = fr_calloc(n, 1);
        ck_assert_ptr_nonnull(q);
        ck_assert_uint_ge(fr_usable_size(q), n);
        ck_assert_msg(all_zero(q, fr_usable_size(q)), "round %d: calloc(%zu) not zero", round, n);
        if (q == p) reused++;
        if (round == 4) { /* grown in place into its mapping, then freed dirty */
            q = fr_realloc(q, big);
            ck_assert_ptr_nonnull(q);
        }
        p = q;
    }
    fr_free(p);
    /* under valgrind huge blocks are not cached */
    if (!UNDER_VALGRIND()) ck_assert_int_ge(reused, 8);
}
END_TEST

/* Large blocks mixed with blocks of smaller classes in one heap, so that
 * pages of smaller blocks keep taking slices where large blocks started
 * (and keep blocks there from use, page.c): every block keeps its
 * contents.  At 76ac8a1 a page whose last carved blocks were all kept from
 * use was returned with an empty free list ("heap corruption ... (pointer
 * 0x0)"); this test aborted there. */
START_TEST(test_large_and_small_mixed)
{
    enum { SLOTS = 48, ROUNDS = 20000 };
    static unsigned char *slot[SLOTS];
    static size_t len[SLOTS];
    uint64_t x = 88172645463325252ull;
    for (int r = 0; r < ROUNDS; r++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int i = (int)(x % SLOTS);
        if (slot[i]) {
            ck_assert_msg(slot[i][0] == (unsigned char)i && slot[i][len[i] - 1] == (unsigned char)(i ^ 0x5a) &&
                              slot[i][len[i] / 2] == (unsigned char)(i + 1),
                          "round %d: block %d (%zu bytes) lost its contents", r, i, len[i]);
            fr_free(slot[i]);
            slot[i] = NULL;
            continue;
        }
        /* half large (128 KiB .. 1 MiB), half of the classes whose last
         * block in a page can start where a large block started (56, 64
         * and 128 KiB: at step 2 or 0 of the page's last slice), and a few
         * small ones */
        unsigned k = (unsigned)(x >> 20);
        static const size_t mid[4] = {57344, 65536, 131072, 100};
        size_t n = k % 2 == 0 ? (128u << 10) + 1 + (k >> 2) % (896u << 10) : mid[(k >> 2) % 4] - (k >> 4) % 64;
        slot[i] = fr_malloc(n);
        ck_assert_ptr_nonnull(slot[i]);
        len[i] = n;
        slot[i][0] = (unsigned char)i;
        slot[i][n - 1] = (unsigned char)(i ^ 0x5a);
        slot[i][n / 2] = (unsigned char)(i + 1);
    }
    for (int i = 0; i < SLOTS; i++) fr_free(slot[i]);
}
END_TEST

START_TEST(test_realloc_grow_shrink)
{
    ck_assert_ptr_null(fr_realloc(fr_malloc(10), 0)); /* frees, like glibc */
    unsigned char *p = fr_realloc(NULL, 10);
    ck_assert_ptr_nonnull(p);
    fill(p, 10, 1);
    size_t n = 10;
    /* grow through every kind: small, medium, huge (mremap) */
    while (n < (64u << 20)) {
        size_t m = n * 3 + 5;
        p = fr_realloc(p, m);
        ck_assert_ptr_nonnull(p);
        ck_assert(check_fill(p, n, 1));
        fill(p, m, 1);
        n = m;
    }
    /* and shrink back */
    while (n > 8) {
        size_t m = n / 5;
        p = fr_realloc(p, m);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_ge(fr_usable_size(p), m);
        ck_assert(check_fill(p, m, 1));
        n = m;
    }
    fr_free(p);
}
END_TEST

START_TEST(test_huge_mremap)
{
    size_t n = 8u << 20;
    unsigned char *p = fr_malloc(n);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_ge(fr_usable_size(p), n);
    fill(p, n, 9);
    /* grow a lot: mremap, contents kept, still freeable and sized */
    unsigned char *q = fr_realloc(p, 200u << 20);
    ck_assert_ptr_nonnull(q);
    ck_assert(check_fill(q, n, 9));
    ck_assert_uint_ge(fr_usable_size(q), 200u << 20);
    q[(200u << 20) - 1] = 1;
    unsigned char *r = fr_realloc(q, 1u << 20);
    ck_assert(check_fill(r, 1u << 20, 9));
    fr_free(r);
    struct fr_stats st;
    fr_stats_get(&st);
    ck_assert_uint_ge(st.huge_allocs, 1);
    ck_assert_uint_eq(st.huge_allocs, st.huge_frees);
}
END_TEST

START_TEST(test_usable_size)
{
    ck_assert_uint_eq(fr_usable_size(NULL), 0);
    for (size_t n = 1; n < 200000; n = n * 2 + 3) {
        unsigned char *p = fr_malloc(n);
        size_t u = fr_usable_size(p);
        ck_assert_uint_ge(u, n);
        memset(p, 0x5a, u); /* all of it is ours to use */
        fr_free(p);
    }
}
END_TEST

START_TEST(test_heap_allocator)
{
    fr_allocator a = fr_heap_allocator();
    void *p = fr_allocator_alloc(a, 100, 64);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 64, 0);
    memset(p, 1, 100);
    fr_allocator_free(a, p, 100);
}
END_TEST

START_TEST(test_stats)
{
    struct fr_stats st;
    void *p = fr_malloc(100);
    fr_stats_get(&st);
    ck_assert_uint_gt(st.bytes_mapped, 0);
    ck_assert_uint_ge(st.bytes_mapped_peak, st.bytes_mapped);
    ck_assert_uint_gt(st.bytes_resident, 0);
    ck_assert_uint_eq(st.class_size[0], 16);
    ck_assert_uint_eq(st.class_size[FR_STATS_CLASSES - 2], 128 * 1024);
    fr_free(p);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fr_stats_print(f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "ferrum statistics"));
    ck_assert_ptr_nonnull(strstr(buf, "mapped"));
    free(buf);
}
END_TEST

/* FERRUM_OPTIONS=stats=1 in a child: counters are kept and printed at exit */
START_TEST(test_stats_option)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        setenv("FERRUM_OPTIONS", "stats=1 ,purge_delay_ms=5,bogus=3,secure=2,huge_cache=99999999999999999999", 1);
        char *self = realpath("/proc/self/exe", NULL);
        execl(self, self, "--stats-child", (char *)NULL);
        _exit(99);
    }
    close(fds[1]);
    char out[8192];
    size_t len = 0;
    ssize_t r;
    while ((r = read(fds[0], out + len, sizeof out - 1 - len)) > 0) len += (size_t)r;
    out[len] = 0;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert_msg(strstr(out, "unknown option 'bogus'") != NULL, "%s", out);
    /* an on/off option given 2 is refused, not taken as on (QA7 U11) */
    ck_assert_msg(strstr(out, "value out of range (0 or 1) in 'secure=2'") != NULL, "%s", out);
    /* a blank after a value is no part of it, and a number too long to read
     * is out of range, not a bad value (QA14 Y8) */
    ck_assert_msg(strstr(out, "'stats=1") == NULL, "%s", out);
    ck_assert_msg(strstr(out, "value out of range (0..64) in 'huge_cache=99999999999999999999'") != NULL, "%s", out);
    /* (the child's 1002 mallocs, then 6 of large classes) */
    ck_assert_msg(strstr(out, "mallocs 1008, frees 1007") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "bytes requested 4700100") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "112 B  1001") != NULL, "%s", out);
    /* large classes have rows of their own, huge blocks one (QA7 U2: all
     * were one "> 128 KiB" row) */
    ck_assert_msg(strstr(out, "  229376 B  5\n") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "  655360 B  1\n") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "        huge  ") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "huge blocks: 1 allocated, 1 freed") != NULL, "%s", out);
}
END_TEST

static int stats_child(void)
{
    struct fr_stats st;
    for (int i = 0; i < 1000; i++) fr_free(fr_malloc(100));
    void *keep = fr_malloc(100);
    fr_stats_get(&st);
    if (!st.counting || st.mallocs != 1001 || st.bytes_allocated != 112 || st.class_count[6] != 1001) return 1;
    (void)keep;
    /* huge blocks resized in place (mremap) keep the live bytes right and
     * the peak covering the largest size (QA3 Q7: live wrapped below 0) */
    static const size_t sizes[] = {6000000, 9000000, 5000000, 16u << 20, 2000000};
    char *h = fr_malloc(3000000); /* above 1 MiB: huge */
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        h = fr_realloc(h, sizes[i]);
        if (h == NULL) return 2;
        fr_stats_get(&st);
        if (st.bytes_allocated != 112 + fr_usable_size(h) || st.bytes_peak < st.bytes_allocated) return 3;
    }
    if (st.bytes_peak < 112 + (16u << 20)) return 4;
    fr_free(h);
    fr_stats_get(&st);
    if (st.bytes_allocated != 112 || st.mallocs != 1002 || st.frees != 1001) return 5;
    /* blocks of the large classes (200000 -> 224 KiB, 600000 -> 640 KiB)
     * are no huge blocks; the public table's last row counts both kinds */
    uint64_t above = st.class_count[FR_STATS_CLASSES - 1];
    for (int i = 0; i < 5; i++) fr_free(fr_malloc(200000));
    fr_free(fr_malloc(600000));
    fr_stats_get(&st);
    if (st.huge_allocs != 1 || st.class_size[FR_STATS_CLASSES - 1] != 0 ||
        st.class_count[FR_STATS_CLASSES - 1] != above + 6)
        return 6;
    return 0; /* the summary is printed at exit */
}

/* ---- memory goes back to the OS ---- */

START_TEST(test_collect_returns_memory)
{
    const size_t obj = 1024, count = (1u << 30) / obj; /* 1 GiB of small (1 KiB) objects */
    void **v = mmap(NULL, count * sizeof *v, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(v, MAP_FAILED);
    memset(v, 0, count * sizeof *v);
    fr_free(fr_malloc(obj)); /* the heap exists */
    size_t before = rss_bytes();
    for (size_t i = 0; i < count; i++) {
        v[i] = fr_malloc(obj);
        ck_assert_ptr_nonnull(v[i]);
        ((size_t *)v[i])[2] = i;
    }
    size_t peak = rss_bytes();
    ck_assert_uint_gt(peak, before + (900u << 20));
    for (size_t i = 0; i < count; i++) {
        ck_assert_uint_eq(((size_t *)v[i])[2], i);
        fr_free(v[i]);
    }
    fr_collect(true);
    size_t after = rss_bytes();
    if (UNDER_VALGRIND()) {
        /* memcheck's shadow memory stays resident: check what ferrum maps */
        struct fr_stats st;
        fr_stats_get(&st);
        ck_assert_msg(st.bytes_mapped < (16u << 20), "mapped after collect %llu",
                      (unsigned long long)st.bytes_mapped);
    } else {
        ck_assert_msg(after < before + (16u << 20), "rss before %zu, peak %zu, after collect %zu", before, peak,
                      after);
    }
    munmap(v, count * sizeof *v);
}
END_TEST

/* Huge blocks freed while many others are live keep their pages in the
 * cache; once the program has freed them all (and then goes idle, making
 * no call that would expire them), they must not stay resident (QA11 A6:
 * 8 x 30 MiB stayed at 241 MB; glibc 1 MB). */
START_TEST(test_freed_huge_blocks_not_kept_resident)
{
    if (UNDER_VALGRIND()) return; /* huge blocks are not cached under valgrind */
    enum { N = 8 };
    const size_t sz = (size_t)24 << 20;
    void *v[N];
    fr_free(fr_malloc(opaque(100)));
    size_t before = rss_bytes();
    for (int i = 0; i < N; i++) {
        v[i] = fr_malloc(opaque(sz));
        ck_assert_ptr_nonnull(v[i]);
        memset(v[i], 1, sz);
    }
    size_t peak = rss_bytes();
    ck_assert_uint_gt(peak, before + (size_t)N * (sz / 2));
    for (int i = 0; i < N; i++) fr_free(v[i]);
    size_t after = rss_bytes();
    ck_assert_msg(after < before + ((size_t)32 << 20), "rss before %zu, peak %zu, after the frees %zu", before, peak,
                  after);
}
END_TEST

START_TEST(test_purge_delay)
{
    /* without fr_collect: freed pages go back after the purge delay (10 ms),
     * the next time the allocator runs its slow path */
    const size_t n = 4096, obj = 16384; /* 64 MiB */
    void **v = malloc(n * sizeof *v);
    fr_free(fr_malloc(obj));
    size_t before = rss_bytes();
    for (size_t i = 0; i < n; i++) memset(v[i] = fr_malloc(obj), 1, obj);
    for (size_t i = 0; i < n; i++) fr_free(v[i]);
    usleep(50 * 1000);
    fr_collect(false);
    size_t after = rss_bytes();
    ck_assert_msg(after < before + (8u << 20), "rss before %zu, after %zu", before, after);
    free(v);
}
END_TEST

/* A new page takes a free slice that is still resident (freed, not yet
 * purged) before a purged one: no page faults, no growth of resident
 * memory.  Run in a child with a purge delay no test reaches, so that the
 * only purge is the fr_collect(true) below. */
static int reuse_child(void)
{
    enum { N = 256 };
    static void *v[N];
    void *keep = fr_malloc(16); /* the segment stays mapped */
    for (int i = 0; i < N; i++) { /* 256 blocks of 8 KiB: 32 one-slice pages */
        v[i] = fr_malloc(8192);
        memset(v[i], 1, 8192);
    }
    for (int i = 0; i < N / 2; i++) fr_free(v[i]); /* the lower pages */
    fr_collect(true);                              /* ... are purged */
    for (int i = N / 2; i < N; i++) fr_free(v[i]); /* the upper ones stay resident */
    struct rusage a, b;
    getrusage(RUSAGE_SELF, &a);
    for (int i = 0; i < N; i++) { /* 1 MiB of another class: 16 pages */
        v[i] = fr_malloc(4096);
        memset(v[i], 2, 4096);
    }
    getrusage(RUSAGE_SELF, &b);
    long faults = b.ru_minflt - a.ru_minflt;
    for (int i = 0; i < N; i++) fr_free(v[i]);
    fr_free(keep);
    if (faults >= 64) {
        fprintf(stderr, "%ld page faults for 1 MiB on resident free slices\n", faults);
        return 1;
    }
    return 0;
}

START_TEST(test_reuse_resident_slices)
{
    if (UNDER_VALGRIND()) return; /* page faults are memcheck's there */
    pid_t pid = fork();
    if (pid == 0) {
        setenv("FERRUM_OPTIONS", "purge_delay_ms=600000", 1);
        char *self = realpath("/proc/self/exe", NULL);
        execl(self, self, "--reuse-child", (char *)NULL);
        _exit(99);
    }
    int status;
    waitpid(pid, &status, 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
}
END_TEST

/* F16: memory of exited threads, freed later by a surviving thread, goes
 * back without fr_collect.  Blocks of a dead thread live in its abandoned
 * segments, which no heap collects until one adopts them; a program whose
 * threads are gone may never adopt them.  The free that returns a page's
 * last block gives the page back (and the segment, once empty). */
#define EXIT_THREADS 8
#define EXIT_BLOCKS 64
static pthread_barrier_t exit_barrier;

static void *exit_keep_thread(void *arg)
{
    void **v = arg;
    for (int i = 0; i < EXIT_BLOCKS; i++) memset(v[i] = fr_malloc(16384), 1, 16384);
    v[EXIT_BLOCKS] = fr_malloc(100);
    pthread_barrier_wait(&exit_barrier); /* all alive at once: one heap each */
    return NULL;
}

static void *exit_churn_thread(void *arg)
{
    (void)arg;
    void *p[EXIT_BLOCKS];
    for (int i = 0; i < EXIT_BLOCKS; i++) memset(p[i] = fr_malloc(16384), 1, 16384);
    for (int i = 0; i < EXIT_BLOCKS; i++) fr_free(p[i]);
    return fr_malloc(100); /* survives the thread */
}

START_TEST(test_exited_threads_memory_returns)
{
    struct fr_stats st;
    fr_free(fr_malloc(100));
    fr_stats_get(&st);
    size_t rss0 = rss_bytes(), mapped0 = (size_t)st.bytes_mapped;

    /* 8 threads each leave 1 MiB of live blocks, then exit */
    static void *kept[EXIT_THREADS][EXIT_BLOCKS + 1];
    pthread_t t[EXIT_THREADS];
    pthread_barrier_init(&exit_barrier, NULL, EXIT_THREADS);
    for (int i = 0; i < EXIT_THREADS; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, exit_keep_thread, kept[i]), 0);
    for (int i = 0; i < EXIT_THREADS; i++) pthread_join(t[i], NULL);
    pthread_barrier_destroy(&exit_barrier);
    size_t rss_full = rss_bytes();
    ck_assert_msg(rss_full >= rss0 + (6u << 20), "blocks not resident? rss %zu -> %zu", rss0, rss_full);
    for (int i = 0; i < EXIT_THREADS; i++)
        for (int j = 0; j <= EXIT_BLOCKS; j++) fr_free(kept[i][j]);
    usleep(30 * 1000); /* three purge delays */
    fr_free(fr_malloc(opaque(100)));
    size_t rss1 = rss_bytes();
    fr_stats_get(&st);
    ck_assert_msg(rss1 < rss0 + (2u << 20), "rss %zu at start, %zu with the blocks, %zu after freeing them", rss0,
                  rss_full, rss1);
    ck_assert_msg(st.bytes_mapped <= mapped0 + (8u << 20), "mapped %zu at start, %zu after", mapped0,
                  (size_t)st.bytes_mapped);

    /* churn (F16's churn2): 4 threads a round, each keeps one small block
     * alive past its exit; the main thread keeps one per round, frees the
     * others at once and the kept ones at the end */
    enum { ROUNDS = 1000 };
    static void *keep[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        pthread_t w[4];
        for (int i = 0; i < 4; i++) ck_assert_int_eq(pthread_create(&w[i], NULL, exit_churn_thread, NULL), 0);
        for (int i = 0; i < 4; i++) {
            void *k;
            pthread_join(w[i], &k);
            ck_assert_ptr_nonnull(k);
            if (i == 0) keep[r] = k;
            else fr_free(k);
        }
    }
    for (int r = 0; r < ROUNDS; r++) fr_free(keep[r]);
    usleep(30 * 1000);
    fr_free(fr_malloc(opaque(100)));
    size_t rss2 = rss_bytes();
    fr_stats_get(&st);
    ck_assert_msg(rss2 < rss0 + (2u << 20), "churn: rss %zu at start, %zu after", rss0, rss2);
    ck_assert_msg(st.bytes_mapped <= mapped0 + (8u << 20), "churn: mapped %zu at start, %zu after", mapped0,
                  (size_t)st.bytes_mapped);
}
END_TEST

/* The blocks of exited threads freed by several survivors at once: the free
 * of each page's last block must give the page back even when another
 * survivor holds the abandoned-segments lock at that moment.  It used to be
 * only tried; a free that failed it pushed the block without looking at the
 * page, and if that block was the page's last, the page (and its segment)
 * stayed until some heap adopted them: after fork() every child's first
 * malloc, which unmapped the parent's dead segments again in each child
 * (QA17 W1).  A thread forks meanwhile, as W1's did: fork() holds the lock
 * while the kernel copies the process.  No malloc here after the frees, so
 * no adoption tidies up: what fr_collect(true) still finds to unmap is what
 * the frees left behind. */
enum { SURV_PRODUCERS = 8, SURV_CONSUMERS = 8, SURV_BLOCKS = 4000 };
static void *surv_blocks[SURV_PRODUCERS][SURV_BLOCKS];
static pthread_barrier_t surv_barrier;

static void *surv_producer(void *arg)
{
    void **v = arg;
    for (int i = 0; i < SURV_BLOCKS; i++) {
        size_t n = i % 7 == 0 ? 3000 : 48 + (size_t)(i % 5) * 16;
        memset(v[i] = fr_malloc(n), 1, n);
    }
    pthread_barrier_wait(&surv_barrier); /* all alive at once: one heap each */
    return NULL;
}

static atomic_int surv_done;

static void *surv_consumer(void *arg)
{
    int c = (int)(intptr_t)arg;
    pthread_barrier_wait(&surv_barrier); /* free together: neighbours race */
    for (int i = c; i < SURV_BLOCKS; i += SURV_CONSUMERS)
        for (int t = 0; t < SURV_PRODUCERS; t++) fr_free(surv_blocks[t][i]);
    atomic_fetch_add(&surv_done, 1);
    return NULL;
}

/* fork() holds the allocator's locks, the abandoned-segments lock among
 * them, while the kernel copies the process: the survivors' frees meet a
 * held lock then */
static void *surv_forker(void *arg)
{
    (void)arg;
    while (atomic_load(&surv_done) < SURV_CONSUMERS) {
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        if (pid > 0) waitpid(pid, NULL, 0);
    }
    return NULL;
}

START_TEST(test_exited_threads_blocks_freed_by_many_survivors)
{
    struct fr_stats st;
    fr_free(fr_malloc(100));
    fr_stats_get(&st);
    size_t mapped0 = (size_t)st.bytes_mapped;
    pthread_t t[SURV_PRODUCERS > SURV_CONSUMERS ? SURV_PRODUCERS : SURV_CONSUMERS];
    for (int round = 0; round < 4; round++) {
        pthread_barrier_init(&surv_barrier, NULL, SURV_PRODUCERS);
        for (int i = 0; i < SURV_PRODUCERS; i++)
            ck_assert_int_eq(pthread_create(&t[i], NULL, surv_producer, surv_blocks[i]), 0);
        for (int i = 0; i < SURV_PRODUCERS; i++) pthread_join(t[i], NULL);
        pthread_barrier_destroy(&surv_barrier);
        pthread_barrier_init(&surv_barrier, NULL, SURV_CONSUMERS);
        atomic_store(&surv_done, 0);
        pthread_t forker;
        ck_assert_int_eq(pthread_create(&forker, NULL, surv_forker, NULL), 0);
        for (int i = 0; i < SURV_CONSUMERS; i++)
            ck_assert_int_eq(pthread_create(&t[i], NULL, surv_consumer, (void *)(intptr_t)i), 0);
        for (int i = 0; i < SURV_CONSUMERS; i++) pthread_join(t[i], NULL);
        pthread_join(forker, NULL);
        pthread_barrier_destroy(&surv_barrier);
    }
    /* what is still mapped for the exited threads shows as what
     * fr_collect(true), which adopts every abandoned segment, finds to give
     * back */
    fr_stats_get(&st);
    size_t before = (size_t)st.bytes_mapped;
    fr_collect(true);
    fr_stats_get(&st);
    size_t after = (size_t)st.bytes_mapped;
    ck_assert_msg(before <= after + (4u << 20),
                  "%zu bytes mapped after every block of the exited threads was freed, %zu after fr_collect(true): "
                  "the frees left pages of dead threads for an adopter to give back (mapped %zu at start)",
                  before, after, mapped0);
}
END_TEST

/* A live thread holding a few small blocks in several classes costs little
 * resident memory (QA3 Q11: 146 KB per thread with 16 blocks in 8 classes,
 * as each fresh page was carved 16 KiB at once; jemalloc 73 KB, glibc 18 KB
 * including the stacks).  Measured against the same threads allocating
 * nothing, so the stacks cancel out. */
enum { FOOT_THREADS = 200 };
static pthread_barrier_t foot_b1, foot_b2;

static void *foot_thread(void *arg)
{
    static const size_t sz[8] = {16, 48, 96, 160, 320, 640, 1024, 2048};
    void *p[16] = {0};
    if (arg)
        for (int i = 0; i < 16; i++) memset(p[i] = fr_malloc(sz[i % 8]), 1, sz[i % 8]);
    pthread_barrier_wait(&foot_b1);
    pthread_barrier_wait(&foot_b2);
    for (int i = 0; i < 16; i++) fr_free(p[i]);
    return NULL;
}

/* resident bytes added per live thread */
static size_t thread_footprint(bool alloc)
{
    pthread_t t[FOOT_THREADS];
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, 64 * 1024);
    pthread_barrier_init(&foot_b1, NULL, FOOT_THREADS + 1);
    pthread_barrier_init(&foot_b2, NULL, FOOT_THREADS + 1);
    size_t r0 = rss_bytes();
    for (int i = 0; i < FOOT_THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], &at, foot_thread, alloc ? &at : NULL), 0);
    pthread_barrier_wait(&foot_b1);
    size_t r1 = rss_bytes();
    pthread_barrier_wait(&foot_b2);
    for (int i = 0; i < FOOT_THREADS; i++) pthread_join(t[i], NULL);
    pthread_barrier_destroy(&foot_b1);
    pthread_barrier_destroy(&foot_b2);
    pthread_attr_destroy(&at);
    return r1 > r0 ? (r1 - r0) / FOOT_THREADS : 0;
}

START_TEST(test_live_thread_footprint)
{
    if (UNDER_VALGRIND()) return; /* memcheck's shadow memory is the resident set there */
    fr_free(fr_malloc(100));
    size_t bare = thread_footprint(false);
    size_t with = thread_footprint(true);
    size_t cost = with > bare ? with - bare : 0;
    ck_assert_msg(cost < 64 * 1024, "%zu bytes resident per thread for 16 blocks (bare thread %zu, with %zu)", cost,
                  bare, with);
}
END_TEST

/* Threads that exit leaving one medium or large block each (QA7 U9): new
 * threads carve their pages in the exited threads' segments instead of
 * mapping a segment each, so the address space grows with the blocks, not
 * with the threads (before: 4 MiB per thread that left a block of 24 KiB or
 * more: 1.8 GB for 500 threads leaving 70,000 bytes each).  Then the same
 * with two threads at a time that also allocate and free small blocks,
 * under an address-space limit: no malloc may fail. */
enum { ORPHAN_THREADS = 300, ORPHAN_PAIRS = 400 };
static void *orphan[2 * ORPHAN_PAIRS];
static atomic_int orphan_n, orphan_null;

static void *orphan_thread(void *arg)
{
    size_t size = (size_t)(uintptr_t)arg;
    void *p = fr_malloc(size);
    if (p == NULL) {
        atomic_fetch_add(&orphan_null, 1);
        return NULL;
    }
    memset(p, 1, 256);
    for (int i = 0; i < 200; i++) {
        void *q = fr_malloc(opaque((size_t)i * 50 + 1));
        if (q == NULL) atomic_fetch_add(&orphan_null, 1);
        fr_free(q);
    }
    orphan[atomic_fetch_add(&orphan_n, 1)] = p;
    return NULL;
}

/* The process's address space now (VmSize), from /proc/self/statm. */
static size_t vm_size(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0;
    if (f) {
        if (fscanf(f, "%lu", &size) != 1) size = 0;
        fclose(f);
    }
    return (size_t)size * (size_t)sysconf(_SC_PAGESIZE);
}

static size_t mapped_now(void)
{
    struct fr_stats st;
    fr_stats_get(&st);
    return (size_t)st.bytes_mapped;
}

START_TEST(test_exited_threads_leave_large_blocks)
{
    static const size_t sizes[] = {24000, 70000, 131072};
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, 256 * 1024);
    fr_free(fr_malloc(100));
    for (unsigned z = 0; z < 3; z++) {
        size_t mapped0 = mapped_now();
        atomic_store(&orphan_n, 0);
        for (int i = 0; i < ORPHAN_THREADS; i++) {
            pthread_t t;
            ck_assert_int_eq(pthread_create(&t, &at, orphan_thread, (void *)(uintptr_t)sizes[z]), 0);
            pthread_join(t, NULL);
        }
        size_t grew = mapped_now() - mapped0, live = ORPHAN_THREADS * sizes[z];
        /* 4 MiB per thread before; now within twice the live bytes + 16 MiB */
        ck_assert_msg(grew <= 2 * live + (16u << 20), "%d threads leaving %zu bytes each: mapped +%zu (live %zu)",
                      ORPHAN_THREADS, sizes[z], grew, live);
        ck_assert_int_eq(atomic_load(&orphan_null), 0);
        for (int i = 0; i < atomic_load(&orphan_n); i++) fr_free(orphan[i]);
    }

    /* two at a time, under RLIMIT_AS: 800 threads, 56 MB live */
    struct rlimit rl;
    fr_collect(true);
    size_t limit = vm_size() + (400u << 20);
    rl.rlim_cur = rl.rlim_max = limit;
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
    atomic_store(&orphan_n, 0);
    for (int r = 0; r < ORPHAN_PAIRS; r++) {
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            ck_assert_int_eq(pthread_create(&t[i], &at, orphan_thread, (void *)(uintptr_t)70000), 0);
        for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    }
    ck_assert_msg(atomic_load(&orphan_null) == 0, "%d mallocs failed with %d blocks of 70000 bytes live",
                  atomic_load(&orphan_null), atomic_load(&orphan_n));
    for (int i = 0; i < atomic_load(&orphan_n); i++) fr_free(orphan[i]);
    pthread_attr_destroy(&at);
}
END_TEST

/* A long-lived thread allocating large blocks (128 KiB..1 MiB) takes over
 * the segments short-lived threads leave; the small blocks those threads
 * allocated are then freed by the next short-lived threads, remotely, into
 * pages of the long-lived thread that it never allocates from again.  Those
 * pages must still go back, or each pins a 4 MiB segment: QA14 Y1, 45-50 GB
 * of address space for 100 MB live, and NULLs from malloc under ulimit -v
 * (f96caad: mapped +2,112 MB in this test; now about +180 MB for 70 MB live). */
#define CHURN_SLOTS 1024
static void *_Atomic churn_hand[CHURN_SLOTS];
static _Atomic unsigned churn_pos;
static _Atomic int churn_stop, churn_null;
static _Atomic size_t churn_peak;

static size_t churn_size = 140000; /* the worker's blocks */
static int churn_count = 50;        /* blocks per short thread */

static void *churn_worker(void *arg)
{
    (void)arg;
    void *ring[500] = {0};
    for (unsigned i = 0; !atomic_load(&churn_stop); i++) {
        fr_free(ring[i % 500]);
        ring[i % 500] = fr_malloc(opaque(churn_size));
        if (ring[i % 500] == NULL) atomic_fetch_add(&churn_null, 1);
        else memset(ring[i % 500], 1, 64);
        fr_free(atomic_exchange(&churn_hand[i % CHURN_SLOTS], NULL));
        if (i % 256 == 0) {
            size_t m = mapped_now();
            if (m > atomic_load(&churn_peak)) atomic_store(&churn_peak, m);
        }
    }
    for (int k = 0; k < 500; k++) fr_free(ring[k]);
    return NULL;
}

static void *churn_short(void *arg)
{
    (void)arg;
    for (int j = 0; j < churn_count; j++) {
        void *p = fr_malloc(opaque(100));
        if (p == NULL) {
            atomic_fetch_add(&churn_null, 1);
            continue;
        }
        memset(p, 2, 64);
        fr_free(atomic_exchange(&churn_hand[atomic_fetch_add(&churn_pos, 1) % CHURN_SLOTS], p));
    }
    return NULL;
}

/* One churn run: the long-lived worker next to 3,000 short threads one
 * after another; returns how far bytes_mapped peaked above the start. */
static size_t churn_run(void)
{
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, 256 * 1024);
    fr_collect(true);
    size_t mapped0 = mapped_now();
    pthread_t w;
    ck_assert_int_eq(pthread_create(&w, &at, churn_worker, NULL), 0);
    for (int i = 0; i < 3000; i++) {
        pthread_t t;
        ck_assert_int_eq(pthread_create(&t, &at, churn_short, NULL), 0);
        pthread_join(t, NULL);
    }
    atomic_store(&churn_stop, 1);
    pthread_join(w, NULL);
    for (int k = 0; k < CHURN_SLOTS; k++) fr_free(atomic_exchange(&churn_hand[k], NULL));
    pthread_attr_destroy(&at);
    size_t grew = atomic_load(&churn_peak) > mapped0 ? atomic_load(&churn_peak) - mapped0 : 0;
    return grew;
}

/* The same with one small block per short thread and the worker's blocks
 * of 200,000 B (QA14 churn_min 200000 500 100 1): until session 8 the
 * worker adopted every abandoned segment for each of its large blocks (up
 * to 64 per malloc, none of which can hold a large page with room), so the
 * short threads found none left and each mapped a new one: churn_min
 * reached 923-1,075 MB of VmSize (glibc 210 MB); now 159 MB. */
START_TEST(test_large_block_thread_leaves_exited_segments_to_others)
{
    churn_size = 200000;
    churn_count = 1;
    size_t grew = churn_run();
    /* live: 500 x 200,000 B in pages of 256 KiB, 125 MB: +264-272 MB at
     * 81604b4, +132 MB now */
    ck_assert_msg(grew <= (192u << 20), "3000 short threads of one block next to a large-block thread: mapped +%zu MB",
                  grew >> 20);
    ck_assert_int_eq(atomic_load(&churn_null), 0);
}
END_TEST

START_TEST(test_long_lived_thread_returns_remotely_freed_pages)
{
    size_t grew = churn_run();
    /* live: 500 x 140,000 B + 1,024 x 100 B, about 70 MB: +2,112 MB at
     * f96caad, +164-188 MB at 81604b4 (the worker adopted every abandoned
     * segment for its large blocks: see the test below), +100 MB now */
    ck_assert_msg(grew <= (192u << 20), "3000 short threads next to a large-block thread: mapped +%zu MB", grew >> 20);
    ck_assert_int_eq(atomic_load(&churn_null), 0);
}
END_TEST

/* Under an address-space limit, a malloc the OS refuses first gets back
 * the free huge blocks kept for reuse, and tries again (QA3 Q27: malloc of
 * 90 MB returned NULL while 64 MB of freed blocks sat in the huge cache).
 * In a child: the limit stays there. */

START_TEST(test_oom_gives_back_cached_blocks)
{
    /* under memcheck huge blocks are never cached, and the address space is
     * valgrind's */
    if (UNDER_VALGRIND()) return;
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        enum { N = 8 };
        void *v[N];
        fr_free(fr_malloc(100));
        struct rlimit rl = {.rlim_cur = vm_size() + (150u << 20), .rlim_max = RLIM_INFINITY};
        if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(3);
        for (int i = 0; i < N; i++) {
            v[i] = fr_malloc((8u << 20) + (size_t)i * 4096);
            if (v[i] == NULL) _exit(4);
            memset(v[i], 1, 4096);
        }
        for (int i = 0; i < N; i++) fr_free(v[i]);
        char *big = fr_malloc(opaque(90u << 20));
        if (big == NULL) _exit(5);
        big[0] = 1;
        fr_free(big);
        _exit(0);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d (5: malloc(90 MB) returned NULL)", st);
}
END_TEST

/* ---- threads ---- */

#define STRESS_THREADS 4
#define STRESS_SLOTS 4096
struct xfer {
    _Atomic(unsigned char *) slot[STRESS_SLOTS];
};
static struct xfer xfer;
static _Atomic int stress_errors;

static size_t stress_size(unsigned r)
{
    unsigned k = r % 100;
    if (k < 70) return 8 + r % 256; /* >= 8: the size is stored in the block */
    if (k < 95) return 256 + r % 8192;
    if (k < 99) return 8192 + r % 120000;
    return 200000 + r % 600000;
}

static void *stress_thread(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u + 1;
    unsigned char *own[64] = {0};
    size_t own_n[64] = {0};
    for (int it = 0; it < 30000; it++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 4;
        size_t n = stress_size(r);
        unsigned char *p = fr_malloc(n);
        if (p == NULL) {
            stress_errors++;
            continue;
        }
        /* header: size and a pattern seed; the rest of the block the pattern */
        size_t hdr = n >= 8 ? 8 : n;
        memcpy(p, &n, hdr);
        if (n > 8) fill(p + 8, n - 8, (unsigned)n);
        if (r & 1) {
            /* hand it to another thread through the exchange */
            unsigned i = (r >> 1) % STRESS_SLOTS;
            unsigned char *old = atomic_exchange(&xfer.slot[i], p);
            p = old;
            if (p == NULL) continue;
            memcpy(&n, p, sizeof n);
        }
        /* verify and free (possibly a block of another thread) */
        if (n >= 8) {
            size_t got;
            memcpy(&got, p, sizeof got);
            if (got != n || (n > 8 && !check_fill(p + 8, n - 8, (unsigned)n))) stress_errors++;
            unsigned k = (r >> 8) % 64;
            if (own[k]) {
                if (!check_fill(own[k], own_n[k], 77)) stress_errors++;
                fr_free(own[k]);
            }
            own[k] = fr_realloc(p, n / 2 + 1);
            own_n[k] = n / 2 + 1;
            fill(own[k], own_n[k], 77);
        } else {
            fr_free(p);
        }
    }
    for (int k = 0; k < 64; k++) {
        if (own[k] && !check_fill(own[k], own_n[k], 77)) stress_errors++;
        fr_free(own[k]);
    }
    return NULL;
}

START_TEST(test_threads_cross_free)
{
    for (int round = 0; round < 3; round++) { /* threads exit and new ones reuse their memory */
        pthread_t t[STRESS_THREADS];
        for (uintptr_t i = 0; i < STRESS_THREADS; i++)
            ck_assert_int_eq(pthread_create(&t[i], NULL, stress_thread, (void *)(i + 10 * (uintptr_t)round)), 0);
        for (int i = 0; i < STRESS_THREADS; i++) pthread_join(t[i], NULL);
    }
    for (unsigned i = 0; i < STRESS_SLOTS; i++) fr_free(atomic_exchange(&xfer.slot[i], NULL));
    ck_assert_int_eq(stress_errors, 0);
    fr_collect(true);
}
END_TEST

/* The workers' live blocks are kept in a global array: in a forked child
 * their threads are gone, and blocks referenced only from a dead thread's
 * stack would count as leaks under memcheck. */
struct fork_work {
    _Atomic int *stop;
    void *p[32];
};
static struct fork_work fork_work[4];

static void *fork_worker(void *arg)
{
    struct fork_work *w = arg;
    while (!*w->stop) {
        for (int i = 0; i < 32; i++) w->p[i] = fr_malloc(16 + (size_t)i * 100);
        for (int i = 0; i < 32; i++) fr_free(w->p[i]);
    }
    return NULL;
}

START_TEST(test_fork_multithreaded)
{
    _Atomic int stop = 0;
    pthread_t t[3];
    for (int i = 0; i < 3; i++) {
        fork_work[i].stop = &stop;
        pthread_create(&t[i], NULL, fork_worker, &fork_work[i]);
    }
    for (int round = 0; round < 20; round++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            /* the child allocates, frees, and starts a thread that does too */
            int ok = 1;
            for (int i = 0; i < 2000; i++) {
                unsigned char *p = fr_malloc((size_t)(i % 3000) + 1);
                if (!p) ok = 0;
                else fill(p, (size_t)(i % 3000) + 1, 5), ok &= check_fill(p, (size_t)(i % 3000) + 1, 5);
                fr_free(p);
            }
/* Not under TSan, which refuses threads in a child of a threaded process,
 * nor under ASan: its own allocator (used by pthread_create) is not
 * fork-safe in gcc 12.  The child hung in 2 of 6 runs under ASan (also
 * before this session's allocator changes), never in the plain build; we
 * suspect ASan's allocator, as gdb showed for stress-malloc-glibc
 * (docs/reliability.md), but did not catch this hang in gdb. */
#if !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
            _Atomic int cstop = 1;
            pthread_t ct;
            fork_work[3].stop = &cstop;
            pthread_create(&ct, NULL, fork_worker, &fork_work[3]);
            pthread_join(ct, NULL);
#endif
            fr_collect(true);
            /* under memcheck, blocks the parent's workers held only in
             * registers at the fork are leaks of the child (those threads
             * do not exist here): leave by exec, which skips the leak
             * check at exit */
            if (ok && UNDER_VALGRIND()) execl("/bin/true", "true", (char *)NULL);
            _exit(ok ? 0 : 3);
        }
        int status;
        waitpid(pid, &status, 0);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    }
    stop = 1;
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
}
END_TEST

/* ---- misuse: reports name the pointer and the caller ---- */

/* blocks the misuse children allocate and keep: reachable, so memcheck's
 * leak check at the child's exit has nothing to say */
static void *volatile misuse_keep[5000];

/* Run fn in a child with stderr captured; return its stderr, status in *st. */
static char *run_captured(void (*fn)(void *), void *arg, int *st)
{
    static char out[16384];
    int fds[2];
    if (pipe(fds) != 0) return NULL;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        /* the child misuses the heap on purpose: under memcheck, ferrum's
         * report is what is tested, not memcheck's */
        QUIET_VALGRIND();
        fn(arg);
        _exit(0);
    }
    close(fds[1]);
    size_t len = 0;
    ssize_t r;
    while (len < sizeof out - 1 && (r = read(fds[0], out + len, sizeof out - 1 - len)) > 0) len += (size_t)r;
    out[len] = 0;
    close(fds[0]);
    waitpid(pid, st, 0);
    return out;
}

__attribute__((noinline)) static void do_double_free(void *arg)
{
    void *p = fr_malloc(40);
    if (arg) fprintf(stderr, "P=(pointer %p)\n", p), fflush(stderr);
    fr_free(p);
    fr_free(p);
    __asm__ volatile("" ::: "memory"); /* no tail call: keep this frame */
}

__attribute__((noinline)) static void do_invalid_free(void *arg)
{
    (void)arg;
    static char not_heap[64] __attribute__((aligned(16)));
    fr_free(not_heap);
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void do_interior_free(void *arg)
{
    (void)arg;
    char *p = fr_malloc(100);
    fr_free(p + 8);
    __asm__ volatile("" ::: "memory");
}

/* the fast path masks the segment-map index: a live block's address with
 * a stray high bit (or a low bit) must still be reported, not freed */
__attribute__((noinline)) static void do_highbit_free(void *arg)
{
    (void)arg;
    char *p = fr_malloc(48);
    fr_free((void *)((uintptr_t)p | ((uintptr_t)1 << 52)));
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void do_misaligned_free(void *arg)
{
    (void)arg;
    char *p = fr_malloc(48);
    fr_free(p + 1);
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void do_interior16_free(void *arg)
{
    (void)arg;
    char *p = fr_malloc(100); /* a 112-byte block */
    fprintf(stderr, "P=(pointer %p)\n", (void *)(p + 16));
    fflush(stderr);
    fr_free(p + 16); /* aligned like a block */
    __asm__ volatile("" ::: "memory");
    fprintf(stderr, "not caught\n");
}

__attribute__((noinline)) static void do_usable_size_of_freed(void *arg)
{
    (void)arg;
    void *p = fr_malloc(48);
    fr_free(p);
    fprintf(stderr, "%zu\n", fr_usable_size(p));
}

__attribute__((noinline)) static void do_overflow_into_free_block(void *arg)
{
    (void)arg;
    /* two neighbours; the second is freed, then the first overflows into
     * its link; allocating again must report, not follow the link */
    char *a = fr_malloc(32), *b = fr_malloc(32);
    if (b != a + 32) { fprintf(stderr, "layout\n"); abort(); }
    fr_free(b);
    void *(*volatile set)(void *, int, size_t) = memset; /* not a dead store */
    set(a, 0x5a, 40); /* 8 bytes too many */
    for (int i = 0; i < 5000; i++) misuse_keep[i] = fr_malloc(32); /* until b is reused */
    fprintf(stderr, "not caught\n");
}

/* a block of the main thread freed twice by another thread: both frees
 * take the remote path (free.c, free_remote_quick), the second is caught */
__attribute__((noinline)) static void *remote_double_free_thread(void *arg)
{
    fr_free(arg);
    fr_free(arg);
    __asm__ volatile("" ::: "memory");
    return NULL;
}

__attribute__((noinline)) static void do_remote_double_free(void *arg)
{
    (void)arg;
    void *keep = fr_malloc(40); /* the page stays live */
    void *p = fr_malloc(40);
    pthread_t t;
    pthread_create(&t, NULL, remote_double_free_thread, p);
    pthread_join(t, NULL);
    fr_free(keep);
}

__attribute__((noinline)) static void do_forged_link(void *arg)
{
    (void)arg;
    /* a write after free puts a plain pointer to a live block of the same
     * page into a free block's link: followed, the next malloc would hand
     * out `a` a second time.  Links are encoded, so it decodes to garbage */
    char *a = fr_malloc(32), *b = fr_malloc(32);
    fprintf(stderr, "A=%p\n", (void *)a);
    fr_free(b);
    void *(*volatile set)(void *, const void *, size_t) = memcpy;
    set(b, &a, sizeof a);
    for (int i = 0; i < 5000; i++) {
        void *q = misuse_keep[i] = fr_malloc(32);
        if (q == a) {
            fprintf(stderr, "not caught: live block handed out again\n");
            return;
        }
    }
    fprintf(stderr, "not caught\n");
}

__attribute__((noinline)) static void do_huge_double_free(void *arg)
{
    (void)arg;
    void *p = fr_malloc(2u << 20); /* above FR_MEDIUM_MAX (1 MiB): a mapping of its own */
    fr_free(p);
    fr_free(p);
    __asm__ volatile("" ::: "memory");
}

/* a pointer into a huge block beyond its first 4 MiB region (QA17 W2:
 * reported as "not allocated by ferrum"), and into one aligned to 4 MiB,
 * whose header sits a segment below */
__attribute__((noinline)) static void do_huge_interior_far(void *arg)
{
    (void)arg;
    char *p = fr_malloc(9u << 20);
    fr_free(p + (6u << 20));
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void do_huge_aligned_interior_far(void *arg)
{
    (void)arg;
    char *p = fr_aligned_alloc(4u << 20, 9u << 20);
    fr_free(p + (6u << 20));
    __asm__ volatile("" ::: "memory");
}

/* a block of a large class (above 128 KiB, up to 1 MiB): one block per page,
 * and the page goes back to its segment at the first free */
__attribute__((noinline)) static void do_large_double_free(void *arg)
{
    (void)arg;
    void *keep = fr_malloc(300000); /* another large page stays in the segment */
    void *p = fr_malloc(1u << 20);
    fr_free(p);
    fr_free(p);
    __asm__ volatile("" ::: "memory");
    fr_free(keep);
}

/* QA6 T7: a large block freed, its slices reused by pages of smaller
 * blocks (the freed slices are still resident, so the next fresh page takes
 * them), then freed again.  Before, the second free freed whichever new
 * block started at its address. */
static void *large_reuse_keep[4 * 64];

/* Allocate (and keep) 64 blocks of each of four small sizes, so that pages
 * of smaller blocks take the freed large block's slices: 1 if one of the
 * new blocks starts at p. */
static int reuse_for_small_blocks(const void *p)
{
    static const size_t sizes[4] = {48, 1024, 4096, 16384};
    int hit = 0;
    for (int c = 0; c < 4; c++)
        for (int i = 0; i < 64; i++) {
            void *q = large_reuse_keep[c * 64 + i] = fr_malloc(sizes[c]);
            if (q == p) hit = 1;
        }
    return hit;
}

__attribute__((noinline)) static void do_large_double_free_small_reuse(void *arg)
{
    (void)arg;
    void *keep = fr_malloc(300000);
    void *p = fr_malloc(200000);
    fr_free(p);
    int hit = reuse_for_small_blocks(p);
    fprintf(stderr, "a new block at the freed address: %s\n", hit ? "yes" : "no");
    fr_free(p);
    __asm__ volatile("" ::: "memory");
    fprintf(stderr, "not caught\n");
    fr_free(keep);
}

/* the same with large blocks of the same and of another class in between */
__attribute__((noinline)) static void do_large_double_free_large_reuse(void *arg)
{
    (void)arg;
    void *keep = fr_malloc(300000);
    void *p = fr_malloc(200000);
    fr_free(p);
    void *q = fr_malloc(200000), *r = fr_malloc(400000);
    fprintf(stderr, "a new block at the freed address: %s\n", q == p || r == p ? "yes" : "no");
    fr_free(p);
    __asm__ volatile("" ::: "memory");
    fprintf(stderr, "not caught\n");
    fr_free(keep);
}

/* QA7 U8: an aligned block served inside a larger block (p = block + 32);
 * fr_free / fr_realloc / fr_usable_size of the block's start, an address
 * never returned, freed p's block before (a later malloc got it while p
 * was live).  Returns such a p, or NULL (then the test fails: "not
 * caught"). */
static void *aligned_keep[64];

static char *aligned_inside_block(void)
{
    for (int i = 0; i < 64; i++) {
        char *p = fr_aligned_alloc(64, 100);
        if (i == 0) { /* a freed block in the page: the next ones may land inside blocks */
            fr_free(p);
            continue;
        }
        if (fr_usable_size(p) < 160) return p; /* inside a 160-byte block */
        aligned_keep[i] = p;
    }
    fprintf(stderr, "no aligned block inside a larger block found\n");
    return NULL;
}

__attribute__((noinline)) static void do_aligned_base_free(void *arg)
{
    (void)arg;
    char *p = aligned_inside_block();
    if (p == NULL) return;
    fr_free(p - 32);
    __asm__ volatile("" ::: "memory");
    fprintf(stderr, "not caught\n");
}

__attribute__((noinline)) static void do_aligned_base_realloc(void *arg)
{
    (void)arg;
    char *p = aligned_inside_block();
    if (p == NULL) return;
    void *q = fr_realloc(p - 32, 400);
    __asm__ volatile("" ::: "memory");
    fprintf(stderr, "not caught: %p\n", q);
}

__attribute__((noinline)) static void do_aligned_base_usable(void *arg)
{
    (void)arg;
    char *p = aligned_inside_block();
    if (p == NULL) return;
    size_t n = fr_usable_size(p - 32);
    __asm__ volatile("" ::: "memory");
    fprintf(stderr, "not caught: %zu\n", n);
}

/* the same for an aligned pointer inside a large block (aligned_alloc
 * over-allocates and returns an interior pointer): its step is marked too */
__attribute__((noinline)) static void do_large_aligned_double_free(void *arg)
{
    (void)arg;
    void *keep = fr_malloc(300000);
    void *p = NULL;
    for (int i = 0; i < 4 && (p == NULL || ((uintptr_t)p & 0xffff) == 0); i++) p = fr_aligned_alloc(65536, 200000);
    fr_free(p);
    int hit = reuse_for_small_blocks(p);
    void *r = fr_malloc(200000);
    fprintf(stderr, "a new block at the freed address: %s\n", hit || r == p ? "yes" : "no");
    fr_free(p);
    __asm__ volatile("" ::: "memory");
    fprintf(stderr, "not caught\n");
    fr_free(keep);
}

static void expect_report(void (*fn)(void *), const char *what, const char *frame)
{
    int st = 0;
    char *out = run_captured(fn, NULL, &st);
    ck_assert_ptr_nonnull(out);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "no abort; stderr: %s", out);
    ck_assert_msg(strstr(out, what) != NULL, "'%s' not in: %s", what, out);
    ck_assert_msg(strstr(out, "(pointer 0x") != NULL, "no pointer in: %s", out);
    /* the first frame shown is the caller's call site */
    char *first = strstr(out, "#0 ");
    ck_assert_msg(first && strstr(first, frame) && strstr(first, frame) < strchr(first, '\n'),
                  "first frame is not %s: %s", frame, out);
}

START_TEST(test_report_double_free)
{
    expect_report(do_double_free, "double free", "do_double_free");
    /* the pointer named is the one freed twice (the child prints it first) */
    int st = 0;
    char *out = run_captured(do_double_free, "", &st);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "no abort: %s", out);
    char *nl = strchr(out, '\n');
    ck_assert(strncmp(out, "P=", 2) == 0 && nl != NULL);
    *nl = 0;
    ck_assert_msg(strstr(nl + 1, out + 2) != NULL, "'%s' not in: %s", out + 2, nl + 1);
}
END_TEST

START_TEST(test_report_invalid_free)
{
    expect_report(do_invalid_free, "invalid pointer", "do_invalid_free");
    /* "double free (huge block already freed)"; under valgrind huge blocks
     * are unmapped at once (no cache): "not allocated by ferrum, or already
     * freed" */
    expect_report(do_huge_double_free, "already freed", "do_huge_double_free");
    expect_report(do_huge_interior_far, "invalid pointer (inside a huge block, not its start)", "do_huge_interior_far");
    expect_report(do_huge_aligned_interior_far, "invalid pointer (inside a huge block, not its start)",
                  "do_huge_aligned_interior_far");
    /* the page of a large block is free once its block is: "in no live page" */
    expect_report(do_large_double_free, "invalid pointer", "do_large_double_free");
    /* ... and also once its slices hold other blocks (QA6 T7) */
    expect_report(do_large_double_free_small_reuse, "fr_free(): double free", "do_large_double_free_small_reuse");
    expect_report(do_large_double_free_large_reuse, "fr_free(): double free or use after free (a block of 128 KiB..1 MiB",
                  "do_large_double_free_large_reuse");
    expect_report(do_large_aligned_double_free, "fr_free(): double free", "do_large_aligned_double_free");
    expect_report(do_interior_free, "invalid pointer", "do_interior_free");
    expect_report(do_highbit_free, "invalid pointer", "do_highbit_free");
    expect_report(do_remote_double_free, "double free", "remote_double_free_thread");
    expect_report(do_misaligned_free, "invalid pointer", "do_misaligned_free");
}
END_TEST

/* the report names the function the program called: fr_free(), not free()
 * (the shared slow path was told "free()" for every caller before) */
START_TEST(test_report_aligned_base)
{
    const char *what = "invalid pointer (the start of the block an aligned allocation was served in";
    char want[200];
    snprintf(want, sizeof want, "ferrum: fr_free(): %s", what);
    expect_report(do_aligned_base_free, want, "do_aligned_base_free");
    snprintf(want, sizeof want, "ferrum: fr_realloc(): %s", what);
    expect_report(do_aligned_base_realloc, want, "do_aligned_base_realloc");
    snprintf(want, sizeof want, "ferrum: fr_usable_size(): %s", what);
    expect_report(do_aligned_base_usable, want, "do_aligned_base_usable");
    /* the pointers aligned_alloc returned stay valid in such pages */
    char *p = aligned_inside_block();
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 64, 0);
    ck_assert_uint_eq(fr_usable_size(p), 128);
    memset(p, 7, 128);
    fr_free(p);
    for (int i = 0; i < 64; i++) fr_free(aligned_keep[i]);
}
END_TEST

START_TEST(test_report_names_fr_free)
{
    expect_report(do_invalid_free, "ferrum: fr_free(): invalid pointer", "do_invalid_free");
    expect_report(do_double_free, "ferrum: fr_free(): double free", "do_double_free");
    expect_report(do_huge_double_free, "ferrum: fr_free(): ", "do_huge_double_free");
    expect_report(do_remote_double_free, "ferrum: fr_free(): double free", "remote_double_free_thread");
}
END_TEST

START_TEST(test_report_interior16_free)
{
    /* p + 16 is aligned like a block: the fast path's block-start check
     * catches it at the call site */
    int st = 0;
    char *out = run_captured(do_interior16_free, NULL, &st);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "no abort: %s", out);
    char *nl = strchr(out, '\n');
    ck_assert(strncmp(out, "P=", 2) == 0 && nl != NULL);
    *nl = 0;
    ck_assert_msg(strstr(nl + 1, "invalid pointer (inside a block, not its start)") != NULL, "%s", nl + 1);
    ck_assert_msg(strstr(nl + 1, out + 2) != NULL, "'%s' not in: %s", out + 2, nl + 1);
    char *first = strstr(nl + 1, "#0 ");
    ck_assert_msg(first && strstr(first, "do_interior16_free") && strstr(first, "do_interior16_free") < strchr(first, '\n'),
                  "first frame is not do_interior16_free: %s", nl + 1);
}
END_TEST

START_TEST(test_report_use_after_free_and_overflow)
{
    int st = 0;
    char *out = run_captured(do_usable_size_of_freed, NULL, &st);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "no abort: %s", out);
    ck_assert_msg(strstr(out, "fr_usable_size(): use after free") != NULL, "%s", out);
    out = run_captured(do_overflow_into_free_block, NULL, &st);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "no abort: %s", out);
    ck_assert_msg(strstr(out, "heap corruption") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "do_overflow_into_free_block") != NULL, "%s", out);
    out = run_captured(do_forged_link, NULL, &st);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "no abort: %s", out);
    /* the report names the class and shows the word as the program wrote
     * it (a's address), not the decoded garbage (QA17 W3) */
    ck_assert_msg(strstr(out, "heap corruption: a free 32-byte block was overwritten") != NULL, "%s", out);
    char want[64];
    char *nl = strchr(out, '\n');
    ck_assert_msg(strncmp(out, "A=", 2) == 0 && nl != NULL, "%s", out);
    snprintf(want, sizeof want, "(pointer %.*s)", (int)(nl - out - 2), out + 2);
    ck_assert_msg(strstr(out, want) != NULL, "'%s' not in: %s", want, out);
    ck_assert_msg(strstr(out, "do_forged_link") != NULL, "%s", out);
}
END_TEST

START_TEST(test_abort_on_double_free)
{
    void *p = fr_malloc(24);
    fr_free(p);
    fr_free(p); /* raises SIGABRT */
}
END_TEST

START_TEST(test_abort_on_invalid_free)
{
    int x[8];
    fr_free(&x[4]); /* raises SIGABRT */
}
END_TEST

/* ---- suite ---- */

/* A block its owner thread frees is the next one malloc of its size class
 * returns (LIFO, while it is still in cache), on single-slice pages (the
 * inline free) and on pages of several slices (free.c's quick path).
 * Until session 8 it went to the page's local_free list, served only once
 * the page's free list ran dry, so the blocks handed out were the ones
 * freed longest ago: glibc-thread took 10% more D1 and LL misses than with
 * LIFO reuse (cachegrind). */
START_TEST(test_freed_block_reused_first)
{
    if (UNDER_VALGRIND()) return; /* slow mode: every free takes the full path */
    static const size_t sizes[] = {48, 3000, 20000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        void *b[4];
        for (int i = 0; i < 4; i++) {
            b[i] = fr_malloc(opaque(sizes[k]));
            ck_assert_ptr_nonnull(b[i]);
        }
        fr_free(b[2]);
        void *again = fr_malloc(opaque(sizes[k]));
        ck_assert_msg(again == b[2], "size %zu: freed %p, then got %p", sizes[k], b[2], again);
        fr_free(b[1]);
        fr_free(b[3]);
        ck_assert_ptr_eq(fr_malloc(opaque(sizes[k])), b[3]);
        ck_assert_ptr_eq(fr_malloc(opaque(sizes[k])), b[1]);
        for (int i = 0; i < 4; i++) fr_free(b[i]);
    }
}
END_TEST

static Suite *alloc_suite(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("api");
    tcase_add_test(tc, test_malloc_zero_unique);
    tcase_add_test(tc, test_alignment_16);
    tcase_add_test(tc, test_every_size_usable_and_distinct);
    tcase_add_test(tc, test_enomem);
    tcase_add_test(tc, test_einval);
    tcase_add_test(tc, test_aligned);
    tcase_add_test(tc, test_aligned_zero_owns_its_address);
    tcase_add_test(tc, test_calloc_zero);
    tcase_add_test(tc, test_calloc_huge_from_cache);
    tcase_add_test(tc, test_large_and_small_mixed);
    tcase_add_test(tc, test_realloc_grow_shrink);
    tcase_add_test(tc, test_huge_mremap);
    tcase_add_test(tc, test_usable_size);
    tcase_add_test(tc, test_heap_allocator);
    tcase_add_test(tc, test_stats);
    tcase_add_test(tc, test_stats_option);
    tcase_add_test(tc, test_freed_block_reused_first);
    suite_add_tcase(s, tc);

    TCase *os = tcase_create("os");
    tcase_set_timeout(os, 60);
    tcase_add_test(os, test_collect_returns_memory);
    tcase_add_test(os, test_purge_delay);
    tcase_add_test(os, test_freed_huge_blocks_not_kept_resident);
    tcase_add_test(os, test_reuse_resident_slices);
    tcase_add_test(os, test_exited_threads_memory_returns);
    tcase_add_test(os, test_exited_threads_blocks_freed_by_many_survivors);
    tcase_add_test(os, test_live_thread_footprint);
    tcase_add_test(os, test_exited_threads_leave_large_blocks);
    tcase_add_test(os, test_oom_gives_back_cached_blocks);
    suite_add_tcase(s, os);

    TCase *th = tcase_create("threads");
    tcase_set_timeout(th, 60);
    tcase_add_test(th, test_threads_cross_free);
    tcase_add_test(th, test_long_lived_thread_returns_remotely_freed_pages);
    tcase_add_test(th, test_large_block_thread_leaves_exited_segments_to_others);
    tcase_add_test(th, test_fork_multithreaded);
    suite_add_tcase(s, th);

    TCase *mis = tcase_create("misuse");
    tcase_add_test(mis, test_report_double_free);
    tcase_add_test(mis, test_report_invalid_free);
    tcase_add_test(mis, test_report_names_fr_free);
    tcase_add_test(mis, test_report_aligned_base);
    tcase_add_test(mis, test_report_interior16_free);
    tcase_add_test(mis, test_report_use_after_free_and_overflow);
    tcase_add_test_raise_signal(mis, test_abort_on_double_free, SIGABRT);
    tcase_add_test_raise_signal(mis, test_abort_on_invalid_free, SIGABRT);
    suite_add_tcase(s, mis);
    return s;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--stats-child") == 0) return stats_child();
    if (argc > 1 && strcmp(argv[1], "--reuse-child") == 0) return reuse_child();
    SRunner *sr = srunner_create(alloc_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
