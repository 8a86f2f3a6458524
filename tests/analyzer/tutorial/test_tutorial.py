#!/usr/bin/env python3
"""tests/analyzer/tutorial/test_tutorial.py — every tutorial example that
breaks a rule is caught statically, in the runtime's words (issue 7's
target), and every correct one is silent.

What: for every lesson in docs/tutorial/*.md, the runtime reports quoted in
its `<!-- output: examples/tutorial/NAME stderr ... -->` blocks give the
violations the runtime sees ("ferrum: error[borrow-conflict]: cannot borrow
as mutable more than once at a time").  For each one, ferrum-check run on
examples/tutorial/NAME.c must report a finding of the matching check
whose text (message and notes, with the quoted variable names taken out:
the analyzer names them, the runtime cannot) contains the runtime's
message.  Every examples/tutorial/*_bad.c must have at least one finding
(04_stack_bad.c has no runtime report: it is the analyzer's alone), and
every *_good.c none.  A lesson with a broken program and no runtime block,
or a runtime kind with no static check, fails the test.

Usage: test_tutorial.py FERRUM_CHECK SOURCE_ROOT
"""
import glob
import os
import re
import subprocess
import sys

TOOL, ROOT = (os.path.abspath(a) for a in sys.argv[1:3])
# The runtime's violation names (fr_violation_name) and the static check
# that reports the same mistake.
KIND_TO_CHECK = {
    "use-after-move": "use-after-move",
    "borrow-conflict": "borrow-conflict",
    "double-drop": "double-free",
    "use-after-free": "use-after-free",
    "leak": "leak",
    "drop-while-borrowed": "dangling-borrow",
    "region-outlived": "dangling-borrow",
}
BLOCK = re.compile(r"<!--\s*output:\s*examples/tutorial/(\S+)\s+stderr[^>]*-->\n```text\n(.*?)```", re.S)
RUNTIME = re.compile(r"^ferrum: (?:error|warning)\[([a-z-]+)\]: (.*)$", re.M)
FINDING = re.compile(r"^(\S+?):(\d+):(\d+): warning: (.*) \[ferrum-([a-z-]+)\]$")
NOTE = re.compile(r"^\S+?:\d+:\d+: note: (.*)$")
failures = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("    " + str(detail).replace("\n", "\n    "))


def findings(src):
    """ferrum-check's findings for one file: [(check, text of message + notes)]."""
    p = subprocess.run([TOOL, src, "--", "-I" + os.path.join(ROOT, "include")], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    out = []
    for line in p.stdout.splitlines():
        m = FINDING.match(line)
        if m:
            out.append([m.group(5), m.group(4)])
            continue
        n = NOTE.match(line)
        if n and out:
            out[-1][1] += "\n" + n.group(1)
    return p.returncode, out, p.stdout + p.stderr


def unquoted(text):
    """The words without the names the analyzer adds: "cannot borrow 'x' as" -> "cannot borrow as"."""
    return re.sub(r"\s+", " ", re.sub(r"'[^'\n]*'\s?", "", text))


lessons = sorted(glob.glob(os.path.join(ROOT, "docs", "tutorial", "[0-9][0-9]-*.md")))
check("lessons found", len(lessons) >= 9, lessons)
covered = set()
for md in lessons:
    lesson = os.path.basename(md)
    with open(md) as f:
        text = f.read()
    for prog, body in BLOCK.findall(text):
        src = os.path.join("examples", "tutorial", prog + ".c")
        if not os.path.exists(os.path.join(ROOT, src)):
            continue
        covered.add(prog)
        rc, found, raw = findings(src)
        for kind, message in RUNTIME.findall(body):
            want = KIND_TO_CHECK.get(kind)
            check(f"{lesson}: runtime kind {kind} has a static check", want is not None)
            if want is None:
                continue
            words = unquoted(message).strip()
            hit = [f for f in found if f[0] == want and words in unquoted(f[1])]
            check(f"{lesson}: {prog}.c: {kind} caught statically as {want}, in the words \"{words}\"",
                  rc == 1 and bool(hit), raw)

# Every broken program is caught, every correct one is silent.
for src in sorted(glob.glob(os.path.join(ROOT, "examples", "tutorial", "*.c"))):
    name = os.path.basename(src)
    rel = os.path.relpath(src, ROOT)
    rc, found, raw = findings(rel)
    if name.endswith("_bad.c"):
        check(f"{name}: caught statically (exit 1, at least one finding)", rc == 1 and len(found) >= 1, raw)
    elif name.endswith("_good.c"):
        check(f"{name}: correct use, no finding (exit 0)", rc == 0 and not found, raw)
bad_with_runtime = {os.path.basename(s)[:-2] for s in glob.glob(os.path.join(ROOT, "examples", "tutorial", "*_bad.c"))}
static_only = {"04_stack_bad"}   # a stack address: no handle, nothing for the runtime to see
check("every broken program with a runtime report is compared with it",
      bad_with_runtime - static_only <= covered, sorted(bad_with_runtime - static_only - covered))

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
