#!/usr/bin/env bash
# The review page (`ddlc report`, issue 16) in a real browser: render the
# example project's report, load it in headless Chromium (Debian's package),
# check the DOM the browser built (every revision's section, the graph, the
# SQL blocks, the lint findings), check that nothing but SQL and the graph
# scrolls sideways at phone width, take screenshots at 1280x800 and 390x844,
# and validate the HTML with html-validate (npm). Installs are cached under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
out=target/report-artifacts
tools=target/report-tools
rm -rf "$out"
mkdir -p "$out" "$tools"

if ! command -v chromium >/dev/null; then
    echo "report: installing chromium (Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null ||
        { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
fi
validator="$tools/node_modules/.bin/html-validate"
if [ ! -x "$validator" ]; then
    echo "report: installing html-validate (npm)"
    npm install --prefix "$tools" --no-audit --no-fund --silent html-validate@9.7.1
fi

cargo build --quiet --release
ddlc="$repo/target/release/ddlc"
page="$out/report.html"
"$ddlc" --project "$repo" report -o "$page"
"$ddlc" --project "$repo" report -o "$out/again.html"
cmp "$page" "$out/again.html" || { echo "report: two runs differ" >&2; exit 1; }
rm "$out/again.html"

browser() {
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "$@" 2>/dev/null
}
fail() { echo "report: $*" >&2; exit 1; }

# The DOM as the browser parsed it, not the file as written.
browser --dump-dom "file://$repo/$page" >"$out/dom.html"
ids=$(ls migrations/versions | sed -n 's/^\([0-9a-f]*\)_.*\.mig$/\1/p')
dialects=$(sed -n 's/^dialects *= *\[\(.*\)\]/\1/p' ddlc.toml | tr -d '" ' | tr ',' ' ')
count() { grep -o "$1" "$out/dom.html" | wc -l; }
revisions=0
for id in $ids; do
    revisions=$((revisions + 1))
    grep -q "<section class=\"revision\" id=\"rev-$id\"" "$out/dom.html" || fail "no section for $id"
    for d in $dialects; do
        grep -q "<figure class=\"sql\" id=\"rev-$id-$d-up\">" "$out/dom.html" || fail "$id: no $d upgrade SQL"
        grep -q "<figure class=\"sql\" id=\"rev-$id-$d-down\">" "$out/dom.html" || fail "$id: no $d downgrade SQL"
    done
done
[ "$revisions" -ge 10 ] || fail "only $revisions revisions found in migrations/versions"
[ "$(count '<svg class="graph"')" -eq 1 ] || fail "no revision graph"
[ "$(count '<a href="#rev-[0-9a-f]*"><g class="lane')" -eq "$revisions" ] || fail "graph nodes != revisions"
[ "$(count '<pre><code>')" -eq $((revisions * $(echo $dialects | wc -w) * 2)) ] || fail "SQL block count"
[ "$(count '<span class="k">CREATE</span>')" -gt 0 ] || fail "no highlighted SQL"
if grep -q 'https\?:' "$page"; then fail "the page holds a URL"; fi
[ "$(count '<section id="findings">')" -eq 1 ] || fail "no lint findings section"
[ "$(count '<li class="finding ')" -gt 0 ] || fail "no lint finding shown"

# Sideways scrolling at phone width: only SQL blocks and the graph may scroll.
probe="$out/probe.html"
read -r -d '' measure <<'EOF' || true
<script>
const w = document.documentElement.clientWidth;
const wide = [...document.querySelectorAll("body *")]
    .filter(e => !e.closest("pre, .scroll") && e.getBoundingClientRect().right > w + 1)
    .map(e => e.tagName + "#" + e.id + "." + e.className).slice(0, 10);
document.body.setAttribute("data-width", document.documentElement.scrollWidth + "/" + w);
document.body.setAttribute("data-wide", wide.join(" "));
</script>
EOF
html=$(cat "$page")
# (Not ${html/…/…}: bash 5.2 reads `&` in the replacement as the match.)
{ printf '%s\n' "${html%</body>*}" "$measure"; printf '</body>%s\n' "${html##*</body>}"; } >"$probe"
# Headless Chromium lays a page out at least 500 wide whatever --window-size
# says, so the page is measured inside an iframe of the phone's size.
for size in 390x844 1280x800; do
    printf '<!DOCTYPE html><html lang="en"><head><title>probe</title></head><body style="margin:0">%s%s</body></html>\n' \
        "<iframe id=\"f\" src=\"probe.html\" width=\"${size%x*}\" height=\"${size#*x}\" style=\"border:0\"></iframe>" \
        '<script>f.addEventListener("load", () => { const b = f.contentDocument.body; for (const a of ["data-width", "data-wide"]) document.body.setAttribute(a, b.getAttribute(a)); });</script>' \
        >"$out/frame.html"
    dom=$(browser --allow-file-access-from-files --window-size=1400,900 --dump-dom "file://$repo/$out/frame.html")
    width=$(echo "$dom" | sed -n 's/.*data-width="\([0-9]*\/[0-9]*\)".*/\1/p' | head -n1)
    wide=$(echo "$dom" | sed -n 's/.*data-wide="\([^"]*\)".*/\1/p' | head -n1)
    [ -n "$width" ] || fail "$size: the probe did not run"
    [ "${width#*/}" = "${size%x*}" ] || fail "$size: measured at width ${width#*/}"
    [ "${width%/*}" = "${width#*/}" ] || fail "$size: the page is $width wide (scrolls sideways)"
    [ -z "$wide" ] || fail "$size: wider than the screen: $wide"
done
rm "$probe" "$out/frame.html"

# Screenshots for review: the first screen at each width, and a long one.
browser --window-size=1280,800 --screenshot="$out/wide.png" "file://$repo/$page" >/dev/null
browser --window-size=390,844 --screenshot="$out/phone.png" "file://$repo/$page" >/dev/null
browser --window-size=1280,6000 --screenshot="$out/wide-long.png" "file://$repo/$page" >/dev/null
browser --window-size=390,8000 --screenshot="$out/phone-long.png" "file://$repo/$page" >/dev/null
for png in wide phone wide-long phone-long; do
    [ -s "$out/$png.png" ] || fail "no screenshot $png.png"
done

"$validator" "$page" || fail "html-validate found problems"
echo "report: ok ($revisions revisions; DOM, graph, SQL, widths checked; html-validate clean; screenshots in $out)"
