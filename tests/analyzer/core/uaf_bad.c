/* use-after-free: every way a freed block can be reached again. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

struct node {
    int value;
    char *name;
    struct node *next;
};

int deref_after_free(void)
{
    int *p = malloc(sizeof *p);
    if (!p)
        return 0;
    *p = 1;
    free(p);
    return *p;                          /* expect: use-after-free */
}

void field_after_free(struct node *n)
{
    free(n);
    n->value = 3;                       /* expect: use-after-free */
}

void index_after_free(void)
{
    char *buf = malloc(16);
    if (buf == NULL)
        return;
    free(buf);
    buf[2] = 'x';                       /* expect: use-after-free */
}

void alias_after_free(void)
{
    char *a = malloc(8);
    char *b = a;
    if (!a)
        return;
    free(a);
    b[0] = 0;                           /* expect: use-after-free */
}

size_t passed_after_free(void)
{
    char *s = strdup("hello");
    if (!s)
        return 0;
    free(s);
    return strlen(s);                   /* expect: use-after-free */
}

void unknown_after_free(void (*sink)(char *))
{
    char *s = malloc(4);
    free(s);
    sink(s);                            /* expect: use-after-free */
}

void struct_field_alias(struct node *n)
{
    n->name = malloc(10);
    free(n->name);
    n->name[0] = 'a';                   /* expect: use-after-free */
}

void after_if_else(int c)
{
    char *p = malloc(4);
    if (c)
        free(p);
    else
        free(p);
    p[0] = 1;                           /* expect: use-after-free */
}

void in_loop_body(int n)
{
    for (int i = 0; i < n; i++) {
        char *p = malloc(4);
        free(p);
        p[0] = (char)i;                 /* expect: use-after-free */
    }
}

void file_after_close(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    fclose(f);
    fgetc(f);                           /* expect: use-after-free */
}

void realloc_old_pointer(void)
{
    char *p = malloc(4);
    char *q = realloc(p, 64);
    if (!q) {
        free(p);
        return;
    }
    p[0] = 1;                           /* expect: use-after-free */
    free(q);
}

void through_switch(int k)
{
    char *p = malloc(4);
    switch (k) {
    case 0:
        free(p);
        break;
    default:
        free(p);
        break;
    }
    p[1] = 0;                           /* expect: use-after-free */
}

void after_goto(int k)
{
    char *p = malloc(4);
    if (k)
        goto out;
    p[0] = 1;
out:
    free(p);
    p[0] = 2;                           /* expect: use-after-free */
}

void print_string_after_free(void)
{
    char *s = strdup("name");
    free(s);
    printf("%p %s\n", (void *)s, s);    /* expect: use-after-free */
}
