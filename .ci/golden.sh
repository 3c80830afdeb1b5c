#!/usr/bin/env bash
# .ci/golden.sh BIN OUTDIR [TREE]: record every script, diagnostic and exit code ddlc
# writes for the repo's projects and fixtures (migrations/, tests/corpus/*, the op and
# project-error fixtures, every ok/err .mig fixture; six dialects, up and down, and
# `check`), so that a refactor can prove it changed no output:
#
#   cargo build && .ci/golden.sh target/debug/ddlc /tmp/before .
#   ... change ...
#   cargo build && .ci/golden.sh target/debug/ddlc /tmp/after . && diff -r /tmp/before /tmp/after
#
# Not part of .ci/run (snapshots and the engine suite are the tests); a tool for reshaping.
set -u
BIN=$(realpath "$1"); OUT=$2; TREE=$(realpath "${3:-.}")
rm -rf "$OUT"; mkdir -p "$OUT"; OUT=$(realpath "$OUT")
DIALECTS="postgresql mysql mariadb sqlite mssql oracle"
run() { # name project
  local n=$1 p=$2
  for d in $DIALECTS; do
    (cd "$p" && "$BIN" --color never upgrade base:head -d $d > "$OUT/$n.$d.up.sql" 2> "$OUT/$n.$d.up.err"; echo "exit $?" >> "$OUT/$n.$d.up.err")
    (cd "$p" && "$BIN" --color never downgrade head:base -d $d > "$OUT/$n.$d.down.sql" 2> "$OUT/$n.$d.down.err"; echo "exit $?" >> "$OUT/$n.$d.down.err")
  done
  (cd "$p" && "$BIN" --color never check > "$OUT/$n.check.out" 2>&1; echo "exit $?" >> "$OUT/$n.check.out")
}
run migrations "$TREE"
for p in "$TREE"/tests/corpus/* "$TREE"/tests/fixtures/project-err/* "$TREE"/tests/fixtures/ops/*; do
  [ -f "$p/ddlc.toml" ] || continue
  run "$(basename "$(dirname "$p")").$(basename "$p")" "$p"
done
TMP=$(mktemp -d)
for f in "$TREE"/tests/fixtures/ok/*.mig "$TREE"/tests/fixtures/err/*.mig; do
  [ -f "$f" ] || continue
  n=$(basename "$(dirname "$f")").$(basename "$f" .mig)
  rm -rf "$TMP/p"; mkdir -p "$TMP/p/migrations/versions"
  printf '[project]\nmigrations = "migrations"\n' > "$TMP/p/ddlc.toml"
  cp "$f" "$TMP/p/migrations/versions/"
  for d in $DIALECTS; do
    (cd "$TMP/p" && "$BIN" --color never upgrade base:head -d $d > "$OUT/$n.$d.sql" 2> "$OUT/$n.$d.err"; echo "exit $?" >> "$OUT/$n.$d.err")
  done
done
rm -rf "$TMP"
# paths of the tree must not leak into the comparison
grep -rl "$TREE" "$OUT" | xargs -r sed -i "s#$TREE#TREE#g"
ls "$OUT" | wc -l
