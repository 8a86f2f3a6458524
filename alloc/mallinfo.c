/*
 * alloc/mallinfo.c — glibc's reporting calls (mallinfo, mallinfo2,
 * malloc_stats, malloc_info) answered with ferrum's figures; built only
 * into libferrum-malloc.so, like export.c.
 *
 * Left to glibc, these would describe glibc's own arena, which a program
 * running on ferrum never uses: monitoring code would read "0 bytes in use".
 * The figures come from fr_stats_get (stats.c):
 *   arena    bytes mapped for small and large blocks (segments)
 *   hblks    live huge blocks (own mappings), hblkhd their bytes
 *   uordblks bytes in live blocks — exact with FERRUM_OPTIONS=stats=1,
 *            which counts every operation; without it the allocator does
 *            not count (that would cost the fast paths), and uordblks is
 *            the mapped size, an upper bound
 *   fordblks arena - uordblks (free space in mapped segments)
 * The other fields (ordblks, smblks, usmblks, fsmblks, keepcost) have no
 * meaning here and are 0.  malloc_stats prints ferrum's summary (the one
 * stats=1 prints at exit) on stderr; malloc_info writes a small XML
 * document with the same figures.
 */
#include "internal.h"

#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>

#define FR_EXPORT __attribute__((visibility("default")))

typedef struct figures {
    uint64_t arena, hblks, hblkhd, uordblks, fordblks;
    bool exact;
} figures;

static figures current(void)
{
    struct fr_stats st;
    fr_stats_get(&st);
    figures f;
    f.hblks = st.huge_allocs >= st.huge_frees ? st.huge_allocs - st.huge_frees : 0;
    f.hblkhd = st.huge_bytes;
    f.arena = st.bytes_mapped >= st.huge_bytes ? st.bytes_mapped - st.huge_bytes : 0;
    f.exact = st.counting;
    if (st.counting) {
        uint64_t small = st.bytes_allocated >= st.huge_bytes ? st.bytes_allocated - st.huge_bytes : 0;
        f.uordblks = small < f.arena ? small : f.arena;
    } else {
        f.uordblks = f.arena;
    }
    f.fordblks = f.arena - f.uordblks;
    return f;
}

FR_EXPORT struct mallinfo2 mallinfo2(void)
{
    figures f = current();
    struct mallinfo2 m = {0};
    m.arena = f.arena;
    m.hblks = f.hblks;
    m.hblkhd = f.hblkhd;
    m.uordblks = f.uordblks;
    m.fordblks = f.fordblks;
    return m;
}

/* The old interface has int fields: saturated, as glibc's wrap instead. */
static int clamp(uint64_t v)
{
    return v > INT32_MAX ? INT32_MAX : (int)v;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
FR_EXPORT struct mallinfo mallinfo(void)
{
    figures f = current();
    struct mallinfo m = {0};
    m.arena = clamp(f.arena);
    m.hblks = clamp(f.hblks);
    m.hblkhd = clamp(f.hblkhd);
    m.uordblks = clamp(f.uordblks);
    m.fordblks = clamp(f.fordblks);
    return m;
}
/* glibc's other name for it (export.c has the __libc_* allocation names) */
FR_EXPORT struct mallinfo __libc_mallinfo(void) { return mallinfo(); }
#pragma GCC diagnostic pop

FR_EXPORT void malloc_stats(void)
{
    fr_stats_print(stderr);
}

FR_EXPORT int malloc_info(int options, FILE *fp)
{
    if (options != 0 || fp == NULL) {
        errno = EINVAL;
        return -1;
    }
    figures f = current();
    fprintf(fp,
            "<malloc version=\"ferrum-1\">\n"
            "<total type=\"mapped\" size=\"%" PRIu64 "\"/>\n"
            "<total type=\"mmap\" count=\"%" PRIu64 "\" size=\"%" PRIu64 "\"/>\n"
            "<system type=\"current\" size=\"%" PRIu64 "\"/>\n"
            "<total type=\"in-use\" size=\"%" PRIu64 "\" exact=\"%s\"/>\n"
            "</malloc>\n",
            f.arena, f.hblks, f.hblkhd, f.arena + f.hblkhd, f.uordblks + f.hblkhd,
            f.exact ? "yes" : "no");
    return 0;
}
