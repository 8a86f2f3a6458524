#!/usr/bin/env bash
# scripts/test.sh — README command 2: set up, build and run the whole test suite.
#
# 1. installs the Debian packages that are missing (scripts/setup.sh);
# 2. builds ./build (debugoptimized) and runs every suite with meson test;
# 3. builds ./build-asan (AddressSanitizer + UBSan) and runs the suites
#    marked as sanitizer-safe there;
# 4. prints each Check suite's summary and a closing "N passed, N failed"
#    line counting the individual Check tests (plus non-Check tests, one each).
# Exit status: 0 only when every test passed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 2

status=0
summary() { # $1: build dir, $2: label
  local log="$1/meson-logs/testlog.txt"
  [ -f "$log" ] || return 0
  echo "--- $2: Check suites"
  grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | sed 's/^/  /'
}

echo "=== build (debugoptimized)"
bash scripts/build.sh build || exit 2
echo "=== meson test"
meson test -C build --print-errorlogs --num-processes 2 || status=1
summary build "main build"

echo "=== build-asan (address,undefined)"
if bash scripts/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dtests=true; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C build-asan --suite sanitize --print-errorlogs --num-processes 2 || status=1
  summary build-asan "sanitizer build"
else
  status=1
fi

# Count individual tests: Check's summary lines, plus meson tests that are
# not Check programs (one test each).
python3 - "$status" <<'PY'
import re, sys, json, os
passed = failed = 0
for d in ("build", "build-asan"):
    path = os.path.join(d, "meson-logs", "testlog.json")
    if not os.path.exists(path):
        continue
    for line in open(path):
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
