#!/usr/bin/env bash
# Cost per op on one table: compiles a generated project whose single revision
# creates a table and then adds N columns to it (default 10,000), upgrade and
# downgrade, for every dialect (or those in $DIALECTS), with the release
# binary, and prints wall time and peak memory. The target is cost linear in
# the number of ops: run with N=10000, 20000 and 50000 and compare.
set -euo pipefail
N="${1:-10000}"
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
    f.write('revision "r00001"\nrevises  base\nmessage  "one wide table"\n\nupgrade {\n')
    f.write("    create_table wide {\n        id : integer primary_key autoincrement\n    }\n")
    for i in range(1, n + 1):
        f.write(f"    add_column wide.c{i} : string(20)\n")
    f.write("}\n\ndowngrade auto\n")
PY
echo "add_column ops on one table: $N"
for d in $DIALECTS; do
    for cmd in "upgrade head" "downgrade head:base"; do
        /usr/bin/time -f "$d $cmd: %e s, %M KiB peak" ./target/release/ddlc --project "$dir" $cmd -d "$d" > /dev/null
    done
done
