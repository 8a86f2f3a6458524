/*
 * alloc/stats.c — statistics: fr_stats_get, fr_stats_print and the summary
 * printed at exit with FERRUM_OPTIONS=stats=1.
 *
 * Mapped and purged bytes and huge-block counts are kept always (they
 * change on slow paths only).  Operation counters (mallocs, bytes requested,
 * live and peak bytes, per-class counts) would cost the fast paths, so they
 * are kept only with stats=1, which runs every operation through the slow
 * paths (init.c).  Printing formats into a stack buffer with snprintf and
 * writes with write(2) at exit: no allocation, no stdio state needed.
 */
#include "internal.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t process_rss(void)
{
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char buf[128];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    const char *s = buf;
    while (*s && *s != ' ') s++; /* skip size */
    uint64_t pages = 0;
    while (*s == ' ') s++;
    while (*s >= '0' && *s <= '9') pages = pages * 10 + (uint64_t)(*s++ - '0');
    return pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

FR_API void fr_stats_get(struct fr_stats *out)
{
    if (out == NULL) return;
    memset(out, 0, sizeof *out);
    out->counting = fr__opt.stats;
    out->mallocs = atomic_load(&fr__st_retired[0]);
    out->frees = atomic_load(&fr__st_retired[1]);
    out->bytes_requested = atomic_load(&fr__st_retired[2]);
    out->bytes_allocated = atomic_load(&fr__st_retired[3]);
    out->bytes_peak = atomic_load(&fr__st_retired[4]);
    out->bytes_mapped = atomic_load(&fr__st_mapped);
    out->bytes_mapped_peak = atomic_load(&fr__st_peak_mapped);
    out->bytes_purged = atomic_load(&fr__st_purged);
    out->bytes_resident = process_rss();
    out->huge_allocs = atomic_load(&fr__st_huge_allocs);
    out->huge_frees = atomic_load(&fr__st_huge_frees);
    out->huge_bytes = atomic_load(&fr__st_huge_bytes);
    /* the public table (its size is ABI) has the 48 classes up to 128 KiB
     * and one row for every block above: the 12 large classes (128 KiB ..
     * 1 MiB, size_class.c) and huge blocks together; the printed summary
     * shows them apart (QA7 U2) */
    _Static_assert(FR_STATS_CLASSES == FR_LARGE_CLASS + 1, "fr_stats rows: the classes to 128 KiB + one");
    for (unsigned c = 0; c < FR_LARGE_CLASS; c++) {
        out->class_size[c] = fr__class_size[c];
        out->class_count[c] = atomic_load(&fr__st_retired_class[c]);
    }
    out->class_size[FR_LARGE_CLASS] = 0;
    for (unsigned c = FR_LARGE_CLASS; c <= FR_CLASSES; c++)
        out->class_count[FR_LARGE_CLASS] += atomic_load(&fr__st_retired_class[c]);
}

/* the process that armed the summary (read FERRUM_OPTIONS); 0 when
 * fr_stats_print is called without stats=1 */
static pid_t stats_pid;

/* Format the summary line by line and hand each line to emit(). */
static void stats_format(void (*emit)(const char *line, void *arg), void *arg)
{
    struct fr_stats st;
    fr_stats_get(&st);
    char line[256];
#define LINE(...) (snprintf(line, sizeof line, __VA_ARGS__), emit(line, arg))
    if (stats_pid && getpid() != stats_pid) /* a forked child that did not exec (QA11 A4) */
        LINE("ferrum statistics (pid %d, forked from pid %d: the counts include that process's before the fork)\n",
             (int)getpid(), (int)stats_pid);
    else
        LINE("ferrum statistics (pid %d)\n", (int)getpid());
    if (st.counting) {
        LINE("  mallocs %" PRIu64 ", frees %" PRIu64 "\n", st.mallocs, st.frees);
        LINE("  bytes requested %" PRIu64 ", live %" PRIu64 ", peak %" PRIu64 "\n", st.bytes_requested,
             st.bytes_allocated, st.bytes_peak);
    } else {
        LINE("  (operation counts need FERRUM_OPTIONS=stats=1)\n");
    }
    LINE("  mapped %" PRIu64 " (peak %" PRIu64 "), purged in total %" PRIu64 ", resident (process) %" PRIu64 "\n",
         st.bytes_mapped, st.bytes_mapped_peak, st.bytes_purged, st.bytes_resident);
    LINE("  huge blocks: %" PRIu64 " allocated, %" PRIu64 " freed, %" PRIu64 " bytes live\n", st.huge_allocs,
         st.huge_frees, st.huge_bytes);
    if (st.counting) {
        /* every class, large ones included, then the huge blocks (their
         * own mappings: above 1 MiB, or 128 KiB with secure=1) */
        LINE("  allocations per size class:\n");
        for (unsigned c = 0; c <= FR_CLASSES; c++) {
            uint64_t n = atomic_load(&fr__st_retired_class[c]);
            if (n == 0) continue;
            if (c < FR_CLASSES) LINE("    %8u B  %" PRIu64 "\n", fr__class_size[c], n);
            else LINE("        huge  %" PRIu64 "\n", n);
        }
    }
#undef LINE
}

static void emit_file(const char *line, void *arg)
{
    fputs(line, (FILE *)arg);
}

static void emit_fd(const char *line, void *arg)
{
    int fd = *(int *)arg;
    size_t len = strlen(line), off = 0;
    while (off < len) {
        ssize_t n = write(fd, line + off, len - off);
        if (n <= 0) break;
        off += (size_t)n;
    }
}

FR_API void fr_stats_print(FILE *out)
{
    if (out == NULL) out = stderr;
    stats_format(emit_file, out);
    fflush(out);
}

/* The summary goes to the stderr the program started with: many programs
 * (coreutils' close_stdout) close fd 2 before exit handlers run, and a
 * program may even reuse fd 2 for a file.  A duplicate taken at start, out
 * of the way of low descriptors and closed on exec, survives both.  But a
 * program may also close every descriptor (daemons, closefrom()) and open
 * its own files, one of which can get the duplicate's number: at exit the
 * duplicate is used only if it is still the file it was (device and inode
 * of the same open file), else fd 2 if that is, else nothing is written
 * rather than into one of the program's files (QA11 A2). */
static int stats_fd = 2;
static dev_t stats_dev;
static ino_t stats_ino;
static bool stats_known;

static bool still_stderr(int fd)
{
    struct stat st;
    return fcntl(fd, F_GETFD) >= 0 && fstat(fd, &st) == 0 && st.st_dev == stats_dev && st.st_ino == stats_ino;
}

static void stats_at_exit(void)
{
    /* a copy of the engine that never allocated (libferrum loaded next to
     * libferrum-malloc.so) has nothing to say */
    if (atomic_load(&fr__st_retired[0]) == 0 && atomic_load(&fr__st_mapped) == 0) return;
    int fd = stats_fd;
    if (!stats_known) return; /* no stderr at start (2>&-): fd 2 may be a file of the program's now */
    if (!still_stderr(fd)) {
        if (!still_stderr(2)) return;
        fd = 2;
    }
    stats_format(emit_fd, &fd);
}

void fr__stats_arm(void)
{
    stats_pid = getpid();
    int fd = fcntl(2, F_DUPFD_CLOEXEC, 64);
    if (fd >= 0) stats_fd = fd;
    struct stat st;
    if (fstat(stats_fd, &st) == 0) {
        stats_dev = st.st_dev;
        stats_ino = st.st_ino;
        stats_known = true;
    }
    atexit(stats_at_exit);
}
