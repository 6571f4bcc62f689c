#!/usr/bin/env bash
# Renders the HTML compliance report of the example organisation in headless Chromium (Debian's
# `chromium` package) and takes a screenshot: the report must load with no network, no script
# and no console error; its Content-Security-Policy (style by hash, nothing else) must block
# nothing the page uses. Writes docs/img/compliance-report.png.
#
#   usage: contrib/check-html.sh [CHROMIUM]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
chromium=${1:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || { echo "no chromium: apt-get install chromium" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && cargo run -q -- scan testdata/example-org --now 2026-11-25T00:00:00Z --output "$work/report.html" --fail-on none)
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile")
# The DOM after load: a broken page would not have its table of contents and control tables.
"$chromium" "${flags[@]}" --dump-dom "file://$work/report.html" > "$work/dom.html" 2> "$work/console.log"
grep -q '<nav><h2>Contents</h2>' "$work/dom.html"
grep -q 'status status-fail' "$work/dom.html"
grep -q 'http-equiv="Content-Security-Policy"' "$work/dom.html"
# A stylesheet refused by the policy would leave the page unstyled without failing the DOM checks.
if grep -iE 'Uncaught|ERR_|Failed to load|Content Security Policy|Refused to' "$work/console.log"; then
    echo "the page logged errors" >&2
    exit 1
fi
mkdir -p "$here/docs/img"
"$chromium" "${flags[@]}" --window-size=1400,1000 --screenshot="$here/docs/img/compliance-report.png" "file://$work/report.html" 2>/dev/null
echo "ok: rendered, no console errors; screenshot in docs/img/compliance-report.png"
