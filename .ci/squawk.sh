#!/usr/bin/env bash
# Cross-check `ddlc lint` with squawk (issue 14): squawk-cli from PyPI, in a
# venv cached under target/, lints ddlc's per-revision PostgreSQL scripts of
# the risky-migration corpus (tests/fixtures/lint-corpus); every finding it
# makes must be made by `ddlc lint` on the same revision, or be listed as out
# of scope with the reason (.ci/squawk_crosscheck.py). Prints what ddlc finds
# that squawk does not.
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/squawk
version=2.70.0
if ! "$work/venv/bin/squawk" --version 2>/dev/null | grep -q "$version"; then
    rm -rf "$work/venv"
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet "squawk-cli==$version"
fi
cargo build --quiet
python3 .ci/squawk_crosscheck.py \
    --ddlc target/debug/ddlc \
    --squawk "$work/venv/bin/squawk" \
    --project tests/fixtures/lint-corpus \
    --work "$work/run"
