/* pthread_create's `void *restrict arg` is only handed to the new thread:
 * the thread id stored into the struct that is the thread's argument does
 * not overlap with anything pthread_create accesses (QA8 V18, git's
 * name-hash.c and preload-index.c). */
#include <pthread.h>

struct worker { pthread_t thread; int id; int result; };

static void *run(void *arg)
{
    struct worker *w = arg;
    w->result = w->id * 2;
    return NULL;
}

int start(struct worker *w)
{
    return pthread_create(&w->thread, NULL, run, w);
}

int start_local(void)
{
    struct worker w = { .id = 1 };
    if (pthread_create(&w.thread, NULL, run, &w))
        return -1;
    return pthread_join(w.thread, NULL);
}
