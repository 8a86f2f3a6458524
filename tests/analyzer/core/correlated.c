/* Conditions that correlate (the second test of n is decided by the first)
 * and frees through a pointer to the variable: outside tester QA3's Q2 and
 * Q4 cases, with the forms around them.  Bugs are marked; the rest must
 * stay silent. */
#include <stdlib.h>

/* ---- a condition that already returned (Q4) ---- */
void ret_then_retest(int n)
{
    char *p = malloc(4);
    if (n > 3) {
        free(p);
        return;
    }
    if (n > 3)
        free(p);
    free(p);
}

void ret_then_retest_flag(int n)
{
    char *p = malloc(4);
    if (n) {
        free(p);
        return;
    }
    if (n)
        p = NULL;
    free(p);
}

void ret_then_equal(int n)
{
    char *p = malloc(4);
    if (!p)
        return;
    if (n > 3) {
        free(p);
        return;
    }
    if (n == 100)
        free(p);
    free(p);
}

void one_path_double_free(int n)
{
    char *p = malloc(4);
    if (n > 3)
        free(p);
    free(p);                            /* expect: double-free */
}

void returned_without_free(int n)
{
    char *p = malloc(4);
    if (n > 3) {
        return;                         /* expect: leak */
    }
    if (n > 3)
        free(p);
    free(p);
}

void other_variable(int n, int m)
{
    char *p = malloc(4);
    if (m) {
        free(p);
        return;
    }
    if (n)
        free(p);
    free(p);                            /* expect: double-free */
}

/* ---- frees through a pointer to the variable (Q2) ---- */
void free_through_pp(void)
{
    char *p = malloc(4);
    char **pp = &p;
    free(*pp);
}

void free_through_pp_then_clear(void)
{
    char *p = malloc(4);
    char **pp = &p;
    free(*pp);
    *pp = NULL;
}

void free_through_array_of_pp(void)
{
    char *a = malloc(1), *b = malloc(1);
    char **v[2] = { &a, &b };
    for (int i = 0; i < 2; i++)
        free(*v[i]);
}

static void freep(char **pp)
{
    free(*pp);
}

void freep_then_free(void)
{
    char *p = malloc(4);
    freep(&p);
    free(p);                            /* expect: double-free */
}

void freep_then_use(void)
{
    char *p = malloc(4);
    freep(&p);
    p[0] = 1;                           /* expect: use-after-free */
}

void free_pp_then_use(void)
{
    char *p = malloc(4);
    char **pp = &p;
    free(*pp);
    p[0] = 1;                           /* expect: use-after-free */
}

void freep_once(void)
{
    char *p = malloc(4);
    freep(&p);
}

/* ---- per-path integers: the count decided before the loop ---- */
void loop_runs_once_at_least(int n)
{
    char *p = malloc(8);
    if (!p)
        return;
    if (n < 1) {
        free(p);
        return;
    }
    for (int i = 0; i < n; i++)
        if (i == n - 1)
            free(p);
}

/* ---- glibc's assert in GNU C is a statement expression (QA3 Q22) ---- */
#include <assert.h>
#include <errno.h>

void unreachable_assert(int k)
{
    char *p = malloc(4);
    if (!p)
        return;
    if (k) {
        free(p);
        return;
    }
    assert(0);
}

void unreachable_assert_message(int k)
{
    char *p = malloc(4);
    if (!p)
        return;
    if (k) {
        free(p);
        return;
    }
    assert(0 && "unreachable");
}

/* ---- posix_memalign compared with an error code (QA3 Q15) ---- */
int memalign_einval(size_t n)
{
    void *p = NULL;
    if (posix_memalign(&p, 4, n) == EINVAL) {
        p = NULL;
        return 1;
    }
    free(p);
    return 0;
}

int memalign_assert_einval(size_t n)
{
    void *p = (void *)1;
    int rc = posix_memalign(&p, 3, n);
    assert(rc == EINVAL);
    p = NULL;
    return rc;
}

/* ... and through a variable that holds the error code (QA4 R2). */
int memalign_code_in_variable(void)
{
    void *p = NULL;
    int rc = posix_memalign(&p, 3, 100);
    int want = EINVAL;
    if (rc != want)
        abort();
    p = malloc(4);
    free(p);
    return 0;
}
