#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets from the repository's own
# migrations (tests/fixtures, tests/corpus, migrations/): fuzz/corpus/parse
# gets every .mig file, fuzz/corpus/compile one input per project (its .mig
# files in path order, joined by a line `%%`). The corpora are not committed.
set -euo pipefail
cd "$(dirname "$0")"
root=..
rm -rf corpus/parse corpus/compile
mkdir -p corpus/parse corpus/compile
n=0
while IFS= read -r -d '' f; do
    cp "$f" "corpus/parse/$(printf '%04d' "$n")_$(basename "$f")"
    n=$((n + 1))
done < <(find "$root/tests/fixtures" "$root/tests/corpus" "$root/migrations" -name '*.mig' -print0 | sort -z)
p=0
while IFS= read -r -d '' dir; do
    out="corpus/compile/$(printf '%03d' "$p")_$(basename "$(dirname "$dir")")"
    first=1
    : > "$out"
    while IFS= read -r -d '' f; do
        if [ "$first" = 0 ]; then printf '\n%%%%\n' >> "$out"; fi
        cat "$f" >> "$out"
        first=0
    done < <(find "$dir" -maxdepth 1 -name '*.mig' -print0 | sort -z)
    p=$((p + 1))
done < <(find "$root/tests/fixtures" "$root/tests/corpus" "$root/migrations" -type d -name versions -print0 | sort -z)
echo "seeded: $n files for parse, $p projects for compile"
