#!/usr/bin/env python3
"""
tests/docs/checkscheck.py -- docs/checks.md covers every analyzer check, and
its examples do what the text says.

What: for each check name of the contract (DESIGN.md), docs/checks.md must
have a section headed "## `NAME`" holding a "Wrong" and a "Right" example
(each a fenced ```c block after a line starting with "**Wrong**" /
"**Right**").  When ferrum-check is built:
  - each wrong example, analyzed alone (`ferrum-check FILE.c -- -Iinclude`),
    must produce a finding tagged [ferrum-NAME], and each right example must
    produce none of that check;
  - when `ferrum-check --explain NAME` exists, the section's block marked
    `<!-- explain: NAME -->` must be exactly what it prints (blank-line and
    trailing-space differences aside).
How: examples are written to a temporary directory as complete translation
units, so they must compile on their own.  Parts that need the tool are
reported as SKIPPED when it is not built; exit 77 (meson SKIP) never
happens here because the structure is always checkable.
Why: the same text is the user's reference and `--explain`'s output; it
must not lie about what the analyzer finds.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

CHECKS = ["use-after-free", "double-free", "leak", "free-nonheap", "use-after-move",
          "borrow-conflict", "dangling-borrow", "restrict-overlap", "strict-aliasing",
          "return-stack-address"]


def sections(text):
    out = {}
    parts = re.split(r"^## `([a-z-]+)`[ \t]*$", text, flags=re.M)
    for i in range(1, len(parts) - 1, 2):
        out[parts[i]] = parts[i + 1]
    return out


def example(section, label):
    m = re.search(r"^\*\*" + label + r"\*\*.*?\n```c\n(.*?)^```", section, re.S | re.M)
    return m.group(1) if m else None


def norm(text):
    lines = [l.rstrip() for l in text.strip("\n").split("\n")]
    return "\n".join(l for l in lines if l)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checks-md", required=True)
    ap.add_argument("--ferrum-check", default="")
    ap.add_argument("--include", default="")
    ap.add_argument("--update", action="store_true",
                    help="rewrite the explain blocks with `ferrum-check --explain` output")
    args = ap.parse_args()
    text = open(args.checks_md, encoding="utf-8").read()
    secs = sections(text)
    tool = args.ferrum_check if args.ferrum_check and os.access(args.ferrum_check, os.X_OK) else None
    include = os.path.abspath(args.include) if args.include else os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(args.checks_md))), "include")
    failed = checked = 0
    skipped = []

    def fail(msg):
        nonlocal failed
        failed += 1
        print(f"FAIL {msg}")

    explain_ok = None
    with tempfile.TemporaryDirectory() as tmp:
        for name in CHECKS:
            sec = secs.get(name)
            if sec is None:
                fail(f"{name}: no section '## `{name}`' in checks.md")
                continue
            wrong, right = example(sec, "Wrong"), example(sec, "Right")
            if wrong is None or right is None:
                fail(f"{name}: the section needs a **Wrong** and a **Right** ```c example")
                continue
            checked += 1
            if not tool:
                skipped.append(f"{name}: examples not analyzed (ferrum-check is not built)")
                continue
            for label, code, want in (("wrong", wrong, True), ("right", right, False)):
                path = os.path.join(tmp, f"{name.replace('-', '_')}_{label}.c")
                with open(path, "w") as f:
                    f.write(code)
                p = subprocess.run([tool, path, "--", "-I" + include], cwd=tmp,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                out = p.stdout.decode("utf-8", "replace")
                found = f"[ferrum-{name}]" in out
                checked += 1
                if p.returncode == 2:
                    fail(f"{name}: ferrum-check could not analyze the {label} example:\n{out}")
                elif found != want:
                    fail(f"{name}: the {label} example {'does not produce' if want else 'produces'}"
                         f" a [ferrum-{name}] finding:\n{out}")
                else:
                    print(f"ok   {name}: {label} example")
            # --explain, when the tool has it
            p = subprocess.run([tool, "--explain", name], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            if p.returncode != 0:
                if explain_ok is None:
                    explain_ok = False
                skipped.append(f"{name}: `ferrum-check --explain {name}` exited {p.returncode}")
                continue
            explain_ok = True
            if args.update:
                real = p.stdout.decode("utf-8", "replace").strip("\n") + "\n"
                blk = re.compile(r"(<!--\s*explain:\s*" + re.escape(name) +
                                 r"\s*-->\n```[a-z]*\n)(.*?)(^```)", re.S | re.M)
                text = blk.sub(lambda mm: mm.group(1) + real + mm.group(3), text, count=1)
                sec = sections(text)[name]
            m = re.search(r"<!--\s*explain:\s*" + re.escape(name) + r"\s*-->\n```[a-z]*\n(.*?)^```",
                          sec, re.S | re.M)
            checked += 1
            if not m:
                fail(f"{name}: no <!-- explain: {name} --> block to compare with --explain")
            elif norm(m.group(1)) != norm(p.stdout.decode("utf-8", "replace")):
                fail(f"{name}: the explain block differs from `ferrum-check --explain {name}`:\n"
                     f"---- checks.md\n{norm(m.group(1))}\n---- --explain\n"
                     f"{norm(p.stdout.decode('utf-8', 'replace'))}\n----")
            else:
                print(f"ok   {name}: --explain text")
    if args.update:
        with open(args.checks_md, "w", encoding="utf-8") as f:
            f.write(text)
    for s in skipped:
        print(f"SKIP {s}")
    print(f"{checked} items checked, {failed} failed, {len(skipped)} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
