#!/usr/bin/env python3
"""bench/analyzer/speed.py — ferrum-check's CPU time against clang -fsyntax-only.

What: for each C unit, the CPU time (user + system, of the process and its
children, from getrusage) of `clang-14 -fsyntax-only -w` (the parse alone,
the floor for any libclang tool) and of `ferrum-check -q FILE -- FLAGS`
(one unit, no cross-file pre-pass, FERRUM_CACHE=0 so nothing is replayed),
each run REPS times interleaved; the median per tool and unit is kept and
the ratio of the sums is printed (DESIGN.md's target: <= 1.5x).

Units: the stb single-file libraries from Debian's libstb-dev (each header
copied to a .c file with its implementation macro defined first, as in
docs/guide-analyzer.md), and our own tree's C files with the flags of
BUILD_DIR/compile_commands.json.  CPU time, not wall time: the machine is
shared, so wall times are noisy; CPU times less so, but still say so.

With --instructions it also counts instructions once per tool and unit under
callgrind (--trace-children=yes, every process summed; deterministic, unlike
CPU time; ferrum-check gets --timeout=86400 since valgrind slows it 50x).
--extra FILE adds a unit compiled with no flags (e.g. SQLite's sqlite3.c
amalgamation), reported as its own input.

With --json OUT it also writes every sample, the medians per unit and the
totals per set to OUT, for bench/run to put in docs/benchmarks.md.

Usage: speed.py FERRUM_CHECK [--build-dir build-core] [--reps 5] [--only stb|tree]
                [--extra FILE]... [--instructions] [--json OUT]
"""
import argparse
import json
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STB = [("image", "STB_IMAGE_IMPLEMENTATION"), ("truetype", "STB_TRUETYPE_IMPLEMENTATION"),
       ("vorbis", "STB_VORBIS_IMPLEMENTATION"), ("ds", "STB_DS_IMPLEMENTATION"),
       ("image_write", "STB_IMAGE_WRITE_IMPLEMENTATION"), ("image_resize", "STB_IMAGE_RESIZE_IMPLEMENTATION"),
       ("sprintf", "STB_SPRINTF_IMPLEMENTATION")]


def cpu_of(cmd, cwd=None, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, p.returncode, p.stderr


def instructions_of(cmd, cwd, env, work):
    """Instructions of cmd and all its children under callgrind, or None when it failed."""
    d = tempfile.mkdtemp(dir=work)
    p = subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                        "--callgrind-out-file=" + os.path.join(d, "cg.%p")] + cmd,
                       cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    total = 0
    for name in os.listdir(d):
        with open(os.path.join(d, name), errors="replace") as f:
            for line in f:
                if line.startswith(("totals:", "summary:")):
                    total += int(line.split()[1])
                    break
    return total if total and p.returncode in (0, 1) else None


def stb_units(work):
    units = []
    if not os.path.isdir("/usr/include/stb"):
        return units
    for name, macro in STB:
        src = "/usr/include/stb/stb_%s.h" % name
        if not os.path.exists(src):
            continue
        dst = os.path.join(work, "stb_%s.c" % name)
        with open(src, encoding="utf-8", errors="replace") as f, open(dst, "w") as g:
            g.write("#define %s\n" % macro + f.read())
        units.append(dict(file=dst, flags=[], dir=work, set="stb"))
    if os.path.exists("/usr/include/stb/stb.h"):
        dst = os.path.join(work, "stb_lib.c")
        with open("/usr/include/stb/stb.h", encoding="utf-8", errors="replace") as f, open(dst, "w") as g:
            g.write("#define STB_DEFINE\n" + f.read())
        units.append(dict(file=dst, flags=[], dir=work, set="stb"))
    return units


def tree_units(build_dir):
    db = os.path.join(build_dir, "compile_commands.json")
    if not os.path.exists(db):
        return []
    units, seen = [], set()
    for e in json.load(open(db)):
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        rel = os.path.relpath(path, ROOT)
        if not re.match(r"(alloc|arena|owner|analyzer)/[^/]+\.c$", rel) or rel in seen:
            continue
        seen.add(rel)
        args = e.get("arguments") or shlex.split(e["command"])
        flags, skip = [], False
        for a in args[1:]:
            if skip:
                skip = False
                continue
            if a in ("-o", "-MF", "-MQ", "-MT"):
                skip = True
                continue
            if a in ("-c", "-MD", "-MMD") or a.startswith("-W") or os.path.normpath(os.path.join(e["directory"], a)) == path:
                continue
            flags.append(a)
        units.append(dict(file=path, flags=flags, dir=e["directory"], set="tree"))
    return units


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ferrum_check")
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build-core"))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--only", choices=["stb", "tree", "extra"], help="extra: only the --extra units")
    ap.add_argument("--clang", default="clang-14")
    ap.add_argument("--extra", action="append", default=[], metavar="FILE",
                    help="one more unit, compiled with no flags, reported as its own input")
    ap.add_argument("--instructions", action="store_true", help="also count instructions under callgrind")
    ap.add_argument("--json", help="also write samples, medians and totals to this file")
    args = ap.parse_args()
    fc = os.path.abspath(args.ferrum_check)
    env = dict(os.environ, FERRUM_CACHE="0")
    with tempfile.TemporaryDirectory() as work:
        units = []
        if args.only in (None, "stb"):
            units += stb_units(work)
        if args.only in (None, "tree"):
            units += tree_units(args.build_dir)
        for x in args.extra:
            if not os.path.isfile(x):
                print("no such file: %s" % x)
                return 2
            units.append(dict(file=os.path.abspath(x), flags=[], dir=os.path.dirname(os.path.abspath(x)),
                              set=os.path.basename(x)))
        if not units:
            print("no units (install libstb-dev, or give --build-dir with compile_commands.json)")
            return 2
        totals, rows = {}, []
        print("%-40s %6s %9s %9s %6s" % ("unit", "lines", "clang s", "ferrum s", "ratio"))
        for u in units:
            lines = sum(1 for _ in open(u["file"], errors="replace"))
            t_clang, t_fc, fails = [], [], []
            for _ in range(args.reps):
                c, rc, err = cpu_of([args.clang, "-fsyntax-only", "-w"] + u["flags"] + [u["file"]], cwd=u["dir"])
                if rc != 0:
                    print("  clang failed on %s: %s" % (u["file"], err[:200]))
                    fails.append("clang exit %d" % rc)
                t_clang.append(c)
                c, rc, err = cpu_of([fc, "-q", "--no-snippets", u["file"], "--"] + u["flags"], cwd=u["dir"], env=env)
                if rc not in (0, 1):
                    print("  ferrum-check exit %d on %s: %s" % (rc, u["file"], err[:200]))
                    fails.append("ferrum-check exit %d" % rc)
                t_fc.append(c)
            mc, mf = statistics.median(t_clang), statistics.median(t_fc)
            s = totals.setdefault(u["set"], [0, 0.0, 0.0, 0, 0, 0, False])
            s[0] += lines
            s[1] += mc
            s[2] += mf
            s[3] += 1
            name = os.path.relpath(u["file"], ROOT) if u["set"] == "tree" else os.path.basename(u["file"])
            ir = None
            if args.instructions:
                ic = instructions_of([args.clang, "-fsyntax-only", "-w"] + u["flags"] + [u["file"]], u["dir"], None, work)
                ifc = instructions_of([fc, "-q", "--no-snippets", "--timeout=86400", u["file"], "--"] + u["flags"],
                                      u["dir"], env, work)
                ir = [ic, ifc]
                if ic and ifc:
                    s[4] += ic
                    s[5] += ifc
                else:
                    s[6] = True
                    fails.append("callgrind failed")
            print("%-40s %6d %9.3f %9.3f %5.2fx%s" % (name, lines, mc, mf, mf / mc if mc else 0,
                  "  instructions %s / %s" % tuple("%.0fM" % (x / 1e6) if x else "-" for x in ir) if ir else ""))
            rows.append(dict(unit=name, set=u["set"], lines=lines, clang=t_clang, ferrum=t_fc,
                             clang_median=mc, ferrum_median=mf, failures=sorted(set(fails)),
                             instructions=ir))
        print()
        for k, (lines, c, f, n, ic, ifc, bad) in totals.items():
            if args.instructions:
                print("INSTR %-5s clang -fsyntax-only %.0fM, ferrum-check %.0fM, ratio %s"
                      % (k, ic / 1e6, ifc / 1e6, "-" if bad or not ic else "%.2fx" % (ifc / ic)))
            print("TOTAL %-5s %3d units %7d lines: clang -fsyntax-only %.2f s, ferrum-check %.2f s, ratio %.2fx"
                  % (k, n, lines, c, f, f / c if c else 0))
        if args.json:
            with open(args.json, "w") as g:
                json.dump(dict(reps=args.reps, clang=args.clang, ferrum_check=fc, units=rows,
                               instructions=args.instructions,
                               totals={k: dict(units=n, lines=lines, clang=c, ferrum=f, ratio=f / c if c else None,
                                               clang_ir=ic if args.instructions and not bad else None,
                                               ferrum_ir=ifc if args.instructions and not bad else None)
                                       for k, (lines, c, f, n, ic, ifc, bad) in totals.items()}), g, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
