/*
 * tests/arena/test_arena.c — arenas: bump allocation, alignment, growth,
 * objects larger than a chunk, save/rewind, reset, bad input, and the
 * fr_allocator interface.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ferrum/arena.h>

#include "../../arena/arena_impl.h"
#include "../common/child.h"

START_TEST(alloc_aligned_contents_kept)
{
    fr_arena *a = fr_arena_create(0);
    ck_assert_ptr_nonnull(a);
    static uint64_t *p[50000];
    for (uint64_t i = 0; i < 50000; i++) {
        p[i] = fr_arena_alloc(a, 8 + (i % 5) * 8);
        ck_assert_ptr_nonnull(p[i]);
        ck_assert_uint_eq((uintptr_t)p[i] % 16, 0);
        p[i][0] = i * 2654435761u;
    }
    for (uint64_t i = 0; i < 50000; i++) ck_assert_uint_eq(p[i][0], i * 2654435761u);
    fr_arena_destroy(a);
}
END_TEST

START_TEST(consecutive_objects_are_adjacent)
{
    fr_arena *a = fr_arena_create(1 << 16);
    if (a->head.tracked) { fr_arena_destroy(a); return; } /* red zones under valgrind/ASan */
    char *x = fr_arena_alloc(a, 1);
    char *y = fr_arena_alloc(a, 16);
    char *z = fr_arena_alloc(a, 17);
    char *w = fr_arena_alloc(a, 1);
    ck_assert_ptr_eq(y, x + 16);
    ck_assert_ptr_eq(z, y + 16);
    ck_assert_ptr_eq(w, z + 32);
    fr_arena_destroy(a);
}
END_TEST

START_TEST(any_power_of_two_alignment)
{
    fr_arena *a = fr_arena_create(0);
    for (size_t align = 1; align <= ((size_t)4 << 20); align *= 2) {
        unsigned char *p = fr_arena_alloc_aligned(a, 24, align);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % align, 0);
        memset(p, 0x5a, 24);
    }
    fr_arena_destroy(a);
}
END_TEST

/* Where a chunk's first object starts: under valgrind/ASan after a 16-byte
 * red zone behind the header (arena_impl.h). */
static size_t lead(const fr_arena *a) { return ((const struct fr__arena_head *)(const void *)a)->tracked ? 16 : 0; }

START_TEST(large_object_gets_own_chunk)
{
    fr_arena *a = fr_arena_create(4096);
    char *x = fr_arena_alloc(a, 32);
    char *big = fr_arena_alloc(a, 1 << 20);
    ck_assert_ptr_nonnull(big);
    memset(big, 7, 1 << 20);
    char *y = fr_arena_alloc(a, 32);
    /* the small objects still share their chunk */
    ck_assert_ptr_eq(a->head.cur, (void *)(x - offsetof(struct fr__arena_chunk, data) - lead(a)));
    ck_assert((uintptr_t)(y - x) < 4096);
    fr_arena_destroy(a);
}
END_TEST

START_TEST(rewind_reuses_space)
{
    fr_arena *a = fr_arena_create(1024);
    (void)fr_arena_alloc(a, 100);
    fr_arena_mark m = fr_arena_save(a);
    char *first = fr_arena_alloc(a, 40);
    for (int i = 0; i < 10000; i++) ck_assert_ptr_nonnull(fr_arena_alloc(a, 64)); /* many chunks */
    ck_assert_ptr_nonnull(fr_arena_alloc(a, 1 << 20)); /* a dedicated one too */
    fr_arena_rewind(a, m);
    char *again = fr_arena_alloc(a, 40);
    ck_assert_ptr_eq(first, again);
    /* only the mark's chunk and the older ones remain */
    int n = 0;
    for (struct fr__arena_chunk *c = a->head.cur; c; c = c->prev) n++;
    ck_assert_int_eq(n, 1);
    fr_arena_destroy(a);
}
END_TEST

START_TEST(rewind_keeps_older_dedicated_chunk)
{
    fr_arena *a = fr_arena_create(4096);
    (void)fr_arena_alloc(a, 16);
    char *big = fr_arena_alloc(a, 1 << 16);  /* dedicated, before the mark */
    fr_arena_mark m = fr_arena_save(a);
    (void)fr_arena_alloc(a, 1 << 17);        /* dedicated, after the mark */
    fr_arena_rewind(a, m);
    int n = 0;
    for (struct fr__arena_chunk *c = a->head.cur; c; c = c->prev) n++;
    ck_assert_int_eq(n, 2);
    memset(big, 1, 1 << 16);                 /* still ours */
    fr_arena_destroy(a);
}
END_TEST

START_TEST(nested_marks)
{
    fr_arena *a = fr_arena_create(512);
    (void)fr_arena_alloc(a, 16);
    fr_arena_mark m0 = fr_arena_save(a);
    char *p0 = fr_arena_alloc(a, 300);
    fr_arena_mark m1 = fr_arena_save(a);
    char *p1 = fr_arena_alloc(a, 300);
    fr_arena_mark m2 = fr_arena_save(a);
    (void)fr_arena_alloc(a, 3000);
    fr_arena_rewind(a, m2);
    fr_arena_rewind(a, m1);
    ck_assert_ptr_eq(fr_arena_alloc(a, 300), p1);
    fr_arena_rewind(a, m0);
    ck_assert_ptr_eq(fr_arena_alloc(a, 300), p0);
    fr_arena_destroy(a);
}
END_TEST

START_TEST(stale_mark_aborts)
{
    fr_arena *a = fr_arena_create(512);
    fr_arena_mark m1 = fr_arena_save(a);
    (void)fr_arena_alloc(a, 64);
    (void)fr_arena_alloc(a, 64);
    fr_arena_mark m2 = fr_arena_save(a);
    fr_arena_rewind(a, m1);
    (void)fr_arena_alloc(a, 16);
    fr_arena_rewind(a, m2); /* m2 is past the current position */
}
END_TEST

START_TEST(mark_before_reset_aborts)
{
    fr_arena *a = fr_arena_create(512);
    (void)fr_arena_alloc(a, 64);
    fr_arena_mark m = fr_arena_save(a);
    (void)fr_arena_alloc(a, 64);
    fr_arena_reset(a);
    for (int i = 0; i < 100; i++) (void)fr_arena_alloc(a, 64);
    fr_arena_rewind(a, m);
}
END_TEST

/* The inline rewind: same chunk address after a reset, but the chunk was
 * opened again since the mark (its serial moved): refused. */
START_TEST(mark_before_reset_same_chunk_aborts)
{
    fr_arena *a = fr_arena_create(4096);
    (void)fr_arena_alloc(a, 64);
    fr_arena_mark m = fr_arena_save(a);
    (void)fr_arena_alloc(a, 64);
    fr_arena_reset(a);
    char *p = fr_arena_alloc(a, 200); /* the spare again: the mark's chunk address */
    ck_assert_ptr_eq((char *)m.chunk + FR__ARENA_CHUNK_DATA + lead(a), p);
    fr_arena_rewind(a, m);
    ck_abort_msg("no abort: a mark from before the reset was accepted");
}
END_TEST

START_TEST(mark_of_other_arena_aborts)
{
    fr_arena *a = fr_arena_create(0), *b = fr_arena_create(0);
    (void)fr_arena_alloc(a, 8);
    (void)fr_arena_alloc(b, 8);
    fr_arena_rewind(b, fr_arena_save(a));
}
END_TEST

START_TEST(zero_mark_empties)
{
    fr_arena *a = fr_arena_create(0);
    for (int i = 0; i < 1000; i++) (void)fr_arena_alloc(a, 100);
    fr_arena_mark zero = { 0, 0 };
    fr_arena_rewind(a, zero);
    ck_assert_ptr_null(a->head.cur);
    ck_assert_ptr_nonnull(a->spare);
    ck_assert_ptr_nonnull(fr_arena_alloc(a, 100));
    fr_arena_destroy(a);
}
END_TEST

START_TEST(reset_keeps_one_chunk)
{
    fr_arena *a = fr_arena_create(1024);
    for (int i = 0; i < 10000; i++) (void)fr_arena_alloc(a, 100);
    fr_arena_reset(a);
    ck_assert_ptr_null(a->head.cur);
    ck_assert_ptr_nonnull(a->spare);
    /* the kept chunk holds all that the chunks held: the same fill again
     * stays in it, with no new chunk */
    struct fr__arena_chunk *kept = a->spare;
    char *p = fr_arena_alloc(a, 100);
    ck_assert_ptr_eq(a->head.cur, kept);
    ck_assert_ptr_eq(p, kept->data + lead(a));
    for (int i = 1; i < 10000; i++) (void)fr_arena_alloc(a, 100);
    ck_assert_ptr_eq(a->head.cur, kept);
    ck_assert_ptr_null(a->head.cur->prev);
    fr_arena_reset(a);
    ck_assert_ptr_eq(a->spare, kept);
    fr_arena_destroy(a);
}
END_TEST

START_TEST(bad_input)
{
    fr_arena *a = fr_arena_create(0);
    errno = 0; ck_assert_ptr_null(fr_arena_alloc(a, 0)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null((fr_arena_alloc)(a, 0)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_arena_alloc(a, SIZE_MAX)); ck_assert_int_eq(errno, ENOMEM);
    errno = 0; ck_assert_ptr_null(fr_arena_alloc(a, SIZE_MAX - 15)); ck_assert_int_eq(errno, ENOMEM);
    errno = 0; ck_assert_ptr_null(fr_arena_alloc(a, (size_t)1 << 40)); ck_assert_int_eq(errno, ENOMEM);
    errno = 0; ck_assert_ptr_null(fr_arena_alloc_aligned(a, 8, 0)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_arena_alloc_aligned(a, 8, 24)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_arena_alloc_aligned(a, 8, SIZE_MAX / 2 + 1)); ck_assert_int_eq(errno, ENOMEM);
    errno = 0; ck_assert_ptr_null(fr_arena_create((size_t)2 << 30)); ck_assert_int_eq(errno, EINVAL);
    ck_assert_ptr_nonnull(fr_arena_alloc(a, 1)); /* still usable */
    fr_arena_destroy(a);
    fr_arena_destroy(NULL);
}
END_TEST

/* NULL arena: allocation gives NULL + EINVAL (inline and exported paths),
 * the rest does nothing (QA F20: fr_arena_alloc(NULL, 10) used to crash). */
START_TEST(null_arena)
{
    fr_arena *n = NULL;
    errno = 0; ck_assert_ptr_null(fr_arena_alloc(n, 10)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null((fr_arena_alloc)(n, 10)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_arena_alloc_aligned(n, 10, 16)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_arena_alloc_aligned(n, 10, 4096)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_allocator_alloc(fr_arena_allocator(n), 10, 8));
    ck_assert_int_eq(errno, EINVAL);
    fr_allocator_free(fr_arena_allocator(n), NULL, 0);
    fr_arena_mark m = fr_arena_save(n);
    ck_assert_ptr_null(m.chunk);
    fr_arena_rewind(n, m);
    (fr_arena_rewind)(n, m);
    fr_arena_reset(n);
    fr_arena_destroy(n);
}
END_TEST

/* QA F20: a second fr_arena_destroy was a silent double free (glibc's own
 * double-free check may abort too, so the report's text is checked: the
 * child's stderr comes back through a pipe). */
__attribute__((noinline)) static void second_destroy_site(fr_arena *a)
{
    fr_arena_destroy(a);
    __asm__ volatile("" ::: "memory"); /* not a tail call: keep this frame */
}

static void destroy_twice(void *arg)
{
    (void)arg;
    fr_arena *a = fr_arena_create(0);
    (void)fr_arena_alloc(a, 100);
    fr_arena_destroy(a);
    second_destroy_site(a);
}

/* QA3 Q29: a write over the chunk header (just before a chunk's first
 * object) made fr_arena_destroy follow smashed pointers and crash (under
 * valgrind: grow until killed).  Now every walk over the chunks checks the
 * header's check word: a clear abort.  Under ASan (and valgrind) the red
 * zone after the header reports the write itself. */
struct smash { int how; }; /* 0: destroy, 1: reset, 2: rewind, 3: alloc past the chunk */

static void smash_header(void *arg)
{
    int how = ((struct smash *)arg)->how;
    fr_arena *a = fr_arena_create(0);
    fr_arena_mark m = fr_arena_save(a);
    unsigned char *x = fr_arena_alloc(a, 100);
    (void)fr_arena_alloc(a, 100);
    memset(x - FR__ARENA_CHUNK_DATA, 0x41, FR__ARENA_CHUNK_DATA);
    if (how == 0) fr_arena_destroy(a);
    if (how == 1) fr_arena_reset(a);
    if (how == 2) fr_arena_rewind(a, m);
    if (how == 3)
        for (int i = 0; i < 1000; i++) (void)fr_arena_alloc(a, 64);
    fr_arena_destroy(a);
}

START_TEST(smashed_chunk_header_aborts)
{
    static char out[8192];
    struct smash sm = { _i };
    int st = fr_test_run_child(smash_header, &sm, out, sizeof out);
#if defined(__SANITIZE_ADDRESS__)
    ck_assert_msg(st != 0 && strstr(out, "AddressSanitizer"), "no ASan report (status %d): %s", st, out);
#else
    ck_assert_msg(fr_test_aborted(st), "child did not abort (status %d): %s", st, out);
    ck_assert_msg(strstr(out, "the header of its memory chunk") && strstr(out, "was overwritten"),
                  "message: %s", out);
#endif
}
END_TEST

START_TEST(destroy_twice_aborts)
{
    static char out[8192];
    int st = fr_test_run_child(destroy_twice, NULL, out, sizeof out);
    ck_assert_msg(fr_test_aborted(st), "child did not abort: %s", out);
    ck_assert_msg(strstr(out, "fr_arena_destroy(0x"), "message: %s", out);
    ck_assert_msg(strstr(out, "the arena was destroyed"), "message: %s", out);
    ck_assert_msg(strstr(out, "second_destroy_site"), "backtrace lacks the caller: %s", out);
}
END_TEST

/* Other arenas destroyed in between (fewer than the quarantine holds). */
START_TEST(destroy_twice_after_others_aborts)
{
    fr_arena *a = fr_arena_create(0);
    fr_arena_destroy(a);
    for (int i = 0; i < 40; i++) {
        fr_arena *b = fr_arena_create(0);
        ck_assert_ptr_nonnull(fr_arena_alloc(b, 32));
        fr_arena_destroy(b);
    }
    fr_arena_destroy(a);
    ck_abort_msg("no abort at the second fr_arena_destroy");
}
END_TEST

START_TEST(alloc_after_destroy_aborts)
{
    fr_arena *a = fr_arena_create(0);
    ck_assert_ptr_nonnull(fr_arena_alloc(a, 100));
    fr_arena_destroy(a);
    (void)fr_arena_alloc(a, 16); /* the inline path finds no room: out of line, checked */
    ck_abort_msg("no abort at fr_arena_alloc after destroy");
}
END_TEST

START_TEST(reset_after_destroy_aborts)
{
    fr_arena *a = fr_arena_create(0);
    fr_arena_destroy(a);
    fr_arena_reset(a);
    ck_abort_msg("no abort at fr_arena_reset after destroy");
}
END_TEST

START_TEST(save_after_destroy_aborts)
{
    fr_arena *a = fr_arena_create(0);
    fr_arena_destroy(a);
    (void)fr_arena_save(a);
    ck_abort_msg("no abort at fr_arena_save after destroy");
}
END_TEST

/* fr_arena_rewind is inline when the mark lies in the current chunk: a
 * destroyed arena has no current chunk, so a mark taken before the destroy
 * goes out of line and aborts there (session 5 misuse round). */
START_TEST(rewind_after_destroy_aborts)
{
    fr_arena *a = fr_arena_create(0);
    (void)fr_arena_alloc(a, 10);
    fr_arena_mark m = fr_arena_save(a);
    (void)fr_arena_alloc(a, 10);
    fr_arena_destroy(a);
    fr_arena_rewind(a, m);
    ck_abort_msg("no abort at fr_arena_rewind after destroy");
}
END_TEST

/* The arenas used after destroy above are kept; a live arena still works
 * after many destroys (the quarantine frees the oldest). */
START_TEST(many_destroys)
{
    for (int i = 0; i < 500; i++) {
        fr_arena *a = fr_arena_create(0);
        ck_assert_ptr_nonnull(a);
        memset(fr_arena_alloc(a, 64), i & 0xFF, 64);
        fr_arena_destroy(a);
    }
}
END_TEST

START_TEST(allocator_interface)
{
    fr_arena *a = fr_arena_create(0);
    fr_allocator al = fr_arena_allocator(a);
    for (size_t align = 1; align <= 4096; align *= 2) {
        void *p = fr_allocator_alloc(al, 48, align);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % align, 0);
        memset(p, 1, 48);
        fr_allocator_free(al, p, 48);
    }
    fr_arena_destroy(a);
}
END_TEST

START_TEST(heap_allocator_works)
{
    fr_allocator h = fr_heap_allocator();
    void *p = fr_allocator_alloc(h, 100, 64);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 64, 0);
    memset(p, 3, 100);
    fr_allocator_free(h, p, 100);
    errno = 0; ck_assert_ptr_null(fr_allocator_alloc(h, 0, 8)); ck_assert_int_eq(errno, EINVAL);
    errno = 0; ck_assert_ptr_null(fr_allocator_alloc(h, 8, 12)); ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* fork() while other threads create and destroy arenas: the child can
 * destroy arenas (QA6 T8: 30 of 400 children hung on the quarantine lock
 * held at the fork). */
static void *arena_churn(void *arg)
{
    _Atomic int *stop = arg;
    while (!*stop) {
        fr_arena *a = fr_arena_create(0);
        if (a) {
            fr_arena_alloc(a, 64);
            fr_arena_destroy(a);
        }
    }
    return NULL;
}

static void arenas_in_child(void)
{
    for (int k = 0; k < 20; k++) {
        fr_arena *a = fr_arena_create(0);
        if (!a) _exit(2);
        fr_arena_destroy(a);
    }
}

/* Under ASan a fork copies the page tables of the shadow memory: 300 forks
 * took 54 s there at load 16 (1.2 s in the plain build, which keeps the
 * 300 that made the hang show); ASan looks for memory errors, not hangs. */
#if defined(__SANITIZE_ADDRESS__)
#define FORK_ROUNDS 60
#else
#define FORK_ROUNDS 300
#endif

START_TEST(fork_while_threads_destroy_arenas)
{
    static _Atomic int stop;
    int failed = fr_test_forks_failed(arena_churn, &stop, arenas_in_child, FORK_ROUNDS);
    ck_assert_msg(failed == 0, "%d of %d children did not finish (hung on a lock held at the fork)", failed, FORK_ROUNDS);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("arena");
    TCase *fk = tcase_create("fork");
    tcase_set_timeout(fk, 60);
    tcase_add_test(fk, fork_while_threads_destroy_arenas);
    suite_add_tcase(s, fk);
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, alloc_aligned_contents_kept);
    tcase_add_test(tc, consecutive_objects_are_adjacent);
    tcase_add_test(tc, any_power_of_two_alignment);
    tcase_add_test(tc, large_object_gets_own_chunk);
    tcase_add_test(tc, rewind_reuses_space);
    tcase_add_test(tc, rewind_keeps_older_dedicated_chunk);
    tcase_add_test(tc, nested_marks);
    tcase_add_test(tc, zero_mark_empties);
    tcase_add_test(tc, reset_keeps_one_chunk);
    tcase_add_test(tc, bad_input);
    tcase_add_test(tc, null_arena);
    tcase_add_test(tc, many_destroys);
    tcase_add_test(tc, destroy_twice_aborts);
    tcase_add_loop_test(tc, smashed_chunk_header_aborts, 0, 4);
    tcase_add_test_raise_signal(tc, destroy_twice_after_others_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, alloc_after_destroy_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, reset_after_destroy_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, save_after_destroy_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, rewind_after_destroy_aborts, SIGABRT);
    tcase_add_test(tc, allocator_interface);
    tcase_add_test(tc, heap_allocator_works);
    tcase_add_test_raise_signal(tc, stale_mark_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, mark_before_reset_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, mark_of_other_arena_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, mark_before_reset_same_chunk_aborts, SIGABRT);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
