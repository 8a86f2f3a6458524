#!/bin/sh
# fuzz/run_fuzz.sh — one short libFuzzer run, as registered with meson test.
#
# Usage: run_fuzz.sh FUZZER CORPUS_DIR REGRESS_DIR SECONDS [RUNS [SEED_DIR...]]
#  1. replays every input kept in REGRESS_DIR (crashes found earlier, now
#     fixed): each must run clean;
#  2. fuzzes for SECONDS (or RUNS executions, whichever comes first) from
#     CORPUS_DIR and the SEED_DIRs (read only: the analyzer target starts
#     from the analyzer's test corpus itself, not from copies of it).  New
#     inputs go to a temporary directory, never into the tree's corpus
#     (fuzz/run.sh merges them on purpose).
# A crash leaves its input as ./fuzz-crash-<target>-* in the working
# directory (the build directory under meson test) and prints it in hex.
set -eu
bin=$1 corpus=$2 regress=$3 secs=$4 runs=${5:--1}
shift 4; [ $# -gt 0 ] && shift   # "$@" is now the seed directories
name=$(basename "$bin")
work=$(mktemp -d "${TMPDIR:-/tmp}/ferrum-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

replay() {
  set -- "$regress"/*
  if [ -e "$1" ]; then
    echo "== $name: replaying $# regression input(s) from $regress"
    "$bin" -runs=1 "$@"
  fi
}
[ -d "$regress" ] && replay

echo "== $name: fuzzing for ${secs}s from $corpus"
status=0
mkdir "$work/new"
"$bin" -max_total_time="$secs" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$PWD/fuzz-crash-$name-" "$work/new" "$corpus" "$@" \
  >"$work/log" 2>&1 || status=$?
# The progress lines are many; keep the start, the errors and the final stats.
grep -v -E '^#[0-9]+.*(NEW|REDUCE|pulse)' "$work/log" | tail -60
if [ $status -ne 0 ]; then
  f=$(ls -t "$PWD"/fuzz-crash-"$name"-* 2>/dev/null | head -1)
  if [ -n "$f" ]; then
    echo "== $name: crash input $f:"
    od -A d -t x1 "$f" | head -40
  fi
  echo "== $name: FAILED (exit $status)"
  [ $status -eq 77 ] && status=1   # 77 would read as "skipped" to meson
fi
exit $status
