#!/usr/bin/env bash
# tests/reliability/analyzer_faults.sh — ferrum-check facing broken input:
# it must say clearly what it could not analyze, still analyze the rest,
# exit 2 ("could not do its job"), and never die on a signal.
#
# Usage: analyzer_faults.sh FERRUM_CHECK [robust|partial-db]
#   robust      missing, unreadable (when not root), directory, unparsable
#               and binary-garbage files next to a buggy file whose finding
#               must still be printed; a truncated compile_commands.json, a
#               build directory without one, an empty one.
#   partial-db  a compile_commands.json with one malformed entry among good
#               ones: the good entries must still be analyzed.
set -uo pipefail
fc=$(realpath "$1")   # meson passes it relative to the build directory
mode=${2:-robust}
work=$(mktemp -d "${TMPDIR:-/tmp}/ferrum-anf.XXXXXX")
trap 'chmod -R u+rwx "$work"; rm -rf "$work"' EXIT
cd "$work"
fails=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

cat > bad.c <<'C'
#include <stdlib.h>
void f(void) { char *p = malloc(4); free(p); free(p); }
C
printf 'int main( { return 0\n' > broken.c
head -c 4096 /dev/urandom > garbage.c
mkdir dir.c

run() { # $1: label, rest: ferrum-check arguments; sets rc, out, err
  local label=$1; shift
  "$fc" "$@" >out.txt 2>err.txt
  rc=$?
  out=$(cat out.txt); err=$(cat err.txt)
  if [ $rc -ge 128 ]; then fail "$label: killed by signal $((rc - 128))"; return 1; fi
  return 0
}
expect() { # $1: label, $2: wanted exit status, $3..: words stderr must name
  local label=$1 want=$2; shift 2
  [ $rc -eq "$want" ] || { fail "$label: exit $rc, expected $want"; return; }
  for w in "$@"; do
    grep -q -- "$w" err.txt || { fail "$label: stderr does not name '$w': $err"; return; }
  done
  pass "$label (exit $rc; stderr: $(head -c 120 err.txt | tr '\n' ' '))"
}
finding() { # $1: label — the double free of bad.c was still reported
  grep -q 'bad.c:2:.*\[ferrum-double-free\]' out.txt && pass "$1: bad.c still analyzed" ||
    fail "$1: the finding in bad.c was lost: $out"
}

if [ "$mode" = robust ]; then
  run "missing file" bad.c missing.c && { expect "missing file" 2 missing.c; finding "missing file"; }
  run "directory as file" bad.c dir.c && { expect "directory as file" 2 dir.c; finding "directory as file"; }
  run "unparsable file" broken.c bad.c && { expect "unparsable file" 2 broken.c; finding "unparsable file"; }
  run "binary garbage" garbage.c bad.c && { expect "binary garbage" 2 garbage.c; finding "binary garbage"; }
  if [ "$(id -u)" -ne 0 ]; then
    cp bad.c locked.c && chmod 000 locked.c
    run "unreadable file" bad.c locked.c && { expect "unreadable file" 2 locked.c; finding "unreadable file"; }
  else
    echo "skip unreadable file (running as root: permissions do not stop root)"
  fi
  mkdir trunc nodb empty
  printf '[{"directory": "%s", "file": "bad.c", "arguments": ["cc", "-c", "bad.c"]}, {"dir' "$work" \
    > trunc/compile_commands.json
  run "truncated compile_commands.json" -p trunc && expect "truncated compile_commands.json" 2 compile_commands.json
  run "no compile_commands.json" -p nodb && expect "no compile_commands.json" 2 compile_commands.json
  echo '[]' > empty/compile_commands.json
  run "empty compile_commands.json" -p empty
  [ $rc -eq 0 ] || [ $rc -eq 2 ] && pass "empty compile_commands.json (exit $rc)" ||
    fail "empty compile_commands.json: exit $rc"
else
  mkdir partial
  printf '[{"directory": "%s", "file": "bad.c", "arguments": ["cc", "-c", "bad.c"]},\n {"file": 5},\n {"directory": "%s", "arguments": 7, "file": "x.c"}]\n' \
    "$work" "$work" > partial/compile_commands.json
  run "one malformed entry" -p partial && { expect "one malformed entry" 2 compile_commands.json; finding "one malformed entry"; }
fi
echo "$fails failure(s)"
[ $fails -eq 0 ]
