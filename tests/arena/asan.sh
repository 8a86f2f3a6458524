#!/bin/sh
# tests/arena/asan.sh — an AddressSanitizer build of misuse.c (and of the
# arena sources) must report each bug and stay silent in its clean run.
# Usage: asan.sh MISUSE_ASAN_PROGRAM
prog="$1"
status=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for case in clean arena-overread arena-after-rewind arena-after-reset slab-after-free region-overread \
        arena-underflow slab-underflow region-underflow; do
    ASAN_OPTIONS=detect_leaks=1:exitcode=66:abort_on_error=0 "$prog" "$case" >"$out" 2>&1
    rc=$?
    if [ "$case" = clean ]; then
        if [ $rc -ne 0 ]; then echo "FAIL $case: exit $rc, expected 0"; cat "$out"; status=1
        else echo "ok   $case: no report"; fi
    else
        if [ $rc -ne 66 ] || ! grep -q "AddressSanitizer: use-after-poison" "$out"; then
            echo "FAIL $case: exit $rc, expected an AddressSanitizer report and exit 66"; cat "$out"; status=1
        else echo "ok   $case: $(grep -m1 'ERROR: AddressSanitizer' "$out" | sed 's/^==[0-9]*==//')"; fi
    fi
done
exit $status
