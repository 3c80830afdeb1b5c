#!/usr/bin/env bash
# `ddlc import alembic` on a real public Alembic project: MLflow's tracking
# store migrations, from the mlflow-skinny wheel on PyPI.
#
#   bench/import_mlflow.sh [VERSION]     (default 3.6.0)
#
# Downloads the wheel into target/pypi (once), imports
# mlflow/store/db_migrations into a temporary project, prints the import's
# summary, and checks what can be checked without a person: the import
# succeeds, every revision file is written, and `ddlc check` reports nothing
# but the `review` blocks (needs-review): every other revision parses and
# resolves. Compiling and applying needs the review blocks resolved and the
# proposed baseline declared (MLflow makes its first tables with
# metadata.create_all()), which is a person's work: see
# docs/importing-alembic.md.
set -euo pipefail
VERSION="${1:-3.6.0}"
cd "$(dirname "$0")/.."
root=$(pwd)
cargo build -q
ddlc="$root/target/debug/ddlc"
cache="$root/target/pypi/mlflow-skinny-$VERSION"
if [ ! -d "$cache/mlflow/store/db_migrations" ]; then
    mkdir -p "$root/target/pypi"
    python3 -m pip download "mlflow-skinny==$VERSION" --no-deps -d "$root/target/pypi" -q
    python3 - "$root/target/pypi/mlflow_skinny-$VERSION-py3-none-any.whl" "$cache" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
fi
src="$cache/mlflow/store/db_migrations"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ddlc" import alembic "$src" "$work/project" 2>"$work/summary" || { cat "$work/summary"; exit 1; }
cat "$work/summary"
py=$(ls "$src"/versions/*.py | grep -vc __init__)
mig=$(ls "$work/project/migrations/versions/"*.mig | grep -vc /baseline.mig)
[ "$py" = "$mig" ] || { echo "FAIL: $py revisions, $mig .mig files" >&2; exit 1; }
if "$ddlc" --project "$work/project" check 2>"$work/check"; then
    echo "check passed (no review blocks)"
else
    others=$(grep '^error\[' "$work/check" | grep -v 'error\[needs-review\]' | grep -v 'error\[sum-' || true)
    if [ -n "$others" ]; then
        echo "FAIL: errors other than review blocks:" >&2
        echo "$others" >&2
        exit 1
    fi
    reviews=$(grep -c '^error\[needs-review\]' "$work/check")
    echo "ok: $mig revisions written; ddlc check reports only $reviews review blocks"
fi
