#!/usr/bin/env bash
# fuzz/run.sh — fuzz for a while, and keep what is worth keeping.
#
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   (default: 600 s each, every
#        target built: alloc owner analyzer)
# Builds the targets in ./build-fuzz (an ordinary configuration; fuzz/
# compiles them with clang-14, see fuzz/meson.build), fuzzes each target for
# SECONDS from its corpus, then merges into fuzz/corpus/<target>/ only the
# new inputs that add coverage (libFuzzer -merge=1), so the corpus in the
# tree stays small.  A crash stops that target: its input is left as
# fuzz/crash-<target>-*; once the bug is fixed, move it to
# fuzz/regress/<target>/, where every short run in the test suite replays it.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}; shift || true
targets=("$@")
((${#targets[@]})) || targets=(alloc owner analyzer)
B=build-fuzz
[ -f $B/build.ninja ] || meson setup $B >/dev/null || exit 2
status=0
for t in "${targets[@]}"; do
  ninja -C $B -j2 "fuzz/fuzz_$t" >/dev/null || { echo "fuzz/run.sh: fuzz_$t does not build here"; status=2; continue; }
  new=$(mktemp -d)
  leaks=1; seeds=()
  if [ "$t" = analyzer ]; then
    leaks=0
    seeds=(tests/analyzer/core tests/analyzer/ownership tests/analyzer/aliasing)   # read only
  fi
  echo "== fuzz_$t: $secs s"
  ASAN_OPTIONS=detect_leaks=$leaks:abort_on_error=1 "$B/fuzz/fuzz_$t" -max_total_time="$secs" \
    -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/crash-$t-" "$new" "fuzz/corpus/$t" "${seeds[@]}" 2>&1 |
    grep -E '^(stat::|==[0-9]+==ERROR|SUMMARY|fuzz_|artifact_prefix)|DONE'
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  "$B/fuzz/fuzz_$t" -merge=1 "fuzz/corpus/$t" "$new" 2>&1 | grep -E 'MERGE-OUTER: [0-9]+ new files'
  rm -rf "$new"
done
exit $status
