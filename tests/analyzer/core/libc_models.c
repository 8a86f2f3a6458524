/* libc functions that return memory the caller frees only in some forms
 * (getcwd(NULL, 0), realpath(p, NULL)), or always (canonicalize_file_name),
 * and getaddrinfo's out-parameter with its freeaddrinfo (QA3 Q16). */
#define _GNU_SOURCE
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int cwd_leak(void)
{
    char *c = getcwd(NULL, 0);
    return c ? c[0] : 0;                /* expect: leak */
}

int cwd_good(void)
{
    char *c = getcwd(NULL, 0);
    if (!c)
        return -1;
    int r = c[0];
    free(c);
    return r;
}

int cwd_in_buffer(void)
{
    char buf[256];
    char *c = getcwd(buf, sizeof buf);
    return c ? c[0] : 0;
}

int realpath_leak(const char *p)
{
    char *r = realpath(p, NULL);
    return r != NULL;                   /* expect: leak */
}

int realpath_good(const char *p)
{
    char *r = realpath(p, NULL);
    if (!r)
        return -1;
    puts(r);
    free(r);
    return 0;
}

int canonical_leak(const char *p)
{
    char *c = canonicalize_file_name(p);
    return c != NULL;                   /* expect: leak */
}

int addrinfo_twice(void)
{
    struct addrinfo *res;
    if (getaddrinfo("localhost", "80", NULL, &res))
        return -1;
    freeaddrinfo(res);
    freeaddrinfo(res);                  /* expect: double-free */
    return 0;
}

int addrinfo_good(void)
{
    struct addrinfo *res;
    if (getaddrinfo("localhost", "80", NULL, &res) != 0)
        return -1;
    freeaddrinfo(res);
    return 0;
}

/* GCC's malloc attribute on a library's declaration (QA3 Q24): new memory
 * whose double free or use after free() is found; never reported as
 * leaked, since pool and arena allocators carry the attribute too (QA4 R6). */
__attribute__((malloc)) void *lib_alloc(size_t n);
void lib_release(void *p);

int lib_alloc_freed_twice(void)
{
    char *p = lib_alloc(4);
    if (!p)
        return -1;
    free(p);
    free(p);                            /* expect: double-free */
    return 0;
}

struct pool;
__attribute__((malloc)) void *pool_alloc(struct pool *pl, size_t n);

int pool_owned(struct pool *pl)
{
    int *n = pool_alloc(pl, sizeof *n);
    if (!n)
        return -1;
    *n = 1;
    return *n;
}

int lib_alloc_released(void)
{
    char *p = lib_alloc(4);
    if (!p)
        return -1;
    lib_release(p);
    return 0;
}
