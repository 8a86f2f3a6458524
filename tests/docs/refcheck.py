#!/usr/bin/env python3
"""
tests/docs/refcheck.py -- docs/reference.md documents every public name.

What: collects the public names of ferrum from three places and fails when
one has no entry in docs/reference.md:
  1. every function and type declared in include/ferrum/*.h with an `fr_`
     name (FR_API declarations, static inline helpers, typedefs, enum
     constants FR_V_*), and every `FR_` macro #defined there (FR__* are
     private spellings and are not counted);
  2. every symbol libferrum.so exports (`nm -D --defined-only`), minus the
     linker's own (_init, _fini, _edata, ...);
  3. every `fr_` symbol libferrum-malloc.so exports (its standard malloc
     names are documented in libferrum-malloc(3)).
How: an entry is a markdown heading (a line starting with '#') that names
the symbol as a whole word; one heading may name several related symbols.
A library that is not built yet is reported as SKIPPED; the headers are
always checked.  Exit 0 when everything is documented, 1 otherwise.
Why: a reference that silently misses a function is worse than none.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

LINKER_SYMBOLS = {"_init", "_fini", "_edata", "_end", "__bss_start"}


def header_names(include_dir):
    names = {}
    for path in sorted(glob.glob(os.path.join(include_dir, "ferrum", "*.h"))):
        text = open(path, encoding="utf-8").read()
        # drop comments so that names in prose do not count as declarations
        code = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        code = re.sub(r"//[^\n]*", " ", code)
        rel = os.path.relpath(path, include_dir)
        for m in re.finditer(r"^\s*#\s*define\s+(FR_[A-Za-z0-9_]*)", code, re.M):
            if not m.group(1).startswith("FR__"):
                names.setdefault(m.group(1), rel)
        for m in re.finditer(r"\b(fr_[a-z0-9_]+)\s*\(", code):
            names.setdefault(m.group(1), rel)
        for m in re.finditer(r"\btypedef\b[^;]*?\b(fr_[a-z0-9_]+)\s*;", code, re.S):
            names.setdefault(m.group(1), rel)
        for m in re.finditer(r"\(\s*\*\s*(fr_[a-z0-9_]+)\s*\)", code):
            names.setdefault(m.group(1), rel)
        for m in re.finditer(r"\bstruct\s+(fr_[a-z0-9_]+)\s*\{", code):
            names.setdefault(m.group(1), rel)
        for m in re.finditer(r"\b(FR_[A-Z0-9_]+)\s*[,=}]", code):
            if not m.group(1).startswith("FR__"):
                names.setdefault(m.group(1), rel)
    # fr__ names in headers are private spellings of inline fast paths;
    # the ones the library exports are still checked through nm below.
    return {n: w for n, w in names.items() if not n.startswith("fr__")}


def exported(lib, only_fr):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        name = parts[2].split("@")[0]
        if name in LINKER_SYMBOLS:
            continue
        if name.startswith("__odr_asan."):
            continue  # AddressSanitizer's one-definition-rule markers (ASan builds)
        if only_fr and not name.startswith("fr_"):
            continue
        syms.add(name)
    return syms


def documented(reference):
    text = open(reference, encoding="utf-8").read()
    words = set()
    for line in text.splitlines():
        if line.startswith("#"):
            words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", line))
    return words


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", required=True)
    ap.add_argument("--include", required=True)
    ap.add_argument("--libferrum", default="")
    ap.add_argument("--malloc-lib", default="")
    args = ap.parse_args()

    docs = documented(args.reference)
    missing = []
    counted = 0
    for name, where in sorted(header_names(args.include).items()):
        counted += 1
        if name not in docs:
            missing.append(f"{name} (declared in include/{where})")
    for lib, only_fr, label in ((args.libferrum, False, "libferrum.so"),
                                (args.malloc_lib, True, "libferrum-malloc.so")):
        if not lib or not os.path.exists(lib):
            print(f"SKIP {label}: not built")
            continue
        syms = exported(lib, only_fr)
        print(f"{label}: {len(syms)} exported names checked")
        counted += len(syms)
        for s in sorted(syms):
            if s not in docs:
                missing.append(f"{s} (exported by {label})")
    for m in sorted(set(missing)):
        print(f"UNDOCUMENTED {m}")
    print(f"{counted} names checked, {len(set(missing))} undocumented")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
