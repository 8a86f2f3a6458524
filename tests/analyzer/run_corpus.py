#!/usr/bin/env python3
"""tests/analyzer/run_corpus.py — the analyzer's expectation-corpus runner.

Runs ferrum-check on every .c file of the given directories and compares its
findings with the marks written in the sources:

    free(p);   /* expect: double-free */       one finding of that check on this line
    x = *q;    // expect: use-after-free, leak  several on the same line

Missing and extra findings both fail.  File-level directives (anywhere in the file):

    ferrum-test-args: --checks=leak -DFOO     extra arguments (before `--` if they
                                             start with --, compiler flags otherwise)
    ferrum-test-exit: 2                       expected exit status (default: 1 when
                                             marks exist, else 0)
    ferrum-test-stderr: expected 'expression' text that stderr must contain
    ferrum-test-stdout: 'buf' is freed twice  text that stdout (the findings) must contain

Usage: run_corpus.py --tool PATH [--include DIR] [--checks LIST] DIR|FILE...
Exit status 0 when every file matches.
"""
import argparse
import os
import re
import subprocess
import sys

FINDING = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): warning: .* \[ferrum-(?P<check>[a-z-]+)\]$")
MARK = re.compile(r"expect:\s*([a-z][a-z, -]*[a-z])")
MISSED = re.compile(r"expect-missed:\s*([a-z][a-z, -]*[a-z])")


def marks_of(path):
    want, allowed = [], []
    args, exit_code, stderr_has = [], None, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            mm = MISSED.search(line)
            if mm:
                allowed += [(n, c.strip()) for c in mm.group(1).split(",") if c.strip()]
            m = MARK.search(line)
            if m and "ferrum-test" not in line and not mm:
                for check in m.group(1).split(","):
                    check = check.strip()
                    if check:
                        want.append((n, check))
            d = re.search(r"ferrum-test-args:\s*(.*?)\s*(\*/)?$", line)
            if d:
                args += d.group(1).split()
            d = re.search(r"ferrum-test-exit:\s*(\d+)", line)
            if d:
                exit_code = int(d.group(1))
            d = re.search(r"ferrum-test-(stderr|stdout):\s*(.*?)\s*(\*/)?$", line)
            if d:
                stderr_has.append((d.group(1), d.group(2)))
    return want, allowed, args, exit_code, stderr_has


def run_one(tool, path, include, checks, timeout):
    want, allowed, extra, exit_code, stderr_has = marks_of(path)
    tool_args = [a for a in extra if a.startswith("--")]
    cc_args = [a for a in extra if not a.startswith("--")]
    cmd = [tool, "--no-snippets", "-q"]
    if checks:
        cmd.append("--checks=" + checks)
    cmd += tool_args + [path, "--", "-std=gnu17"] + (["-I" + include] if include else []) + cc_args
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return ["timed out after %d s: %s" % (timeout, " ".join(cmd))]
    got = []
    for line in p.stdout.splitlines():
        m = FINDING.match(line)
        if m and os.path.basename(m.group("file")) == os.path.basename(path):
            got.append((int(m.group("line")), m.group("check")))
        elif m:
            got.append((int(m.group("line")), m.group("check") + "@" + m.group("file")))
    problems = []
    rest = list(got)
    for w in want:
        if w in rest:
            rest.remove(w)
        else:
            problems.append("missing %s at line %d" % (w[1], w[0]))
    for g in rest:
        if g not in allowed:
            problems.append("extra %s at line %d" % (g[1], g[0]))
    expect_exit = exit_code if exit_code is not None else (1 if want else 0)
    if p.returncode != expect_exit:
        problems.append("exit status %d, expected %d" % (p.returncode, expect_exit))
    if p.returncode < 0 or p.returncode > 2:
        problems.append("tool crashed (status %d)" % p.returncode)
    for stream, s in stderr_has:
        if s not in (p.stderr if stream == "stderr" else p.stdout):
            problems.append("%s lacks %r" % (stream, s))
    if problems:
        problems.append("command: " + " ".join(cmd))
        if p.stdout:
            problems.append("stdout:\n" + p.stdout.rstrip())
        if p.stderr:
            problems.append("stderr:\n" + p.stderr.rstrip())
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--include", default="")
    ap.add_argument("--checks", default="")
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    files = []
    for p in a.paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".c"))
        else:
            files.append(p)
    if not files:
        print("no corpus files in", a.paths)
        return 1
    failed = 0
    for f in files:
        problems = run_one(a.tool, f, a.include, a.checks, a.timeout)
        if problems:
            failed += 1
            print("FAIL %s" % f)
            for pr in problems:
                print("    " + pr.replace("\n", "\n    "))
        else:
            print("ok   %s" % f)
    print("%d of %d corpus files passed" % (len(files) - failed, len(files)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
