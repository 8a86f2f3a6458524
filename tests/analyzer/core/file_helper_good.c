/* Twins of file_helper_bad.c, and QA13 X3's reduction of bzip2recover
 * (a stream opened by a helper and closed at the end of each range, the
 * same program with fopen was already silent): no finding. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static FILE *open_out(const char *name)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd == -1)
        return NULL;
    FILE *fp = fdopen(fd, "wb");
    if (fp == NULL)
        close(fd);
    return fp;
}

static FILE *open_or_stdin(const char *name)
{
    if (!name)
        return stdin;
    return fopen(name, "r");
}

int closed(const char *name)
{
    FILE *f = open_out(name);
    if (!f)
        return -1;
    fputs("x", f);
    fclose(f);
    return 0;
}

int maybe_stdin(const char *name)
{
    FILE *f = open_or_stdin(name);
    if (!f)
        return -1;
    return fgetc(f);
}

FILE *handed_back(const char *name)
{
    FILE *f = open_out(name);
    if (f)
        fputs("hdr", f);
    return f;
}

struct bs {
    FILE *h;
};

static struct bs *bs_open(FILE *f)
{
    struct bs *b = malloc(sizeof *b);
    if (!b)
        exit(1);
    b->h = f;
    return b;
}

static void bs_close(struct bs *b)
{
    fclose(b->h);
    free(b);
}

static void bs_put(struct bs *b, int c)
{
    putc(c, b->h);
}

int next_bit(void);
long rbStart[10], rbEnd[10];

int ranges(void)
{
    struct bs *w;
    FILE *out;
    int wrBlock = 0, rbCtr = 3;
    long bitsRead = 0;
    w = 0;
    out = NULL;
    while (1) {
        int b = next_bit();
        if (b == 2)
            break;
        if (out != NULL && bitsRead >= rbStart[wrBlock] && bitsRead <= rbEnd[wrBlock])
            bs_put(w, b);
        bitsRead++;
        if (bitsRead == rbEnd[wrBlock] + 1) {
            if (out != NULL) {
                bs_put(w, 0x17);
                bs_close(w);
                out = NULL;
            }
            if (wrBlock >= rbCtr)
                break;
            wrBlock++;
        } else if (bitsRead == rbStart[wrBlock]) {
            out = open_out("x");
            if (out == NULL)
                exit(1);
            w = bs_open(out);
            bs_put(w, 'B');
        }
    }
    return 0;
}
