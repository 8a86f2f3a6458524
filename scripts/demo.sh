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
# Debian's programs, not shims (pyenv and the like) that run through shell scripts.
PY3=/usr/bin/python3; [ -x "$PY3" ] || PY3=python3
SQLITE=/usr/bin/sqlite3; [ -x "$SQLITE" ] || SQLITE=sqlite3
hr() { printf '\n==== %s\n' "$*"; }

if [ -f "$B/alloc/libferrum-malloc.so" ]; then
  hr "1. libferrum-malloc.so under python3 (LD_PRELOAD, FERRUM_OPTIONS=stats=1)"
  FERRUM_OPTIONS=stats=1 LD_PRELOAD="$PWD/$B/alloc/libferrum-malloc.so" \
    "$PY3" -c 'import json; d = {str(i): list(range(i % 50)) for i in range(20000)}; print("python3: json of", len(json.dumps(d)), "bytes")'
  hr "1b. ... and under sqlite3"
  FERRUM_OPTIONS=stats=1 LD_PRELOAD="$PWD/$B/alloc/libferrum-malloc.so" \
    "$SQLITE" :memory: 'create table t(x); with recursive c(i) as (select 1 union all select i+1 from c where i < 100000) insert into t select hex(randomblob(16)) from c; select count(*), count(distinct x) from t;'
else
  hr "1. (libferrum-malloc.so is not built yet)"
fi

if [ -x "$B/examples/demo_owner" ]; then
  hr "2. owned handles: a use after move, caught at run time"
  "$B/examples/demo_owner" || true
fi

if [ -x "$B/analyzer/ferrum-check" ]; then
  hr "3. ferrum-check over the examples/ codebase (flags from $B/compile_commands.json)"
  echo "(the *_bad.c programs break a rule on purpose; the *_good.c ones must stay silent)"
  "$B/analyzer/ferrum-check" -p "$B" -j 2 examples/*.c examples/tutorial/*.c || true
fi
