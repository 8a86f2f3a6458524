#!/usr/bin/env bash
# scripts/setup.sh — install what ferrum needs on Debian 12, only when missing.
#
# Sourced or run by scripts/demo.sh, scripts/test.sh and bench/run.  Checks
# each package with dpkg-query and calls apt-get (update once, then install)
# only for the ones that are missing, so a second run costs a fraction of a
# second.  Usage: scripts/setup.sh [extra-package ...]
set -euo pipefail

# The one list of dependencies (README "Dependencies" mirrors it).
FERRUM_PACKAGES=(
  gcc make pkg-config meson ninja-build     # build
  check libsubunit-dev                      # Check unit tests
  libunwind-dev                             # backtraces in reports
  valgrind                                  # headers for client requests; memcheck tests
  libclang-14-dev clang-14                  # ferrum-check (libclang C API); ASan/fuzz builds
  libclang-rt-14-dev                        # sanitizer and libFuzzer runtimes
  libjemalloc-dev                           # comparison allocator
  python3 sqlite3 perl git                  # real programs run under the preloaded allocator
  python3-jsonschema                        # the SARIF test validates against a schema
)

missing=()
for p in "${FERRUM_PACKAGES[@]}" "$@"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages and not root; run as root or: apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
