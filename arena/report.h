/*
 * arena/report.h — fatal misuse reports of the arena component.
 *
 * This file is private to the arena component.  fr__arena_fatal() prints
 * "ferrum: <message>" and a libunwind backtrace of the caller to stderr, then
 * aborts.  It formats into a static buffer and writes with write(2), so it
 * never allocates through the allocators whose misuse it reports.
 */
#ifndef FERRUM_ARENA_REPORT_H
#define FERRUM_ARENA_REPORT_H

__attribute__((noreturn, format(printf, 1, 2), visibility("hidden")))
void fr__arena_fatal(const char *fmt, ...);

#endif /* FERRUM_ARENA_REPORT_H */
