/*
 * tests/alloc/atfork_prog.c — the alloc-atfork test's program, run with
 * LD_PRELOAD="libferrum-malloc.so libatfork_lib.so": fork() while atfork
 * handlers registered before ferrum's allocate (atfork_lib.c).  Before the
 * fix of QA7 U15 the first fork spun forever in fr__lock.
 *
 * The forks come from threads that have never allocated (so the handlers'
 * first malloc creates the thread's heap under the held heap lock), after
 * threads that exited leaving blocks behind (so their segments are
 * abandoned and the handlers may adopt one), while another thread keeps
 * allocating small, large and huge blocks (so a lock the forking thread
 * passes through is still closed to every other thread).  Each child
 * allocates, creates a thread and exits; the parent checks every child's
 * exit status and the handlers' run counts.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORKS 24
#define LEAVERS 8

static atomic_int stop;
static void *left[LEAVERS];

static void *churn(void *arg)
{
    (void)arg;
    static const size_t sizes[] = {24, 200, 3000, 40000, 200000, 3u << 20};
    unsigned i = 0;
    while (!atomic_load(&stop)) {
        size_t n = sizes[i++ % 6];
        unsigned char *p = malloc(n);
        if (p == NULL) abort();
        p[0] = p[n - 1] = 7;
        free(p);
    }
    return NULL;
}

static void *leave_block(void *arg)
{
    int k = (int)(long)arg;
    left[k] = malloc(k % 2 ? 100 : 50000);
    return NULL;
}

static void *noop(void *arg)
{
    return arg;
}

static void *forker(void *arg)
{
    (void)arg;
    pid_t pid = fork(); /* the thread's first allocation is in the handlers */
    if (pid < 0) return (void *)1;
    if (pid == 0) {
        char *p = malloc(100), *q = malloc(1u << 20);
        pthread_t t;
        int ok = p && q && pthread_create(&t, NULL, noop, NULL) == 0 && pthread_join(t, NULL) == 0;
        free(p);
        free(q);
        _exit(ok ? 0 : 3);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) return (void *)2;
    return NULL;
}

int main(void)
{
    Dl_info info;
    void *m = dlsym(RTLD_DEFAULT, "malloc");
    if (m == NULL || !dladdr(m, &info) || info.dli_fname == NULL || !strstr(info.dli_fname, "ferrum-malloc")) {
        fprintf(stderr, "FAIL: malloc is not ferrum's (run with LD_PRELOAD=libferrum-malloc.so)\n");
        return 1;
    }
    int *runs = dlsym(RTLD_DEFAULT, "fr_test_atfork_runs");
    if (runs == NULL) {
        fprintf(stderr, "FAIL: libatfork_lib.so is not preloaded\n");
        return 1;
    }
    pthread_t t;
    for (long k = 0; k < LEAVERS; k++) {
        if (pthread_create(&t, NULL, leave_block, (void *)k) != 0 || pthread_join(t, NULL) != 0) return 1;
    }
    pthread_t ch;
    if (pthread_create(&ch, NULL, churn, NULL) != 0) return 1;
    int bad = 0;
    for (int i = 0; i < FORKS; i++) {
        void *r;
        if (pthread_create(&t, NULL, forker, NULL) != 0 || pthread_join(t, &r) != 0) return 1;
        if (r != NULL) {
            fprintf(stderr, "FAIL: fork %d: %s\n", i, r == (void *)1 ? "fork failed" : "child failed");
            bad = 1;
        }
    }
    pid_t pid = fork(); /* and once from the main thread */
    if (pid == 0) _exit(malloc(10) ? 0 : 3);
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) bad = 1;
    atomic_store(&stop, 1);
    pthread_join(ch, NULL);
    for (int k = 0; k < LEAVERS; k++) free(left[k]);
    if (runs[0] != FORKS + 1 || runs[1] != FORKS + 1) {
        fprintf(stderr, "FAIL: handlers ran %d/%d times (expected %d)\n", runs[0], runs[1], FORKS + 1);
        bad = 1;
    }
    if (bad) return 1;
    printf("PASS: %d forks with allocating atfork handlers registered before ferrum's\n", FORKS + 1);
    return 0;
}
