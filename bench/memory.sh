#!/usr/bin/env bash
# Peak memory of compiling one large migration file, per input shape and
# size, with the release binary: `history` (the front end: read, parse,
# resolve, link) and `upgrade -d sqlite` (the whole compile). Prints peak RSS
# and its ratio to the file size; docs/performance.md states the bound these
# figures support.
#
#   bench/memory.sh [SIZES...]      # bytes; default 1000000 2000000 4000000 8000000
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000000 2000000 4000000 8000000)
cargo build --release -q
bin=$PWD/target/release/ddlc
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/migrations/versions"
printf '[project]\nmigrations = "migrations"\n' > "$dir/ddlc.toml"
file="$dir/migrations/versions/r1.mig"

# gen SHAPE SIZE: writes one revision of about SIZE bytes.
gen() {
    python3 - "$1" "$2" "$file" <<'PY'
import sys
shape, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
head = 'revision "r1"\nrevises base\nmessage "m"\n'
tail = '}\ndowngrade auto\n'
parts, n = [], 0
budget = size - len(head) - len(tail) - 20
if shape == "tables":          # many small ops, one per line
    while budget > 0:
        p = f"  create_table t{n} {{ a : integer }}\n"; parts.append(p); budget -= len(p); n += 1
    body = "upgrade {\n" + "".join(parts)
elif shape == "one-line":      # the same ops on a single line
    while budget > 0:
        p = f"create_table t{n} {{ a : integer }} "; parts.append(p); budget -= len(p); n += 1
    body = "upgrade { " + "".join(parts) + "\n"
elif shape == "columns":       # one table, wide rows of attributes
    parts.append("  create_table t {\n")
    while budget > 0:
        p = f"    c{n} : string(20) not_null default 'v{n}' comment 'c'\n"; parts.append(p); budget -= len(p); n += 1
    parts.append("  }\n")
    body = "upgrade {\n" + "".join(parts)
elif shape == "rows":          # one bulk_insert, many rows
    parts.append("  create_table t { a : integer primary_key b : text }\n  bulk_insert t (a, b) {\n")
    while budget > 0:
        p = f"    ({n}, 'r{n}')\n"; parts.append(p); budget -= len(p); n += 1
    parts.append("  }\n")
    body = "upgrade {\n" + "".join(parts)
elif shape == "text":          # one huge execute body
    body = 'upgrade {\n  create_table t { a : text }\n  execute "INSERT INTO t (a) VALUES (\'' + "x" * budget + '\')"\n'
elif shape == "comments":      # almost nothing but a comment
    body = "upgrade {\n  create_table t { a : integer }\n  # " + "x" * budget + "\n"
open(out, "w").write(head + body + tail)
PY
}

printf '%-9s %9s %-8s %10s %7s %7s %4s\n' shape bytes command "peak KiB" "x size" seconds exit
for shape in tables one-line columns rows text comments; do
    for size in "${SIZES[@]}"; do
        gen "$shape" "$size"
        bytes=$(stat -c %s "$file")
        for cmd in history "upgrade -d sqlite"; do
            code=0
            # shellcheck disable=SC2086
            /usr/bin/time -o "$dir/time" -f "%M %e" "$bin" --project "$dir" $cmd > /dev/null 2> "$dir/err" || code=$?
            read -r kib secs < <(tail -1 "$dir/time")
            printf '%-9s %9d %-8s %10d %7.1f %7s %4s\n' "$shape" "$bytes" "${cmd%% *}" "$kib" \
                "$(echo "$kib * 1024 / $bytes" | bc -l)" "$secs" "$code"
        done
    done
done
