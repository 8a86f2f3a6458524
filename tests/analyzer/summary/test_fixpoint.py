#!/usr/bin/env python3
"""tests/analyzer/summary/test_fixpoint.py — the summary fixpoint over the
call graph across files, and its cache.

chain_a.c and chain_b.c call each other back and forth: a 3-deep chain that
frees (top -> static step -> mid -> bottom -> static release), a 6-deep one
alternating files at every level, the same 3-deep chain for a handle that
is dropped at the end, a callee with no effect at all whose caller then
returns memory it owns (a first summary that says "nothing" must still send
its callers round again), a function of one file that borrows its two
handle parameters at once given the same handle from the other file, and
recursion: across the files (list_free <-> rest_free, ping <-> pong) and
inside one (drain).
Checks:
  - every `expect:` finding and nothing else, with either database order;
  - the run reports "fixpoint reached" and needed more than the old bound
    of 4 rounds (the 6-deep chain), recursion terminates;
  - a function recursing inside its unit was summarized again;
  - without cross-file summaries (FERRUM_CROSSFILE=0) the findings are not
    there (they come from the summaries);
  - a second run is answered from the cache (no unit computed) and prints
    the same; after a comment edit only the edited unit is computed;
  - editing only chain_b.c changes chain_a.c's findings (a callee's summary
    changed: the caller's cached results are not replayed), and restoring it
    brings them back;
  - the cache is made in BUILD_DIR/.ferrum-cache, and a -p naming a missing
    directory or one without compile_commands.json creates nothing (QA F10).
The time of the first and of the second run is printed (not asserted: the
machine is shared).

Usage: test_fixpoint.py FERRUM_CHECK SOURCE_DIR INCLUDE_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TOOL, SRC, INC = (os.path.abspath(a) for a in sys.argv[1:4])
WARN = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):\d+: warning: .* \[ferrum-(?P<check>[a-z-]+)\]$", re.M)
STATS = re.compile(r"summaries: (\d+) units, (\d+) from the cache, (\d+) computed in (\d+) rounds?, "
                   r"(\d+) functions, (fixpoint reached|stopped at the round bound) \((\d+) re-summarized")
FILES = ("chain_a.c", "chain_b.c")
failures = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("    " + str(detail)[-3000:].replace("\n", "\n    "))


def findings(text):
    return {(os.path.basename(m["file"]), int(m["line"]), m["check"]) for m in WARN.finditer(text)}


def run(build, env=None):
    e = dict(os.environ)
    for k in ("FERRUM_CACHE", "FERRUM_CACHE_DIR", "FERRUM_CROSSFILE"):
        e.pop(k, None)
    e["FERRUM_CACHE_STATS"] = "1"
    e.update(env or {})
    t = time.monotonic()
    p = subprocess.run([TOOL, "--no-snippets", "-p", build], capture_output=True, text=True, env=e, timeout=120)
    return p, time.monotonic() - t


def stats(p):
    m = STATS.search(p.stderr)
    return m.groups() if m else None


with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    shutil.copytree(SRC, src, ignore=shutil.ignore_patterns("*.py"))
    want = set()
    for f in FILES:
        with open(os.path.join(src, f)) as fh:
            for n, line in enumerate(fh, 1):
                m = re.search(r"expect:\s*([a-z-]+)", line)
                if m:
                    want.add((f, n, m.group(1)))
    check("the sources mark findings in both files", {w[0] for w in want} == set(FILES), want)

    builds = {}
    for name, order in (("build", FILES), ("rbuild", FILES[::-1])):
        b = os.path.join(tmp, name)
        os.mkdir(b)
        db = [{"directory": src, "file": f, "arguments": ["gcc", "-I" + INC, "-O2", "-c", f]} for f in order]
        with open(os.path.join(b, "compile_commands.json"), "w") as fh:
            json.dump(db, fh)
        builds[name] = b

    p1, t1 = run(builds["build"])
    s1 = stats(p1)
    check("first run: every expected finding and nothing else", findings(p1.stdout) == want and p1.returncode == 1,
          f"want {sorted(want)}\ngot {sorted(findings(p1.stdout))}\n{p1.stderr}")
    check("first run: fixpoint reached", s1 is not None and s1[5] == "fixpoint reached", p1.stderr)
    check("first run: more rounds than the old bound of 4 (6-deep chain)", s1 is not None and int(s1[3]) > 4,
          p1.stderr)
    check("recursion inside a unit was summarized again", s1 is not None and int(s1[6]) >= 1, p1.stderr)

    pr, _ = run(builds["rbuild"])
    check("other database order: same findings", findings(pr.stdout) == want, pr.stdout + pr.stderr)

    px, _ = run(builds["build"], {"FERRUM_CROSSFILE": "0", "FERRUM_CACHE": "0"})
    check("without cross-file summaries the chain's findings are missing",
          not (findings(px.stdout) >= {w for w in want if w[2] != "leak"}), px.stdout)

    p2, t2 = run(builds["build"])
    s2 = stats(p2)
    check("second run: the same output", p2.stdout == p1.stdout and p2.returncode == 1, p2.stdout + p2.stderr)
    check("second run: every unit from the cache, none computed",
          s2 is not None and s2[1] == s2[0] and s2[2] == "0", p2.stderr)
    print(f"info: first run {t1:.3f} s, second run {t2:.3f} s ({t1 / max(t2, 1e-6):.1f}x)")

    # A comment edit in chain_b.c: its summaries do not change, so only that
    # unit is computed again (its callers' records still match).
    b_path = os.path.join(src, "chain_b.c")
    with open(b_path) as fh:
        orig = fh.read()
    with open(b_path, "w") as fh:
        fh.write(orig + "/* a comment */\n")
    pc, _ = run(builds["build"])
    sc = stats(pc)
    check("comment edit: same findings, only the edited unit computed",
          findings(pc.stdout) == want and sc is not None and sc[2] == "1", pc.stderr)
    with open(b_path, "w") as fh:
        fh.write(orig)

    # Only chain_b.c changes: l6 keeps the pointer, h_mid no longer passes the handle on.
    b_path = os.path.join(src, "chain_b.c")
    with open(b_path) as fh:
        orig = fh.read()
    edited = orig.replace("void l6(char *p) { free(p); }", "static char *kept;\nvoid l6(char *p) { kept = p; }")
    edited = edited.replace("    h_bottom(h);", "    (void)h;")
    check("the edit applies", edited != orig and edited.count("kept") == 2)
    with open(b_path, "w") as fh:
        fh.write(edited)
    p3, _ = run(builds["build"])
    gone = {w for w in want if w[0] == "chain_a.c" and w[2] == "double-free"}
    got3 = findings(p3.stdout)
    check("callee edited in chain_b.c: chain_a.c's findings that depended on it are gone",
          not (got3 & gone) and (want - gone - {w for w in want if w[0] == "chain_b.c"}) <= got3,
          f"gone {gone}\ngot {sorted(got3)}\n{p3.stderr}")
    with open(b_path, "w") as fh:
        fh.write(orig)
    p4, _ = run(builds["build"])
    check("callee restored: findings back", findings(p4.stdout) == want, p4.stdout + p4.stderr)
    check("the cache lives in BUILD_DIR/.ferrum-cache", os.path.isdir(os.path.join(builds["build"], ".ferrum-cache")))

    # QA F10: a -p that names no build directory, or one without a database,
    # fails with status 2 and creates nothing.
    missing = os.path.join(tmp, "no", "such", "build")
    p5, _ = run(missing)
    check("-p to a missing directory: status 2, nothing created",
          p5.returncode == 2 and not os.path.exists(os.path.join(tmp, "no")), p5.stderr)
    empty = os.path.join(tmp, "empty-build")
    os.mkdir(empty)
    p6, _ = run(empty)
    check("-p to a directory without compile_commands.json: status 2, no .ferrum-cache",
          p6.returncode == 2 and os.listdir(empty) == [], p6.stderr + str(os.listdir(empty)))

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
