/*
 * tests/alloc/atfork_lib.c — preloaded after libferrum-malloc.so by the
 * alloc-atfork test: its constructor runs before ferrum registers its fork
 * handlers, so its prepare handler runs after ferrum's (which holds the
 * allocator's global locks then) and its parent/child handlers before
 * ferrum's release them.  Each handler allocates and frees small, large and
 * huge blocks, as glibc allows (QA7 U15: fork spun forever in fr__lock).
 * The handlers count their runs in fr_test_atfork_runs (read by the program
 * with dlsym) and abort if a block's contents changed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

__attribute__((visibility("default"))) int fr_test_atfork_runs[3]; /* prepare, parent, child */

static const size_t sizes[] = {1000, 40000, 300000, 5u << 20};
#define NSIZES (sizeof sizes / sizeof sizes[0])
static unsigned char *kept[NSIZES];

static void fill(unsigned char tag)
{
    for (size_t i = 0; i < NSIZES; i++) {
        kept[i] = malloc(sizes[i]);
        if (kept[i] == NULL) abort();
        memset(kept[i], tag, 64);
        memset(kept[i] + sizes[i] - 64, tag, 64);
    }
}

static void check_and_free(unsigned char tag)
{
    for (size_t i = 0; i < NSIZES; i++) {
        if (kept[i] == NULL) continue;
        for (size_t j = 0; j < 64; j++)
            if (kept[i][j] != tag || kept[i][sizes[i] - 64 + j] != tag) abort();
        free(kept[i]);
        kept[i] = NULL;
    }
}

static void prepare(void)
{
    fr_test_atfork_runs[0]++;
    check_and_free(0x5a); /* the blocks the last parent handler left */
    fill(0xa5);
}

static void parent(void)
{
    fr_test_atfork_runs[1]++;
    check_and_free(0xa5);
    fill(0x5a); /* kept until the next fork's prepare handler */
}

static void child(void)
{
    fr_test_atfork_runs[2]++;
    check_and_free(0xa5);
    fill(0x3c);
    check_and_free(0x3c);
}

__attribute__((constructor)) static void register_handlers(void)
{
    pthread_atfork(prepare, parent, child);
}
