#!/usr/bin/env python3
"""tests/analyzer/ferrum_cc/test_ferrum_cc.py — `CC="ferrum-cc gcc" make -j2`
on a small multi-file project (project/: three units, separate link step,
-MMD dependency files, a define).

Checks: the build succeeds and the program runs (the build's result is the
compiler's); each finding marked `expect: CHECK` in the project's sources
appears on stderr as a compiler-style warning, and nothing else does; the
link step and other invocations that compile nothing pass straight through;
--werror and FERRUM_CC_WERROR=1 fail the compile of the unit with a finding
(exit status 1, no object) while clean units still compile; a compiler error
is the compiler's exit status; FERRUM_CC_DISABLE=1 runs the compiler only.

Usage: test_ferrum_cc.py FERRUM_CC SOURCE_DIR INCLUDE_DIR LIBFERRUM_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

CC_WRAP, SRC, INC, LIBDIR = (os.path.abspath(a) for a in sys.argv[1:5])
GCC = shutil.which("gcc") or shutil.which("cc")
MAKE = shutil.which("make")
failures = []
WARN = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):\d+: warning: .* \[ferrum-(?P<check>[a-z-]+)\]$", re.M)


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("    " + str(detail)[-3000:].replace("\n", "\n    "))


def marks(d):
    want = set()
    for f in os.listdir(d):
        if f.endswith(".c"):
            with open(os.path.join(d, f)) as fh:
                for n, line in enumerate(fh, 1):
                    m = re.search(r"expect:\s*([a-z-]+)", line)
                    if m:
                        want.add((f, n, m.group(1)))
    return want


def make(d, cc, *extra, env=None):
    e = dict(os.environ)
    e.pop("FERRUM_CC_WERROR", None)
    e.pop("FERRUM_CC_DISABLE", None)
    e.update(env or {})
    e["NO_COLOR"] = "1"
    ldlibs = f"-L{LIBDIR} -lferrum -Wl,-rpath,{LIBDIR}"
    return subprocess.run([MAKE, "-j2", "-C", d, f"CC={cc}", f"FERRUM_INC={INC}", f"LDLIBS={ldlibs}"] + list(extra),
                          capture_output=True, text=True, env=e, timeout=600)


if not GCC or not MAKE:
    print("SKIP: gcc or make not found")
    sys.exit(77)

with tempfile.TemporaryDirectory() as tmp:
    proj = os.path.join(tmp, "project")
    shutil.copytree(os.path.join(SRC, "project"), proj)
    want = marks(proj)

    p = make(proj, f"{CC_WRAP} {GCC}")
    check("make -j2 with ferrum-cc succeeds", p.returncode == 0, p.stdout + p.stderr)
    app = os.path.join(proj, "app")
    check("the program is built", os.path.exists(app))
    if os.path.exists(app):
        r = subprocess.run([app], capture_output=True, text=True, timeout=60)
        check("the program runs", r.returncode == 0 and r.stdout.startswith("sum "), r.stdout + r.stderr)
    got = {(os.path.basename(m["file"]), int(m["line"]), m["check"]) for m in WARN.finditer(p.stderr)}
    check("every marked finding is reported as a compiler warning", want <= got, f"missing {want - got}\n{p.stderr}")
    check("no other finding", got <= want, f"extra {got - want}")
    check("findings are on stderr, not stdout", "[ferrum-" not in p.stdout)
    check("dependency files written by the compiler (-MMD passed through)",
          all(os.path.exists(os.path.join(proj, f)) for f in ("main.d", "table.d", "text.d")))

    # --werror: the units with findings fail; make stops with an error.
    make(proj, GCC, "clean")
    p = make(proj, f"{CC_WRAP} --werror {GCC}", "-k")
    check("--werror fails the build", p.returncode != 0, p.stderr)
    check("--werror: units with findings are not compiled",
          not os.path.exists(os.path.join(proj, "text.o")) and not os.path.exists(os.path.join(proj, "main.o")))
    check("--werror: the clean unit still compiles", os.path.exists(os.path.join(proj, "table.o")), p.stderr)
    check("--werror: no program", not os.path.exists(app))

    make(proj, GCC, "clean")
    p = make(proj, f"{CC_WRAP} {GCC}", "-k", env={"FERRUM_CC_WERROR": "1"})
    check("FERRUM_CC_WERROR=1 fails the build", p.returncode != 0 and not os.path.exists(app), p.stderr)

    make(proj, GCC, "clean")
    p = make(proj, f"{CC_WRAP} {GCC}", env={"FERRUM_CC_DISABLE": "1"})
    check("FERRUM_CC_DISABLE=1: compiler only, no findings", p.returncode == 0 and "[ferrum-" not in p.stderr,
          p.stderr)

    # Direct invocations.
    def wrap(*args, cwd=proj):
        return subprocess.run([CC_WRAP] + list(args), capture_output=True, text=True, cwd=cwd, timeout=120)

    r = wrap(GCC, "--version")
    check("--version passes through", r.returncode == 0 and r.stdout and "[ferrum-" not in r.stderr)
    r = wrap(GCC, "-E", f"-I{INC}", "-DTABLE_SIZE=4", "main.c")
    check("-E passes through (preprocessed output, no analysis)",
          r.returncode == 0 and "table_sum" in r.stdout and "[ferrum-" not in r.stderr, r.stderr)
    with open(os.path.join(proj, "broken.c"), "w") as f:
        f.write("int broken(void) { return undeclared; }\n")
    r = wrap(GCC, "-c", "broken.c", "-o", "broken.o")
    check("a compiler error is the compiler's exit status", r.returncode != 0 and "undeclared" in r.stderr,
          r.stderr)
    r = wrap("--werror")
    check("no compiler given: usage error 2", r.returncode == 2)
    r = wrap("--help")
    check("--help", r.returncode == 0 and "ferrum-cc" in r.stdout)
    r = wrap("/nonexistent/cc", "-c", "table.c")
    check("compiler that cannot run: 127", r.returncode == 127, r.stderr)
    # A check list the analyzer refuses stops the compile with its message
    # (QA8 V22: every file was "could not be analyzed; compiling anyway").
    for args, env, what in ((["--checks=bogus", "--werror"], {}, "--checks=bogus"),
                            ([], {"FERRUM_CC_CHECKS": "leak,-leak"}, "FERRUM_CC_CHECKS=leak,-leak")):
        for o in ("t1.o",):
            if os.path.exists(os.path.join(proj, o)):
                os.remove(os.path.join(proj, o))
        r = subprocess.run([CC_WRAP] + args + [GCC, f"-I{INC}", "-DTABLE_SIZE=4", "-c", "table.c", "-o", "t1.o"], capture_output=True,
                           text=True, cwd=proj, timeout=120, env=dict(os.environ, **env))
        check("%s: exit 2, the analyzer's reason shown, nothing compiled" % what,
              r.returncode == 2 and "ferrum-check:" in r.stderr and "not compiling" in r.stderr
              and not os.path.exists(os.path.join(proj, "t1.o")), r.stderr)
    r = subprocess.run([CC_WRAP, "--checks=leak", GCC, f"-I{INC}", "-DTABLE_SIZE=4", "-c", "table.c", "-o", "t1.o"],
                       capture_output=True, text=True, cwd=proj, timeout=120)
    check("--checks=leak: accepted, compiled", r.returncode == 0 and os.path.exists(os.path.join(proj, "t1.o")),
          r.stderr)
    os.remove(os.path.join(proj, "t1.o"))
    r = subprocess.run([CC_WRAP, GCC, f"-I{INC}", "-DTABLE_SIZE=4", "-c", "table.c", "-o", "t1.o"],
                       capture_output=True, text=True, cwd=proj, timeout=120, env=dict(os.environ, FERRUM_CC_CHECKS=""))
    check("FERRUM_CC_CHECKS= (empty): every check, compiled (QA9 W3)",
          r.returncode == 0 and os.path.exists(os.path.join(proj, "t1.o")), r.stderr)

    # Response files (QA F27): @FILE is read as GCC reads it, for the
    # analysis; the compiler still gets the @FILE argument itself.
    rsp = os.path.join(tmp, "rsp")
    os.makedirs(os.path.join(rsp, "inc"))
    with open(os.path.join(rsp, "inc", "need.h"), "w") as f:
        f.write("#define NEED_VALUE 3\n")
    with open(os.path.join(rsp, "u.c"), "w") as f:
        f.write("#include <stdlib.h>\n#include \"need.h\"\n"
                "#if NEEDED != 1 || !defined(WITH_SPACE) || !defined(ESCAPED)\n#error flags not seen\n#endif\n"
                "int f(void) { char *p = malloc(NEED_VALUE); free(p); free(p); return 0; }\n")
    with open(os.path.join(rsp, "flags.rsp"), "w") as f:
        f.write("-Iinc\n  -DNEEDED=1 @nested.rsp\n")
    with open(os.path.join(rsp, "nested.rsp"), "w") as f:
        f.write("'-DWITH_SPACE=a b' \"-DQUOTED=\\\"x y\\\"\" -DESCAPED=one\\ two\n")
    with open(os.path.join(rsp, "loop.rsp"), "w") as f:
        f.write("-Iinc -DNEEDED=1 -DWITH_SPACE -DESCAPED @loop.rsp\n")
    r = wrap(GCC, "@flags.rsp", "-c", "u.c", "-o", "u.o", cwd=rsp)
    check("@response file: the unit is analyzed with its flags (nested @, quotes, escapes)",
          r.returncode == 0 and "could not be analyzed" not in r.stderr
          and re.search(r"u\.c:6:\d+: warning: .*\[ferrum-double-free\]", r.stderr), r.stderr)
    check("@response file: the compiler compiled it", os.path.exists(os.path.join(rsp, "u.o")), r.stderr)
    r = wrap(GCC, "@loop.rsp", "-c", "u.c", "-o", "u2.o", cwd=rsp)
    check("@response file that includes itself: no hang, analyzed",
          "[ferrum-double-free]" in r.stderr, r.stderr)
    r = wrap(GCC, "@missing.rsp", "-Iinc", "-DNEEDED=1", "-DWITH_SPACE", "-DESCAPED", "-c", "u.c", "-o", "u3.o",
             cwd=rsp)
    check("missing @response file: passed to the compiler unchanged (its error, its status)",
          r.returncode != 0 and "missing.rsp" in r.stderr and "[ferrum-double-free]" in r.stderr, r.stderr)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
