/*
 * alloc/fork.c — fork() in a multithreaded process.
 *
 * The prepare handler takes the allocator's global locks (heap list,
 * abandoned segments, huge cache) so that no other thread holds one at the
 * moment of the fork; the parent releases them; the child resets them and
 * abandons the heaps of the threads that do not exist in it, so their
 * segments are adopted and reused instead of lost.  Each thread's own heap
 * needs no lock: only the forking thread survives in the child.
 */
#include "internal.h"

#include <pthread.h>

static void fr_fork_prepare(void)
{
    fr__lock(&fr__heaps_lock);
    fr__lock(&fr__abandoned_lock);
    fr__lock(&fr__huge_lock);
}

static void fr_fork_parent(void)
{
    fr__unlock(&fr__huge_lock);
    fr__unlock(&fr__abandoned_lock);
    fr__unlock(&fr__heaps_lock);
}

static void fr_fork_child(void)
{
    fr__unlock(&fr__huge_lock);
    fr__unlock(&fr__abandoned_lock);
    fr__unlock(&fr__heaps_lock);
    fr__heaps_after_fork_child();
}

void fr__fork_install(void)
{
    pthread_atfork(fr_fork_prepare, fr_fork_parent, fr_fork_child);
}
