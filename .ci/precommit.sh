#!/usr/bin/env bash
# The pre-commit hook, as a user runs it: `pre-commit try-repo` this checkout's
# `ddlc-check` on a sample project (the example's migrations in a git repo of
# their own). It passes as shipped and fails once a released migration is
# edited without `ddlc sum`.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work="$repo/target/precommit-check"
rm -rf "$work"
mkdir -p "$work"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet 'pre-commit>=3,<5'
export PRE_COMMIT_HOME="$work/home"
# The hook's pip build compiles into a folder of its own: sharing this
# checkout's target/ with another copy of the sources confuses build.rs's
# embedded templates (its outputs are keyed by the crate, not the path).
export CARGO_TARGET_DIR="$work/cargo-target"
sample="$work/sample"
mkdir -p "$sample"
cp -r ddlc.toml migrations "$sample/"
git -C "$sample" init --quiet
git -C "$sample" add -A
git -C "$sample" -c user.name=ci -c user.email=ci@example.invalid commit --quiet -m sample
try() { (cd "$sample" && "$work/venv/bin/pre-commit" try-repo "$repo" ddlc-check --all-files) ; }
if ! try > "$work/pass.log" 2>&1; then
    cat "$work/pass.log" >&2
    echo "pre-commit: ddlc-check failed on the example project" >&2
    exit 1
fi
# Edit a released migration behind the lock's back.
first=$(ls "$sample"/migrations/versions/*.mig | head -n1)
printf '# edited after release\n' >> "$first"
if try > "$work/fail.log" 2>&1; then
    cat "$work/fail.log" >&2
    echo "pre-commit: ddlc-check passed a project with an edited migration" >&2
    exit 1
fi
grep -q 'sum-edited' "$work/fail.log" || { cat "$work/fail.log" >&2; echo "pre-commit: no sum-edited in the hook's output" >&2; exit 1; }
echo "pre-commit: ok (ddlc-check passes the example, fails an edited migration)"
