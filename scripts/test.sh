#!/usr/bin/env bash
# scripts/test.sh — README command 2: set up, build and run the whole test suite.
#
# 1. installs the Debian packages that are missing (scripts/setup.sh);
# 2. builds ./build (debugoptimized) and runs every suite with meson test;
# 3. builds ./build-asan (AddressSanitizer + UBSan) and runs every test
#    registered there except the few listed in ASAN_SKIP below, each with
#    the reason it cannot run meaningfully under ASan (docs/reliability.md
#    has the same list).  Tests that preload a library, run valgrind or
#    are fuzz targets are not even registered in a sanitized build (their
#    meson.build files check `sanitize`).  Two groups need other ASan
#    options and run in their own meson test call (ASAN_ENV_* below);
# 4. prints each Check suite's summary and a closing "N passed, N failed"
#    line counting the individual Check tests (plus non-Check tests, one each).
# Exit status: 0 only when every test passed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 2

# Tests of the ASan build that are not run, and why.
declare -A ASAN_SKIP=(
  [malloc-api]="checks that malloc/free resolve to ferrum; under ASan they resolve to ASan's interceptors"
  [alloc-preload]="preloads libferrum-malloc.so into uninstrumented programs (python3, sqlite3, ...); the ASan runtime must come first and replaces malloc itself"
  [alloc-valgrind]="valgrind cannot run an ASan-instrumented program"
  [alloc-helgrind]="valgrind (helgrind, drd) cannot run an ASan-instrumented program"
  [alloc-os]="measures RSS through /proc/self/statm after fr_collect; ASan's shadow memory stays resident and dominates it"
  [stress-malloc-glibc]="control run on the C library's malloc, which under ASan is ASan's allocator; gcc 12's is not fork-safe (forked children hang on its size-class mutex)"
)
# Tests that run with extra ASan options (one meson test call per group).
ASAN_BASE="detect_leaks=1:abort_on_error=0:verify_asan_link_order=0"
# Guard pages must raise SIGSEGV, which ASan's own handler would turn into a report.
ASAN_ENV_SEGV=(alloc-secure)
# Tests that run without leak checking (none today: ferrum-check's early
# exits no longer leak its file list).
ASAN_ENV_NOLEAK=()

status=0
summary() { # $1: build dir, $2: label, $3: log base name
  local log="$1/meson-logs/${3:-testlog}.txt"
  [ -f "$log" ] || return 0
  echo "--- $2: Check suites"
  grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | sed 's/^/  /'
}

echo "=== build (debugoptimized)"
bash scripts/build.sh build || exit 2
echo "=== bench programs (built, not run: benchmarks are not tests)"
ninja -C build -j2 bench >/dev/null || { echo "building the bench target failed"; ninja -C build -j2 bench | tail -20; status=1; }
echo "=== meson test"
meson test -C build --print-errorlogs --num-processes 2 || status=1
summary build "main build"

echo "=== build-asan (address,undefined)"
if bash scripts/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dtests=true; then
  rm -f build-asan/meson-logs/testlog*.json build-asan/meson-logs/testlog*.txt
  registered=$(meson introspect --tests build-asan | /usr/bin/python3 -c '
import json, sys
print("\n".join(t["name"] for t in json.load(sys.stdin)))')
  main=() segv=() noleak=()
  for t in $registered; do
    if [ -n "${ASAN_SKIP[$t]+x}" ]; then continue; fi
    if [[ " ${ASAN_ENV_SEGV[*]} " == *" $t "* ]]; then segv+=("$t")
    elif [[ " ${ASAN_ENV_NOLEAK[*]} " == *" $t "* ]]; then noleak+=("$t")
    else main+=("$t"); fi
  done
  for t in "${!ASAN_SKIP[@]}"; do echo "  not under ASan: $t (${ASAN_SKIP[$t]})"; done
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  asan_run() { # $1: log base, $2: ASAN_OPTIONS, rest: test names
    local base=$1 opts=$2; shift 2
    (($#)) || return 0
    ASAN_OPTIONS=$opts meson test -C build-asan --no-rebuild --print-errorlogs --num-processes 2 \
      --logbase "$base" "$@" || status=1
    summary build-asan "sanitizer build ($base)" "$base"
  }
  asan_run testlog-asan "$ASAN_BASE" "${main[@]}"
  asan_run testlog-asan-segv "$ASAN_BASE:handle_segv=0" "${segv[@]}"
  asan_run testlog-asan-noleak "${ASAN_BASE/detect_leaks=1/detect_leaks=0}" "${noleak[@]}"
else
  status=1
fi

# Count individual tests: Check's summary lines, plus meson tests that are
# not Check programs (one test each).
/usr/bin/python3 - "$status" <<'PY'
import re, sys, json, glob
passed = failed = 0
for path in ["build/meson-logs/testlog.json"] + sorted(glob.glob("build-asan/meson-logs/testlog-asan*.json")):
    try:
        lines = open(path).readlines()
    except OSError:
        continue
    for line in lines:
        t = json.loads(line)
        out = (t.get("stdout") or "") + (t.get("stderr") or "")
        m = re.findall(r"^\d+%: Checks: (\d+), Failures: (\d+), Errors: (\d+)", out, re.M)
        if m:
            for c, f, e in m:
                failed_here = int(f) + int(e)
                passed += int(c) - failed_here
                failed += failed_here
            if t.get("result") not in ("OK", "EXPECTEDFAIL") and not any(int(f)+int(e) for _, f, e in m):
                failed += 1   # the program failed outside its Check tests
        elif t.get("result") in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif t.get("result") != "SKIP":
            failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and sys.argv[1] == "0" else 1)
PY
