/* free-nonheap: free() of the stack, globals, literals, interior pointers. */
#include <stdlib.h>
#include <string.h>

static char table[64];
int counter;

void stack_array(void)
{
    char buf[32];
    strcpy(buf, "x");
    free(buf);                          /* expect: free-nonheap */
}

void stack_scalar(void)
{
    int x = 0;
    int *p = &x;
    free(p);                            /* expect: free-nonheap */
}

void global_array(void)
{
    free(table);                        /* expect: free-nonheap */
}

void global_scalar(void)
{
    free(&counter);                     /* expect: free-nonheap */
}

void literal(void)
{
    char *s = "constant";
    free(s);                            /* expect: free-nonheap */
}

void interior_plus(void)
{
    char *p = malloc(16);
    if (!p)
        return;
    free(p + 4);                        /* expect: free-nonheap */
}

void interior_increment(void)
{
    char *p = malloc(16);
    if (!p)
        return;
    p++;
    free(p);                            /* expect: free-nonheap */
}

void either_nonheap(int c)
{
    char a[4], b[4];
    char *p = c ? a : b;
    free(p);                            /* expect: free-nonheap */
}

static void release(void *p) { free(p); }

void via_wrapper(void)
{
    int local = 1;
    release(&local);                    /* expect: free-nonheap */
}

/* alloca memory and an array member inside a heap block (QA3 Q14). */
#include <alloca.h>

void free_alloca(void)
{
    char *p = alloca(10);
    free(p);                            /* expect: free-nonheap */
}

struct named {
    int a;
    char name[8];
};

void free_member_array(void)
{
    struct named *s = malloc(sizeof *s);
    if (!s)
        return;
    free(s->name);                      /* expect: free-nonheap */
    free(s);
}

/* a pointer global holding a local's address, then freed (QA5 S21) */
static int *global_ptr;
void global_holds_local(void)
{
    int x = 1;
    global_ptr = &x;
    free(global_ptr);                   /* expect: free-nonheap */
}

/* realloc of memory malloc did not return: glibc aborts as for free
 * (QA5 S21 addendum, QA3 Q14) */
static char realloc_global[8];
char *realloc_nonheap(size_t n, int which)
{
    char buf[8];
    char *p;
    if (which == 0)
        return realloc(realloc_global, n);  /* expect: free-nonheap */
    if (which == 1)
        return realloc(buf, n);             /* expect: free-nonheap */
    if (which == 2)
        return realloc("literal", n);       /* expect: free-nonheap */
    p = malloc(8);
    if (!p)
        return NULL;
    return realloc(p + 1, n);               /* expect: free-nonheap */
}
