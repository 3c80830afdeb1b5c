"""Compares squawk's findings on ddlc's per-revision PostgreSQL scripts with
`ddlc lint`'s on the same revisions (see .ci/squawk.sh). Exit 1 when squawk
finds something ddlc neither finds nor lists as out of scope."""

import argparse
import json
import os
import shutil
import subprocess
import sys

# squawk rule -> the ddlc rules that report the same problem.
SAME = {
    "ban-drop-table": ["drop-table", "execute-destructive"],
    "ban-drop-column": ["drop-column"],
    "ban-drop-constraint": ["drop-constraint"],
    # drop_enum_value on PostgreSQL: the type is renamed, made again without
    # the value, the columns moved to it, and the old type dropped.
    "ban-drop-type": ["drop-enum-value"],
    "renaming-object": ["drop-enum-value"],
    "ban-truncate-cascade": ["execute-destructive"],
    "renaming-table": ["rename-table"],
    "renaming-column": ["rename-column"],
    "adding-required-field": ["add-not-null-column"],
    "adding-not-nullable-field": ["set-not-null"],
    "changing-column-type": ["alter-column-type", "drop-enum-value"],
    # squawk asks NOT VALID of a UNIQUE or PRIMARY KEY too (PostgreSQL has
    # none for them): the same lock as add-unique-constraint reports.
    "constraint-missing-not-valid": ["constraint-without-not-valid", "add-unique-constraint"],
    "adding-foreign-key-constraint": ["constraint-without-not-valid"],
    "require-concurrent-index-creation": ["index-without-concurrently", "execute-unchecked"],
    "require-concurrent-index-deletion": ["index-without-concurrently"],
    "disallowed-unique-constraint": ["add-unique-constraint"],
    "adding-serial-primary-key-field": ["add-unique-constraint"],
    "adding-field-with-default": ["volatile-default"],
    "adding-primary-key-constraint": ["add-unique-constraint"],
    # The corpus sets no [scripts] timeout, so its scripts set none.
    "require-timeout-settings": ["missing-lock-timeout"],
    "require-lock-timeout": ["missing-lock-timeout"],
    "require-statement-timeout": ["missing-lock-timeout"],
}

# squawk rules ddlc does not implement, and why.
OUT_OF_SCOPE = {
    "prefer-robust-stmts": "ddlc replays the schema and knows what exists; IF [NOT] EXISTS is written where the migration says so",
    "prefer-text-field": "a type preference, not a migration risk: `string(n)` is written on purpose",
    "prefer-bigint-over-int": "a type preference, not a migration risk",
    "prefer-bigint-over-smallint": "a type preference, not a migration risk",
    "prefer-identity": "a type preference: ddlc's autoincrement is written per dialect",
    "prefer-timestamptz": "a type preference: `timestamp` vs `timestamp(tz)` is the migration's choice",
    "ban-char-field": "a type preference, not a migration risk",
    "transaction-nesting": "ddlc writes the transaction itself",
    "require-enum-value-ordering": "add_enum_value appends unless the migration says `before`/`after`: a style preference",
}

# squawk rules ddlc checks more narrowly on purpose: a finding of one of these
# where ddlc's counterpart (in SAME) does not fire is reported, not a miss.
NARROWER = {
    "require-timeout-settings": "squawk asks for timeouts in every script with DDL; missing-lock-timeout asks only where a revision locks a table that existed before it (not a new table's revision, not a concurrent build, not an enum change, which drop-enum-value reports; raw `execute` DDL is execute-unchecked's)",
    "require-lock-timeout": "as require-timeout-settings",
    "require-statement-timeout": "as require-timeout-settings",
}

# One squawk finding on one revision of the corpus that ddlc does not make on
# purpose, and why.
KNOWN = {
    ("c0033", "changing-column-type"): "string(40) -> text is binary-coercible on PostgreSQL: no rewrite, no scan; alter-column-type exempts widening",
}


def run(args, check=True):
    done = subprocess.run(args, capture_output=True, text=True)
    if check and done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    return done


def squawk_findings(squawk, split):
    """(revision, squawk rule) per finding, from each per-revision script."""
    manifest = json.load(open(os.path.join(split, "manifest.json")))
    out = []
    for script in manifest["scripts"]:
        path = os.path.join(split, script["script"])
        done = run([squawk, "--reporter", "json", "--pg-version", "15", path])
        for finding in json.loads(done.stdout or "[]"):
            out.append((script["revision"], finding["rule_name"]))
    return out, len(manifest["scripts"])


def ddlc_findings(ddlc, project, dialects):
    args = [ddlc, "--project", project, "lint", "--format", "json"]
    for d in dialects:
        args += ["-d", d]
    report = json.loads(run(args).stdout)
    return [(f["revision"], f["rule"], f["dialects"]) for f in report["findings"]]


def main():
    parser = argparse.ArgumentParser()
    for name in ["ddlc", "squawk", "project", "work"]:
        parser.add_argument(f"--{name}", required=True)
    a = parser.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    split = os.path.join(a.work, "split")
    done = run([a.ddlc, "--project", a.project, "upgrade", "heads", "-d", "postgresql", "--split", split])
    if done.returncode != 0:
        sys.exit(f"the corpus does not compile:\n{done.stderr}")
    found, scripts = squawk_findings(a.squawk, split)
    if scripts < 30:
        sys.exit(f"the corpus has {scripts} revisions; at least 30 are needed")
    ours = ddlc_findings(a.ddlc, a.project, ["postgresql"])
    matched, out_of_scope, missing = [], [], []
    for revision, rule in found:
        ddlc_rules = {r for rev, r, _ in ours if rev == revision}
        if set(SAME.get(rule, [])) & ddlc_rules:
            matched.append((revision, rule))
        elif rule in OUT_OF_SCOPE or rule in NARROWER or (revision, rule) in KNOWN:
            out_of_scope.append((revision, rule))
        else:
            missing.append((revision, rule, sorted(ddlc_rules)))
    squawk_by_rev = {}
    for revision, rule in found:
        squawk_by_rev.setdefault(revision, set()).update(SAME.get(rule, []))
    only_ddlc = [(rev, r) for rev, r, _ in ours if r not in squawk_by_rev.get(rev, set())]
    print(f"squawk cross-check: {scripts} revisions, {len(found)} squawk findings:"
          f" {len(matched)} also found by ddlc lint, {len(out_of_scope)} out of scope, {len(missing)} missed")
    for rule in sorted({r for _, r in out_of_scope if r in OUT_OF_SCOPE}):
        print(f"  out of scope: {rule}: {OUT_OF_SCOPE[rule]}")
    for rule in sorted({r for _, r in out_of_scope if r in NARROWER}):
        revs = sorted({rev for rev, r in out_of_scope if r == rule})
        print(f"  narrower on purpose: {rule} on {', '.join(revs)}: {NARROWER[rule]}")
    for (rev, rule), why in KNOWN.items():
        if (rev, rule) in out_of_scope:
            print(f"  not found on purpose: {rev}: {rule}: {why}")
    for rev, rule in matched:
        print(f"  both: {rev}: {rule}")
    for rev, rule, have in missing:
        print(f"  MISSED: {rev}: squawk {rule}; ddlc found {have}")
    print(f"ddlc lint finds {len(only_ddlc)} things squawk does not on the same PostgreSQL scripts:")
    for rev, rule in only_ddlc:
        print(f"  {rev}: {rule}")
    # The single-stream view (alembic upgrade head --sql | squawk): tables
    # created earlier in the stream look new to squawk (squawk#364).
    whole = os.path.join(a.work, "whole.sql")
    done = run([a.ddlc, "--project", a.project, "upgrade", "heads", "-d", "postgresql", "-o", whole])
    if done.returncode != 0:
        sys.exit(f"the corpus does not compile:\n{done.stderr}")
    stream = json.loads(run([a.squawk, "--reporter", "json", "--pg-version", "15", whole]).stdout or "[]")
    risky = lambda rules: sum(1 for r in rules if r not in OUT_OF_SCOPE)
    print(f"squawk on the one script of base:heads: {risky(f['rule_name'] for f in stream)} findings"
          f" in scope, against {risky(r for _, r in found)} on the scripts per revision")
    others = ddlc_findings(a.ddlc, a.project, ["mysql", "mariadb", "sqlite", "mssql", "oracle"])
    by_dialect = {}
    for _, rule, dialects in others:
        for d in dialects:
            by_dialect[d] = by_dialect.get(d, 0) + 1
    print("and on the dialects squawk does not read: "
          + ", ".join(f"{d} {n}" for d, n in sorted(by_dialect.items())))
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
