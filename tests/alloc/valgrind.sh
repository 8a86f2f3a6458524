#!/bin/sh
# tests/alloc/valgrind.sh — memcheck keeps working on ferrum.
# Runs the use-after-free program (linked with -lferrum-malloc) under
# valgrind, checks that it ran on ferrum (not on memcheck's malloc), and requires memcheck's report of the invalid read, with the
# free() stack, and the leak check's verdict on the blocks it leaks (all
# "definitely lost", QA F2).  Skipped (exit 77) when valgrind is not installed.
# Usage: valgrind.sh UAF_PROGRAM
set -u
prog="$1"
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed: skipped"; exit 77; }
# By default memcheck replaces malloc in every object, ferrum's included;
# nouserintercepts keeps ferrum running and memcheck learns about its
# blocks from ferrum's client requests (the line docs/guide-malloc.md gives).
out=$(valgrind --tool=memcheck --error-exitcode=9 --soname-synonyms=somalloc=nouserintercepts --leak-check=full "$prog" 2>&1)
rc=$?
echo "$out"
fail() { echo "FAIL: $*"; exit 1; }
echo "$out" | grep -q "usable(1)=16" || fail "the program did not run on ferrum"
[ "$rc" -eq 9 ] || fail "memcheck reported no error (exit $rc)"
echo "$out" | grep -q "Invalid read of size 1" || fail "no 'Invalid read' for the use-after-free"
echo "$out" | grep -q "inside a block of size 64 free'd" || fail "memcheck did not see the block as freed"
echo "$out" | grep -q "release" || fail "the free() stack does not show release()"
echo "$out" | grep -qE "fr__free_(slow|other|full)" || fail "the free() stack is not ferrum's free"
echo "$out" | grep -q "Invalid write of size 1" || fail "no 'Invalid write' for the overflow"
echo "$out" | grep -q "0 bytes after a block of size 100 alloc'd" || fail "memcheck did not see the block bounds"
echo "$out" | grep -q "0 bytes after a block of size 3,000,000 alloc'd" || fail "memcheck did not see a huge block's bounds"
echo "$out" | grep -q "0 bytes after a block of size 140,000 alloc'd" || fail "memcheck did not see a large block's bounds"
echo "$out" | grep -q "0 bytes after a block of size 1,048,576 alloc'd" || fail "memcheck did not see the end of a block that fills its page's class"
[ "$(echo "$out" | grep -c "Invalid write")" -eq 4 ] || fail "expected 4 invalid writes (the 4 overflows), not a write within malloc_usable_size"
# All 52 leaked blocks are lost, none "still reachable" through ferrum's
# own data (QA F2).  About 1 run in 20 (also at f96caad) memcheck calls the
# 1 MiB block "possibly lost": an interior pointer left on the stack or in a
# register by memset, depending on the environment's size; so definitely +
# possibly lost must make up the 52 blocks.
num() { echo "$out" | sed -n "s/.*$1: \([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1 \2/p" | tr -d , | head -1; }
set -- $(num "definitely lost") 0 0
def_b=$1 def_n=$2
set -- $(num "possibly lost") 0 0
pos_b=$1 pos_n=$2
[ $((def_b + pos_b)) -eq 4200529 ] && [ $((def_n + pos_n)) -eq 52 ] && [ "$def_n" -ge 51 ] ||
    fail "the 52 leaked blocks (4,200,529 bytes) are not all lost: definitely $def_b in $def_n, possibly $pos_b in $pos_n"
echo "$out" | grep -q "still reachable: 0 bytes in 0 blocks" || fail "blocks still reachable (through ferrum's data?)"
echo "$out" | grep -q "^done" || true
echo "PASS: memcheck reports use-after-free, overflow and leaks on ferrum"
