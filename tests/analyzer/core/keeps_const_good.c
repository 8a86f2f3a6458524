/* Library functions that keep a pointer passed as `const`: not a leak
 * (QA5 S24: per-thread buffers, tree keys, syslog's ident). */
#define _GNU_SOURCE
#include <pthread.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static pthread_key_t key;

void per_thread_buffer(void)
{
    char *buf = malloc(64);
    if (!buf)
        return;
    pthread_setspecific(key, buf);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

void tree_key(void **root)
{
    char *k = strdup("x");
    if (!k)
        return;
    tsearch(k, root, cmp);
}

void log_ident(const char *argv0)
{
    char *ident = strdup(argv0);
    if (!ident)
        return;
    openlog(ident, LOG_PID, LOG_USER);
}
