/*
 * owner/leaks.c — handles never dropped, reported at exit.
 *
 * The first fr_own_new registers an atexit function that walks the handle
 * table and sends every object still live to the violation handler as
 * FR_V_LEAK, with the backtrace of its allocation; the default handler
 * prints each one (the first 50) as a warning and a closing count, and
 * never aborts (the exit status stays the program's).  FERRUM_OWNER=noleaks turns the check
 * off.  Handles owned by a region that is still alive count as leaks too:
 * nothing would ever drop them.
 *
 * fork() is made safe for the table when the library is loaded: its lock
 * is taken across the fork (pthread_atfork, registered by a constructor),
 * so the child never inherits it held.  Registering it lazily, at the
 * first fr_own_new, left a window: glibc runs only the prepare handlers
 * registered before a fork starts, so a thread registering the handler
 * and taking the lock while another thread forked left the child's table
 * locked forever (seen, with gdb, as a child hung in own_new).
 *
 * A child of fork() inherits the parent's live handles, which the parent
 * still owns and drops: its fork handler notes the generation of every
 * slot live at the fork, and the child's exit report leaves those out
 * (a handle the child made, or an inherited slot it dropped and reused, has
 * another generation).  Pre-fork servers and fork-per-test runners got one
 * false leak per inherited handle per child (QA5 S40).
 */
#include "internal.h"

#if FR_CHECKED

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define FR__LEAKS_SHOWN 50

/* In a child of fork(): the generation of each slot live at the fork (0:
 * not live), for slots 0 .. inherited_n - 1. */
static uint32_t *inherited;
static uint32_t inherited_n;

static void leak_check(void)
{
    if (fr__options() & FR__OPT_NOLEAKS) return;
    uint32_t n = __atomic_load_n(&fr__nslots, __ATOMIC_ACQUIRE);
    size_t count = 0, bytes = 0;
    for (uint32_t i = 1; i < n; i++) {
        fr__slot *s = fr__slot_of(i);
        uint64_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
        if (fr__b(st) == FR__B_DEAD) continue;
        if (i < inherited_n && inherited[i] && inherited[i] == (uint32_t)(st >> 32)) continue; /* the parent's */
        fr__meta *m = fr__meta_of(i);
        fr__report rep = {0};
        fr__trace born;
        fr__trace_get(m->born, &born);
        rep.op = FR__OP_EXIT;
        rep.born = &born;
        rep.obj = s->obj;
        rep.size = m->size;
        fr_handle h = {{fr__bits(i, (uint32_t)(st >> 32))}};
        count++;
        bytes += m->size;
        /* The default handler prints the first FR__LEAKS_SHOWN in full (each
         * backtrace costs symbol lookups); a program's handler sees all. */
        if (count <= FR__LEAKS_SHOWN || !fr__handler_is_default())
            fr__violate(FR_V_LEAK, h, "value never dropped (leaked)", &rep);
    }
    if (count && !(fr__options() & FR__OPT_QUIET)) {
        char line[200];
        int w = snprintf(line, sizeof line,
                         "ferrum: %zu handle%s (%zu bytes) never dropped; "
                         "FERRUM_OWNER=noleaks turns this report off\n",
                         count, count == 1 ? "" : "s", bytes);
        if (w > 0 && write(2, line, (size_t)w) < 0) { /* nothing more to do */ }
    }
}

static pthread_once_t arm_once = PTHREAD_ONCE_INIT;

/* fork() while another thread holds the table lock would leave the
 * child's table locked forever: hold it across the fork instead. */
static void fork_prepare(void) { pthread_mutex_lock(&fr__table_lock); }
static void fork_done(void) { pthread_mutex_unlock(&fr__table_lock); }

/* In the child, still holding the lock: note what the parent owns.  mmap
 * (no malloc: the child of a threaded program may not allocate here). */
static void fork_child(void)
{
    uint32_t n = __atomic_load_n(&fr__nslots, __ATOMIC_ACQUIRE);
    if (inherited) munmap(inherited, (size_t)inherited_n * sizeof *inherited);
    inherited = NULL;
    inherited_n = 0;
    void *m = n ? mmap(NULL, (size_t)n * sizeof *inherited, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                : MAP_FAILED;
    if (m != MAP_FAILED) {
        inherited = m;
        for (uint32_t i = 1; i < n; i++) {
            uint64_t st = __atomic_load_n(&fr__slot_of(i)->state, __ATOMIC_ACQUIRE);
            inherited[i] = fr__b(st) == FR__B_DEAD ? 0 : (uint32_t)(st >> 32);
        }
        inherited_n = n;
    }
    pthread_mutex_unlock(&fr__table_lock);
}

/* At load time, before any thread of the program can use the table. */
__attribute__((constructor)) static void fork_arm(void)
{
    pthread_atfork(fork_prepare, fork_done, fork_child);
}

static void arm(void)
{
    atexit(leak_check);
}

void fr__leaks_arm(void)
{
    pthread_once(&arm_once, arm);
}

#endif /* FR_CHECKED */
