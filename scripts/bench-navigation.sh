#!/usr/bin/env bash
# One range change, as a visitor makes it: serves the built Porthole (demo
# data) on loopback, opens the overview in Debian's chromium, scrolls to
# its second panel, clicks a range link, and prints one table row of what
# the visitor saw (scripts/first-load.mjs --navigate), labelled "$1".
# `make bench` runs it on Porthole as built; `make bench-islands-router`
# runs it on the same app built with Leptos' islands router too.
set -euo pipefail
cd "$(dirname "$0")/.."
label="${1:?usage: bench-navigation.sh LABEL}"
bin="${PORTHOLE_BIN:-target/release/porthole}"
port="${BENCH_NAVIGATION_PORT:-3950}"
data_dir="$(mktemp -d)"
"$bin" serve --addr "127.0.0.1:$port" --data-dir "$data_dir" >"$data_dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data_dir"' EXIT
for _ in $(seq 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null && break
  sleep 0.1
done
node scripts/first-load.mjs --navigate "http://127.0.0.1:$port/" | python3 -c '
import json, sys
label = sys.argv[1]
r = json.loads(sys.stdin.read())
if "error" in r:
    print("| %s | not measured: %s ||||||||" % (label, r["error"]))
    sys.exit(0)
kind = "page load" if r["new_document"] else "patched in place"
first = r["scroll_at_first_paint"]
scroll = "%d px → %s%d px" % (r["scroll_before"], "" if first is None else "%d px at first frame, " % first, r["scroll_after"])
yes = lambda b: "yes" if b else "no"
print("| %s | %s | %d ms | %d ms | %.1f KB | %s | %s | %s | %s | %s |" % (
    label, kind, r["shown_ms"], r["interactive_ms"], r["bytes"] / 1000, scroll,
    r["layout_shift"], yes(r["chart_changed"]), yes(r["hover_data_changed"]), yes(r["url_updated"])))
' "$label"
