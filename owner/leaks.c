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
 */
#include "internal.h"

#if FR_CHECKED

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define FR__LEAKS_SHOWN 50

static void leak_check(void)
{
    if (fr__options() & FR__OPT_NOLEAKS) return;
    uint32_t n = __atomic_load_n(&fr__nslots, __ATOMIC_ACQUIRE);
    size_t count = 0, bytes = 0;
    for (uint32_t i = 1; i < n; i++) {
        fr__slot *s = fr__slot_of(i);
        uint64_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
        if (fr__b(st) == FR__B_DEAD) continue;
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

/* At load time, before any thread of the program can use the table. */
__attribute__((constructor)) static void fork_arm(void)
{
    pthread_atfork(fork_prepare, fork_done, fork_done);
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
