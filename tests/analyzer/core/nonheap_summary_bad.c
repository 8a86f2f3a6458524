/* free-nonheap through functions of the file (QA10 J2, J4, J6; clang
 * --analyze and gcc -fanalyzer report each): a function that returns a
 * global's address or a string literal, a callee that frees a file-static
 * pointer, and callees that free what *param or an array element holds. */
#include <stdlib.h>

static char buf[100];

static char *get_buf(void)
{
    return buf;
}

static char *get_lit(void)
{
    return (char *)"literal";
}

void free_returned_global(void)
{
    char *p = get_buf();
    free(p);                            /* expect: free-nonheap */
}

void free_returned_literal(void)
{
    char *q = get_lit();
    free(q);                            /* expect: free-nonheap */
}

static char *g_data;

static void sink_global(void)
{
    free(g_data);
}

void static_pointer_freed_by_callee(void)
{
    char local[10];
    g_data = local;
    sink_global();                      /* expect: free-nonheap */
}

static void sink_pp(char **pp)
{
    free(*pp);
}

static void sink_arr(char *arr[])
{
    free(arr[2]);
}

static void sink_void(void *v)
{
    free(*(char **)v);
}

void through_pointer_to_pointer(void)
{
    char local[10];
    char *p = local;
    sink_pp(&p);                        /* expect: free-nonheap */
}

void through_array_element(void)
{
    char local[10];
    char *a[5];
    a[2] = local;
    sink_arr(a);                        /* expect: free-nonheap */
}

void through_void_pointer(void)
{
    char local[10];
    char *p = local;
    sink_void(&p);                      /* expect: free-nonheap */
}
