#!/usr/bin/env python3
"""
tests/docs/mancheck.py -- the man pages are valid roff and name the tools'
real options.

What: each page given must format with `groff -man -ww -z` without a
warning.  For each `--tool NAME=PAGE` pair whose executable is built, every
option the tool's `--help` lists (`-x`, `--long`) must appear in the page,
and every long option the page's OPTIONS section names must appear in the
`--help` text.  A tool that is not built is reported as SKIPPED.
How: option names are read with a regex from both texts; roff's `\\-` is
turned back into `-` first.
Why: a man page that documents options the tool does not have (or misses
one it has) is a bug report waiting to happen.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def roff_text(path):
    return open(path, encoding="utf-8").read().replace("\\-", "-").replace("\\c", "")


def options_section(text):
    m = re.search(r"^\.SH OPTIONS\n(.*?)^\.SH ", text, re.S | re.M)
    return m.group(1) if m else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", action="append", default=[],
                    help="EXECUTABLE=PAGE: compare the tool's --help with its page")
    ap.add_argument("pages", nargs="+")
    args = ap.parse_args()
    failed = 0
    groff = shutil.which("groff")
    for page in args.pages:
        if not groff:
            print(f"SKIP {page}: groff is not installed")
            continue
        p = subprocess.run([groff, "-man", "-ww", "-z", page], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        out = p.stdout.decode("utf-8", "replace").strip()
        if p.returncode != 0 or out:
            failed += 1
            print(f"FAIL {page}: groff warnings:\n{out}")
        else:
            print(f"ok   {page}: formats cleanly")
    for pair in args.tool:
        exe, page = pair.split("=", 1)
        if not os.access(exe, os.X_OK):
            print(f"SKIP {os.path.basename(exe)}: not built")
            continue
        p = subprocess.run([exe, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        help_text = p.stdout.decode("utf-8", "replace")
        page_text = roff_text(page)
        in_help = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])\b", help_text))
        in_page = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])\b", page_text))
        page_opts = set(re.findall(r"^\.(?:TP\n)?\.B[IR]? +\"?(--[a-z][a-z0-9-]*)",
                                   options_section(page_text), re.M))
        for o in sorted(in_help - in_page):
            failed += 1
            print(f"FAIL {page}: `{os.path.basename(exe)} --help` lists {o}, the page does not")
        page_opts -= {"--help", "--version"}   # a tool need not list these in --help
        for o in sorted(page_opts - in_help):
            failed += 1
            print(f"FAIL {page}: the page's OPTIONS name {o}, `--help` does not")
        if not (in_help - in_page or page_opts - in_help):
            print(f"ok   {os.path.basename(exe)}: {len(in_help)} options of --help in {page}")
    print(f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
