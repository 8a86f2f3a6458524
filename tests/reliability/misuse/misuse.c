/*
 * tests/reliability/misuse/misuse.c — heap-misuse programs, one per case.
 *
 * `misuse CASE` commits one classic heap error through the plain malloc
 * API (double free, invalid free of stack/global/literal/interior/foreign
 * pointers, use after free, overflows and underflows that hit allocator
 * metadata, realloc of freed or foreign memory, ...), then keeps using the
 * heap the way a real program would, so that an allocator that absorbs the
 * error silently is seen to do so.  `misuse --list` prints the cases with
 * their class.  Exit status 0 means the error went unnoticed; an allocator
 * that catches it aborts (SIGABRT) with a diagnostic on stderr; 3 means the
 * case does not apply (the C library lacks the function it misuses).
 *
 * The programs are compiled at -O0 with -fno-builtin and touch memory
 * through volatile pointers, so the compiler cannot remove or reorder the
 * misuse.  Run under glibc, and under LD_PRELOAD of libferrum-malloc.so
 * (with and without FERRUM_OPTIONS=secure=1), by misuse_table.sh (the full
 * table for docs/reliability.md) and by test_misuse (asserts that ferrum
 * catches every double free and invalid free).
 */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef void *(*volatile vmalloc_fn)(size_t);
typedef void (*volatile vfree_fn)(void *);
static vmalloc_fn vmalloc_ = malloc;   /* through volatile pointers: no folding */
static vfree_fn vfree_ = free;
#define M(n) vmalloc_(n)
#define F(p) vfree_((void *)(p))

static char g_global[64];
static void *volatile g_sink;

/* Keep using the heap after the misuse: allocations of the freed size and
 * others, written fully, so silent corruption gets a chance to surface. */
static void churn(size_t n)
{
    void *p[64];
    for (int r = 0; r < 4; r++) {
        for (int i = 0; i < 64; i++) {
            size_t sz = (i % 2) ? n : (size_t)(16 << (i % 8));
            p[i] = M(sz);
            if (p[i]) memset(p[i], 0x5a, sz);
        }
        for (int i = 63; i >= 0; i--) F(p[i]);
    }
}

/* ---- Double free ---- */
static void double_free_of(size_t n) { char *p = M(n); g_sink = p; F(p); F(p); churn(n); }
static void c_double_free_16(void) { double_free_of(16); }
static void c_double_free_100(void) { double_free_of(100); }
static void c_double_free_1k(void) { double_free_of(1000); }
static void c_double_free_64k(void) { double_free_of(64 << 10); }
static void c_double_free_1m(void) { double_free_of(1 << 20); }
static void c_double_free_64m(void) { double_free_of(64u << 20); }
static void c_double_free_zero(void) { double_free_of(0); }
static void c_double_free_interleaved(void)
{
    char *a = M(24), *b = M(24);
    F(a); F(b); F(a);                    /* the fastbin-dup pattern */
    char *x = M(24), *y = M(24), *z = M(24);
    g_sink = x; g_sink = y; g_sink = z;
    churn(24);
}
static void c_double_free_after_reuse_other_size(void)
{
    char *a = M(48);
    F(a);
    g_sink = M(4000);
    F(a);
    churn(48);
}
static void c_double_free_calloc(void) { char *p = calloc(10, 10); F(p); F(p); churn(100); }
static void c_double_free_aligned(void)
{
    char *p = aligned_alloc(256, 512);
    F(p); F(p);
    churn(512);
}
static void c_double_free_realloc(void)
{
    char *p = M(32), *q = realloc(p, 64);
    F(q); F(q);
    churn(64);
}
static void *thread_free(void *p) { F(p); return NULL; }
static void c_double_free_cross_thread(void)
{
    char *p = M(64);
    pthread_t t;
    pthread_create(&t, NULL, thread_free, p);
    pthread_join(t, NULL);
    F(p);
    churn(64);
}

/* ---- Invalid free ---- */
static void c_free_stack(void) { char buf[64]; g_sink = buf; F((char *)g_sink); churn(64); }
static void c_free_global(void) { F(g_global); churn(64); }
static void c_free_literal(void) { F((char *)"a string literal"); churn(16); }
static void c_free_interior_8(void) { char *p = M(64); F(p + 8); churn(64); }
static void c_free_interior_16(void) { char *p = M(64); F(p + 16); churn(64); }
static void c_free_interior_large(void) { char *p = M(1 << 20); F(p + 8192); churn(64); }
static void c_free_misaligned(void) { char *p = M(64); F(p + 1); churn(64); }
static void c_free_never_allocated(void) { F((void *)(uintptr_t)0x7f0000123450ull); churn(64); }
static void c_free_wild_low(void) { F((void *)(uintptr_t)0x10000); churn(64); }
static void c_free_foreign_mmap(void)
{
    char *p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    F(p + 64);
    churn(64);
}
static void c_free_fake_header(void)
{
    /* a forged chunk on the stack: sizes that look plausible to an allocator */
    size_t fake[8] = { 0, 0x41, 0, 0, 0, 0, 0, 0x21 };
    F(&fake[2]);
    churn(48);
}

/* ---- realloc of what is not a live block ---- */
static void c_realloc_freed(void) { char *p = M(32); F(p); g_sink = realloc(p, 64); churn(32); }
static void c_realloc_stack(void) { char buf[32]; g_sink = buf; g_sink = realloc((char *)g_sink, 64); churn(32); }
static void c_realloc_interior(void) { char *p = M(64); g_sink = realloc(p + 16, 128); churn(64); }
static void c_usable_size_of_freed(void) { char *p = M(32); F(p); g_sink = (void *)malloc_usable_size(p); churn(32); }

/* ---- Use after free (writes) ---- */
static void c_uaf_write_first_word(void)
{
    volatile uintptr_t *p = M(64);
    F((void *)p);
    p[0] = (uintptr_t)g_global;          /* overwrite a free-list link with a chosen address */
    char *a = M(64), *b = M(64);
    if (b) memset(b, 0x41, 64);          /* with no check, this writes into g_global */
    g_sink = a;
    churn(64);
}
static void c_uaf_write_whole(void)
{
    volatile char *p = M(128);
    F((void *)p);
    memset((void *)p, 0xee, 128);
    churn(128);
}
static void c_uaf_write_large(void)
{
    volatile char *p = M(300 << 10);
    F((void *)p);
    p[100] = 1;                          /* may fault if unmapped: that counts as caught by a crash */
    churn(4096);
}

/* ---- Overflows and underflows ---- */
static void overflow_by(size_t n, size_t by, int val)
{
    volatile unsigned char *p = M(n);
    for (size_t i = 0; i < by; i++) p[n + i] = (unsigned char)val;
    F((void *)p);
    churn(n);
}
static void c_overflow_1_byte(void) { overflow_by(24, 1, 0); }
static void c_overflow_8_bytes(void) { overflow_by(16, 8, 0xff); }
static void c_overflow_into_next(void)
{
    volatile unsigned char *a = M(32), *b = M(32);
    for (int i = 0; i < 64; i++) a[32 + i] = 0x41;
    F((void *)b);
    F((void *)a);
    churn(32);
}
static void c_overflow_large_block(void) { overflow_by(200000, 4096, 0x41); }
static void c_underflow_8_bytes(void)
{
    volatile unsigned char *p = M(64);
    for (int i = 1; i <= 8; i++) p[-i] = 0xff;
    F((void *)p);
    churn(64);
}
static void c_underflow_header_large(void)
{
    volatile size_t *p = M(1 << 20);
    p[-1] = 0x20;                        /* a smaller size where a header would be */
    p[-2] = 0;
    F((void *)p);
    churn(64);
}
static void c_free_sized_wrong(void)
{
    char *p = M(64);
    extern void free_sized(void *, size_t) __attribute__((weak));
    if (!free_sized) {
        printf("free_sized_wrong_size: free_sized is not provided by this C library\n");
        exit(3);                        /* not applicable */
    }
    free_sized(p, 4096);
    churn(64);
}

typedef struct misuse_case { const char *name, *klass; void (*fn)(void); } misuse_case;
static const misuse_case cases[] = {
    { "double_free_16", "double-free", c_double_free_16 },
    { "double_free_100", "double-free", c_double_free_100 },
    { "double_free_1k", "double-free", c_double_free_1k },
    { "double_free_64k", "double-free", c_double_free_64k },
    { "double_free_1m", "double-free", c_double_free_1m },
    { "double_free_64m", "double-free", c_double_free_64m },
    { "double_free_zero_size", "double-free", c_double_free_zero },
    { "double_free_interleaved", "double-free", c_double_free_interleaved },
    { "double_free_after_other_alloc", "double-free", c_double_free_after_reuse_other_size },
    { "double_free_calloc", "double-free", c_double_free_calloc },
    { "double_free_aligned", "double-free", c_double_free_aligned },
    { "double_free_realloc", "double-free", c_double_free_realloc },
    { "double_free_cross_thread", "double-free", c_double_free_cross_thread },
    { "free_stack", "invalid-free", c_free_stack },
    { "free_global", "invalid-free", c_free_global },
    { "free_literal", "invalid-free", c_free_literal },
    { "free_interior_8", "invalid-free", c_free_interior_8 },
    { "free_interior_16", "invalid-free", c_free_interior_16 },
    { "free_interior_large", "invalid-free", c_free_interior_large },
    { "free_misaligned", "invalid-free", c_free_misaligned },
    { "free_never_allocated", "invalid-free", c_free_never_allocated },
    { "free_wild_low", "invalid-free", c_free_wild_low },
    { "free_foreign_mmap", "invalid-free", c_free_foreign_mmap },
    { "free_fake_header", "invalid-free", c_free_fake_header },
    { "realloc_freed", "invalid-free", c_realloc_freed },
    { "realloc_stack", "invalid-free", c_realloc_stack },
    { "realloc_interior", "invalid-free", c_realloc_interior },
    { "usable_size_of_freed", "use-after-free", c_usable_size_of_freed },
    { "uaf_write_first_word", "use-after-free", c_uaf_write_first_word },
    { "uaf_write_whole", "use-after-free", c_uaf_write_whole },
    { "uaf_write_large", "use-after-free", c_uaf_write_large },
    { "overflow_1_byte", "overflow", c_overflow_1_byte },
    { "overflow_8_bytes", "overflow", c_overflow_8_bytes },
    { "overflow_into_next", "overflow", c_overflow_into_next },
    { "overflow_large_block", "overflow", c_overflow_large_block },
    { "underflow_8_bytes", "overflow", c_underflow_8_bytes },
    { "underflow_header_large", "overflow", c_underflow_header_large },
    { "free_sized_wrong_size", "invalid-free", c_free_sized_wrong },
};

int main(int argc, char **argv)
{
    size_t n = sizeof cases / sizeof *cases;
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < n; i++) printf("%s %s\n", cases[i].name, cases[i].klass);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: misuse CASE | --list\n");
        return 2;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[1], cases[i].name) == 0) {
            setvbuf(stdout, NULL, _IONBF, 0);
            cases[i].fn();
            printf("%s: not detected\n", cases[i].name);
            return 0;
        }
    fprintf(stderr, "misuse: no case '%s' (see --list)\n", argv[1]);
    return 2;
}
