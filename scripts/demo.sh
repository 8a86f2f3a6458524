#!/usr/bin/env bash
# scripts/demo.sh — README command 1: set up, build, and show ferrum at work.
#
# Each part runs only when its component has been built:
#  1. libferrum-malloc.so preloaded under real programs (python3, sqlite3),
#     with FERRUM_OPTIONS=stats=1 printing the allocator's statistics;
#  2. an owned handle misused at run time (examples/), with ferrum's report;
#  3. ferrum-check over the examples/ codebase through compile_commands.json.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 2
bash scripts/build.sh build || exit 2
B=build
hr() { printf '\n==== %s\n' "$*"; }

if [ -f "$B/alloc/libferrum-malloc.so" ]; then
  hr "1. libferrum-malloc.so under python3 (LD_PRELOAD, FERRUM_OPTIONS=stats=1)"
  FERRUM_OPTIONS=stats=1 LD_PRELOAD="$PWD/$B/alloc/libferrum-malloc.so" \
    python3 -c 'import json; d = {str(i): list(range(i % 50)) for i in range(20000)}; print("python3: json of", len(json.dumps(d)), "bytes")'
  hr "1b. ... and under sqlite3"
  FERRUM_OPTIONS=stats=1 LD_PRELOAD="$PWD/$B/alloc/libferrum-malloc.so" \
    sqlite3 :memory: 'create table t(x); with recursive c(i) as (select 1 union all select i+1 from c where i < 100000) insert into t select hex(randomblob(16)) from c; select count(*), count(distinct x) from t;'
else
  hr "1. (libferrum-malloc.so is not built yet)"
fi

if [ -x "$B/examples/demo_owner" ]; then
  hr "2. owned handles: a use after move, caught at run time"
  "$B/examples/demo_owner" || true
fi

if [ -x "$B/analyzer/ferrum-check" ]; then
  hr "3. ferrum-check over examples/ (compile_commands.json of $B)"
  "$B/analyzer/ferrum-check" -p "$B" examples/ || true
fi
