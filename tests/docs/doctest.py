#!/usr/bin/env python3
"""
tests/docs/doctest.py -- the documentation cannot drift from the programs.

What: every output quoted in the docs is checked against what the program or
the analyzer really prints.  A quoted block is an HTML comment naming its
source, followed by a fenced block:

    <!-- output: examples/tutorial/02_move_bad stderr exit=SIGABRT -->
    ```text
    ...what the built program prints on stderr...
    ```

    <!-- check: examples/tutorial/02_move_bad.c exit=1 -->
    ```text
    ...what `ferrum-check examples/tutorial/02_move_bad.c -- -Iinclude` prints...
    ```

`output:` runs BUILD/<path> (cwd: the source root) and compares the named
stream (`stdout` or `stderr`; `(stdout)` is accepted too) and, when `exit=`
is given, the exit status (a number, or a signal name such as SIGABRT).
`check:` runs ferrum-check on the file with `-- -Iinclude` (cwd: the source
root) and compares everything it prints (stdout then stderr) and its exit
status when `exit=` is given; `args=--a,--b` adds options before the file
(e.g. `args=--snippets`).

How: both sides are normalized only where a run must vary -- hexadecimal
addresses and offsets (0x...), process ids, absolute paths of the source and
build trees (shown as `.` and `build`) -- and the rest must match exactly,
line for line.  A block whose tool is missing (the owner layer or the
analyzer not built, or built with -Downer_checks=false for runtime reports)
is reported as SKIPPED, never as passed (in an -Downer_checks=false build
every program output is skipped: the lessons show the checked build).  Exit status: 0 when every
checkable block matched, 1 when one did not, 77 (meson's SKIP) when nothing
could be checked.

`excerpt:` checks that a code excerpt quoted from a source file is really
in it: every line of the block (blank lines and `...` lines aside) must
appear in the file, in order, up to leading and trailing blanks.

`--update` rewrites each checkable block whose output changed with the real
output (paths shown relative, nothing else changed): that is how the quoted
outputs were made.  Blocks that still match are left as they are, so an
update does not churn addresses.
`--links FILE` (and every document given) also checks that relative
markdown links name files that exist.

Why: quoted outputs in tutorials rot silently; this makes them a test.
"""
import argparse
import os
import re
import resource
import signal
import subprocess
import sys

MARK = re.compile(
    r"<!--\s*(output|check|excerpt):\s*(\S+)((?:\s+[^\s>][^>]*?)?)\s*-->\n"
    r"(```[A-Za-z0-9_-]*\n)(.*?)(^```[ \t]*$)",
    re.S | re.M)


def parse_attrs(text):
    """'stderr exit=SIGABRT' / '(stderr)' -> {'stream': 'stderr', 'exit': 'SIGABRT'}"""
    attrs = {}
    for tok in text.split():
        tok = tok.strip("()")
        if "=" in tok:
            k, v = tok.split("=", 1)
            attrs[k] = v
        elif tok in ("stdout", "stderr"):
            attrs["stream"] = tok
        elif tok:
            raise ValueError(f"unknown attribute {tok!r}")
    return attrs


def no_core_dumps():
    """The broken examples abort on purpose: no core files in the tree."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def exit_name(rc):
    if rc < 0:
        try:
            return signal.Signals(-rc).name
        except ValueError:
            return f"signal{-rc}"
    return str(rc)


class Runner:
    def __init__(self, args):
        self.src = os.path.realpath(args.source_root)
        self.build = os.path.realpath(args.build_root)
        self.check = args.ferrum_check
        self.owner_checks = args.owner_checks == "true"
        self.cache = {}

    def pretty(self, text):
        """Real output with the trees' absolute paths shown relative."""
        text = text.replace(self.build + "/", "build/").replace(self.build, "build")
        text = text.replace(self.src + "/", "").replace(self.src, ".")
        return text

    @staticmethod
    def normalize(text):
        text = re.sub(r"0x[0-9a-fA-F]+", "0x?", text)
        text = re.sub(r"\b(pid|process|thread)([ =:]+)\d+", r"\1\2?", text)
        text = re.sub(r"==\d+==", "==?==", text)
        return "\n".join(l.rstrip() for l in text.strip("\n").split("\n"))

    def run(self, argv, merge):
        key = (tuple(argv), merge)
        if key not in self.cache:
            env = dict(os.environ, LC_ALL="C", TERM="dumb")
            env.pop("FERRUM_OPTIONS", None)
            env.pop("LD_PRELOAD", None)
            env.pop("FERRUM_OWNER", None)
            p = subprocess.run(argv, cwd=self.src, env=env, timeout=60,
                               preexec_fn=no_core_dumps,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT if merge else subprocess.PIPE)
            out = p.stdout.decode("utf-8", "replace")
            err = "" if merge else p.stderr.decode("utf-8", "replace")
            self.cache[key] = (out, err, p.returncode)
        return self.cache[key]

    def excerpt_missing(self, path, quoted):
        """None when every line of `quoted` is in the file in order, else the first missing."""
        try:
            with open(os.path.join(self.src, path), encoding="utf-8") as f:
                lines = [l.strip() for l in f]
        except OSError:
            return f"(cannot read {path})"
        i = 0
        for q in quoted.split("\n"):
            q = q.strip()
            if not q or q == "...":
                continue
            while i < len(lines) and lines[i] != q:
                i += 1
            if i == len(lines):
                return q
            i += 1
        return None

    def block(self, kind, path, attrs):
        """-> (None, skip reason) or (actual text, actual exit name)"""
        if kind == "output":
            exe = os.path.join(self.build, path)
            if not os.access(exe, os.X_OK):
                return None, f"{path} is not built (the owner layer has not landed?)"
            stream = attrs.get("stream", "stdout")
            if not self.owner_checks:
                return None, "the outputs were recorded with the checked build (-Downer_checks=true)"
            out, err, rc = self.run([exe], merge=False)
            return (out if stream == "stdout" else err), exit_name(rc)
        if not self.check or not os.access(self.check, os.X_OK):
            return None, "ferrum-check is not built (the analyzer has not landed?)"
        if not os.path.exists(os.path.join(self.src, path)):
            return None, f"{path} does not exist"
        extra = [a for a in attrs.get("args", "").split(",") if a]
        out, _, rc = self.run([self.check] + extra + [path, "--", "-Iinclude"], merge=True)
        return out, exit_name(rc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source-root", required=True)
    ap.add_argument("--build-root", required=True)
    ap.add_argument("--ferrum-check", default="")
    ap.add_argument("--owner-checks", default="true", choices=["true", "false"])
    ap.add_argument("--update", action="store_true",
                    help="rewrite the quoted blocks with the real outputs")
    ap.add_argument("--only", choices=["output", "check", "excerpt"],
                    help="handle only the blocks of this kind (the others are skipped)")
    ap.add_argument("--links", action="append", default=[],
                    help="also check that the relative links of this markdown file resolve")
    ap.add_argument("docs", nargs="+", help="markdown files (relative to the source root)")
    args = ap.parse_args()
    r = Runner(args)

    checked = failed = 0
    skipped = []
    for doc in args.docs:
        path = os.path.join(r.src, doc)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        pieces, pos = [], 0
        for m in MARK.finditer(text):
            kind, target, attrs_text, fence, quoted, close = m.groups()
            line = text.count("\n", 0, m.start()) + 1
            where = f"{doc}:{line}: {kind} {target}"
            try:
                attrs = parse_attrs(attrs_text)
            except ValueError as e:
                print(f"FAIL {where}: {e}")
                failed += 1
                continue
            if args.only and kind != args.only:
                skipped.append(f"{where}: not selected (--only {args.only})")
                continue
            if kind == "excerpt":
                checked += 1
                missing = r.excerpt_missing(target, quoted)
                if missing is None:
                    print(f"ok   {where}")
                else:
                    failed += 1
                    print(f"FAIL {where}: not in {target} (in this order): {missing!r}")
                continue
            actual, status = r.block(kind, target, attrs)
            if actual is None:
                skipped.append(f"{where}: {status}")
                continue
            actual = r.pretty(actual)
            if args.update and r.normalize(actual) != r.normalize(quoted):
                body = actual.strip("\n")
                new = body + "\n" if body else ""
                pieces.append(text[pos:m.start(5)])
                pieces.append(new)
                pos = m.end(5)
                if "exit" in attrs and attrs["exit"] != status:
                    print(f"NOTE {where}: exit is {status}, the marker says {attrs['exit']}")
            checked += 1
            ok = True
            if r.normalize(actual) != r.normalize(quoted):
                ok = False
                print(f"FAIL {where}: the quoted output differs from the real one")
                print("---- quoted (normalized)")
                print(r.normalize(quoted))
                print("---- real (normalized)")
                print(r.normalize(actual))
                print("----")
            if "exit" in attrs and attrs["exit"] != status:
                ok = False
                print(f"FAIL {where}: exit status {status}, the text says {attrs['exit']}")
            if ok:
                print(f"ok   {where}")
            elif not args.update:
                failed += 1
        if args.update and pieces:
            pieces.append(text[pos:])
            new_text = "".join(pieces)
            if new_text != text:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(new_text)
                print(f"updated {doc}")

    # Relative links ([text](path), [text](path#anchor), [text](#anchor))
    # must name files that exist, and an anchor into a Markdown file one of
    # its headings (GitHub's slugs), for every document given (blocks or not).
    link = re.compile(r"\]\((?!https?:|mailto:)([^)\s#]*)(?:#([^)\s]*))?\)")
    slugs_of = {}

    def slugs(path):
        if path not in slugs_of:
            seen, out, fence = {}, set(), False
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.startswith("```"):
                        fence = not fence
                    m = None if fence else re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
                    if not m:
                        continue
                    s = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
                    k = seen.get(s, 0)
                    seen[s] = k + 1
                    out.add(s if k == 0 else f"{s}-{k}")
            slugs_of[path] = out
        return slugs_of[path]

    for doc in dict.fromkeys(args.docs + args.links):
        docpath = os.path.join(r.src, doc)
        with open(docpath, encoding="utf-8") as f:
            body = f.read()
        base = os.path.dirname(docpath)
        for n, line in enumerate(body.split("\n"), 1):
            for target, anchor in link.findall(line):
                if not target and not anchor:
                    continue
                checked += 1
                dest = os.path.normpath(os.path.join(base, target)) if target else docpath
                if not os.path.exists(dest):
                    failed += 1
                    print(f"FAIL {doc}:{n}: link to {target}: no such file")
                elif anchor and dest.endswith(".md") and anchor not in slugs(dest):
                    failed += 1
                    print(f"FAIL {doc}:{n}: link to {target}#{anchor}: no such heading")

    for s in skipped:
        print(f"SKIP {s}")
    print(f"{checked} blocks checked, {failed} failed, {len(skipped)} skipped")
    if failed:
        return 1
    if checked == 0:
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
