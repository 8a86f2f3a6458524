#!/usr/bin/python3
"""tests/analyzer/sarif/test_sarif_schema.py — ferrum-check's SARIF validated
against a JSON schema of SARIF 2.1.0, plus what GitHub code scanning needs.

What: sarif-2.1.0-subset.schema.json (next to this file) is written from the
OASIS SARIF 2.1.0 specification for the members ferrum-check emits, with the
members GitHub and our contract need made required (rule descriptions,
helpUri, defaultConfiguration, ruleIndex, startColumn, partialFingerprints,
suppression kind).  This test
  1. checks the schema itself is a valid draft-07 schema and that it
     rejects broken documents (so a validation that passes means something);
  2. runs `ferrum-check --format=sarif` over several inputs — the SARIF
     test file (a suppressed finding), the buggy ownership and aliasing
     corpus files (findings with notes), a clean file, and a file given by
     an absolute path outside the working directory — and validates every
     document;
  3. checks what code scanning relies on beyond the schema: every result's
     ruleIndex names the rule of its ruleId, rule ids are unique, every URI
     is either relative (no "..", no backslash, percent-encoded) with a
     uriBaseId declared in originalUriBaseIds as an absolute file:// URI
     ending in "/", or an absolute file:// URI; partialFingerprints are
     present and distinct for distinct findings; relatedLocations ids are
     unique within a result.

Why a schema of our own: the official one is not available offline and the
brief is to check the required structure; jsonschema (Debian's
python3-jsonschema, installed by scripts/setup.sh) does the validation.

Usage: test_sarif_schema.py FERRUM_CHECK SARIF_DIR INCLUDE_DIR CORPUS_DIR
"""
import copy
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

try:
    import jsonschema
except ImportError:
    print("FAIL: python3-jsonschema is missing (scripts/setup.sh installs it; run with /usr/bin/python3)")
    sys.exit(1)

TOOL, SRC, INC, CORPUS = (os.path.abspath(a) for a in sys.argv[1:5])
failures = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("    " + str(detail)[:3000].replace("\n", "\n    "))


with open(os.path.join(SRC, "sarif-2.1.0-subset.schema.json")) as f:
    SCHEMA = json.load(f)
try:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    check("the schema is a valid draft-07 schema", True)
except jsonschema.SchemaError as e:
    check("the schema is a valid draft-07 schema", False, e)
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def errors(doc):
    return sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))


def run_tool(cwd, files):
    p = subprocess.run([TOOL, "--format=sarif"] + files + ["--", "-I" + INC], cwd=cwd,
                       capture_output=True, text=True, timeout=120)
    try:
        return p, json.loads(p.stdout)
    except ValueError as e:
        check(f"{files}: output is JSON", False, f"{e}\n{p.stdout[:1000]}\n{p.stderr[:1000]}")
        return p, None


def uri_ok_relative(u):
    return (not u.startswith("/") and "\\" not in u and ".." not in u.split("/") and
            ":" not in u.split("/")[0] and urllib.parse.quote(urllib.parse.unquote(u), safe="/") == u)


def github_checks(tag, doc):
    """What code scanning needs beyond the schema."""
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    check(f"{tag}: rule ids unique", len(ids) == len(set(ids)), ids)
    bases = run.get("originalUriBaseIds", {})
    for name, b in bases.items():
        check(f"{tag}: base {name} is an absolute file:// directory",
              b["uri"].startswith("file:///") and b["uri"].endswith("/"), b)
    fps = set()
    for i, res in enumerate(run["results"]):
        where = f"{tag}: result {i} ({res['ruleId']})"
        ri = res["ruleIndex"]
        check(f"{where}: ruleIndex names its rule", 0 <= ri < len(rules) and rules[ri]["id"] == res["ruleId"],
              (ri, res["ruleId"]))
        locs = res["locations"] + res.get("relatedLocations", [])
        for loc in locs:
            art = loc["physicalLocation"]["artifactLocation"]
            u = art["uri"]
            if "uriBaseId" in art:
                ok = art["uriBaseId"] in bases and uri_ok_relative(u)
            else:
                ok = u.startswith("file:///")
            check(f"{where}: uri {u!r} is relative to a declared base or absolute file://", ok, art)
        rel_ids = [r["id"] for r in res.get("relatedLocations", [])]
        check(f"{where}: relatedLocations ids unique", len(rel_ids) == len(set(rel_ids)), rel_ids)
        fp = json.dumps(res["partialFingerprints"], sort_keys=True) + res["message"]["text"]
        check(f"{where}: partialFingerprints distinct", fp not in fps, fp)
        fps.add(fp)


def validate(tag, doc, want_results=None):
    errs = errors(doc)
    check(f"{tag}: valid against the SARIF 2.1.0 subset schema", not errs,
          "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errs[:10]))
    if not errs:
        github_checks(tag, doc)
    if want_results is not None:
        n = len(doc["runs"][0]["results"])
        check(f"{tag}: {want_results} results", want_results(n), n)


with tempfile.TemporaryDirectory() as tmp:
    # 1. The SARIF test file: three findings, one suppressed in source.
    shutil.copy(os.path.join(SRC, "findings.c"), tmp)
    p, doc = run_tool(tmp, ["findings.c"])
    if doc:
        validate("findings.c", doc, lambda n: n == 3)
        sup = [r for r in doc["runs"][0]["results"] if "suppressions" in r]
        check("findings.c: one suppressed result, kind inSource",
              len(sup) == 1 and sup[0]["suppressions"][0]["kind"] == "inSource", sup)

        # The schema must reject broken documents, or passing means nothing.
        def broken(mutate):
            d = copy.deepcopy(doc)
            mutate(d)
            return bool(errors(d))
        res0 = lambda d: d["runs"][0]["results"][0]
        cases = {
            "no version": lambda d: d.pop("version"),
            "version 2.0.0": lambda d: d.__setitem__("version", "2.0.0"),
            "no $schema": lambda d: d.pop("$schema"),
            "rule without helpUri": lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].pop("helpUri"),
            "rule without defaultConfiguration":
                lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].pop("defaultConfiguration"),
            "level 'bad'": lambda d: res0(d).__setitem__("level", "bad"),
            "ruleIndex as a string": lambda d: res0(d).__setitem__("ruleIndex", "0"),
            "no message text": lambda d: res0(d)["message"].pop("text"),
            "startLine 0": lambda d: res0(d)["locations"][0]["physicalLocation"]["region"]
                .__setitem__("startLine", 0),
            "no startColumn": lambda d: res0(d)["locations"][0]["physicalLocation"]["region"].pop("startColumn"),
            "no artifact uri": lambda d: res0(d)["locations"][0]["physicalLocation"]["artifactLocation"].pop("uri"),
            "no partialFingerprints": lambda d: res0(d).pop("partialFingerprints"),
            "suppression without kind": lambda d: res0(d).__setitem__("suppressions", [{"status": "accepted"}]),
            "misspelt member 'relatedLocation'": lambda d: res0(d).__setitem__("relatedLocation", []),
            "related location without message":
                lambda d: res0(d)["relatedLocations"][0].pop("message"),
        }
        for name, mutate in cases.items():
            check(f"schema rejects: {name}", broken(mutate))

    # 2. Every buggy ownership/aliasing corpus file: findings with notes.
    for f in sorted(glob.glob(os.path.join(CORPUS, "ownership", "*_bad.c")) +
                    glob.glob(os.path.join(CORPUS, "aliasing", "*_bad.c"))):
        shutil.copy(f, tmp)
        name = os.path.basename(f)
        p, doc = run_tool(tmp, [name])
        if doc:
            check(f"{name}: exit 1", p.returncode == 1, p.stderr[-500:])
            validate(name, doc, lambda n: n >= 1)
            check(f"{name}: some result has relatedLocations",
                  any(r.get("relatedLocations") for r in doc["runs"][0]["results"]))

    # 3. A clean file: a valid log with no results.
    with open(os.path.join(tmp, "clean.c"), "w") as f:
        f.write("int main(void) { return 0; }\n")
    p, doc = run_tool(tmp, ["clean.c"])
    if doc:
        validate("clean.c", doc, lambda n: n == 0)

    # 4. A file outside the working directory, named by an absolute path:
    #    its URI must be an absolute file:// URI or relative to a declared base.
    outside = os.path.join(tmp, "outside")
    work = os.path.join(tmp, "work")
    os.mkdir(outside)
    os.mkdir(work)
    shutil.copy(os.path.join(SRC, "findings.c"), outside)
    p, doc = run_tool(work, [os.path.join(outside, "findings.c")])
    if doc:
        validate("absolute path outside the cwd", doc, lambda n: n == 3)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
