/* Twins of nonheap_summary_bad.c: the same helpers given heap memory, a
 * getter of static storage whose result is not freed, and a function that
 * returns heap memory or a literal (freeing it is not certainly wrong). */
#include <stdlib.h>
#include <string.h>

static char buf[100];

static char *get_buf(void)
{
    return buf;
}

size_t use_returned_global(void)
{
    char *p = get_buf();
    return strlen(p);
}

static char *dup_or_lit(const char *s)
{
    if (!s)
        return (char *)"";
    return strdup(s);
}

void free_dup_or_lit(const char *s)
{
    char *d = dup_or_lit(s);
    if (d && *d)
        free(d);
}

static char *g_data;

static void sink_global(void)
{
    free(g_data);
    g_data = NULL;
}

void heap_pointer_freed_by_callee(void)
{
    g_data = malloc(10);
    sink_global();
}

static void sink_pp(char **pp)
{
    free(*pp);
    *pp = NULL;
}

void heap_through_pointer_to_pointer(void)
{
    char *p = malloc(10);
    sink_pp(&p);
}

static void sink_arr(char *arr[])
{
    free(arr[2]);
}

void heap_through_array_element(void)
{
    char *a[5];
    a[2] = malloc(4);
    sink_arr(a);
}

/* frees its argument unless it is the shared empty string */
static char empty[1];

static void str_release(char *s)
{
    if (s != empty)
        free(s);
}

void release_empty(void)
{
    str_release(empty);
}
