#!/usr/bin/env python3
"""tests/analyzer/crossfile/test_crossfile.py — summaries across files,
through compile_commands.json, and their on-disk cache.

main.c calls functions of buffer.c, which frees through release.c; main.c's
bugs (a use after buffer_release, a second buffer_release) are visible only
with the summaries of both other files (two rounds of the fixpoint: the
database lists buffer.c before release.c).
Checks: the findings marked `expect:` in main.c appear with -p and nothing
else; main.c alone (no database, no cache) has no finding; a cache is
written under BUILD_DIR/.ferrum-cache (summary and findings entries, no
temporary file left); a second run prints exactly the same; editing
buffer.c (buffer_release keeps the buffer instead of freeing it) makes the findings go away on the
next run, and restoring it brings them back (the cache follows content);
editing a header changes the key too; two runs at once on the same cache
both print the right findings; a project under /opt with its own
-isystem headers gets the same findings with the cache on and off.

Usage: test_crossfile.py FERRUM_CHECK SOURCE_DIR
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
failures = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("    " + str(detail)[-3000:].replace("\n", "\n    "))


def findings(text):
    return {(os.path.basename(m["file"]), int(m["line"]), m["check"]) for m in WARN.finditer(text)}


def run(args, env=None):
    e = dict(os.environ)
    e.pop("FERRUM_CACHE", None)
    e.pop("FERRUM_CACHE_DIR", None)
    e.update(env or {})
    return subprocess.run([TOOL, "--no-snippets", "-q"] + args, capture_output=True, text=True, env=e,
                          timeout=120)


with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    build = os.path.join(tmp, "build")
    os.mkdir(build)
    shutil.copytree(SRC, src, ignore=shutil.ignore_patterns("*.py"))
    want = set()
    for f in ("main.c", "buffer.c", "release.c"):
        with open(os.path.join(src, f)) as fh:
            for n, line in enumerate(fh, 1):
                m = re.search(r"expect:\s*([a-z-]+)", line)
                if m:
                    want.add((f, n, m.group(1)))
    db = [{"directory": src, "file": f, "arguments": ["gcc", "-O2", "-Wall", "-c", f, "-o", f[:-2] + ".o"]}
          for f in ("buffer.c", "main.c", "release.c")]
    with open(os.path.join(build, "compile_commands.json"), "w") as fh:
        json.dump(db, fh)

    p = run(["-p", build])
    got = findings(p.stdout)
    check("cross-file findings with -p", got == want and p.returncode == 1, f"want {want}\ngot {got}\n{p.stderr}")

    alone = subprocess.run([TOOL, "--no-snippets", "-q", os.path.join(src, "main.c"), "--"],
                           capture_output=True, text=True, env=dict(os.environ, FERRUM_CACHE="0"), timeout=120)
    check("main.c alone has no finding (the facts live in buffer.c)", not findings(alone.stdout), alone.stdout)

    # One file named with -p: the other units' summaries come from the
    # cache the whole run left (QA3 Q13: they were ignored).
    one = run(["-p", build, os.path.join(src, "main.c")])
    want_main = {w for w in want if w[0] == "main.c"}
    check("-p with one file: the cached summaries of the others are used",
          findings(one.stdout) == want_main and one.returncode == 1, one.stdout + one.stderr)
    cold = subprocess.run([TOOL, "--no-snippets", "-p", build, os.path.join(src, "main.c")],
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, FERRUM_CACHE_DIR=os.path.join(tmp, "empty-cache")))
    check("-p with one file and no cache: a note says the others are unknown",
          "2 other units of the database have no cached summaries" in cold.stderr, cold.stderr)

    cache = os.path.join(build, ".ferrum-cache")
    entries = os.listdir(cache) if os.path.isdir(cache) else []
    check("cache directory written", os.path.isdir(cache))
    check("a summary entry per unit", len([e for e in entries if e.endswith(".sum")]) == 3, entries)
    check("a findings entry per unit", len([e for e in entries if e.endswith(".find")]) == 3, entries)
    check("no temporary file left", not [e for e in entries if e.startswith(".tmp")], entries)

    p2 = run(["-p", build])
    check("second run prints the same", p2.stdout == p.stdout and p2.returncode == 1, p2.stdout + p2.stderr)

    buf = os.path.join(src, "buffer.c")
    with open(buf) as fh:
        orig = fh.read()
    with open(buf, "w") as fh:
        fh.write(orig.replace("static void scrub(char *b)\n{\n    raw_free(b);\n}",
                              "static char *kept;\nstatic void scrub(char *b)\n{\n    kept = b;\n}"))
    p3 = run(["-p", build])
    check("edited callee: findings follow the new summary", not findings(p3.stdout) and p3.returncode == 0,
          p3.stdout + p3.stderr)
    with open(buf, "w") as fh:
        fh.write(orig)
    p4 = run(["-p", build])
    check("restored callee: findings back", findings(p4.stdout) == want, p4.stdout + p4.stderr)

    def sums():
        out = {}
        for e in os.listdir(cache):
            if e.endswith(".sum"):
                with open(os.path.join(cache, e)) as fh:
                    out[e] = fh.read()
        return out

    before = sums()
    hdr = os.path.join(src, "buffer.h")
    with open(hdr) as fh:
        h = fh.read()
    with open(hdr, "w") as fh:
        fh.write(h.replace("void buffer_release(char *b);", "void buffer_release(char *b);\nint buffer_extra;"))
    p5 = run(["-p", build])
    check("edited header: still right", findings(p5.stdout) == want, p5.stdout + p5.stderr)
    after = sums()
    check("edited header: summary entries recomputed (includes are part of the key)",
          set(after) == set(before) and sum(after[k] != before[k] for k in after) == 2, (len(before), len(after)))
    # A header edit that changes a finding: a macro main.c uses.
    with open(hdr, "w") as fh:
        fh.write(h.replace("#endif", "#define BUFFER_CHECK 1\n#endif"))
    main_c = os.path.join(src, "main.c")
    with open(main_c) as fh:
        m = fh.read()
    with open(main_c, "w") as fh:
        fh.write(m.replace("    return b[0]; /* expect: use-after-free */",
                           "    if (BUFFER_CHECK) return b[0]; return 0; /* expect: use-after-free */"))
    p8 = run(["-p", build])
    check("macro from the header: finding kept", findings(p8.stdout) == want, p8.stdout + p8.stderr)
    with open(hdr, "w") as fh:
        fh.write(h.replace("#endif", "#define BUFFER_CHECK 0\n#endif"))
    p9 = run(["-p", build])
    check("header edit alone changes the findings (not replayed stale)",
          findings(p9.stdout) == want - {("main.c", 13, "use-after-free")}, p9.stdout + p9.stderr)
    with open(main_c, "w") as fh:
        fh.write(m)
    with open(hdr, "w") as fh:
        fh.write(h)

    shutil.rmtree(cache)
    procs = [subprocess.Popen([TOOL, "--no-snippets", "-q", "-p", build], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [pr.communicate(timeout=120) for pr in procs]
    check("three concurrent runs: all right", all(findings(o) == want for o, _ in outs), outs)
    p6 = run(["-p", build])
    check("after concurrent writes: cache entries valid", findings(p6.stdout) == want, p6.stdout + p6.stderr)
    check("after concurrent writes: no temporary file left",
          not [e for e in os.listdir(cache) if e.startswith(".tmp")], os.listdir(cache))

    p7 = run(["-p", build], env={"FERRUM_CACHE": "0"})
    check("FERRUM_CACHE=0: same findings without the cache", findings(p7.stdout) == want, p7.stdout)

    # A rebuilt ferrum-check (same version, different executable) must not
    # trust the entries of the old one: the executable's hash is in the keys.
    warm = run(["-p", build], env={"FERRUM_CACHE_STATS": "1"})
    check("warm run: summaries come from the cache", ", 0 computed" in warm.stderr, warm.stderr)
    rebuilt = os.path.join(tmp, "ferrum-check-rebuilt")
    shutil.copy2(TOOL, rebuilt)
    with open(rebuilt, "ab") as fh:
        fh.write(b"\0rebuilt")
    e = dict(os.environ, FERRUM_CACHE_STATS="1")
    e.pop("FERRUM_CACHE", None)
    e.pop("FERRUM_CACHE_DIR", None)
    pr = subprocess.run([rebuilt, "--no-snippets", "-q", "-p", build], capture_output=True, text=True, env=e,
                        timeout=120)
    check("rebuilt tool: no entry of the old executable reused", " 0 from the cache" in pr.stderr, pr.stderr)
    check("rebuilt tool: same findings", findings(pr.stdout) == want, pr.stdout + pr.stderr)

    # One unit: no pre-pass parse (nothing to learn from other units).
    one_cache = os.path.join(tmp, "one-cache")
    e = dict(os.environ, FERRUM_CACHE_STATS="1", FERRUM_CACHE_DIR=one_cache)
    e.pop("FERRUM_CACHE", None)
    po = subprocess.run([TOOL, "--no-snippets", "-q", os.path.join(src, "buffer.c"), "--"], capture_output=True,
                        text=True, env=e, timeout=120)
    check("single unit: no pre-pass computation", " 0 computed" in po.stderr, po.stderr)

    # Two programs of one database, each with its own external cleanup():
    # neither program's function is applied to the other's calls, in
    # either order of the database (QA3 Q25).
    two = os.path.join(tmp, "two")
    for prog, body, main in (("p1", "free(p);", "cleanup(p); return 0;"),
                             ("p2", "puts(p);", "cleanup(p); free(p); return 0;")):
        os.makedirs(os.path.join(two, prog))
        with open(os.path.join(two, prog, "util.c"), "w") as fh:
            fh.write("#include <stdio.h>\n#include <stdlib.h>\nvoid cleanup(char *p) { %s }\n" % body)
        with open(os.path.join(two, prog, "main.c"), "w") as fh:
            fh.write("#include <stdlib.h>\nvoid cleanup(char *p);\n"
                     "int main(void) { char *p = malloc(4); if (!p) return 1; %s }\n" % main)
    entries = [{"directory": os.path.join(two, prog), "file": f, "command": "cc -c %s" % f}
               for prog in ("p1", "p2") for f in ("util.c", "main.c")]
    for order, name in ((entries, "p1 first"), (entries[2:] + entries[:2], "p2 first")):
        with open(os.path.join(two, "compile_commands.json"), "w") as fh:
            json.dump(order, fh)
        pt = run(["-p", two], env={"FERRUM_CACHE_DIR": os.path.join(tmp, "two-cache-" + name[:2])})
        check("two programs with their own cleanup(), %s: no finding" % name,
              not findings(pt.stdout) and pt.returncode == 0, pt.stdout + pt.stderr)

# A project under /opt whose own headers come with -isystem (QA6 T11): a
# header in the tree of a database unit is the project's wherever the tree
# is, so release_name() (declared in sys/names.h, defined in rel.c) is known
# with the cache on as with it off.  Needs a writable /opt (root, as in CI).
if os.path.isdir("/opt") and os.access("/opt", os.W_OK):
    opt = tempfile.mkdtemp(prefix="ferrum-t11-", dir="/opt")
    try:
        os.mkdir(os.path.join(opt, "sys"))
        with open(os.path.join(opt, "sys", "names.h"), "w") as fh:
            fh.write("void release_name(char *p);\n")
        with open(os.path.join(opt, "rel.c"), "w") as fh:
            fh.write("#include <stdlib.h>\n#include <names.h>\nvoid release_name(char *p) { free(p); }\n")
        with open(os.path.join(opt, "use.c"), "w") as fh:
            fh.write("#include <stdlib.h>\n#include <string.h>\n#include <names.h>\n"
                     "int main(void)\n{\n    char *t = strdup(\"x\");\n    if (!t)\n        return 1;\n"
                     "    release_name(t);\n    free(t);\n    return 0;\n}\n")
        with open(os.path.join(opt, "compile_commands.json"), "w") as fh:
            json.dump([{"directory": opt, "file": f, "arguments": ["cc", "-isystem", "sys", "-c", f]}
                       for f in ("rel.c", "use.c")], fh)
        want_opt = {("use.c", 10, "double-free")}
        for label, env in (("cache on", {}), ("cache on, second run", {}), ("cache off", {"FERRUM_CACHE": "0"})):
            po = run(["-p", opt], env=env)
            check("project under /opt, -isystem headers of its own, %s: the double free is found" % label,
                  findings(po.stdout) == want_opt, po.stdout + po.stderr)
    finally:
        shutil.rmtree(opt, ignore_errors=True)
else:
    print("skip project under /opt (not writable)")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
