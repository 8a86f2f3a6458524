/*
 * tests/common/child.h — run a function in a forked child and capture what
 * it writes to stderr.
 *
 * Tests of reports (an abort message and its backtrace) need the text a
 * process prints just before it dies.  Check already forks each test, but a
 * test that is expected to die cannot look at its own output, so such a test
 * forks once more: the child runs fn(arg) with its stderr on a pipe, then
 * _exit(0)s if fn returns; the parent reads the pipe to its end and waits.
 * Header-only (static functions), so any Check suite can include it without
 * a build change: #include "../common/child.h".
 */
#ifndef FERRUM_TESTS_COMMON_CHILD_H
#define FERRUM_TESTS_COMMON_CHILD_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run fn(arg) in a child whose stderr goes to out (NUL-terminated, at most
 * cap - 1 bytes kept).  Returns the child's wait status, or -1 when the pipe
 * or the fork fails (out is then ""). */
static inline int fr_test_run_child(void (*fn)(void *), void *arg, char *out, size_t cap)
{
    int fd[2];
    if (cap) out[0] = 0;
    if (pipe(fd) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 2);
        fn(arg);
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t r;
    char sink[256];
    for (;;) { /* read to the end (past cap too, so the child never blocks) */
        if (n + 1 < cap) r = read(fd[0], out + n, cap - 1 - n);
        else r = read(fd[0], sink, sizeof sink);
        if (r <= 0) break;
        if (n + 1 < cap) n += (size_t)r;
    }
    if (cap) out[n] = 0;
    close(fd[0]);
    int st;
    if (waitpid(pid, &st, 0) != pid) return -1;
    return st;
}

/* The child died of SIGABRT. */
static inline int fr_test_aborted(int st) { return st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT; }

/* fork() while two threads run churn(stop) (which loops until *stop is
 * set): each of nforks children runs child() under a 5 s alarm and must
 * exit 0.  Returns how many did not (hung on a lock held at the fork, or
 * failed); -1 when the threads or a fork could not be made.  Include
 * <pthread.h> before this header to use it. */
#ifdef PTHREAD_MUTEX_INITIALIZER
static inline int fr_test_forks_failed(void *(*churn)(void *), _Atomic int *stop, void (*child)(void), int nforks)
{
    pthread_t t[2];
    *stop = 0;
    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, churn, (void *)stop) != 0) return -1;
    int failed = 0;
    for (int n = 0; n < nforks && failed >= 0; n++) {
        pid_t pid = fork();
        if (pid < 0) {
            failed = -1;
            break;
        }
        if (pid == 0) {
            alarm(5);
            child();
            _exit(0);
        }
        int st;
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) failed++;
    }
    *stop = 1;
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    return failed;
}
#endif

#endif /* FERRUM_TESTS_COMMON_CHILD_H */
