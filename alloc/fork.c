/*
 * alloc/fork.c — fork() in a multithreaded process.
 *
 * The prepare handler takes the allocator's global locks (heap list,
 * abandoned segments, huge cache) so that no other thread holds one at the
 * moment of the fork; the parent releases them; the child resets them and
 * abandons the heaps of the threads that do not exist in it, so their
 * segments are adopted and reused instead of lost.  Each thread's own heap
 * needs no lock: only the forking thread survives in the child.
 *
 * pthread_atfork runs prepare handlers in reverse order of registration and
 * parent/child handlers in order, so a handler registered before ferrum's
 * (a library whose constructor ran first, e.g. one preloaded after
 * libferrum-malloc.so) runs while these locks are held; glibc lets it
 * allocate.  So from the moment the locks are taken until they are released
 * the forking thread is marked (fr__fork_holder) and its own fr__lock /
 * fr__unlock of exactly these three locks pass through: the data they guard
 * is the forking thread's alone then (every other thread that wants it
 * waits on the lock), and no critical section of it is half done, since the
 * locks were taken normally.  Every path an allocation can take there
 * (heap creation, adoption of abandoned segments, the huge cache) only
 * nests these locks as it does outside fork; the one try-lock (freeing into
 * an abandoned segment) fails and takes the ordinary path.
 */
#include "internal.h"

#include <pthread.h>

__thread int fr__fork_holder __attribute__((tls_model("initial-exec")));

bool fr__fork_held(const fr_lock *l)
{
    return fr__fork_holder && (l == &fr__heaps_lock || l == &fr__abandoned_lock || l == &fr__huge_lock);
}

static void fr_fork_prepare(void)
{
    fr__lock(&fr__heaps_lock);
    fr__lock(&fr__abandoned_lock);
    fr__lock(&fr__huge_lock);
    fr__fork_holder = 1;
}

static void fr_fork_parent(void)
{
    fr__fork_holder = 0;
    fr__unlock(&fr__huge_lock);
    fr__unlock(&fr__abandoned_lock);
    fr__unlock(&fr__heaps_lock);
}

static void fr_fork_child(void)
{
    fr__fork_holder = 0;
    fr__unlock(&fr__huge_lock);
    fr__unlock(&fr__abandoned_lock);
    fr__unlock(&fr__heaps_lock);
    fr__heaps_after_fork_child();
}

void fr__fork_install(void)
{
    pthread_atfork(fr_fork_prepare, fr_fork_parent, fr_fork_child);
}
