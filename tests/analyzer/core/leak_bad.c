/* leak: the last pointer to a live block is lost. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int early_return(const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        return -1;
    if (strlen(copy) > 10)
        return 1;                       /* expect: leak */
    free(copy);
    return 0;
}

void fall_off_end(void)
{
    char *p = malloc(16);
    if (p)
        p[0] = 0;
}                                       /* expect: leak */

void overwritten(void)
{
    char *p = malloc(16);
    p = malloc(32);                     /* expect: leak */
    free(p);
}

int file_not_closed(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int c = fgetc(f);
    return c;                           /* expect: leak */
}

void asprintf_leak(int x)
{
    char *s;
    if (asprintf(&s, "%d", x) < 0)
        return;
    puts(s);
}                                       /* expect: leak */

void getline_leak(FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) > 0)
        fputs(line, stdout);
}                                       /* expect: leak */

void in_loop(int n)
{
    for (int i = 0; i < n; i++) {
        char *p = malloc(4);
        if (!p)
            continue;
        if (i == 2)
            break;                      /* expect: leak */
        free(p);
    }
}

/* The same on `continue`, and in a while and a do-while loop: the other
 * paths free the block, so only the scope's end on the jump sees the leak. */
void continue_keeps(int n)
{
    for (int i = 0; i < n; i++) {
        char *p = malloc(4);
        if (!p)
            return;
        if (i & 1)
            continue;                   /* expect: leak */
        free(p);
    }
}

void while_break_keeps(FILE *in)
{
    while (!feof(in)) {
        char *line = malloc(64);
        if (line == NULL)
            break;
        if (!fgets(line, 64, in))
            break;                      /* expect: leak */
        fputs(line, stdout);
        free(line);
    }
}

void do_while_break_keeps(int n)
{
    do {
        FILE *f = fopen("/dev/null", "r");
        if (!f)
            break;
        if (n == 7)
            break;                      /* expect: leak */
        fclose(f);
    } while (--n > 0);
}

void switch_in_loop_break(int n)
{
    for (int i = 0; i < n; i++) {
        char *p = strdup("x");
        if (!p)
            continue;
        switch (i) {
        case 3:
            free(p);
            break;                      /* the switch's break: p is still in scope, freed */
        default:
            free(p);
            break;
        }
        if (i == 9) {
            char *q = malloc(2);
            if (q)
                break;                  /* expect: leak */
        }
    }
}

void strndup_in_switch(const char *s, int k)
{
    char *t = strndup(s, 4);
    switch (k) {
    case 0:
        free(t);
        return;
    case 1:
        return;                         /* expect: leak */
    default:
        free(t);
        break;
    }
}

void calloc_do_while(int n)
{
    int *v;
    do {
        v = calloc(4, sizeof *v);
        if (!v)
            return;
        v[0] = n;
        free(v);
    } while (--n > 0);
    v = calloc(1, 4);
}                                       /* expect: leak */

int posix_memalign_leak(void)
{
    void *p;
    if (posix_memalign(&p, 64, 128) != 0)
        return -1;
    memset(p, 0, 128);
    return 0;                           /* expect: leak */
}

void discarded(void)
{
    malloc(8);                          /* expect: leak */
    (void)strdup("x");                  /* expect: leak */
}

int realloc_overwrites_its_argument(size_t n)
{
    char *p = malloc(4);
    if (!p)
        return -1;
    p = realloc(p, n);
    if (!p)
        return -1;                      /* expect: leak */
    free(p);
    return 0;
}
