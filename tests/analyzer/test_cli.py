#!/usr/bin/env python3
"""tests/analyzer/test_cli.py — ferrum-check's command line, end to end.

Builds small projects in a temporary directory and checks: a unit that does
not parse gives the compiler's error and exit 2 while the other units are
still analyzed; compile_commands.json in both the `arguments` and the
`command` form, with defines and include paths honoured and gcc-only flags
tolerated, malformed entries reported and skipped (the rest analyzed);
-j 2 prints exactly what -j 1 prints; suppression comments;
--checks; --explain; --snippets; bad options.

Usage: test_cli.py FERRUM_CHECK SOURCE_DIR
"""
import json
import os
import resource
import subprocess
import sys
import tempfile

TOOL = os.path.abspath(sys.argv[1])
failures = []
with open(TOOL, "rb") as _f:
    ASAN = b"__asan_init" in _f.read()   # an ASan build of the tool


def run(args, cwd=None):
    p = subprocess.run([TOOL] + args, capture_output=True, text=True, cwd=cwd, timeout=120)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("    " + detail.replace("\n", "\n    "))


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


BUG = """#include <stdlib.h>
void f(void) {
    char *p = malloc(4);
    free(p);
    free(p);
}
"""

with tempfile.TemporaryDirectory() as d:
    # --- a unit that does not parse, next to one that does
    write(os.path.join(d, "broken.c"), "int main(void) { return 0 }\n")
    write(os.path.join(d, "bug.c"), BUG)
    rc, out, err = run(["broken.c", "bug.c"], cwd=d)
    check("syntax error: exit 2", rc == 2, "rc=%d\n%s%s" % (rc, out, err))
    check("syntax error: compiler's error printed", "broken.c:1:" in err and "error:" in err, err)
    check("syntax error: other unit still analyzed", "bug.c:5:5: warning:" in out and "[ferrum-double-free]" in out,
          out)
    rc, out, err = run(["missing.c"], cwd=d)
    check("unreadable file: exit 2", rc == 2 and "missing.c" in err, err)
    # --- a device is no source (QA13 X10): refused at once, with and without
    # the cache (its content hash read /dev/zero forever)
    os.symlink("/dev/zero", os.path.join(d, "zero.c"))
    for name in ("zero.c",):
        for cache in ("0", "1"):
            env = dict(os.environ, FERRUM_CACHE=cache, FERRUM_CACHE_DIR=os.path.join(d, "cache"))
            try:
                # (a build without the check eats memory fast on /dev/zero: cap
                # it, except under ASan, whose shadow needs terabytes of address space)
                p = subprocess.run([TOOL, "-q", "--timeout=5", name, "--"], capture_output=True, text=True,
                                   cwd=d, env=env, timeout=15, preexec_fn=None if ASAN else lambda: resource.setrlimit(
                                       resource.RLIMIT_AS, (4 << 30, 4 << 30)))
                check("%s (cache %s): exit 2, not a regular file" % (name, cache),
                      p.returncode == 2 and "is not a regular file" in p.stderr, p.stderr)
            except subprocess.TimeoutExpired:
                check("%s (cache %s): exit 2, not a regular file" % (name, cache), False, "hung")
    os.unlink(os.path.join(d, "zero.c"))
    # --- but a pipe is a source (QA15 R5: `... | ferrum-check /dev/stdin -- -x c` was refused)
    for cache in ("0", "1"):
        p = subprocess.run([TOOL, "--no-snippets", "/dev/stdin", "--", "-x", "c"], input=BUG, capture_output=True,
                           text=True, cwd=d, timeout=60,
                           env=dict(os.environ, FERRUM_CACHE=cache, FERRUM_CACHE_DIR=os.path.join(d, "cache")))
        check("source from a pipe (cache %s): analyzed" % cache,
              p.returncode == 1 and "[ferrum-double-free]" in p.stdout, "rc=%d\n%s%s" % (p.returncode, p.stdout, p.stderr))
    # --- -j beyond the open-file limit: the workers that started do the
    # work (QA13 X11: every unit failed, with no reason given)
    os.makedirs(os.path.join(d, "manyj"))
    for i in range(12):
        write(os.path.join(d, "manyj", "u%d.c" % i), BUG.replace("void f(", "void f%d(" % i))
    p = subprocess.run([TOOL, "--no-snippets", "-j", "16"] + ["u%d.c" % i for i in range(12)] + ["--"],
                       capture_output=True, text=True, cwd=os.path.join(d, "manyj"), timeout=120,
                       env=dict(os.environ, FERRUM_CACHE="0"),
                       preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (20, 20)))
    check("-j 16 with 20 open files: every unit analyzed by fewer workers",
          p.returncode == 1 and p.stdout.count("[ferrum-double-free]") == 12 and "going on with fewer" in p.stderr
          and "Too many open files" in p.stderr, "rc=%d\n%s" % (p.returncode, p.stderr))
    # --- gcc's precompiled header beside an -include'd one (CMake's
    # target_precompile_headers with gcc): the header is read, the .gch that
    # clang cannot load is not (QA13 X17: every unit failed)
    os.makedirs(os.path.join(d, "pch"))
    write(os.path.join(d, "pch", "pch.h"), "#include <stdlib.h>\n")
    write(os.path.join(d, "pch", "pch.h.gch"), "gcc's precompiled header, not clang's\n")
    write(os.path.join(d, "pch", "u.c"), "void f(void) { char *p = malloc(4); free(p); free(p); }\n")
    write(os.path.join(d, "pch", "compile_commands.json"), json.dumps([
        {"directory": os.path.join(d, "pch"), "file": "u.c",
         "arguments": ["gcc", "-include", os.path.join(d, "pch", "pch.h"), "-c", "u.c"]}]))
    rc, out, err = run(["-p", "pch", "--no-snippets"], cwd=d)
    check("-include of a header with gcc's .gch beside it: analyzed", rc == 1 and "[ferrum-double-free]" in out,
          "rc=%d\n%s%s" % (rc, out, err))
    # --- an empty database is an error, not a clean run (QA13 X8)
    os.makedirs(os.path.join(d, "emptydb"))
    write(os.path.join(d, "emptydb", "compile_commands.json"), "[]\n")
    rc, out, err = run(["-p", "emptydb"], cwd=d)
    check("empty compile_commands.json: exit 2, says so", rc == 2 and "lists no units" in err, "rc=%d %s" % (rc, err))

    # --- a worker that dies costs only its unit (FERRUM_CHECK_TEST_CRASH)
    write(os.path.join(d, "bug2.c"), BUG)
    env = dict(os.environ, FERRUM_CHECK_TEST_CRASH="bug.c")
    p = subprocess.run([TOOL, "-j", "2", "bug.c", "bug2.c"], capture_output=True, text=True,
                       cwd=d, env=env, timeout=120)
    check("crashed worker: exit 2, message, other units analyzed",
          p.returncode == 2 and "the analyzer failed on this unit" in p.stderr and
          "bug2.c:5:5: warning:" in p.stdout and "\nbug.c:5:5" not in "\n" + p.stdout,
          "rc=%d\n%s%s" % (p.returncode, p.stdout, p.stderr))

    # --- libclang's own parser dying (a 40,000-term sum overflows its
    # recursive descent; clang -fsyntax-only dies on it too) is said to be
    # libclang's, not the analyzer's (QA13 X14); the other unit is analyzed
    write(os.path.join(d, "deep.c"), "int x = " + "+".join(["1"] * 40000) + ";\n")
    p = subprocess.run([TOOL, "-j", "2", "deep.c", "bug2.c"], capture_output=True, text=True, cwd=d,
                       env=dict(os.environ, FERRUM_CACHE="0"), timeout=120)
    if "deep.c" in p.stderr and ("signal" in p.stderr or "libclang" in p.stderr):   # (a larger stack may parse it)
        check("libclang crash while parsing: named as libclang's, exit 2, other unit analyzed",
              p.returncode == 2 and "deep.c: libclang failed while parsing this unit" in p.stderr and
              "the analyzer failed" not in p.stderr and "bug2.c:5:5: warning:" in p.stdout,
              "rc=%d\n%s%s" % (p.returncode, p.stdout, p.stderr))

    # --- compile_commands.json, both forms, flags honoured
    os.makedirs(os.path.join(d, "src"))
    os.makedirs(os.path.join(d, "inc"))
    os.makedirs(os.path.join(d, "build"))
    write(os.path.join(d, "inc", "cfg.h"), "#define RELEASE(p) free(p)\n")
    write(os.path.join(d, "src", "a.c"), """#include <stdlib.h>
#include <stddef.h>
#include "cfg.h"
void a(void) {
    char *p = malloc(4);
    RELEASE(p);
#ifdef TWICE
    RELEASE(p);
#endif
}
""")
    write(os.path.join(d, "src", "b.c"), """#include <stdlib.h>
void b(void) {
    char *q = malloc(4);
#if VERSION > 2
    return;
#endif
    free(q);
}
""")
    db = [
        {"directory": os.path.join(d, "build"),
         "arguments": ["gcc", "-DTWICE", "-I../inc", "-fconserve-stack", "-Wbogus-warning",
                       "-mindirect-branch=thunk", "-ftrivial-auto-var-init=zero", "-std=gnu11", "-c", "../src/a.c",
                       "-o", "a.o"],
         "file": "../src/a.c"},
        {"directory": os.path.join(d, "build"),
         "command": "cc -DVERSION=3 -Werror -fno-allow-store-data-races -c -o b.o %s" % os.path.join(d, "src", "b.c"),
         "file": os.path.join(d, "src", "b.c")},
    ]
    write(os.path.join(d, "build", "compile_commands.json"), json.dumps(db))
    rc, out1, err = run(["-p", "build"], cwd=d)
    check("compdb: exit 1 with findings", rc == 1, "rc=%d\n%s%s" % (rc, out1, err))
    check("compdb arguments form: -D and -I honoured (macro free twice)",
          "src/a.c:8:5: warning:" in out1 and "double-free" in out1, out1 + err)
    check("compdb command form: -D honoured", "src/b.c:5:5: warning:" in out1 and "[ferrum-leak]" in out1, out1 + err)
    # response files (@FILE) in the arguments, read from the entry's
    # directory, nested too (QA8 V16: ignored, the -D in them lost)
    os.makedirs(os.path.join(d, "rsp"))
    write(os.path.join(d, "rsp", "r.c"), "#include <stdlib.h>\nvoid r(void) {\n    char *p = malloc(4);\n"
          "    free(p);\n#ifdef TWICE\n    free(p);\n#endif\n}\n")
    write(os.path.join(d, "rsp", "outer.rsp"), "-O2 @inner.rsp\n")
    write(os.path.join(d, "rsp", "inner.rsp"), "'-DTWICE' -Wall\n")
    write(os.path.join(d, "rsp", "compile_commands.json"),
          json.dumps([{"directory": ".", "arguments": ["gcc", "@outer.rsp", "-c", "r.c"], "file": "r.c"}]))
    rc, out, err = run(["-p", "rsp"], cwd=d)
    check("compdb: @response files expanded from the entry's directory (nested)",
          rc == 1 and "r.c:6:5: warning:" in out and "double-free" in out, "rc=%d\n%s%s" % (rc, out, err))
    rc, out2, err = run(["-p", "build", "-j", "2"], cwd=d)
    check("-j 2 prints what -j 1 prints", rc == 1 and out1 == out2, out1 + "\n---\n" + out2 + err)
    rc, out, err = run(["-p", "build", "src/b.c"], cwd=d)
    check("compdb: only the file named", rc == 1 and "b.c" in out and "a.c" not in out, out + err)
    write(os.path.join(d, "src", "new.c"), """#include <stdlib.h>
#include "cfg.h"
void n(void) {
    char *p = malloc(4);
    RELEASE(p);
    RELEASE(p);
}
""")
    rc, out, err = run(["-p", "build", "src/new.c"], cwd=d)
    check("compdb: a file the database lacks gets its nearest neighbour's flags, with a note",
          rc == 1 and "src/new.c:6:5: warning:" in out and "double-free" in out and
          "no compile command" in err and "flags of ../src/a.c" in err, "rc=%d\n%s%s" % (rc, out, err))
    rc, out, err = run(["-p", "build", "src/missing.c"], cwd=d)
    check("compdb: a file that does not exist is still an error (exit 2)",
          rc == 2 and "src/missing.c: no compile command" in err, "rc=%d\n%s%s" % (rc, out, err))
    os.remove(os.path.join(d, "src", "new.c"))
    rc, out, err = run(["-p", "build", "src"], cwd=d)
    check("compdb: a directory names every unit below it", rc == 1 and out == out1, out + err)
    rc, out, err = run(["-p", "build", "inc"], cwd=d)
    check("compdb: a directory without units is an error (exit 2), not silence",
          rc == 2 and "no unit" in err, "rc=%d\n%s%s" % (rc, out, err))
    rc, out, err = run(["src", "--", "-DVERSION=3", "-Iinc"], cwd=d)
    check("no database: a directory names its .c files", rc == 1 and "src/b.c:5:5: warning:" in out,
          "rc=%d\n%s%s" % (rc, out, err))
    rc, out, err = run(["build"], cwd=d)
    check("no database: a directory with no .c file is an error (exit 2)",
          rc == 2 and "no .c file" in err, "rc=%d\n%s%s" % (rc, out, err))

    # --- the language: -x c makes any file C; C++ units are said skipped, not silently
    os.makedirs(os.path.join(d, "lang"))
    write(os.path.join(d, "lang", "gen.inc"), BUG)
    rc, out, err = run(["lang/gen.inc", "--", "-x", "c"], cwd=d)
    check("-x c: a file of any name is analyzed as C", rc == 1 and "gen.inc:5:5: warning:" in out,
          "rc=%d\n%s%s" % (rc, out, err))
    # a unit libclang cannot parse at all: the message shows its command,
    # which tells apart the entries of a file built twice (QA8 M4)
    os.makedirs(os.path.join(d, "two"))
    write(os.path.join(d, "two", "t.c"), BUG)
    write(os.path.join(d, "two", "compile_commands.json"), json.dumps([
        {"directory": os.path.join(d, "two"), "file": "t.c", "command": "gcc -c t.c"},
        {"directory": os.path.join(d, "two"), "file": "t.c", "command": "gcc -c t.c -m32 -march=armv7-a"}]))
    rc, out, err = run(["-p", "two"], cwd=d)
    check("an entry libclang cannot parse: exit 2, the message shows its command",
          rc == 2 and "t.c:5:5: warning:" in out and "its command: gcc -c t.c -m32 -march=armv7-a" in err,
          "rc=%d\n%s%s" % (rc, out, err))
    write(os.path.join(d, "lang", "k.cpp"), "#include <stdlib.h>\nchar *mk(size_t n) { char *b = (char *)malloc(n);"
          " if (b == NULL) return NULL; return b; }\n")
    write(os.path.join(d, "lang", "m.c"), BUG)
    write(os.path.join(d, "lang", "compile_commands.json"), json.dumps([
        {"directory": os.path.join(d, "lang"), "file": "k.cpp", "command": "c++ -c k.cpp"},
        {"directory": os.path.join(d, "lang"), "file": "m.c", "command": "cc -c m.c"}]))
    rc, out, err = run(["-p", "lang"], cwd=d)
    check("mixed database: the C++ unit is skipped with a note, the C unit analyzed",
          rc == 1 and "k.cpp" not in out and "m.c:5:5: warning:" in out and
          "1 unit not C" in err and "in 1 unit" in err, "rc=%d\n%s%s" % (rc, out, err))
    rc, out, err = run(["lang/k.cpp"], cwd=d)
    check("only C++ named: nothing analyzed is exit 2 with the note", rc == 2 and "not C" in err,
          "rc=%d\n%s%s" % (rc, out, err))

    # --- a tolerant compile_commands.json reader: a malformed entry is reported
    # (file:line: entry K: what) and skipped, the others are analyzed, exit 2
    os.makedirs(os.path.join(d, "partial"))
    good = {"directory": os.path.join(d, "build"), "file": "../src/a.c",
            "command": "gcc '-DTWICE' \"-I../inc\" -c ../src/a.c -o a.o", "output": "a.o"}
    write(os.path.join(d, "partial", "compile_commands.json"),
          "[\n" + json.dumps(good) + ",\n" +
          '{"directory": "/", "file": 5, "arguments": ["cc"]},\n' +
          '{"directory": "/", "file": "x.c", "arguments": 7},\n' +
          '{"directory": "/", "file": "y.c"},\n' +
          '{"directory": "/", "file": "z.c", "command": "cc \'-DX"},\n' +
          '{"directory": oops, "file": "w.c"},\n' +
          '[1, 2],\n' +
          json.dumps(dict(good, file="../src/b.c", command="cc -DVERSION=3 -c ../src/b.c")) + "\n]\n")
    rc, out, err = run(["-p", "partial"], cwd=d)
    check("compdb with malformed entries: the good ones analyzed, exit 2",
          rc == 2 and "src/a.c:8:5: warning:" in out and "src/b.c:5:5: warning:" in out,
          "rc=%d\n%s%s" % (rc, out, err))
    for want in ('compile_commands.json:3: entry 2: "file" is a number',
                 'compile_commands.json:4: entry 3: "arguments" is a number',
                 'compile_commands.json:5: entry 4: has neither "arguments" nor "command"',
                 'compile_commands.json:6: entry 5: "command" has an unterminated quote',
                 'compile_commands.json:7: entry 6: not valid JSON',
                 'compile_commands.json:8: entry 7: is an array, not an object'):
        check("compdb names the bad entry: " + want, want in err, err)
    rc, out, err = run(["-p", "partial", "src/b.c"], cwd=d)
    check("compdb with malformed entries: only the file named",
          rc == 2 and "b.c" in out and "a.c" not in out, "rc=%d\n%s%s" % (rc, out, err))
    os.makedirs(os.path.join(d, "junk"))
    for text, word in (("not json at all", "expected a JSON array"), ("", "empty"),
                       ('{"directory": "/"}', "expected a JSON array"),
                       ('[{"directory": "/", "file": 1}]', "no usable compile command")):
        write(os.path.join(d, "junk", "compile_commands.json"), text)
        rc, out, err = run(["-p", "junk"], cwd=d)
        check("compdb unusable (%r): clear error, exit 2" % text[:20],
              rc == 2 and word in err and out == "", "rc=%d\n%s%s" % (rc, out, err))

    # --- FILE -- FLAGS
    rc, out, err = run([os.path.join(d, "src", "b.c"), "--", "-DVERSION=1"])
    check("FILE -- FLAGS: define honoured (no finding)", rc == 0 and out == "", "rc=%d\n%s%s" % (rc, out, err))

    # --- suppression, --checks
    write(os.path.join(d, "sup.c"), BUG.replace("    free(p);\n}", "    /* ferrum: allow(double-free) */\n    free(p);\n}"))
    rc, out, err = run(["sup.c"], cwd=d)
    check("suppression on the line above", rc == 0 and out == "", out + err)
    write(os.path.join(d, "sup2.c"), BUG.replace("    free(p);\n}", "    free(p); // ferrum: allow(leak)\n}"))
    rc, out, err = run(["sup2.c"], cwd=d)
    check("suppression names the check", rc == 1 and "double-free" in out, out + err)
    # a directive that was meant but does not apply is explained, not ignored in silence (QA8 M7)
    for name, comment, word in (("upper case", "// FERRUM: ALLOW(double-free)", "lower case"),
                                ("no colon", "/* ferrum allow(double-free) */", "with the colon"),
                                ("no such check", "/* ferrum: allow(double_free) */", "'double_free' is not a check"),
                                ("no check named (QA13 X9)", "// ferrum: allow()", "it names no check"),
                                ("another check (QA13 X9)", "// ferrum: allow(leak)",
                                 "it allows 'leak', and this finding is 'double-free'")):
        write(os.path.join(d, "near.c"), BUG.replace("    free(p);\n}", "    free(p); %s\n}" % comment))
        for j in ("1", "2"):
            rc, out, err = run(["-j", j, "near.c", "near.c"], cwd=d)
            check("near-miss suppression (%s, -j %s): finding kept, one note says why" % (name, j),
                  rc == 1 and "near.c:5:5: warning:" in out and out.count("does not suppress") == 1 and word in out,
                  "rc=%d\n%s%s" % (rc, out, err))
    # expressions are quoted as written, blanks included (QA8 M1)
    write(os.path.join(d, "spaced.c"), "#include <stdlib.h>\nint grow(char **out, size_t n) {\n"
          "    char *p = malloc(16);\n    if (!p)\n        return -1;\n    p = realloc(p,\n                n);\n"
          "    if (!p)\n        return -1;\n    *out = p;\n    return 0;\n}\n"
          "char *e(void) {\n    char buf[10];\n    return buf+ 2;\n}\n")
    rc, out, err = run(["spaced.c"], cwd=d)
    check("quoted expressions keep the source's blanks", "'p = realloc(p, n)' overwrote" in out and
          "returns 'buf+ 2'" in out, out + err)

    # --- findings that cannot be written: exit 2 and a message, not "1 finding"
    if os.path.exists("/dev/full"):
        write(os.path.join(d, "bug.c"), BUG)
        rc, out, err = run(["-o", "/dev/full", "bug.c"], cwd=d)
        check("-o /dev/full: exit 2, says so", rc == 2 and "cannot write the findings" in err, "rc=%d\n%s" % (rc, err))
        with open("/dev/full", "w") as full:
            p = subprocess.run([TOOL, "bug.c"], stdout=full, stderr=subprocess.PIPE, text=True, cwd=d, timeout=120)
        check("stdout on /dev/full: exit 2, says so", p.returncode == 2 and "cannot write the findings" in p.stderr,
              "rc=%d\n%s" % (p.returncode, p.stderr))
    rc, out, err = run(["--checks=leak", "bug.c"], cwd=d)
    check("--checks=leak hides double-free", rc == 0 and out == "", out + err)
    rc, out, err = run(["--checks=-double-free", "bug.c"], cwd=d)
    check("--checks=-double-free", rc == 0 and out == "", out + err)
    rc, out, err = run(["--checks=bogus", "bug.c"], cwd=d)
    check("--checks=bogus: exit 2", rc == 2, err)
    rc, out, err = run(["--checks=", "bug.c"], cwd=d)
    check("--checks= (empty, as from an empty variable): every check (QA9 W3)", rc == 1 and "double-free" in out,
          "rc=%d\n%s%s" % (rc, out, err))
    for spec in ("leak,-leak", "-all"):
        rc, out, err = run(["--checks=" + spec, "bug.c"], cwd=d)
        check("--checks=%s (no check left): exit 2, says so (QA8 V8)" % spec,
              rc == 2 and out == "" and "no check" in err, "rc=%d\n%s%s" % (rc, out, err))
    write(os.path.join(d, "clean.c"), "#include <stdlib.h>\nvoid g(void) { free(malloc(4)); }\n")
    rc, out, err = run(["clean.c", "--"], cwd=d)
    check("one clean unit: the summary line is printed (QA8 V9)",
          rc == 0 and out == "" and "ferrum-check: 0 findings in 1 unit" in err, "rc=%d\n%s%s" % (rc, out, err))
    rc, out, err = run(["-q", "clean.c", "--"], cwd=d)
    check("one clean unit with -q: nothing printed", rc == 0 and out == "" and err == "", "rc=%d\n%s%s" % (rc, out, err))

    # --- snippets and notes
    rc, out, err = run(["--snippets", "bug.c"], cwd=d)
    check("--snippets: carets and labels", "^" in out and "freed again here" in out and "|" in out, out)
    check("notes at the related places", "bug.c:4:5: note:" in out and "bug.c:3:15: note:" in out, out)

# --- a function the memory checks skip is named once, also from the cache (QA4 R10)
with tempfile.TemporaryDirectory() as d:
    body = "".join("    char *p%d = malloc(1);\n    free(p%d);\n" % (i, i) for i in range(4200))
    write(os.path.join(d, "big.c"), "#include <stdlib.h>\nvoid big(void) {\n" + body + "}\n")
    write(os.path.join(d, "bug.c"), BUG)
    write(os.path.join(d, "compile_commands.json"), json.dumps(
        [{"directory": d, "file": f, "arguments": ["cc", "-c", f]} for f in ("big.c", "bug.c")]))
    env_cache = os.path.join(d, "cache")
    for attempt in ("cold cache", "warm cache"):
        p = subprocess.run([TOOL, "-p", d, "-j", "2"], capture_output=True, text=True, cwd=d, timeout=120,
                           env=dict(os.environ, FERRUM_CACHE_DIR=env_cache))
        notes = [l for l in p.stderr.splitlines() if "'big' not analyzed by the memory checks" in l]
        check("skipped function named once (%s)" % attempt, len(notes) == 1 and "big.c:2:" in notes[0], p.stderr)
        check("summary line counts it (%s)" % attempt,
              "1 finding in 2 units (1 function not analyzed, named above)" in p.stderr, p.stderr)
        check("skipped function: findings and exit unchanged (%s)" % attempt,
              p.returncode == 1 and "[ferrum-double-free]" in p.stdout and "not analyzed" not in p.stdout,
              p.stdout)
    p = subprocess.run([TOOL, "-q", "big.c"], capture_output=True, text=True, cwd=d, timeout=120,
                       env=dict(os.environ, FERRUM_CACHE="0"))
    check("-q: no note for the skipped function", p.returncode == 0 and p.stderr == "", p.stderr)
    p = subprocess.run([TOOL, "--format=sarif", "big.c"], capture_output=True, text=True, cwd=d, timeout=120,
                       env=dict(os.environ, FERRUM_CACHE="0"))
    try:
        run0 = json.loads(p.stdout)["runs"][0]
        notes = run0["invocations"][0].get("toolExecutionNotifications", [])
        ok = run0["results"] == [] and len(notes) == 1 and "'big'" in notes[0]["message"]["text"]
    except (ValueError, KeyError, IndexError):
        ok = False
    check("SARIF: the skipped function is a notification, not a result", ok, p.stdout[-2000:])

# --- -p with some files: the note about units not analyzed names only the
# callees that matter (a function of the codebase no summary describes)
with tempfile.TemporaryDirectory() as d:
    write(os.path.join(d, "lib.c"), "#include <stdlib.h>\nvoid sink(char *p) { free(p); }\n")
    write(os.path.join(d, "user.c"), "void sink(char *p);\nvoid use(char *p) { sink(p); }\n")
    write(os.path.join(d, "plain.c"), "#include <stdlib.h>\nvoid plain(void) { free(malloc(1)); }\n")
    write(os.path.join(d, "compile_commands.json"), json.dumps(
        [{"directory": d, "file": f, "arguments": ["cc", "-c", f]} for f in ("lib.c", "user.c", "plain.c")]))
    env = dict(os.environ, FERRUM_CACHE_DIR=os.path.join(d, "cache"))
    p = subprocess.run([TOOL, "-p", d, "user.c", "plain.c"], capture_output=True, text=True, cwd=d, timeout=120,
                       env=env)
    check("named files: the note names the unknown callee", "1 function called here ('sink') has no summary" in
          p.stderr and "1 unit of the database not analyzed yet" in p.stderr, p.stderr)
    p = subprocess.run([TOOL, "-p", d, "plain.c", "lib.c"], capture_output=True, text=True, cwd=d, timeout=120,
                       env=dict(os.environ, FERRUM_CACHE_DIR=os.path.join(d, "cache2")))
    check("named files calling only libc: no note", "no summary" not in p.stderr and "note:" not in p.stderr,
          p.stderr)

# --- --dump-summaries with a warm cache: the unit is analyzed again (its
# findings are not just replayed) and the summaries are printed, with the
# cross-file summaries of the other units from the cache (QA8 M5)
with tempfile.TemporaryDirectory() as d:
    write(os.path.join(d, "lib.c"), "#include <stdlib.h>\nvoid sink(char *p) { free(p); }\n")
    write(os.path.join(d, "user.c"), "void sink(char *p);\nvoid use(char *p) { sink(p); }\n")
    write(os.path.join(d, "compile_commands.json"), json.dumps(
        [{"directory": d, "file": f, "arguments": ["cc", "-c", f]} for f in ("lib.c", "user.c")]))
    env = dict(os.environ, FERRUM_CACHE_DIR=os.path.join(d, "cache"))
    subprocess.run([TOOL, "-p", d], capture_output=True, text=True, cwd=d, timeout=120, env=env)
    p = subprocess.run([TOOL, "-p", d, "--dump-summaries", "user.c"], capture_output=True, text=True, cwd=d,
                       timeout=120, env=env)
    dump = p.stdout + p.stderr
    check("--dump-summaries on a cached unit prints its summaries, with the other unit's",
          "summary use:" in dump and "frees=0x1" in dump and "no summary" not in dump, dump)

# --- -p: a function of the codebase declared in the project's own -isystem
# header still has its summary applied at its calls (QA5 S8)
with tempfile.TemporaryDirectory() as d:
    os.mkdir(os.path.join(d, "sys"))
    write(os.path.join(d, "sys", "names.h"), "void release_name(char *p);\n")
    write(os.path.join(d, "rel.c"), "#include <stdlib.h>\n#include <names.h>\nvoid release_name(char *p) { free(p); }\n")
    write(os.path.join(d, "use.c"), "#include <stdlib.h>\n#include <string.h>\n#include <names.h>\n"
          "int use(const char *s) {\n    char *t = strdup(s);\n    if (!t) return -1;\n    release_name(t);\n"
          "    free(t);\n    return 0;\n}\n")
    write(os.path.join(d, "compile_commands.json"), json.dumps(
        [{"directory": d, "file": f, "arguments": ["cc", "-isystem", "sys", "-c", f]} for f in ("rel.c", "use.c")]))
    p = subprocess.run([TOOL, "-p", d], capture_output=True, text=True, cwd=d, timeout=120,
                       env=dict(os.environ, FERRUM_CACHE_DIR=os.path.join(d, "cache")))
    check("-isystem project header: callee summary used with -p", "use.c:8:5: warning: 't' is freed twice" in p.stdout,
          p.stdout + p.stderr)

# --- -p with a header the database lacks, next to a bear-style entry (file
# absolute, the source relative to "directory" in the arguments): the
# neighbour's source is not passed as a second input (QA5 S17)
with tempfile.TemporaryDirectory() as d:
    os.mkdir(os.path.join(d, "src"))
    write(os.path.join(d, "src", "main.c"), "int main(void) { return 0; }\n")
    write(os.path.join(d, "src", "util.h"), "#include <stdlib.h>\nstatic inline int bad(void) {\n"
          "    char *p = malloc(4);\n    free(p);\n    return p[0];\n}\n")
    write(os.path.join(d, "compile_commands.json"), json.dumps(
        [{"directory": os.path.join(d, "src"), "file": os.path.join(d, "src", "main.c"),
          "arguments": ["/usr/bin/gcc", "-c", "-I.", "-O2", "-o", "main", "main.c"]}]))
    p = subprocess.run([TOOL, "-p", d, "src/util.h"], capture_output=True, text=True, cwd=d, timeout=120,
                       env=dict(os.environ, FERRUM_CACHE="0"))
    check("-p HEADER next to a bear entry: analyzed", p.returncode == 1 and "util.h:5:12: warning:" in p.stdout
          and "[ferrum-use-after-free]" in p.stdout, p.stdout + p.stderr)

# --- a function whose graph is cut at a bound (blocks, statement nesting)
# is named too, not skipped in silence (QA5 S12)
with tempfile.TemporaryDirectory() as d:
    deep = "#include <stdlib.h>\nint deep(int x) {\n    char *p = malloc(4);\n    if (!p) return 0;\n    free(p);\n" + \
           "    if (x) " * 300 + "x++;\n    return p[0] + x;\n}\n"
    write(os.path.join(d, "deep.c"), deep)
    write(os.path.join(d, "compile_commands.json"), json.dumps(
        [{"directory": d, "file": "deep.c", "arguments": ["cc", "-c", "deep.c"]}]))
    for attempt in ("cold cache", "warm cache"):
        p = subprocess.run([TOOL, "-p", d], capture_output=True, text=True, cwd=d, timeout=120,
                           env=dict(os.environ, FERRUM_CACHE_DIR=os.path.join(d, "cache")))
        notes = [l for l in p.stderr.splitlines() if "'deep' not analyzed" in l]
        check("graph over its bound: function named once (%s)" % attempt,
              len(notes) == 1 and "deep.c:2:" in notes[0] and "256" in notes[0] and
              "(1 function not analyzed, named above)" in p.stderr, p.stderr)

# --- an accessor of another file that returns a borrow of its handle: the
# caller holds that borrow (summary h_ret_borrow, through the cache: QA5 S26)
with tempfile.TemporaryDirectory() as d:
    inc = os.path.join(os.path.abspath(sys.argv[2]), "..", "..", "include")
    write(os.path.join(d, "lib.c"), "#include <ferrum/ferrum.h>\nint *grab(fr_handle h) { return fr_borrow_mut(h); }\n")
    write(os.path.join(d, "app.c"), "#include <ferrum/ferrum.h>\nint *grab(fr_handle h);\nvoid a3(void) {\n"
          "    fr_handle h = fr_own_new(fr_heap_allocator(), 8, NULL);\n    int *w = grab(h);\n    *w = 1;\n"
          "    fr_drop(&h);\n}\n")
    write(os.path.join(d, "compile_commands.json"), json.dumps(
        [{"directory": d, "file": f, "arguments": ["cc", "-I" + os.path.abspath(inc), "-c", f]} for f in ("lib.c", "app.c")]))
    for attempt in ("cold cache", "warm cache"):
        p = subprocess.run([TOOL, "-p", d], capture_output=True, text=True, cwd=d, timeout=120,
                           env=dict(os.environ, FERRUM_CACHE_DIR=os.path.join(d, "cache")))
        check("accessor in another file: drop while its borrow is held (%s)" % attempt,
              "app.c:7:5: warning: cannot drop value because it is borrowed: 'h'" in p.stdout, p.stdout + p.stderr)

# --- -o naming an input is refused before anything is written (QA5 S38:
# the source was emptied); SARIF says when units could not be analyzed (S33)
with tempfile.TemporaryDirectory() as d:
    write(os.path.join(d, "bug.c"), BUG)
    write(os.path.join(d, "broken.c"), "int main(void) { return 0 }\n")
    os.symlink("bug.c", os.path.join(d, "alias.txt"))
    for target in ("bug.c", "alias.txt", "other.h", "compile_commands.json"):
        rc, out, err = run(["bug.c", "-o", target, "--"], cwd=d)
        with open(os.path.join(d, "bug.c")) as f:
            intact = f.read() == BUG
        check("-o %s: refused, input intact" % target, rc == 2 and "refusing to overwrite" in err and intact and
              not os.path.exists(os.path.join(d, "other.h")), err)
    rc, out, err = run(["--format=sarif", "broken.c", "bug.c", "--"], cwd=d)
    try:
        inv = json.loads(out)["runs"][0]["invocations"][0]
        ok = inv["executionSuccessful"] is False and any(
            n["level"] == "error" and "broken.c" in json.dumps(n["locations"]) for n in inv["toolExecutionNotifications"])
    except (ValueError, KeyError, IndexError):
        ok = False
    check("SARIF: a unit not analyzed makes the invocation unsuccessful and is named", rc == 2 and ok, out[-1500:])

# --- the unchecked build's flags (-DFR_UNCHECKED=1) do not hide the rules:
# typed handles are checked as in the checked build (QA5 S35)
src = os.path.join(os.path.abspath(sys.argv[2]), "ownership", "pointers_bad.c")
inc = os.path.join(os.path.abspath(sys.argv[2]), "..", "..", "include")
_, checked, _ = run([src, "--", "-I" + inc])
_, unchecked, _ = run([src, "--", "-I" + inc, "-DFR_UNCHECKED=1"])
check("-DFR_UNCHECKED=1: the same findings as the checked build", checked.count("warning:") >= 3 and
      checked == unchecked, checked + "\n----\n" + unchecked)

# --- --explain, bad options
rc, out, err = run(["--explain", "use-after-free"])
check("--explain use-after-free", rc == 0 and "Why it matters" in out and "Right" in out, out + err)
for c in ("double-free", "leak", "free-nonheap", "return-stack-address"):
    rc, out, err = run(["--explain", c])
    check("--explain " + c, rc == 0 and len(out) > 200, out + err)
rc, out, err = run(["--explain", "no-such-check"])
check("--explain unknown: exit 2", rc == 2, err)
rc, out, err = run(["--no-such-option"])
check("unknown option: exit 2", rc == 2, err)
for bad in ("--timeout=abc", "--timeout=0", "--timeout=-5", "--timeout="):
    rc, out, err = run([bad, "x.c"])
    check("%s: exit 2, says what is wrong" % bad, rc == 2 and "--timeout needs" in err, err)
for opt, word in (("-j", "a number"), ("-p", "a build directory"), ("-o", "a file name")):
    rc, out, err = run(["x.c", opt])
    check("%s without its argument: exit 2, says so" % opt, rc == 2 and ("%s needs %s" % (opt, word)) in err, err)
rc, out, err = run([])
check("nothing to do: exit 2", rc == 2, err)

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
