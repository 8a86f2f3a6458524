#!/bin/sh
# tests/alloc/helgrind.sh — helgrind and drd run a correctly locked program
# on ferrum (valgrind's --soname-synonyms=somalloc=nouserintercepts keeps
# ferrum as the allocator) without a single report: ferrum tells them about
# its own locks and hand-overs (alloc/race.c; QA7 U5: 7,140 false reports
# from 206 contexts under helgrind before).  Skipped (exit 77) when valgrind
# is not installed.
# Usage: helgrind.sh LOCKED_THREADS_PROGRAM
set -u
prog="$1"
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed: skipped"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
for tool in helgrind drd; do
    out=$(valgrind --tool=$tool --error-exitcode=9 --soname-synonyms=somalloc=nouserintercepts "$prog" 2>&1)
    rc=$?
    echo "$out"
    echo "$out" | grep -q "^on ferrum" || fail "$tool: the program did not run on ferrum"
    echo "$out" | grep -q "^done" || fail "$tool: the program did not finish (exit $rc)"
    echo "$out" | grep -q "ERROR SUMMARY: 0 errors" || fail "$tool reported errors"
    [ "$rc" -eq 0 ] || fail "$tool: exit $rc"
    # ... and the program's own race on a malloc'd block is still reported
    out=$(valgrind --tool=$tool --soname-synonyms=somalloc=nouserintercepts "$prog" race 2>&1)
    echo "$out" | tail -3
    echo "$out" | grep -q "^on ferrum" || fail "$tool (race): the program did not run on ferrum"
    echo "$out" | grep -qE "Possible data race|Conflicting (load|store)" || fail "$tool did not report the program's race"
    echo "$out" | grep -qE "racer \(locked_threads.c" || fail "$tool's race report does not point at racer()"
done
echo "PASS: helgrind and drd report nothing on a correctly locked program running on ferrum, and a real race"
