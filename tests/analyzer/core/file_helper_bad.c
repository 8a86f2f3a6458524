/* A function of the file that returns a FILE it opened (fopen, or
 * open + fdopen as bzip2recover's fopen_output does) gives its caller a
 * handle to close, as fopen does (QA13 X3). */
#include <fcntl.h>
#include <stdio.h>
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

static FILE *open_in(const char *name)
{
    return fopen(name, "rb");
}

int never_closed(const char *name)
{
    FILE *f = open_out(name);
    if (!f)
        return -1;
    fputs("x", f);
    return 0;                           /* expect: leak */
}

int closed_twice(const char *name)
{
    FILE *f = open_in(name);
    if (!f)
        return -1;
    int c = fgetc(f);
    fclose(f);
    fclose(f);                          /* expect: double-free */
    return c;
}
