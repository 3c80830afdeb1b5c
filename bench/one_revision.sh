#!/usr/bin/env bash
# Cost per op in one revision: compiles a generated project whose single
# revision creates N small tables (default 50,000 ops), upgrade and the derived
# downgrade, for every dialect (or those in $DIALECTS), with the release
# binary, and prints wall time and peak memory. The target is cost linear in
# the number of ops: run with N=50000 and 100000 and compare.
set -euo pipefail
N="${1:-50000}"
DIALECTS="${DIALECTS:-postgresql mysql mariadb sqlite mssql oracle}"
cd "$(dirname "$0")/.."
cargo build --release -q
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/migrations/versions"
printf '[project]\nmigrations = "migrations"\n' > "$dir/ddlc.toml"
python3 - "$dir/migrations/versions" "$N" <<'PY'
import sys
out, n = sys.argv[1], int(sys.argv[2])
with open(f"{out}/r00001.mig", "w") as f:
    f.write('revision "r00001"\nrevises  base\nmessage  "many tables"\n\nupgrade {\n')
    for i in range(1, n + 1):
        f.write(f"    create_table t{i} {{ id : integer }}\n")
    f.write("}\n\ndowngrade auto\n")
PY
echo "ops in one revision: $N"
for d in $DIALECTS; do
    for cmd in "upgrade head" "downgrade head:base"; do
        /usr/bin/time -f "$d $cmd: %e s, %M KiB peak" ./target/release/ddlc --project "$dir" $cmd -d "$d" > /dev/null
    done
done
