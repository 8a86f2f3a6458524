/*
 * cfrac.c — bignum arithmetic that allocates on every operation (after the
 * cfrac program of the mimalloc-bench and Zorn allocator suites, which
 * factors integers with its own heap-allocated bignum library).
 *
 * What: factors semiprimes p*q (p, q random primes near 2^20) with Pollard's
 * rho, every number an immutable heap-allocated bignum of 32-bit limbs: each
 * add, subtract, multiply, shift and remainder returns a fresh block and the
 * caller frees its temporaries, as naive bignum libraries do.  The remainder
 * is a binary long division that allocates at every bit, so the program spends
 * a large share of its time in malloc and free of 16..40-byte blocks.
 *
 * How: primes are drawn from a seeded generator and tested with a 64-bit
 * Miller-Rabin; the factor found is checked against p and q, and the checksum
 * sums the factors, so a broken allocator shows up as a wrong checksum or a
 * failed check.
 *
 * Usage: cfrac [numbers]  (default 40)
 */
#include "bench_common.h"

typedef struct bn { int n; uint32_t d[]; } bn;   /* n limbs, no leading zero limb */

static uint64_t n_allocs;

static bn *bn_new(int limbs)
{
    bn *r = bench_xmalloc(sizeof(bn) + (size_t)(limbs ? limbs : 1) * sizeof(uint32_t));
    r->n = limbs;
    n_allocs++;
    return r;
}

static bn *bn_norm(bn *r)
{
    while (r->n > 0 && r->d[r->n - 1] == 0)
        r->n--;
    return r;
}

static bn *bn_u64(uint64_t v)
{
    bn *r = bn_new(2);
    r->d[0] = (uint32_t)v;
    r->d[1] = (uint32_t)(v >> 32);
    return bn_norm(r);
}

static uint64_t bn_to_u64(const bn *a)
{
    uint64_t v = 0;
    for (int i = a->n - 1; i >= 0 && i >= a->n - 2; i--)
        v = (v << 32) | a->d[i];
    return v;
}

static int bn_cmp(const bn *a, const bn *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

static bn *bn_add(const bn *a, const bn *b)
{
    int n = (a->n > b->n ? a->n : b->n) + 1;
    bn *r = bn_new(n);
    uint64_t c = 0;
    for (int i = 0; i < n; i++) {
        c += (uint64_t)(i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
        r->d[i] = (uint32_t)c;
        c >>= 32;
    }
    return bn_norm(r);
}

/* a - b, requires a >= b */
static bn *bn_sub(const bn *a, const bn *b)
{
    bn *r = bn_new(a->n);
    int64_t c = 0;
    for (int i = 0; i < a->n; i++) {
        c += (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0);
        r->d[i] = (uint32_t)c;
        c >>= 32;
    }
    return bn_norm(r);
}

static bn *bn_mul(const bn *a, const bn *b)
{
    bn *r = bn_new(a->n + b->n);
    memset(r->d, 0, (size_t)r->n * sizeof(uint32_t));
    for (int i = 0; i < a->n; i++) {
        uint64_t c = 0;
        for (int j = 0; j < b->n; j++) {
            c += (uint64_t)a->d[i] * b->d[j] + r->d[i + j];
            r->d[i + j] = (uint32_t)c;
            c >>= 32;
        }
        r->d[i + b->n] = (uint32_t)c;
    }
    return bn_norm(r);
}

/* (a << 1) | bit */
static bn *bn_shl1(const bn *a, unsigned bit)
{
    bn *r = bn_new(a->n + 1);
    uint32_t c = bit;
    for (int i = 0; i < a->n; i++) {
        r->d[i] = (a->d[i] << 1) | c;
        c = a->d[i] >> 31;
    }
    r->d[a->n] = c;
    return bn_norm(r);
}

/* a mod m by binary long division: one or two fresh blocks per bit of a. */
static bn *bn_mod(const bn *a, const bn *m)
{
    bn *r = bn_u64(0);
    for (int i = a->n * 32 - 1; i >= 0; i--) {
        bn *s = bn_shl1(r, (a->d[i / 32] >> (i % 32)) & 1);
        free(r);
        r = s;
        if (bn_cmp(r, m) >= 0) {
            s = bn_sub(r, m);
            free(r);
            r = s;
        }
    }
    return r;
}

static bn *bn_copy(const bn *a)
{
    bn *r = bn_new(a->n);
    memcpy(r->d, a->d, (size_t)a->n * sizeof(uint32_t));
    return r;
}

static bn *bn_gcd(const bn *a0, const bn *b0)
{
    bn *a = bn_copy(a0), *b = bn_copy(b0);
    while (b->n != 0) {
        bn *t = bn_mod(a, b);
        free(a);
        a = b;
        b = t;
    }
    free(b);
    return a;
}

/* x*x + c mod n */
static bn *rho_step(const bn *x, const bn *c, const bn *n)
{
    bn *sq = bn_mul(x, x);
    bn *s = bn_add(sq, c);
    bn *r = bn_mod(s, n);
    free(sq);
    free(s);
    return r;
}

/* A non-trivial factor of n (as u64), or 0 if this c fails. */
static uint64_t rho(const bn *n, uint64_t c0)
{
    bn *c = bn_u64(c0), *x = bn_u64(2), *y = bn_u64(2), *q = bn_u64(1);
    uint64_t found = 0;
    for (int iter = 1; iter < 1 << 20 && !found; iter++) {
        bn *t = rho_step(x, c, n);
        free(x);
        x = t;
        t = rho_step(y, c, n);
        free(y);
        y = rho_step(t, c, n);
        free(t);
        bn *diff = bn_cmp(x, y) >= 0 ? bn_sub(x, y) : bn_sub(y, x);
        bn *prod = bn_mul(q, diff);
        free(diff);
        free(q);
        q = bn_mod(prod, n);
        free(prod);
        if (iter % 32 == 0 || q->n == 0) {
            bn *g = bn_gcd(q->n ? q : n, n);
            uint64_t gv = bn_to_u64(g);
            if (g->n != 0 && bn_cmp(g, n) != 0 && gv != 1)
                found = gv;
            else if (bn_cmp(g, n) == 0 || q->n == 0)
                iter = 1 << 20;            /* cycle closed: give up on this c */
            free(g);
        }
    }
    free(c); free(x); free(y); free(q);
    return found;
}

__extension__ typedef unsigned __int128 u128;

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((u128)a * b % m);
}

static uint64_t powmod(uint64_t a, uint64_t e, uint64_t m)
{
    uint64_t r = 1;
    for (a %= m; e; e >>= 1, a = mulmod(a, a, m))
        if (e & 1)
            r = mulmod(r, a, m);
    return r;
}

static int is_prime(uint64_t n)
{
    static const uint64_t bases[] = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37 };
    if (n < 2) return 0;
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (n % bases[i] == 0) return n == bases[i];
    uint64_t d = n - 1;
    int s = 0;
    while (!(d & 1)) { d >>= 1; s++; }
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1) continue;
        int ok = 0;
        for (int r = 1; r < s && !ok; r++) {
            x = mulmod(x, x, n);
            ok = x == n - 1;
        }
        if (!ok) return 0;
    }
    return 1;
}

static uint64_t random_prime(bench_rng *r)
{
    for (;;) {
        uint64_t v = ((uint64_t)1 << 20) + bench_below(r, (uint64_t)1 << 20);
        if (is_prime(v | 1))
            return v | 1;
    }
}

static long numbers;

BENCH_NOINLINE static uint64_t bench_body(void)
{
    bench_rng r = bench_rng_seed(7000);
    uint64_t sum = 0;
    for (long i = 0; i < numbers; i++) {
        uint64_t p = random_prime(&r), q = random_prime(&r);
        bn *n = bn_u64(p * q);
        uint64_t f = 0;
        for (uint64_t c = 1; !f && c < 50; c++)
            f = rho(n, c);
        free(n);
        if (f != p && f != q) {
            fprintf(stderr, "cfrac: factoring %" PRIu64 " = %" PRIu64 " * %" PRIu64
                    " gave %" PRIu64 "\n", p * q, p, q, f);
            exit(4);
        }
        sum += bench_mix(f < p * q / f ? f : p * q / f);
    }
    return sum;
}

int main(int argc, char **argv)
{
    numbers = bench_arg(argc, argv, 1, 40, "numbers");
    double t0 = bench_now();
    uint64_t sum = bench_body();
    printf("allocations=%" PRIu64 "\n", n_allocs);
    bench_result("cfrac", n_allocs, sum, bench_now() - t0);
    return 0;
}
