#!/bin/sh
# tests/arena/memcheck.sh — memcheck must report each bug of misuse.c and
# nothing in its clean run.  Usage: memcheck.sh MISUSE_PROGRAM
# Exit 77 (meson: skipped) when valgrind is not installed.
prog="$1"
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed: skipped"; exit 77; }
status=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for case in clean arena-overread arena-after-rewind arena-after-reset slab-after-free region-overread \
        arena-underflow slab-underflow region-underflow; do
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$prog" "$case" >"$out" 2>&1
    rc=$?
    if [ "$case" = clean ]; then
        if [ $rc -ne 0 ]; then echo "FAIL $case: exit $rc, expected 0"; cat "$out"; status=1
        else echo "ok   $case: no report"; fi
    else
        if [ $rc -ne 99 ] || ! grep -q "Invalid read" "$out"; then
            echo "FAIL $case: exit $rc, expected memcheck's 'Invalid read' and exit 99"; cat "$out"; status=1
        else echo "ok   $case: $(grep -m1 'Invalid read' "$out" | sed 's/^==[0-9]*== //')"; fi
    fi
done
exit $status
