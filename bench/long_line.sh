#!/usr/bin/env bash
# Front-end cost of line length: the same ops laid out one per line and all
# on one line, at several sizes, compiled with the release binary (or
# $DDLC_BIN). The two layouts must cost about the same, and both must grow
# linearly with the size (issue 7: one 8 MB line took 103 s, the same bytes
# over many lines about 4 s).
#
#   bench/long_line.sh [SIZES...]   # bytes; default 1000000 2000000 4000000 8000000
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000000 2000000 4000000 8000000)
if [ -z "${DDLC_BIN:-}" ]; then
    cargo build --release -q
    DDLC_BIN=$PWD/target/release/ddlc
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/migrations/versions"
printf '[project]\nmigrations = "migrations"\n' > "$dir/ddlc.toml"
file="$dir/migrations/versions/r1.mig"
printf '%-6s %9s %8s %8s %10s\n' layout bytes ops seconds "peak KiB"
for size in "${SIZES[@]}"; do
    for layout in lines line; do
        python3 - "$layout" "$size" "$file" <<'PY'
import sys
layout, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sep = "\n" if layout == "lines" else " "
parts = ['revision "r1"', "revises base", 'message "m"', "upgrade {"]
n, total = 0, 60
while total < size:
    p = f"create_table t{n} {{ id : integer primary_key name : string(20) not_null default 'x' }}"
    parts.append(p); total += len(p) + 1; n += 1
parts += ["}", "downgrade auto"]
open(out, "w").write(sep.join(parts) + "\n")
open(out + ".ops", "w").write(str(n))
PY
        /usr/bin/time -o "$dir/time" -f "%e %M" "$DDLC_BIN" --project "$dir" upgrade -d sqlite > /dev/null
        read -r secs kib < "$dir/time"
        printf '%-6s %9d %8d %8s %10s\n' "$layout" "$(stat -c %s "$file")" "$(cat "$file.ops")" "$secs" "$kib"
    done
done
