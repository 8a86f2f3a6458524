/*
 * launch.c — run one command and report its wall time, CPU time and peak RSS.
 *
 * What: `bench_launch RESULT_FILE PRELOAD TIMEOUT_S CMD [ARGS...]` forks, sets
 * LD_PRELOAD=PRELOAD in the child only ("-" for none), execs CMD, waits with
 * wait4() and writes one line to RESULT_FILE:
 *     wall_ns user_us sys_us maxrss_kb exit_code
 * (exit_code is 128+N when the child died of signal N).
 *
 * How and why: Linux keeps a process's peak RSS (ru_maxrss) across execve,
 * and a child forked from a large process starts with the parent's peak.
 * Forking the measured program straight from python3 would report at least
 * python's ~20 MiB for every workload; this launcher is a small C program and
 * does not itself run under the allocator being measured, so the figure
 * belongs to the command.  It also times with CLOCK_MONOTONIC around fork and
 * wait4, and stops a run that exceeds TIMEOUT_S (SIGKILL to its process group).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child;

static void on_alarm(int sig)
{
    (void)sig;
    if (child > 0)
        kill(-child, SIGKILL);
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s RESULT_FILE PRELOAD|- TIMEOUT_S CMD [ARGS...]\n", argv[0]);
        return 2;
    }
    char *end;
    long timeout = strtol(argv[3], &end, 10);
    if (*end || timeout <= 0) {
        fprintf(stderr, "%s: bad timeout '%s'\n", argv[0], argv[3]);
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        fprintf(stderr, "%s: cannot write %s: %s\n", argv[0], argv[1], strerror(errno));
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "%s: fork: %s\n", argv[0], strerror(errno));
        fclose(out);
        return 2;
    }
    if (pid == 0) {
        setpgid(0, 0);
        if (strcmp(argv[2], "-") != 0)
            setenv("LD_PRELOAD", argv[2], 1);
        else
            unsetenv("LD_PRELOAD");
        execvp(argv[4], argv + 4);
        fprintf(stderr, "%s: cannot run %s: %s\n", argv[0], argv[4], strerror(errno));
        _exit(127);
    }
    child = pid;
    setpgid(pid, pid);
    signal(SIGALRM, on_alarm);
    alarm((unsigned)timeout);
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "%s: wait4: %s\n", argv[0], strerror(errno));
            fclose(out);
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    alarm(0);
    long long wall = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    fprintf(out, "%lld %lld %lld %ld %d\n", wall,
            (long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
            (long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec, ru.ru_maxrss, code);
    fclose(out);
    return 0;
}
