#!/usr/bin/env python3
"""tests/analyzer/order/test_order.py — the cross-file pre-pass computes
callees' units first, so a cold run parses each unit once.

u1.c -> u2.c -> u3.c -> u4.c is a call chain that frees at its end; the
database lists the callers first (the worst order for a pre-pass that
computes units as listed: 10 computations in 4 rounds).  m1.c calls m2.c
through a macro of order.h, which the order guessed from the source text
cannot see.
Checks, with the cache off (FERRUM_CACHE=0) and on, with -j1 and -j2:
  - the chain's findings are every `expect:` mark of u1.c and nothing else;
  - the chain is computed in one round, each unit once ("4 computed in 1
    round"), and every unit's findings come from the pre-pass's parse
    ("4 units answered without a parse of the checking pass");
  - the hidden call still gives m1.c's finding, one round later (m1.c is
    computed twice: "3 computed in 2 rounds");
  - the output does not depend on -j; a second run with the cache computes
    nothing and prints the same.

Usage: test_order.py FERRUM_CHECK SOURCE_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOOL, SRC = (os.path.abspath(a) for a in sys.argv[1:3])
WARN = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):\d+: warning: .* \[ferrum-(?P<check>[a-z-]+)\]$", re.M)
STATS = re.compile(r"summaries: (\d+) units, (\d+) from the cache, (\d+) computed in (\d+) rounds?")
READY = re.compile(r"findings: (\d+) units answered without a parse")
failures = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("    " + str(detail)[-3000:].replace("\n", "\n    "))


def findings(text):
    return {(os.path.basename(m["file"]), int(m["line"]), m["check"]) for m in WARN.finditer(text)}


def marks(src, files):
    want = set()
    for f in files:
        with open(os.path.join(src, f)) as fh:
            for n, line in enumerate(fh, 1):
                m = re.search(r"expect:\s*([a-z-]+)", line)
                if m:
                    want.add((f, n, m.group(1)))
    return want


def run(build, jobs, cache):
    e = dict(os.environ)
    for k in ("FERRUM_CACHE", "FERRUM_CACHE_DIR", "FERRUM_CROSSFILE"):
        e.pop(k, None)
    e["FERRUM_CACHE_STATS"] = "1"
    if not cache:
        e["FERRUM_CACHE"] = "0"
    p = subprocess.run([TOOL, "--no-snippets", "-q", "-j", str(jobs), "-p", build], capture_output=True,
                       text=True, env=e, timeout=120)
    s = STATS.search(p.stderr)
    r = READY.search(p.stderr)
    return p, (tuple(int(x) for x in s.groups()) if s else None), (int(r.group(1)) if r else None)


with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    shutil.copytree(SRC, src, ignore=shutil.ignore_patterns("*.py"))

    def database(name, files):
        b = os.path.join(tmp, name)
        os.mkdir(b)
        db = [{"directory": src, "file": f, "arguments": ["cc", "-O2", "-c", f]} for f in files]
        with open(os.path.join(b, "compile_commands.json"), "w") as fh:
            json.dump(db, fh)
        return b

    chain = ("u1.c", "u2.c", "u3.c", "u4.c")
    want = marks(src, chain)
    check("u1.c marks a finding", len(want) == 1, want)
    outs = set()
    for cache in (False, True):
        for jobs in (1, 2):
            b = database(f"chain-{int(cache)}-{jobs}", chain)
            p, s, ready = run(b, jobs, cache)
            tag = f"cache {'on' if cache else 'off'}, -j{jobs}"
            check(f"chain, {tag}: the expected findings and nothing else",
                  findings(p.stdout) == want and p.returncode == 1, p.stdout + p.stderr)
            check(f"chain, {tag}: each unit computed once, in one round", s is not None and s[2:] == (4, 1),
                  p.stderr)
            check(f"chain, {tag}: no unit parsed again by the checking pass", ready == 4, p.stderr)
            outs.add(p.stdout)
            if cache:
                p2, s2, _ = run(b, jobs, cache)
                check(f"chain, {tag}: a second run computes nothing and prints the same",
                      s2 is not None and s2[1] == 4 and s2[2] == 0 and p2.stdout == p.stdout, p2.stderr)
    check("chain: the same output with and without the cache, -j1 and -j2", len(outs) == 1, outs)

    hidden = ("m1.c", "m2.c")
    want_m = marks(src, hidden)
    for jobs in (1, 2):
        b = database(f"hidden-{jobs}", hidden)
        p, s, ready = run(b, jobs, False)
        check(f"call hidden in a macro, -j{jobs}: the finding is there",
              findings(p.stdout) == want_m and len(want_m) == 1, p.stdout + p.stderr)
        check(f"call hidden in a macro, -j{jobs}: the caller is computed again in a second round",
              s is not None and s[2:] == (3, 2), p.stderr)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
