#!/bin/bash
# bench/alloc_fastpath/run.sh — instructions per malloc+free pair on the
# fast path, measured with callgrind, for ferrum and the allocators installed
# (glibc, Debian's jemalloc, mimalloc, tcmalloc).
# Usage: bench/alloc_fastpath/run.sh [BUILD_DIR] [N] [SIZE]
#   builds BUILD_DIR's bench_alloc_fastpath and libferrum-malloc.so first.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
n=${2:-1000000}
size=${3:-32}
command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 2; }
ninja -C "$build" bench/alloc_fastpath/bench_alloc_fastpath alloc/libferrum-malloc.so >/dev/null
prog="$build/bench/alloc_fastpath/bench_alloc_fastpath"
lib=/usr/lib/x86_64-linux-gnu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure() { # NAME PRELOAD
    local out="$tmp/cg.$1"
    LD_PRELOAD="$2" valgrind --tool=callgrind --toggle-collect=fastpath_loop \
        --callgrind-out-file="$out" "$prog" "$n" "$size" >/dev/null 2>&1 || { echo "$1: run failed"; return; }
    local ir
    ir=$(awk '/^summary:/ { print $2 }' "$out")
    awk -v name="$1" -v ir="$ir" -v n="$n" 'BEGIN { printf "%-10s %8.1f instructions per malloc(%d)+free pair (%d pairs, %d Ir)\n", name, ir / n, '"$size"', n, ir }'
}
echo "callgrind, $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m)"
measure ferrum "$build/alloc/libferrum-malloc.so"
measure glibc ""
for a in jemalloc:libjemalloc.so.2 mimalloc:libmimalloc.so.2 tcmalloc:libtcmalloc_minimal.so.4; do
    f="$lib/${a#*:}"
    [ -f "$f" ] && measure "${a%%:*}" "$f" || echo "${a%%:*}: not installed ($f)"
done
