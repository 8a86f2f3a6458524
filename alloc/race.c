/*
 * alloc/race.c — ferrum's own synchronisation, told to helgrind and drd.
 *
 * Under helgrind and drd with ferrum kept as the allocator
 * (--soname-synonyms=somalloc=nouserintercepts), those tools see only the
 * pthread calls they intercept.  ferrum synchronises with its own spin lock
 * (fr_lock) and with atomics (the thread_free push and take, the relaxed
 * reads of page descriptors), which they do not understand: a correctly
 * locked program got tens of thousands of "possible data race" reports
 * inside ferrum (QA7 U5).  So, under valgrind only (fr__opt.valgrind, set
 * for memcheck, helgrind and drd; every caller tests it first, so a run
 * outside valgrind executes none of this):
 *   - fr_lock is a writer lock acquired and released (ANNOTATE_RWLOCK_*),
 *     and its flag is excluded from checking;
 *   - a free pushing on another thread's thread_free list happens before
 *     the owner's taking of that list (ANNOTATE_HAPPENS_BEFORE / AFTER on
 *     the list's address);
 *   - segment and huge headers and the segment map are excluded from race
 *     checking: their fields read by other threads are single-writer
 *     values read relaxed by design (internal.h, "Page fields shared
 *     across threads");
 *   - a block handed out is new memory to the tools, as with their own
 *     malloc, so the previous owner's accesses do not race with the new
 *     owner's.
 * drd takes helgrind's request codes for locks, happens-before and new
 * memory (drd.h gives its own names the same values), so one request
 * serves both (issuing drd's too would lock twice); only the exclusion
 * from checking differs, and is issued for each.  A tool ignores requests
 * it does not know; memcheck ignores all of these.
 */
#include "internal.h"

#if defined(FR_HAVE_VALGRIND) && !defined(NVALGRIND)
#include <valgrind/helgrind.h>
#include <valgrind/drd.h>

_Static_assert((int)VG_USERREQ__DRD_ANNOTATE_RWLOCK_ACQUIRED == (int)_VG_USERREQ__HG_PTHREAD_RWLOCK_ACQUIRED &&
                   (int)VG_USERREQ__DRD_ANNOTATE_RWLOCK_RELEASED == (int)_VG_USERREQ__HG_PTHREAD_RWLOCK_RELEASED &&
                   (int)VG_USERREQ__DRD_ANNOTATE_HAPPENS_BEFORE == (int)_VG_USERREQ__HG_USERSO_SEND_PRE &&
                   (int)VG_USERREQ__DRD_ANNOTATE_HAPPENS_AFTER == (int)_VG_USERREQ__HG_USERSO_RECV_POST &&
                   (int)VG_USERREQ__DRD_CLEAN_MEMORY == (int)VG_USERREQ__HG_CLEAN_MEMORY,
               "drd takes helgrind's codes for these requests");

void fr__race_ignore(void *addr, size_t len)
{
    VALGRIND_HG_DISABLE_CHECKING(addr, len);
    VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__DRD_START_SUPPRESSION, addr, len, 0, 0, 0);
}

void fr__race_acquired(void *lock)
{
    fr__race_ignore(lock, sizeof(fr_lock)); /* the flag's own test-and-set and clear */
    ANNOTATE_RWLOCK_ACQUIRED(lock, 1);      /* = drd's VG_USERREQ__DRD_ANNOTATE_RWLOCK_ACQUIRED */
}

void fr__race_releasing(void *lock)
{
    ANNOTATE_RWLOCK_RELEASED(lock, 1);
}

void fr__race_send(void *obj)
{
    ANNOTATE_HAPPENS_BEFORE(obj); /* = drd's VG_USERREQ__DRD_ANNOTATE_HAPPENS_BEFORE */
}

void fr__race_recv(void *obj)
{
    ANNOTATE_HAPPENS_AFTER(obj);
}

void fr__race_new(void *addr, size_t len)
{
    VALGRIND_HG_CLEAN_MEMORY(addr, len); /* = drd's VG_USERREQ__DRD_CLEAN_MEMORY */
}
#else
void fr__race_acquired(void *lock) { (void)lock; }
void fr__race_releasing(void *lock) { (void)lock; }
void fr__race_send(void *obj) { (void)obj; }
void fr__race_recv(void *obj) { (void)obj; }
void fr__race_ignore(void *addr, size_t len) { (void)addr, (void)len; }
void fr__race_new(void *addr, size_t len) { (void)addr, (void)len; }
#endif
