#!/usr/bin/env bash
# tests/reliability/misuse/misuse_table.sh — run every heap-misuse program
# under glibc, under libferrum-malloc.so, and under libferrum-malloc.so with
# FERRUM_OPTIONS=secure=1, and print a Markdown table of what each caught.
#
# Usage: misuse_table.sh [BUILD_DIR]   (default: build; needs
#   BUILD_DIR/tests/reliability/misuse/misuse and BUILD_DIR/alloc/libferrum-malloc.so)
# Verdicts: "caught" = aborted (SIGABRT) with a diagnostic on stderr;
# "crash (SIGSEGV)" = died on a signal without a diagnostic (the program
# stopped, but nothing said why); "-" = ran to the end, the misuse went
# unnoticed; "n/a" = the C library lacks the function the case misuses;
# "hang" = still running after 10 s.
set -uo pipefail
cd "$(dirname "$0")/../../.."
B=${1:-build}
BIN=$B/tests/reliability/misuse/misuse
SO=$PWD/$B/alloc/libferrum-malloc.so
[ -x "$BIN" ] || { echo "misuse_table: $BIN not built (ninja -C $B)" >&2; exit 2; }
cols=("glibc")
[ -f "$SO" ] && cols+=("ferrum" "ferrum secure=1")

verdict() { # $@: env assignments; prints the verdict of running case $CASE
  local err rc
  err=$(env "$@" timeout 10 "$BIN" "$CASE" 2>&1 >/dev/null)
  rc=$?
  if [ $rc -eq 0 ]; then echo "-"
  elif [ $rc -eq 3 ]; then echo "n/a"
  elif [ $rc -eq 124 ]; then echo "hang"
  elif [ $rc -eq 134 ] && [ -n "$err" ]; then echo "caught"
  elif [ $rc -gt 128 ]; then echo "crash ($(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128))))"
  else echo "exit $rc"
  fi
}

declare -A caught total
printf '| case | class |'; for c in "${cols[@]}"; do printf ' %s |' "$c"; done; echo
printf '|---|---|'; for _ in "${cols[@]}"; do printf '%s' '---|'; done; echo
while read -r CASE klass; do
  row="| $CASE | $klass |"
  for c in "${cols[@]}"; do
    case $c in
      glibc) v=$(verdict LD_PRELOAD=) ;;
      ferrum) v=$(verdict LD_PRELOAD="$SO" FERRUM_OPTIONS=) ;;
      *) v=$(verdict LD_PRELOAD="$SO" FERRUM_OPTIONS=secure=1) ;;
    esac
    row+=" $v |"
    [ "$v" != "n/a" ] && total[$c]=$(( ${total[$c]:-0} + 1 ))
    [ "$v" = "caught" ] && caught[$c]=$(( ${caught[$c]:-0} + 1 ))
  done
  echo "$row"
done < <("$BIN" --list)
printf '| **caught** | |'
for c in "${cols[@]}"; do printf ' **%s / %s** |' "${caught[$c]:-0}" "${total[$c]:-0}"; done; echo
