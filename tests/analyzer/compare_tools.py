#!/usr/bin/env python3
"""tests/analyzer/compare_tools.py — score ferrum-check, clang --analyze and
gcc -fanalyzer on the expectation corpus (not a test: a measurement).

For every corpus file, each tool's memory-safety warnings are matched by line
with the `expect:` marks: a warning on a marked line is found, a warning on an
unmarked line is a false alarm, a mark with no warning is missed.  Marks
`expect-missed:` (real bugs ferrum-check is known to miss) count as bugs too.  Only the
memory checks of this corpus are counted (use-after-free, double-free, leak,
free-nonheap, return-stack-address and their equivalents in each tool).

A second table scores by test case, the way the Juliet suite is scored:
where the corpus names its functions `..._bad` / `..._good...` (helpers
named after their case plus Sink/Source/Data belong to it), a case is found
when a tool warns anywhere in it, and a good case with any warning is a false
alarm.  An interprocedural flaw is then counted whether a tool reports it at
the call (ferrum) or inside the callee (clang, gcc).

Usage: compare_tools.py FERRUM_CHECK DIR...   (times are CPU seconds, user+sys)
"""
import os
import re
import resource
import subprocess
import sys

MARK = re.compile(r"expect(-missed)?:\s*([a-z][a-z, -]*[a-z])")
WARN = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):\d+: warning: (?P<msg>.*)$")

CLANG_KINDS = ("unix.Malloc", "core.StackAddressEscape", "unix.MismatchedDeallocator",
               "Use of memory after it is freed", "Attempt to free released memory",
               "Potential leak", "Potential memory leak", "Argument to free()", "Address of stack memory",
               "unix.Stream", "alpha.unix.Stream", "Opened stream never closed", "Stream pointer might be NULL",
               "released", "stack memory")
GCC_KINDS = ("-Wanalyzer-double-free", "-Wanalyzer-use-after-free", "-Wanalyzer-malloc-leak",
             "-Wanalyzer-file-leak", "-Wanalyzer-free-of-non-heap", "-Wanalyzer-double-fclose",
             "-Wreturn-local-addr", "-Wfree-nonheap-object", "-Wuse-after-free", "-Wanalyzer-use-of-pointer-in-stale-stack-frame",
             "-Wmismatched-dealloc", "-Wanalyzer-deref-before-check")


def marks(path):
    out = set()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            m = MARK.search(line)
            if m and "ferrum-test" not in line:
                out.add(n)
    return out


CASE_FN = re.compile(r"^(?:static\s+)?[A-Za-z_][\w\s]*?[\s*]([A-Za-z_]\w*)\s*\([^;]*\)\s*$")
CASE_NAME = re.compile(r"^(.*?_(?:bad|good\w*?))(?:Sink|Source|Data)?$")


def cases(path):
    """{line: case} for lines inside functions named as test cases, and
    {case: has a mark}."""
    at, marked = {}, {}
    want = marks(path)
    cur, start = None, 0
    with open(path) as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        m = CASE_FN.match(line)
        if m and n < len(lines) and lines[n].startswith("{"):
            c = CASE_NAME.match(m.group(1))
            cur = c.group(1) if c else None
            if cur:
                marked.setdefault(cur, False)
            continue
        if cur:
            at[n] = cur
            if n in want:
                marked[cur] = True
        if line.startswith("}"):
            cur = None
    return at, marked


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    return p.stdout + p.stderr


def lines_of(output, path, kinds):
    got = set()
    for line in output.splitlines():
        m = WARN.match(line)
        if not m or os.path.basename(m.group("file")) != os.path.basename(path):
            continue
        if kinds is None or any(k in m.group("msg") for k in kinds):
            got.add(int(m.group("line")))
    return got


def main():
    tool = sys.argv[1]
    files = []
    for d in sys.argv[2:]:
        files += sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".c"))
    files = [f for f in files if "syntax_error" not in f and "suppress" not in f]
    tools = {
        "ferrum-check": (lambda f: [tool, "--no-snippets", "-q",
                                    "--checks=use-after-free,double-free,leak,free-nonheap,return-stack-address",
                                    f, "--", "-std=gnu17"], None),
        "clang --analyze": (lambda f: ["clang-14", "--analyze", "-std=gnu17", "-D_GNU_SOURCE", "-Xanalyzer", "-analyzer-output=text",
                                       "-o", "/dev/null", f], CLANG_KINDS),
        "gcc -fanalyzer": (lambda f: ["gcc", "-fanalyzer", "-std=gnu17", "-D_GNU_SOURCE", "-c", "-o", "/dev/null", f], GCC_KINDS),
    }
    want_total = sum(len(marks(f)) for f in files)
    print("%d files, %d marked bugs" % (len(files), want_total))
    print("%-16s %6s %7s %7s %9s" % ("tool", "found", "missed", "false", "cpu s"))
    by_case = []
    for name, (mk, kinds) in tools.items():
        found = missed = false = 0
        cf = cm = cfa = cg = 0
        t0 = cpu()
        for f in files:
            want = marks(f)
            got = lines_of(run(mk(f)), f, kinds)
            found += len(want & got)
            missed += len(want - got)
            false += len(got - want)
            at, marked = cases(f)
            hit = {at[n] for n in got if n in at}
            for c, bad in marked.items():
                if bad:
                    cf += c in hit
                    cm += c not in hit
                else:
                    cg += 1
                    cfa += c in hit
        print("%-16s %6d %7d %7d %9.2f" % (name, found, missed, false, cpu() - t0))
        by_case.append((name, cf, cm, cfa, cg))
    if any(c[1] + c[2] for c in by_case):
        print("\nby test case (Juliet scoring): %d bad cases, %d good cases"
              % (by_case[0][1] + by_case[0][2], by_case[0][4]))
        print("%-16s %6s %7s %12s" % ("tool", "found", "missed", "false alarm"))
        for name, cf, cm, cfa, cg in by_case:
            print("%-16s %6d %7d %12d" % (name, cf, cm, cfa))


if __name__ == "__main__":
    main()
