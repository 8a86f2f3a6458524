/*
 * tests/reliability/fork_handles.c — fork while other threads make handles,
 * in many fresh processes: the reproducer of the owner-threads fork flake.
 *
 * Each round forks a fresh process (as Check runs a test); it starts two
 * threads that make and drop handles without pause (so they are inside
 * fr_own_new / fr_drop, recording backtraces, most of the time) and forks
 * FORKS children right away, the first while the threads are still
 * starting.  Each child makes, checks and drops one handle and exits.  A
 * child not done within CHILD_WAIT_S is hung (a lock held across fork): its
 * stack is printed with gdb in batch mode (when installed), it is killed and
 * counted.  Before owner/ made its backtraces and table lock fork-safe,
 * 6 of 1000 rounds hung under CPU load (docs/reliability.md).
 *
 * Usage: fork_handles [ROUNDS]   (default 20, or FR_FORK_ROUNDS)
 * Exit status: 0 when no child hung or failed, 1 otherwise.
 */
#include <ferrum/ferrum.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { FORKS = 50, CHILD_WAIT_S = 10 };

static atomic_int stop;

static void *churn(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        fr_handle h = fr_own_new(fr_heap_allocator(), 32, NULL);
        fr_drop(&h);
    }
    return NULL;
}

/* 0: exited 0; 1: failed; 2: hung (stack printed, killed). */
static int wait_child(pid_t pid)
{
    int st = 0;
    for (long ms = 0;; ms++) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
        if (r < 0) return 1;
        if (ms == CHILD_WAIT_S * 1000L) {
            char cmd[200];
            fprintf(stderr, "fork_handles: child %d hung for %d s; its stack:\n", (int)pid,
                    CHILD_WAIT_S);
            snprintf(cmd, sizeof cmd,
                     "gdb -batch -nx -p %d -ex 'thread apply all bt' </dev/null 2>&1 "
                     "| grep -E '^(#|Thread)' >&2",
                     (int)pid);
            if (system(cmd) != 0) fprintf(stderr, "(no stack: gdb is missing or failed)\n");
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            return 2;
        }
        struct timespec one = {0, 1000000};
        nanosleep(&one, NULL);
    }
}

/* One round, in its own process: exit status 0 ok, 1 failed, 2 hung. */
static int round_main(void)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, churn, NULL) != 0) return 1;
    int worst = 0;
    for (int i = 0; i < FORKS && worst < 2; i++) {
        pid_t pid = fork();
        if (pid < 0) return 1;
        if (pid == 0) {
            fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);
            int ok = fr_is_live(h);
            fr_drop(&h);
            _exit(ok ? 0 : 1);
        }
        int r = wait_child(pid);
        if (r > worst) worst = r;
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    return worst;
}

int main(int argc, char **argv)
{
    const char *env = getenv("FR_FORK_ROUNDS");
    long rounds = argc > 1 ? atol(argv[1]) : env ? atol(env) : 20;
    if (rounds <= 0) {
        fprintf(stderr, "usage: fork_handles [ROUNDS > 0]\n");
        return 2;
    }
    long hung = 0, failed = 0;
    for (long r = 0; r < rounds; r++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork_handles: fork");
            return 1;
        }
        if (pid == 0) _exit(round_main());
        int st;
        waitpid(pid, &st, 0);
        int code = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
        if (code == 2) hung++;
        else if (code != 0) failed++;
    }
    printf("fork_handles: %ld rounds, %ld forks, %ld rounds with a hung child, %ld failed\n",
           rounds, rounds * FORKS, hung, failed);
    return hung || failed ? 1 : 0;
}
