#!/usr/bin/env bash
# Scalability benchmark: compiles a generated project of N linear revisions
# (default 10,000; each creates a table, adds a column and an index) for
# every dialect, upgrade and downgrade, with the release binary, and prints
# wall time and peak memory. The target is cost linear in revisions: run with
# N=2500, 5000 and 10000 and compare.
set -euo pipefail
N="${1:-10000}"
cd "$(dirname "$0")/.."
cargo build --release -q
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/migrations/versions"
printf '[project]\nmigrations = "migrations"\n' > "$dir/ddlc.toml"
python3 - "$dir/migrations/versions" "$N" <<'PY'
import sys
out, n = sys.argv[1], int(sys.argv[2])
for i in range(1, n + 1):
    parent = "base" if i == 1 else f'"r{i-1:05d}"'
    with open(f"{out}/r{i:05d}.mig", "w") as f:
        f.write(f'''revision "r{i:05d}"
revises  {parent}
message  "step {i}"

upgrade {{
    create_table t{i} {{
        id   : integer primary_key autoincrement
        name : string(100) not_null
    }}
    add_column t{i}.note : text
    create_index ix_t{i}_name on t{i} (name)
}}

downgrade auto
''')
PY
echo "revisions: $N"
for d in postgresql mysql sqlite mssql oracle; do
    for cmd in "upgrade head" "downgrade head:base"; do
        /usr/bin/time -f "$d $cmd: %e s, %M KiB peak" ./target/release/ddlc --project "$dir" $cmd -d $d > /dev/null
    done
done
