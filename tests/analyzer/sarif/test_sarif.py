#!/usr/bin/env python3
"""tests/analyzer/sarif/test_sarif.py — ferrum-check --format=sarif writes a
SARIF 2.1.0 log that code-scanning services accept.

Checks the document's structure, not a byte-for-byte copy: valid JSON; the
version and schema; tool.driver with name, version, informationUri and one
rule per check of the contract (id, short and full description, help text
from --explain); one result per finding with ruleId/ruleIndex consistent
with the rules, level, message, a physical location whose URI is relative
to %SRCROOT% (declared in originalUriBaseIds) with a 1-based region, the
notes as relatedLocations with messages, and the suppression state
(suppressions: [{kind: inSource}] on the finding silenced by a
`ferrum: allow(...)` comment and on no other).  A second run over a file
whose name needs percent-encoding checks URI escaping.

Usage: test_sarif.py FERRUM_CHECK SOURCE_DIR INCLUDE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

TOOL, SRC, INC = (os.path.abspath(a) for a in sys.argv[1:4])
CHECKS = ["use-after-free", "double-free", "leak", "free-nonheap", "use-after-move",
          "borrow-conflict", "dangling-borrow", "restrict-overlap", "strict-aliasing",
          "return-stack-address"]
failures = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("    " + str(detail).replace("\n", "\n    "))


def sarif(cwd, files):
    p = subprocess.run([TOOL, "--format=sarif"] + files + ["--", "-I" + INC], cwd=cwd,
                       capture_output=True, text=True, timeout=120)
    return p


with tempfile.TemporaryDirectory() as tmp:
    shutil.copy(os.path.join(SRC, "findings.c"), os.path.join(tmp, "findings.c"))
    p = sarif(tmp, ["findings.c"])
    check("exit status 1 (findings)", p.returncode == 1, p.stderr)
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        doc = None
        check("output is JSON", False, f"{e}\n{p.stdout[:2000]}")
    if doc is not None:
        check("version 2.1.0", doc.get("version") == "2.1.0")
        check("$schema names SARIF 2.1.0", "sarif" in doc.get("$schema", "") and "2.1.0" in doc["$schema"])
        runs = doc.get("runs", [])
        check("one run", len(runs) == 1)
        run = runs[0] if runs else {}
        drv = run.get("tool", {}).get("driver", {})
        check("driver name", drv.get("name") == "ferrum-check")
        check("driver version", isinstance(drv.get("version"), str) and drv["version"][:1].isdigit())
        check("driver informationUri", drv.get("informationUri", "").startswith("https://"))
        rules = drv.get("rules", [])
        ids = [r.get("id") for r in rules]
        check("a rule per check", sorted(ids) == sorted(CHECKS), ids)
        for r in rules:
            ok = all(isinstance(r.get(k, {}).get("text"), str) and r[k]["text"]
                     for k in ("shortDescription", "fullDescription", "help"))
            check(f"rule {r.get('id')} has descriptions and help", ok, r)
        mine = [r for r in rules if r.get("id") in ("restrict-overlap", "use-after-move", "strict-aliasing")]
        check("help of our rules is the --explain text",
              all("Why it matters" in r["help"]["text"] for r in mine), [r["help"] for r in mine])
        base = run.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "")
        check("%SRCROOT% declared as a file:// directory", base.startswith("file://") and base.endswith("/"), base)
        results = run.get("results", [])
        by_rule = {}
        for res in results:
            by_rule.setdefault(res.get("ruleId"), []).append(res)
        check("three results", len(results) == 3, [r.get("ruleId") for r in results])
        for res in results:
            rid = res.get("ruleId")
            check(f"{rid}: ruleIndex points at its rule",
                  isinstance(res.get("ruleIndex"), int) and 0 <= res["ruleIndex"] < len(rules)
                  and rules[res["ruleIndex"]]["id"] == rid)
            check(f"{rid}: level", res.get("level") in ("warning", "error", "note"))
            check(f"{rid}: message text", bool(res.get("message", {}).get("text")))
            locs = res.get("locations", [])
            pl = locs[0].get("physicalLocation", {}) if locs else {}
            art = pl.get("artifactLocation", {})
            reg = pl.get("region", {})
            check(f"{rid}: relative uri under %SRCROOT%",
                  art.get("uri") == "findings.c" and art.get("uriBaseId") == "%SRCROOT%", art)
            check(f"{rid}: region is 1-based", reg.get("startLine", 0) >= 1 and reg.get("startColumn", 0) >= 1, reg)
            rel = res.get("relatedLocations", [])
            check(f"{rid}: notes as relatedLocations", len(rel) >= 1 and all(
                r.get("message", {}).get("text") and r.get("physicalLocation", {}).get("region", {}).get("startLine", 0) >= 1
                for r in rel), rel)
        uam = by_rule.get("use-after-move", [{}])[0]
        check("use-after-move at line 15", uam.get("locations", [{}])[0].get("physicalLocation", {})
              .get("region", {}).get("startLine") == 15)
        check("use-after-move note: value moved here", any("value moved here" in r["message"]["text"]
              for r in uam.get("relatedLocations", [])))
        sup = by_rule.get("strict-aliasing", [])
        check("suppressed finding kept, marked inSource", len(sup) == 1 and
              sup[0].get("suppressions", [{}])[0].get("kind") == "inSource", sup)
        check("other findings carry no suppression",
              all("suppressions" not in r for r in results if r.get("ruleId") != "strict-aliasing"))

    # URI escaping: a file name with a space and a percent sign.
    odd = os.path.join(tmp, "odd dir")
    os.mkdir(odd)
    shutil.copy(os.path.join(SRC, "findings.c"), os.path.join(odd, "100% sure.c"))
    p = sarif(tmp, ["odd dir/100% sure.c"])
    try:
        doc = json.loads(p.stdout)
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
        check("uri percent-encoded", uris == {"odd%20dir/100%25%20sure.c"}, uris)
    except (ValueError, KeyError, IndexError) as e:
        check("odd file name: valid SARIF", False, f"{e}\n{p.stdout[:1000]}\n{p.stderr}")

    # Columns: the run says unicodeCodePoints, so text before the finding
    # in UTF-8 counts one column per character (bytes would be 30 and 19).
    with open(os.path.join(tmp, "utf8.c"), "w", encoding="utf-8") as f:
        f.write("#include <stdlib.h>\n#include <stdio.h>\nvoid f(void) {\n\tchar *p = malloc(4);\n"
                "\tfree(p);\n\t\tputs(\"h\u00e9llo w\u00f6rld \u2713\"); free(p);\n}\n"
                "void g(void) {\n\tchar *p = malloc(4);\n\tfree(p);\n\t\tputs(\"\u4f60\u597d\"); free(p);\n}\n")
    p = sarif(tmp, ["utf8.c"])
    try:
        doc = json.loads(p.stdout)
        regs = sorted((r["locations"][0]["physicalLocation"]["region"]["startLine"],
                       r["locations"][0]["physicalLocation"]["region"]["startColumn"],
                       r["locations"][0]["physicalLocation"]["region"]["endColumn"])
                      for r in doc["runs"][0]["results"])
        check("columns count code points, not bytes", regs == [(6, 26, 33), (11, 15, 22)], regs)
    except (ValueError, KeyError, IndexError) as e:
        check("utf8: valid SARIF", False, f"{e}\n{p.stdout[:1000]}\n{p.stderr}")
    q = subprocess.run([TOOL, "--snippets", "utf8.c"], capture_output=True, text=True, cwd=tmp, timeout=60)
    lines = q.stdout.splitlines()
    carets = [(lines[i - 1], l) for i, l in enumerate(lines) if "^^^^^^^" in l]
    def width(t):
        return sum(2 if 0x4e00 <= ord(c) <= 0x9fff else 1 for c in t)
    check("snippet carets under free(p) (display columns; wide characters count two)",
          len(carets) == 2 and all(width(src[:src.rindex("free(p)")]) == width(car[:car.index("^")])
                                   for src, car in carets), q.stdout)

    # No findings: still a valid log with an empty result list.
    with open(os.path.join(tmp, "clean.c"), "w") as f:
        f.write("int main(void) { return 0; }\n")
    p = sarif(tmp, ["clean.c"])
    try:
        doc = json.loads(p.stdout)
        check("clean: exit 0, empty results", p.returncode == 0 and doc["runs"][0]["results"] == [])
    except (ValueError, KeyError) as e:
        check("clean: valid SARIF", False, f"{e}\n{p.stdout[:1000]}")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
