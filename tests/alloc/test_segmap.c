/*
 * tests/alloc/test_segmap.c — the segment map (alloc/segment.c): what it
 * costs in address space, and that regions sharing a primary entry work
 * through the overflow map.
 *
 * What: (1) the address space the allocator takes for its first block
 * (VmSize before and after, from /proc/self/statm): until session 8 the
 * map alone reserved 32 MiB at start (QA3 Q26); (2) the entry protocol
 * (claim, set to 1 or 2, set aside and resume for a moved huge block, give
 * back) on made-up region numbers 256 GiB apart, which share an entry, so
 * that the second goes to the overflow map; (3) the whole allocator with
 * every primary entry taken by made-up claims, so that each segment and
 * huge block it maps is registered in the overflow map: blocks of every
 * kind are allocated, resized, checked and freed, and a double free and a
 * free of a pointer inside a block are still reported.
 *
 * How: the test links the allocator's static part and includes its
 * private header to reach fr__segmap_commit / fr__segmap_set /
 * fr__segmap_get.  Made-up regions lie at 64 TiB and above (region number
 * 2^24 + k), where nothing is mapped: the map never dereferences them.
 *
 * Why: the overflow map is reached only when two mappings of a process lie
 * a multiple of 256 GiB apart, which no ordinary test produces.
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../alloc/internal.h"

#define REGION(n) ((uintptr_t)(n) << FR_SEG_SHIFT)
#define FAKE_BASE ((uintptr_t)1 << 24) /* region 2^24: address 2^46 (64 TiB) */

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

/* The allocator's first block costs a segment (4 MiB) and little more: no
 * 32 MiB map reserved at start (VmSize +36.6 MiB before session 8). */
START_TEST(test_first_block_address_space)
{
    size_t before = vm_size();
    void *p = fr_malloc(100);
    ck_assert_ptr_nonnull(p);
    size_t after = vm_size();
    fr_free(p);
    ck_assert_msg(after - before <= (size_t)8 << 20, "VmSize grew by %zu KiB for one block (bound 8 MiB)",
                  (after - before) >> 10);
}
END_TEST

START_TEST(test_shared_entry_goes_to_overflow)
{
    uintptr_t a = REGION(FAKE_BASE + 12345);
    uintptr_t b = a + REGION(FR_SEGMAP_ENTRIES);     /* same primary entry */
    uintptr_t c = a + 2 * REGION(FR_SEGMAP_ENTRIES); /* and again */
    ck_assert_uint_eq(fr__segmap_get(a), 0);
    ck_assert(fr__segmap_commit(a));
    ck_assert_uint_eq(fr__segmap_get(a), 0); /* claimed, not ours yet */
    fr__segmap_set(a, 1);
    ck_assert_uint_eq(fr__segmap_get(a), 1);
    ck_assert(fr__segmap_is_one(a >> FR_SEG_SHIFT));
    ck_assert(fr__segmap_commit(b)); /* the entry is a's: overflow */
    ck_assert_uint_eq(fr__segmap_get(b), 0);
    fr__segmap_set(b, 1);
    ck_assert_uint_eq(fr__segmap_get(b), 1);
    ck_assert(!fr__segmap_is_one(b >> FR_SEG_SHIFT)); /* the inline free does not see it */
    ck_assert_uint_eq(fr__segmap_get(a), 1);
    ck_assert_uint_eq(fr__segmap_get(c), 0);
    /* a's entry given back: c takes it, b stays in the overflow map */
    fr__segmap_set(a, 0);
    ck_assert_uint_eq(fr__segmap_get(a), 0);
    ck_assert_uint_eq(fr__segmap_get(b), 1);
    ck_assert(fr__segmap_commit(c));
    fr__segmap_set(c, 2);
    ck_assert_uint_eq(fr__segmap_get(c), 2);
    ck_assert(!fr__segmap_is_one(c >> FR_SEG_SHIFT));
    fr__segmap_set(b, 0);
    fr__segmap_set(c, 0);
    ck_assert_uint_eq(fr__segmap_get(b), 0);
    ck_assert_uint_eq(fr__segmap_get(c), 0);
    /* the high bits of a pointer never match an entry */
    ck_assert(fr__segmap_commit(a));
    fr__segmap_set(a, 1);
    ck_assert_uint_eq(fr__segmap_get(a | ((uintptr_t)1 << 60)), 0);
    ck_assert(!fr__segmap_is_one((a | ((uintptr_t)1 << 60)) >> FR_SEG_SHIFT));
    fr__segmap_set(a, 0);
}
END_TEST

/* Region 0 (NULL and pointers below 4 MiB) matches no entry, also before
 * the allocator has started: its entry is claimed from the start (an
 * empty entry holds 0, region 0's number). */
START_TEST(test_region_zero_never_matches)
{
    ck_assert(!fr__segmap_is_one(0));
    ck_assert_uint_eq(fr__segmap_get(0), 0);
    ck_assert_uint_eq(fr__segmap_get(4096), 0);
    fr_free(NULL); /* before any allocation */
    void *p = fr_malloc(10);
    fr_free(p);
    fr_free(NULL);
    ck_assert(!fr__segmap_is_one(0));
}
END_TEST

START_TEST(test_free_below_4_mib_reported)
{
    fr_free((void *)(uintptr_t)65536); /* aborts: not ours, before any allocation */
}
END_TEST

/* A huge block moved by mremap: its entry is set aside meanwhile; another
 * mapping made at its old range before the entry is given back registers
 * in the overflow map, and stays registered when the mover gives the entry
 * back (huge.c, remap_huge). */
START_TEST(test_moved_block_does_not_erase_newcomer)
{
    uintptr_t a = REGION(FAKE_BASE + 777);
    ck_assert(fr__segmap_commit(a));
    fr__segmap_set(a, 1);
    fr__segmap_set(a, FR_SEGMAP_KEEP);
    ck_assert_uint_eq(fr__segmap_get(a), 0);
    /* stayed in place */
    fr__segmap_set(a, FR_SEGMAP_RESUME);
    ck_assert_uint_eq(fr__segmap_get(a), 1);
    /* moved: a newcomer at the old range claims and sets it first */
    fr__segmap_set(a, FR_SEGMAP_KEEP);
    ck_assert(fr__segmap_commit(a));
    fr__segmap_set(a, 1);
    ck_assert_uint_eq(fr__segmap_get(a), 1);
    fr__segmap_set(a, 0); /* the mover gives its entry back */
    ck_assert_uint_eq(fr__segmap_get(a), 1); /* the newcomer is still there */
    fr__segmap_set(a, 0); /* the newcomer's unmap */
    ck_assert_uint_eq(fr__segmap_get(a), 0);
}
END_TEST

/* Take every primary entry with a made-up claim: from then on every
 * segment and huge block the allocator maps is registered in the
 * overflow map. */
static void take_every_entry(void)
{
    for (uintptr_t k = 0; k < FR_SEGMAP_ENTRIES; k++) ck_assert(fr__segmap_commit(REGION(FAKE_BASE + k)));
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i + 1 < n; i += 61) p[i] = (unsigned char)(seed + i);
    p[n - 1] = (unsigned char)seed;
}

static int check(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i + 1 < n; i += 61)
        if (p[i] != (unsigned char)(seed + i)) return 0;
    return p[n - 1] == (unsigned char)seed;
}

START_TEST(test_allocator_on_the_overflow_map)
{
    take_every_entry();
    enum { N = 3000 };
    static unsigned char *v[N];
    static size_t sz[N];
    for (unsigned i = 0; i < N; i++) {
        size_t n = i % 100 == 7 ? 200000 + i : i % 500 == 11 ? 3000000 + i : 16 + (i * 37) % 9000;
        v[i] = fr_malloc(n);
        ck_assert_ptr_nonnull(v[i]);
        sz[i] = n;
        fill(v[i], n, i);
    }
    unsigned char *al = fr_aligned_alloc((size_t)8 << 20, 5 << 20); /* header one region lower: "2" */
    ck_assert_ptr_nonnull(al);
    ck_assert_uint_eq((uintptr_t)al & (((uintptr_t)8 << 20) - 1), 0);
    ck_assert_uint_eq(fr__segmap_get((uintptr_t)al), 2);
    fill(al, 5 << 20, 9);
    for (unsigned i = 0; i < N; i += 2) { /* resize half of them, huge ones by mremap */
        size_t n = sz[i] > FR_MEDIUM_MAX ? sz[i] * 3 : sz[i] + 5000;
        unsigned char *q = fr_realloc(v[i], n);
        ck_assert_ptr_nonnull(q);
        ck_assert(check(q, sz[i], i));
        v[i] = q;
        sz[i] = n;
        fill(q, n, i);
    }
    for (unsigned i = 0; i < N; i++) {
        ck_assert_uint_eq(fr__segmap_get((uintptr_t)v[i]), 1);
        ck_assert(check(v[i], sz[i], i));
        fr_free(v[i]);
    }
    ck_assert(check(al, 5 << 20, 9));
    fr_free(al);
    fr_collect(true);
}
END_TEST

START_TEST(test_double_free_reported_on_the_overflow_map)
{
    take_every_entry();
    void *p = fr_malloc(64);
    ck_assert_ptr_nonnull(p);
    fr_free(p);
    fr_free(p); /* aborts */
}
END_TEST

START_TEST(test_interior_free_reported_on_the_overflow_map)
{
    take_every_entry();
    char *p = fr_malloc(64);
    ck_assert_ptr_nonnull(p);
    fr_free(p + 16); /* aborts */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("alloc-segmap");
    TCase *tc = tcase_create("segmap");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_first_block_address_space);
    tcase_add_test(tc, test_shared_entry_goes_to_overflow);
    tcase_add_test(tc, test_region_zero_never_matches);
    tcase_add_test_raise_signal(tc, test_free_below_4_mib_reported, SIGABRT);
    tcase_add_test(tc, test_moved_block_does_not_erase_newcomer);
    tcase_add_test(tc, test_allocator_on_the_overflow_map);
    tcase_add_test_raise_signal(tc, test_double_free_reported_on_the_overflow_map, SIGABRT);
    tcase_add_test_raise_signal(tc, test_interior_free_reported_on_the_overflow_map, SIGABRT);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
