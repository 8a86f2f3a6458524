#!/usr/bin/env bash
# scripts/sanitize.sh — the test suite under ThreadSanitizer and valgrind.
#
# scripts/test.sh already runs suite 'sanitize' under ASan+UBSan
# (build-asan).  This script adds the two other tools:
#   tsan      builds ./build-tsan (-Db_sanitize=thread), only the
#             programs its tests need (targets_for below: tests/alloc's
#             alloc_uaf and tests/arena's misuse_asan are built with their
#             own sanitizer settings and cannot link in a TSan build), and
#             runs suite 'sanitize' plus alloc-threads there: every
#             multi-threaded test (stress-fr, stress-slab, stress-owner,
#             owner-threads, alloc-threads, slab) and the single-threaded
#             unit tests that are sound under a sanitizer;
#   valgrind  runs the unit tests of ./build (suites common, alloc, arena,
#             owner) under `valgrind --tool=memcheck --error-exitcode=1`
#             through meson test --wrapper.  Tests that are scripts (they
#             run valgrind, ASan or a preload themselves), that preload a
#             library or run valgrind, and malloc-api and slab-rlimit (see
#             the messages below) are left out: memcheck cannot wrap them
#             meaningfully.
#             tests/reliability/valgrind.supp silences libunwind's
#             memory-probe write(2), which is not ferrum's.
# Usage: scripts/sanitize.sh [tsan|valgrind|all]   (default: all)
# Prints, per tool, the tests that failed, and exits 1 if any did.
# Environment: SANITIZE_JOBS (default 2) parallel tests; SANITIZE_BUILD
# (default build) the plain build whose unit tests memcheck runs.
set -uo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
jobs=${SANITIZE_JOBS:-2}
B=${SANITIZE_BUILD:-build}
status=0

failed_of() { # $1: meson's JSON test log -> names of the tests that did not pass
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
bad = []
for line in open(sys.argv[1]):
    t = json.loads(line)
    if t.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL"):
        bad.append(f'{t["name"]} ({t.get("result")})')
print("\n".join(bad))
PY
}

report() { # $1: label, $2: meson's JSON test log
  local bad
  bad=$(failed_of "$2")
  if [ -n "$bad" ]; then
    echo "--- $1: FAILED"
    printf '%s\n' "$bad" | sed 's/^/  /'
    status=1
  else
    echo "--- $1: every test passed"
  fi
}

targets_for() { # $1: build dir, then suites or test names -> the ninja targets their tests run
  meson introspect --tests "$1" >/tmp/ferrum-tests.$$.json
  meson introspect --targets "$1" >/tmp/ferrum-targets.$$.json
  /usr/bin/python3 - "$@" /tmp/ferrum-tests.$$.json /tmp/ferrum-targets.$$.json <<'PY'
import json, os, sys
b, want, tests_f, targets_f = sys.argv[1], set(sys.argv[2:-2]), sys.argv[-2], sys.argv[-1]
files = {t["id"]: t["filename"] for t in json.load(open(targets_f))}
babs = os.path.realpath(b)
out = set()
for t in json.load(open(tests_f)):
    if not (want & {s.split(":")[-1] for s in t["suite"]} or t["name"] in want):
        continue
    paths = [p for p in t["cmd"] + t.get("args", []) if isinstance(p, str)]
    for d in t.get("depends", []):
        paths += files.get(d, [])
    for p in paths:
        rp = os.path.realpath(p)
        if rp.startswith(babs + "/"):
            out.add(os.path.relpath(rp, babs))
print("\n".join(sorted(out)))
PY
  rm -f /tmp/ferrum-tests.$$.json /tmp/ferrum-targets.$$.json
}

names_for() { # $1: build dir, then suites or test names -> the names of those tests
  meson introspect --tests "$1" | /usr/bin/python3 -c '
import json, sys
want = set(sys.argv[1:])
for t in json.load(sys.stdin):
    if want & {s.split(":")[-1] for s in t["suite"]} or t["name"] in want:
        print(t["name"])' "${@:2}"
}

if [ "$what" = tsan ] || [ "$what" = all ]; then
  echo "=== build-tsan (thread)"
  [ -f build-tsan/build.ninja ] || meson setup build-tsan -Db_sanitize=thread \
    -Db_lundef=false -Dtests=true >/dev/null
  mapfile -t targets < <(targets_for build-tsan sanitize alloc-threads)
  mapfile -t tsan_tests < <(names_for build-tsan sanitize alloc-threads)
  if ! ninja -C build-tsan -k 0 -j"$jobs" "${targets[@]}" >build-tsan/ninja.log 2>&1; then
    echo "--- ThreadSanitizer: some targets do not build under TSan:"
    grep '^FAILED' build-tsan/ninja.log | sed 's/^/  /'
    status=1
  fi
  # CK_TIMEOUT_MULTIPLIER scales Check's own per-test timeouts as
  # --timeout-multiplier scales meson's (TSan runs 5-15x slower).
  CK_TIMEOUT_MULTIPLIER=6 TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 report_signal_unsafe=0" \
    meson test -C build-tsan --no-rebuild --print-errorlogs --num-processes "$jobs" \
    --timeout-multiplier 6 "${tsan_tests[@]}"
  report "ThreadSanitizer (build-tsan: suite sanitize + alloc-threads)" build-tsan/meson-logs/testlog.json
fi

if [ "$what" = valgrind ] || [ "$what" = all ]; then
  echo "=== valgrind memcheck over the unit tests of ./$B"
  [ -f "$B/build.ninja" ] || meson setup "$B" >/dev/null || exit 2
  ninja -C "$B" -k 0 -j"$jobs" >/dev/null 2>&1 || echo "(some targets of $B do not build; their tests fail below)"
  mapfile -t tests < <(meson introspect --tests "$B" | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    suites = {s.split(":")[-1] for s in t["suite"]}
    cmd0 = t["cmd"][0]
    env = " ".join(f"{k}={v}" for k, v in (t.get("env") or {}).items())
    if not suites & {"common", "alloc", "arena", "owner"}:
        continue
    if cmd0.endswith((".sh", ".py")) or "LD_PRELOAD" in env or "python" in cmd0 or "bash" in cmd0:
        continue
    if any("valgrind" in str(a) for a in t["cmd"][1:]):
        continue  # runs valgrind itself (owner-valgrind)
    if t["name"] in ("malloc-api", "slab-rlimit"):
        continue  # see VG_SKIP
    print(t["name"])
')
  # Unit tests memcheck cannot run meaningfully:
  echo "not under memcheck: malloc-api (valgrind replaces malloc in the test program, which asserts that malloc is ferrum's)"
  echo "not under memcheck: slab-rlimit (caps RLIMIT_AS; valgrind's own address-space manager runs out under the cap)"
  echo "not under memcheck: tests that are scripts, preload a library or run valgrind themselves"
  # VG_SKIP: the two names above.
  echo "memcheck runs: ${tests[*]}"
  if ((${#tests[@]})); then
    CK_TIMEOUT_MULTIPLIER=10 \
    meson test -C "$B" --no-rebuild --print-errorlogs --num-processes "$jobs" --timeout-multiplier 10 \
      --wrapper "valgrind --tool=memcheck --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --quiet --suppressions=$PWD/tests/reliability/valgrind.supp" \
      "${tests[@]}"
    # (meson names the log after the wrapper)
    report "valgrind memcheck ($B, unit tests)" "$B/meson-logs/testlog-valgrind.json"
  fi
fi
exit $status
