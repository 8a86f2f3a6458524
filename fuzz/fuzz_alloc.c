/*
 * fuzz/fuzz_alloc.c — libFuzzer target: sequences of fr_malloc operations
 * checked against a model.
 *
 * The input is a program: each 5-byte record is (opcode, slot, size lo,
 * size hi, extra).  The model keeps, per slot, the block's pointer, the
 * size it may use and the seed of the pattern written into it.  Operations:
 * malloc, calloc (checked zero), realloc (the common prefix must survive),
 * realloc(NULL, n), free, fr_aligned_alloc and fr_posix_memalign with good
 * and bad alignments (EINVAL, output untouched), absurd sizes and calloc
 * overflow (NULL + ENOMEM), fr_usable_size (every usable byte is written),
 * fr_collect (nothing live may be touched).  After every operation the
 * touched block is verified byte for byte; at the end every block is
 * verified and freed, so runs do not leak into each other.  Any mismatch
 * with the model aborts with a message naming the operation: libFuzzer
 * saves the input, which goes to fuzz/regress/alloc/ once fixed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ferrum/alloc.h>

#include "../tests/reliability/pattern.h"

#define SLOTS 64

static struct slot { unsigned char *p; size_t n; uint64_t seed; } g_slot[SLOTS];
static uint64_t g_seq;

#define FAIL(...) do { fprintf(stderr, "fuzz_alloc: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static void verify(const struct slot *s, const char *op)
{
    if (!s->p) return;
    size_t bad = pat_check(s->p, s->n, s->seed);
    if (bad != (size_t)-1) FAIL("%s: block %p of %zu bytes differs at offset %zu", op, (void *)s->p, s->n, bad);
}

static void fill(struct slot *s, unsigned char *p, size_t n)
{
    s->p = p;
    s->n = n;
    s->seed = ++g_seq * 0x9E3779B97F4A7C15ull;
    pat_fill(p, n, s->seed);
}

static void release(struct slot *s)
{
    verify(s, "free");
    fr_free(s->p);
    s->p = NULL;
}

/* Sizes: four scales, so that every size class and the huge path are hit. */
static size_t decode_size(uint8_t lo, uint8_t hi)
{
    size_t v = (size_t)lo | ((size_t)(hi & 0x3f) << 8);   /* 0 .. 16383 */
    switch (hi >> 6) {
    case 0: return v & 0xff;              /* 0 .. 255 */
    case 1: return v;                     /* .. 16 KiB */
    case 2: return v << 4;                /* .. 256 KiB */
    default: return v << 5;               /* .. 512 KiB (huge: > 128 KiB) */
    }
}

PAT_NOCOV static void check_new(unsigned char *p, size_t n, const char *op)
{
    if (!p) FAIL("%s(%zu) returned NULL (errno %d)", op, n, errno);
    if (n >= 16 && (uintptr_t)p % 16) FAIL("%s(%zu) = %p is not 16-byte aligned", op, n, (void *)p);
    if (fr_usable_size(p) < n) FAIL("%s(%zu): usable size %zu too small", op, n, fr_usable_size(p));
    for (int i = 0; i < SLOTS; i++)
        if (g_slot[i].p == p) FAIL("%s(%zu) returned %p, which slot %d still holds", op, n, (void *)p, i);
}

PAT_NOCOV static size_t first_nonzero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return i;
    return (size_t)-1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t at = 0; at + 5 <= size; at += 5) {
        uint8_t op = data[at] % 12, extra = data[at + 4];
        struct slot *s = &g_slot[data[at + 1] % SLOTS];
        size_t n = decode_size(data[at + 2], data[at + 3]);
        switch (op) {
        case 0: case 1: {                                  /* malloc */
            if (s->p) release(s);
            unsigned char *p = fr_malloc(n);
            check_new(p, n, "fr_malloc");
            fill(s, p, n);
            break;
        }
        case 2: {                                          /* calloc */
            if (s->p) release(s);
            size_t cnt = 1 + extra % 16, each = n / cnt;
            unsigned char *p = fr_calloc(cnt, each);
            check_new(p, cnt * each, "fr_calloc");
            size_t nz = first_nonzero(p, cnt * each);
            if (nz != (size_t)-1) FAIL("fr_calloc(%zu, %zu): byte %zu is %d", cnt, each, nz, p[nz]);
            fill(s, p, cnt * each);
            break;
        }
        case 3: case 4: {                                  /* realloc */
            if (!n) n = 1;   /* realloc(p, 0) is implementation-defined */
            if (!s->p) {
                unsigned char *p = fr_realloc(NULL, n);
                check_new(p, n, "fr_realloc(NULL)");
                fill(s, p, n);
                break;
            }
            verify(s, "before realloc");
            unsigned char *p = fr_realloc(s->p, n);
            if (!p) FAIL("fr_realloc(%zu -> %zu) returned NULL", s->n, n);
            size_t keep = n < s->n ? n : s->n;
            size_t bad = pat_check(p, keep, s->seed);
            if (bad != (size_t)-1) FAIL("fr_realloc(%zu -> %zu) lost byte %zu", s->n, n, bad);
            s->p = NULL;
            check_new(p, n, "fr_realloc");
            fill(s, p, n);
            break;
        }
        case 5: case 6:                                    /* free */
            if (s->p) release(s);
            else fr_free(NULL);
            break;
        case 7: {                                          /* aligned_alloc */
            if (s->p) release(s);
            size_t align = (size_t)1 << (extra % 17);      /* 1 .. 64 KiB */
            unsigned char *p = fr_aligned_alloc(align, n);
            if (!p) FAIL("fr_aligned_alloc(%zu, %zu) returned NULL (errno %d)", align, n, errno);
            if ((uintptr_t)p % align) FAIL("fr_aligned_alloc(%zu, %zu) = %p misaligned", align, n, (void *)p);
            check_new(p, n, "fr_aligned_alloc");
            fill(s, p, n);
            break;
        }
        case 8: {                                          /* posix_memalign, good or bad */
            if (s->p) release(s);
            size_t align = (extra & 0x80) ? (size_t)(extra & 0x7f) * 8 + 24   /* often not 2^k */
                                          : sizeof(void *) << (extra % 14);
            void *out = (void *)&g_seq;
            int e = fr_posix_memalign(&out, align, n);
            int pow2 = (align & (align - 1)) == 0 && align % sizeof(void *) == 0;
            if (!pow2) {
                if (e != EINVAL) FAIL("fr_posix_memalign(align %zu) returned %d, not EINVAL", align, e);
                if (out != (void *)&g_seq) FAIL("fr_posix_memalign wrote its output on EINVAL");
                break;
            }
            if (e) FAIL("fr_posix_memalign(%zu, %zu) failed: %d", align, n, e);
            if ((uintptr_t)out % align) FAIL("fr_posix_memalign(%zu) = %p misaligned", align, out);
            check_new(out, n, "fr_posix_memalign");
            fill(s, out, n);
            break;
        }
        case 9: {                                          /* absurd requests */
            size_t huge = SIZE_MAX - (size_t)extra * 4096;
            errno = 0;
            if (fr_malloc(huge) || errno != ENOMEM) FAIL("fr_malloc(%zu) did not fail with ENOMEM", huge);
            errno = 0;
            if (fr_calloc(huge / 2 + 1, 2 + extra % 7) || errno != ENOMEM) FAIL("fr_calloc overflow not ENOMEM");
            if (s->p) {
                errno = 0;
                if (fr_realloc(s->p, huge) || errno != ENOMEM) FAIL("fr_realloc(%zu) not ENOMEM", huge);
                verify(s, "refused realloc");
            }
            break;
        }
        case 10:                                           /* every usable byte is ours */
            if (s->p) {
                verify(s, "usable");
                size_t u = fr_usable_size(s->p);
                if (u < s->n) FAIL("fr_usable_size %zu < %zu", u, s->n);
                fill(s, s->p, u);
            }
            break;
        default:                                           /* give memory back */
            fr_collect(extra & 1);
            for (int i = 0; i < SLOTS; i++) verify(&g_slot[i], "after fr_collect");
        }
    }
    for (int i = 0; i < SLOTS; i++) if (g_slot[i].p) release(&g_slot[i]);
    return 0;
}
