#!/usr/bin/env bash
# Porthole's benchmark: bundle size, server-side render time and idle memory
# of the release build, measured against a server started here on loopback;
# load at 64, 256 and 1,024 connections against a second server reading a
# VictoriaMetrics started here; then the KPI API, the Prometheus proxy, the
# status page and chart drawing (the examples). It ends with one table: every
# budget of ARCHITECTURE.md, measured, with PASS or FAIL; a budget no row
# measured, or a measurement that is not a number, is a FAIL.
# Load is bounded: each wrk run lasts a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything printed also goes to a file, from which BENCHMARKS.md is
# written at the end of a complete run (never from a partial one).
bench_out="$(mktemp)"
exec 3>&1 > >(tee "$bench_out")
tee_pid=$!
# 1,024 connections need as many descriptors in wrk and in the server.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

bin="${PORTHOLE_BIN:-target/release/porthole}"
site="target/site"
port="${PORTHOLE_BENCH_PORT:-3918}"
url="http://127.0.0.1:${port}"
data_dir="$(mktemp -d)"

# One client (wrk on loopback) is the whole load here: lift the per-address
# rate limits that would otherwise answer it with 429s.
# Visitors may take snapshots (the browser measurement opens one), and the
# status page has a service to show.
cat >"$data_dir/porthole.toml" <<TOML
[limits]
api_per_second = 1000000
render_per_second = 1000000

[sharing]
public_snapshots = true

[[service]]
name = "Porthole"
url = "${url}/health"
interval = "30s"
TOML
"$bin" serve --addr "127.0.0.1:${port}" --data-dir "$data_dir" --site-root "$site" \
  --config "$data_dir/porthole.toml" \
  >"$data_dir/server.log" 2>&1 &
pid=$!
pids=("$pid")
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data_dir"' EXIT

# Budget rows, from here and from the examples (server/examples/common).
export PORTHOLE_BENCH_BUDGETS="$data_dir/budgets.tsv"
: >"$PORTHOLE_BENCH_BUDGETS"
# Budgets live in ARCHITECTURE.md's table: | `id` | budget | at most/at least | limit |.
export PORTHOLE_BUDGET_TABLE="$PWD/ARCHITECTURE.md"
budget_field() { awk -F '|' -v id="\`$1\`" -v n="$2" \
  '{ f = $2; gsub(/ /, "", f) } f == id && $4 ~ /^ at (most|least) $/ { v = $n; gsub(/^ +| +$/, "", v); print v; exit }' \
  "$PORTHOLE_BUDGET_TABLE"; }
# budget ID MEASURE VALUE-TEXT NUMBER: one row, judged against ID's limit.
budget() {
  local bound limit verdict
  bound="$(budget_field "$1" 4)"; limit="$(budget_field "$1" 5)"
  verdict="$(awk -v v="$4" -v t="$limit" -v how="$bound" 'BEGIN {
    if (v !~ /^-?[0-9]+(\.[0-9]+)?$/ || t == "") { print "FAIL"; exit }
    ok = (how == "at least") ? v + 0 >= t + 0 : v + 0 <= t + 0; print ok ? "PASS" : "FAIL" }')"
  printf '%s\t%s\t%s\t%s %s\t%s\n' "$1" "$2" "$3" "$bound" "$limit" "$verdict" >>"$PORTHOLE_BENCH_BUDGETS"
}
for _ in $(seq 100); do curl -fsS "$url/health" >/dev/null 2>&1 && break; sleep 0.1; done

# First load: the JS and WASM files every page loads (not their .br/.gz
# twins). The split_*.wasm modules (and the chunk_*.wasm they share) are
# lazy: a page fetches one only when it has its island (live refresh, the
# status page's refresh, an embed) or on a chart's first redraw; they are
# reported apart.
mapfile -t bundle < <(find "$site/pkg" -maxdepth 1 -type f \( -name '*.js' -o -name '*.wasm' \) \
  ! -name 'split_*' ! -name 'chunk_*' | sort)
lazy_rows=""
while read -r f; do
  [[ -n "$f" ]] || continue
  name="$(basename "$f" | sed -E 's/^split_([a-z_]+)_[0-9]+\..*/\1/')"
  lazy_rows+="$(printf '| lazy module %s, brotli | %d KB | |' "$name" $(( $(brotli -q 11 -c "$f" | wc -c) / 1000 )))"$'\n'
done < <(find "$site/pkg" -maxdepth 1 -type f -name 'split_*.wasm' | sort)
shared_br=0
while read -r f; do
  [[ -n "$f" ]] && shared_br=$((shared_br + $(brotli -q 11 -c "$f" | wc -c)))
done < <(find "$site/pkg" -maxdepth 1 -type f -name 'chunk_*.wasm')
lazy_rows+="$(printf '| lazy chunks the lazy modules share, brotli | %d KB | |' $((shared_br / 1000)))"$'\n'
raw=0; gz=0; br=0
for f in "${bundle[@]}"; do
  raw=$((raw + $(stat -c %s "$f")))
  gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
  br=$((br + $(brotli -q 11 -c "$f" | wc -c)))
done

# The script widget: its loader, module and WASM, as a landing page loads them.
widget_br=0
for f in "$site/widget.js" "$site/widget/porthole-widget.js" "$site/widget/porthole-widget_bg.wasm"; do
  widget_br=$((widget_br + $(brotli -q 11 -c "$f" | wc -c)))
done

# wrk's latency percentile line, e.g. "50%  1.20ms", in milliseconds.
percentile_ms() {
  awk -v p="$1" '$1 == p {
    v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
    if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000;
    printf "%.2f", v }'
}

for _ in $(seq 200); do curl -fsS -o /dev/null "$url/"; done  # warm up
serial="$(wrk -t1 -c1 -d5s --latency "$url/")"
loaded="$(wrk -t2 -c16 -d5s --latency "$url/")"
kept_p50="$(percentile_ms 50% <<<"$serial")"
kept_p99="$(percentile_ms 99% <<<"$serial")"
# The render itself, measured as the page-cache row above is (wrk, one
# connection kept alive, 5 s): every request a page URL the cache has not
# seen (scripts/fresh-pages.lua: a distinct title each time; `title` is one
# of the view parameters it keys on), its data caches warm. Any answer from
# the page cache (`x-porthole-page: hit`) makes it "none".
fresh_serial="$(wrk -t1 -c1 -d5s --latency -s scripts/fresh-pages.lua "$url" -- serial)"
ssr_p50="$(percentile_ms 50% <<<"$fresh_serial")"
ssr_p99="$(percentile_ms 99% <<<"$fresh_serial")"
ssr_serial_count="$(awk '/requests in/ {print $1}' <<<"$fresh_serial")"
[[ "$(awk '/^page cache hits:/ {print $4}' <<<"$fresh_serial")" == 0 ]] || { ssr_p50=none; ssr_p99=none; }
# The same renders with a new connection (and a new curl process) per
# request, for context: median and 99th of 200, each checked not to come
# from the page cache.
fresh_ms() {
  : >"$data_dir/fresh.times"
  local hits=0
  for i in $(seq 200); do
    curl -fsS -o /dev/null -D "$data_dir/fresh.headers" -w '%{time_total}\n' \
      "$url/?range=30d&title=curl-$i" >>"$data_dir/fresh.times"
    grep -qi '^x-porthole-page: hit' "$data_dir/fresh.headers" && hits=$((hits + 1))
  done
  if ((hits > 0)); then echo "none none"; return; fi
  sort -n "$data_dir/fresh.times" |
    awk '{t[NR] = $1} END {printf "%.2f %.2f", t[int(NR * 0.5)] * 1000, t[int(NR * 0.99)] * 1000}'
}
read -r ssr_curl_p50 ssr_curl_p99 <<<"$(fresh_ms)"
# Fresh renders under load: wrk asking only for pages the cache has not
# seen (scripts/fresh-pages.lua), which counts any answer the cache gave.
fresh_load="$(wrk -t2 -c16 -d5s --latency -s scripts/fresh-pages.lua "$url" -- load)"
fresh_hits="$(awk '/^page cache hits:/ {print $4}' <<<"$fresh_load")"
renders_per_s_fresh="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$fresh_load")"
[[ "$fresh_hits" == 0 ]] || renders_per_s_fresh="none"
pages_per_s="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$loaded")"
errors="$(grep -c 'Non-2xx\|Socket errors' <<<"$loaded" || true)"

# Renders of one panel: drawn fresh (a distinct fixed window each time,
# so no cache answers) as SVG and as PNG, then the PNG endpoint under load,
# where the render cache answers.
render_ms() {
  local format="$1" total=0
  for i in $(seq 20); do
    local to=$(( $(date +%s) / 60 * 60 - i * 3600 ))
    total="$(awk -v a="$total" -v b="$(curl -fsS -o /dev/null -w '%{time_total}' \
      "$url/render/overview/users.$format?from=$((to - 30 * 86400))&to=$to")" 'BEGIN {print a + b}')"
  done
  awk -v t="$total" 'BEGIN {printf "%.2f", t * 1000 / 20}'
}
svg_ms="$(render_ms svg)"
png_ms="$(render_ms png)"
renders="$(wrk -t2 -c16 -d5s "$url/render/overview/users.png?range=30d")"
renders_per_s="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$renders")"

# The panel API where its cache answers (one connection: latency).
panel_url="$url/api/panels/overview/users?range=30d"
for _ in $(seq 50); do curl -fsS -o /dev/null "$panel_url"; done
cached_panel="$(wrk -t1 -c1 -d5s --latency "$panel_url")"
panel_p50="$(percentile_ms 50% <<<"$cached_panel")"

# Idle: the requests above are done, and tokio retires the threads they
# woke after 10 s without work.
sleep 12
rss_kb="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
rss_anon_kb="$(awk '/RssAnon/ {print $2}' "/proc/$pid/status")"
rss_file_kb="$(awk '/RssFile/ {print $2}' "/proc/$pid/status")"
# Of what is mapped from files, the binary's code, by language.
read -r code_mb code_rust_mb code_cxx_mb code_c_mb <<<"$(python3 scripts/resident-code.py "$pid" "$(readlink -f "/proc/$pid/exe")")"

budget ssr_p50_ms "SSR of the demo dashboard for a URL not in the page cache (checked: no hit), warm data caches and drawn charts (the URLs differ in title only), 1 connection kept alive ($ssr_serial_count renders in 5 s), p50, ms" "$ssr_p50 ms" "$ssr_p50"
budget ssr_renders_per_s "fresh renders of the demo dashboard per second, URLs not in the page cache (checked: no hit; drawn charts kept), 16 connections, 5 s, $(nproc) cores" "$renders_per_s_fresh" "$renders_per_s_fresh"
budget idle_rss_mb "server RSS at idle on the demo dashboard (12 s after warm-up requests), MB" "$((rss_kb / 1024)) MB ($((rss_anon_kb / 1024)) MB anonymous, $((rss_file_kb / 1024)) MB mapped from the binary and libraries)" "$((rss_kb / 1024))"

printf '\nPorthole benchmark (%s, %s cores)\n\n' "$(uname -m)" "$(nproc)"
printf '| measure | value | budget |\n|---|---|---|\n'
printf '| first-load JS+WASM, raw | %d KB | |\n' $((raw / 1000))
printf '| first-load JS+WASM, gzip | %d KB | |\n' $((gz / 1000))
printf '| first-load JS+WASM, brotli (files of pkg/, lazy modules apart; the budget is judged per page in chromium below) | %d KB | |\n' $((br / 1000))
printf '%s' "$lazy_rows"
printf '| script widget JS+WASM, brotli | %d KB | |\n' $((widget_br / 1000))
printf '| SSR of the overview, fresh render (not in the page cache; HTTP round trip, 1 connection kept alive) p50 | %s ms | <= %s ms |\n' "$ssr_p50" "$(budget_field ssr_p50_ms 5)"
printf '| SSR of the overview, fresh render (HTTP round trip, 1 connection kept alive) p99 | %s ms | |\n' "$ssr_p99"
printf '| the same with a new connection and curl process per request, p50 / p99 (context) | %s / %s ms | |\n' "$ssr_curl_p50" "$ssr_curl_p99"
printf '| fresh renders/s (16 connections, 5 s) | %s | >= %s |\n' "$renders_per_s_fresh" "$(budget_field ssr_renders_per_s 5)"
printf '| the overview from the page cache, p50 / p99 (1 connection; a cache hit: no budget) | %s / %s ms | |\n' "$kept_p50" "$kept_p99"
printf '| pages/s from the page cache (16 connections, 5 s; a cache hit: no budget) | %s | |\n' "$pages_per_s"
printf '| RSS at idle (anonymous / mapped from files) | %d MB (%d / %d) | <= %s MB |\n' \
  $((rss_kb / 1024)) $((rss_anon_kb / 1024)) $((rss_file_kb / 1024)) "$(budget_field idle_rss_mb 5)"
printf '| of it, the binary'"'"'s code: Rust / C++ (DuckDB) / C (context) | %s MB: %s / %s / %s | |\n' \
  "$code_mb" "$code_rust_mb" "$code_cxx_mb" "$code_c_mb"
printf '| render of a panel, SVG (fresh, HTTP round trip) | %s ms | |\n' "$svg_ms"
printf '| render of a panel, PNG (fresh, HTTP round trip) | %s ms | |\n' "$png_ms"
printf '| PNG render endpoint, cached (16 connections, 5 s) | %s req/s | |\n' "$renders_per_s"
printf '| cached panel API p50 (1 connection; a cache hit: no budget) | %s ms | |\n' "$panel_p50"
if [[ "$errors" != 0 ]]; then echo "wrk saw errors:"; echo "$loaded"; exit 1; fi

# Load: wrk at 64, 256 and 1,024 connections (5 s each) on the overview
# page, a cached panel API and /api/v1/query_range at the live edge, against
# a second Porthole reading a VictoriaMetrics started here.
vm_port=$((port + 2)); load_port=$((port + 1)); load_url="http://127.0.0.1:${load_port}"
/usr/bin/victoria-metrics -storageDataPath "$data_dir/vm" -httpListenAddr "127.0.0.1:${vm_port}" \
  -search.disableCache >"$data_dir/vm.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:${vm_port}/health" >/dev/null 2>&1 && break; sleep 0.1; done
now=$(date +%s)
awk -v now="$now" 'BEGIN { for (t = now - 7200; t <= now; t += 15) { n++;
  printf "http_requests_total{job=\"api\",code=\"200\"} %d %d000\n", 9 * n, t;
  printf "http_requests_total{job=\"api\",code=\"500\"} %d %d000\n", n, t } }' |
  curl -fsS --data-binary @- "http://127.0.0.1:${vm_port}/api/v1/import/prometheus"
curl -fsS "http://127.0.0.1:${vm_port}/internal/force_flush" >/dev/null
query='sum(rate(http_requests_total[5m]))'
mkdir -p "$data_dir/load"
cat >"$data_dir/load/porthole.toml" <<TOML
[prometheus]
url = "http://127.0.0.1:${vm_port}"
refresh = "15s"
allow = ['${query}']

[limits]
api_per_second = 1000000
render_per_second = 1000000

[[dashboard]]
id = "api"
title = "API"

[[dashboard.panel]]
id = "requests"
kind = "rate"
title = "Requests by status"
counter = 'http_requests_total{job="api"}'
by = "code"
TOML
"$bin" serve --addr "127.0.0.1:${load_port}" --data-dir "$data_dir/load" --site-root "$site" \
  --config "$data_dir/load/porthole.toml" >"$data_dir/load/server.log" 2>&1 &
load_pid=$!
pids+=("$load_pid")
for _ in $(seq 100); do curl -fsS "$load_url/health" >/dev/null 2>&1 && break; sleep 0.1; done

# What a browser loads, per page: Debian's chromium, a fresh profile per
# page (cold cache), counting the JS + WASM it transferred as sent
# (brotli) and the time until the islands are interactive
# (scripts/first-load.mjs). Beside them, in the same run, the web UI that
# Debian's prometheus package ships (its classic UI); Debian's
# victoria-metrics ships none (/vmui/ answers 404), which the table says.
prom_port=$((port + 3)); prom_url="http://127.0.0.1:${prom_port}"
printf 'global:\n  scrape_interval: 1m\n' >"$data_dir/prometheus.yml"
/usr/bin/prometheus --config.file="$data_dir/prometheus.yml" --storage.tsdb.path="$data_dir/prom" \
  --web.listen-address="127.0.0.1:${prom_port}" >"$data_dir/prom.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do curl -fsS "$prom_url/-/ready" >/dev/null 2>&1 && break; sleep 0.1; done
snapshot_id="$(curl -fsS -H 'content-type: application/json' -d '{"dashboard":"overview","range":"30d"}' \
  "$url/api/snapshots" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
vmui_status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${vm_port}/vmui/")"
node scripts/first-load.mjs \
  "/=$url/" "/d/api (metrics)=$load_url/d/api" "/status=$url/status" \
  "embed=$url/embed/overview/users" "snapshot=$url/s/$snapshot_id" \
  "Prometheus UI=$prom_url/graph" >"$data_dir/first-load.jsonl"
# One viewer of the demo overview at refresh=10s, for a minute: what its
# event stream brings.
node scripts/first-load.mjs --live 60 "$url/?refresh=10s" >"$data_dir/live.jsonl"
browser_rows="$(python3 - "$data_dir/first-load.jsonl" "$vmui_status" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
peer = next((r for r in rows if r["name"] == "Prometheus UI"), {})
def kb(r):
    return "none" if "js_wasm_bytes" not in r else f'{r["js_wasm_bytes"] / 1000:.1f}'
for r in rows:
    if "error" in r:
        print(f'ROW|{r["name"]}|not measured: {r["error"][:120]}||||')
        continue
    ratio = ""
    if r is not peer and peer.get("js_wasm_bytes"):
        ratio = f'{peer["js_wasm_bytes"] / max(r["js_wasm_bytes"], 1):.1f}×'
    until = "islands interactive" if r["interactive"] == "islands" else "load event"
    print(f'ROW|{r["name"]}|{kb(r)} KB|{",".join(r["encodings"]) or "-"}|{r["interactive_ms"]} ms ({until})|{r["service_worker_bytes"] / 1000:.1f} KB|{ratio}')
    if r is not peer:
        print(f'BUDGET|{r["name"]}|{kb(r)}')
print(f'ROW|VictoriaMetrics UI|none: Debian\'s victoria-metrics ships no web UI (/vmui/ answers {sys.argv[2]})|||||')
PY
)"
# Lighthouse (npm's, pinned in package.json) on its default mobile
# profile (simulated slow 4G and a slowed CPU) against Debian's chromium:
# the performance score of the overview and of the status page.
lighthouse_flags="$(node -e 'console.log(require("./end2end/chromium.cjs").chromiumArgs.join(" "))')"
lighthouse_score() {
  local out="$data_dir/lighthouse.json" profile
  profile="$(mktemp -d)"
  if CHROME_PATH="$(node -e 'console.log(require("./end2end/chromium.cjs").chromiumPath)')" \
    timeout 180 npx lighthouse "$1" --quiet --only-categories=performance \
      --chrome-flags="$lighthouse_flags --user-data-dir=$profile" \
      --output=json --output-path="$out" >"$data_dir/lighthouse.log" 2>&1; then
    python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["categories"]["performance"]["score"]; print("none" if s is None else round(s * 100))' "$out"
  else
    echo none
  fi
  rm -rf "$profile"
}
lighthouse_home="$(lighthouse_score "$url/")"
lighthouse_status="$(lighthouse_score "$url/status")"
read -r live_bytes live_frames <<<"$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r.get("bytes", "none"), r.get("frames", "none"))' "$data_dir/live.jsonl")"

vm_query_ranges() {
  curl -fsS "http://127.0.0.1:${vm_port}/metrics" |
    awk '/^vm_http_requests_total\{path="\/api\/v1\/query_range"\}/ {print $2}'
}
encoded_query="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")"
declare -A load_paths=(
  [overview page]="/"
  [cached panel API]="/api/panels/api/requests?range=1h"
  [/api/v1/query_range]="/api/v1/query_range?query=${encoded_query}&start=-1h&end=now&step=15"
)
load_table="| target | connections | requests/s | p50 | p99 | errors | server RSS after |"$'\n'"|---|---|---|---|---|---|---|"
load_errors=0; data_requests=0
# The kernel's count of handshakes dropped because a listener's accept
# queue was full (machine-wide): a visitor whose connection is dropped
# waits a second or more for the retry, which wrk's latency does not show.
listen_overflows() {
  awk '/^TcpExt:/ { if (!n) { for (i = 1; i <= NF; i++) col[$i] = i; n = 1 } else print $col["ListenOverflows"] }' /proc/net/netstat
}
overflows_before="$(listen_overflows)"
upstream_before="$(vm_query_ranges)"
for target in "overview page" "cached panel API" "/api/v1/query_range"; do
  path="${load_paths[$target]}"
  curl -fsS -o /dev/null "$load_url$path"
  for connections in 64 256 1024; do
    out="$(wrk -t2 -c"$connections" -d5s --timeout 10s --latency "$load_url$path")"
    rps="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
    total="$(awk '/requests in/ {print $1}' <<<"$out")"
    errors="$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")"
    rss="$(awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$load_pid/status")"
    load_table+=$'\n'"| $target | $connections | $rps | $(percentile_ms 50% <<<"$out") ms | $(percentile_ms 99% <<<"$out") ms | $errors | $rss MB |"
    load_errors=$((load_errors + errors))
    [[ "$target" == "overview page" ]] || data_requests=$((data_requests + total))
  done
done
upstream_queries=$(( $(vm_query_ranges) - upstream_before ))
load_overflows=$(( $(listen_overflows) - overflows_before ))
per_1000="$(awk -v u="$upstream_queries" -v n="$data_requests" 'BEGIN {printf "%.3f", u * 1000 / n}')"
# Memory that comes back: the load server's RSS 30 s after the last run.
sleep 30
loaded_rss_mb="$(awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$load_pid/status")"
budget loaded_rss_mb "server RSS 30 s after the runs above (the server that carried them), MB" "$loaded_rss_mb MB" "$loaded_rss_mb"

# 10,000 live viewers of the metrics dashboard at refresh=10s on the same
# server, from a client of our own on loopback (scripts/live-viewers.mjs),
# for 35 s: the server's RSS while they follow, each frame's delivery to
# every viewer, and the upstream queries their frames cost (one panel, one
# query per interval at most).
live_viewers=10000; live_seconds=35; live_refresh=10
upstream_before="$(vm_query_ranges)"; overflows_before="$(listen_overflows)"
live="$(node scripts/live-viewers.mjs "$live_viewers" "$live_seconds" \
  "$load_url/api/live/api?refresh=${live_refresh}s&range=1h" "$load_pid")"
live_upstream=$(( $(vm_query_ranges) - upstream_before ))
live_overflows=$(( $(listen_overflows) - overflows_before ))
read -r live_connected live_p50 live_p99 live_rss <<<"$(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
print(r["connected"], r["delay_p50_ms"], r["delay_p99_ms"], r["rss_mb_max"])' "$live")"
live_intervals=$(( live_seconds / live_refresh + 1 ))
live_per_interval="$(awk -v u="$live_upstream" -v n="$live_intervals" 'BEGIN {printf "%.2f", u / n}')"
# Fewer viewers than asked for measures nothing: every row is "none".
if [[ "$live_connected" != "$live_viewers" ]]; then live_p99=none; live_rss=none; live_per_interval=none; fi
budget live_viewers_rss_mb "server RSS with $live_viewers live viewers (SSE, refresh=${live_refresh}s), the most while they followed, MB" "$live_rss MB" "$live_rss"
budget live_delivery_p99_ms "a live frame reaching each of $live_viewers viewers, after the first viewer it reached, p99 (p50 $live_p50 ms), ms" "$live_p99 ms" "$live_p99"
budget live_upstream_per_interval "upstream queries per panel per ${live_refresh} s interval with $live_viewers live viewers ($live_upstream queries in $live_intervals intervals, 1 panel)" "$live_per_interval" "$live_per_interval"

printf '\nLoad: wrk -t2 for 5 s per row, against Porthole reading VictoriaMetrics on loopback (%s cores)\n\n%s\n' "$(nproc)" "$load_table"
printf '\nUpstream: %d query_range requests reached VictoriaMetrics for %d viewer requests of panel data (%s per 1,000).\n' \
  "$upstream_queries" "$data_requests" "$per_1000"
printf '\nAccept queues: the kernel dropped %d connection handshakes for a full accept queue during these runs (all listeners on the machine).\n' \
  "$load_overflows"
printf '\nMemory that comes back: the server above read %s MB of RSS 30 s after its last run.\n' "$loaded_rss_mb"
printf '\nLive viewers: %s; handshakes dropped for a full accept queue while they connected: %d.\n' "$live" "$live_overflows"
while IFS='|' read -r kind name kb; do
  [[ "$kind" == BUDGET ]] &&
    budget first_load_kb "first load of $name in chromium: JS + WASM transferred (brotli), cold cache, KB" "$kb KB" "$kb"
done <<<"$browser_rows"
budget lighthouse_mobile "Lighthouse mobile performance score of / (default mobile profile)" "$lighthouse_home" "$lighthouse_home"
budget lighthouse_mobile "Lighthouse mobile performance score of /status (default mobile profile)" "$lighthouse_status" "$lighthouse_status"
printf '\nWhat a browser loads, per page: Debian'"'"'s chromium, cold cache, one fresh profile per page\n\n'
printf '| page | JS + WASM transferred | encoding | interactive after | service worker fetched after | Prometheus UI / this |\n|---|---|---|---|---|---|\n'
while IFS='|' read -r kind name kb encoding interactive worker ratio; do
  [[ "$kind" == ROW ]] && printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$kb" "$encoding" "$interactive" "$worker" "$ratio"
done <<<"$browser_rows"
printf '\nLive refresh: one viewer of the demo overview at refresh=10s received %s bytes on its event stream in 60 s (%s frames: the whole frame, then only panels whose data changed; keep-alive comments are not frames).\n' \
  "$live_bytes" "$live_frames"

# A range change as a visitor makes it, reading the second panel
# (scripts/bench-navigation.sh; `make bench-islands-router` adds the same
# click under Leptos' islands router beside it).
printf '\nA range change on the demo overview, scrolled to its second panel: Debian'"'"'s chromium\n\n'
printf '| how | the page | new view shown after | interactive after | transferred | scroll | layout shift | chart redrawn | hover data updated | URL updated |\n|---|---|---|---|---|---|---|---|---|---|\n'
BENCH_NAVIGATION_PORT=$((port + 5)) PORTHOLE_BIN="$bin" bash scripts/bench-navigation.sh "plain navigation (Porthole)"
budget load_errors "errors under load (64/256/1,024 connections, 9 runs)" "$load_errors" "$load_errors"

# The examples below add their budget rows to the same table.
# KPI API over ten years of daily rows (built with the same release profile).
cargo run --release --quiet -p porthole --example kpi_bench

# The Prometheus proxy against a VictoriaMetrics started on loopback: cache
# misses beside direct queries, cache hits, upstream requests under 256
# viewers, and wrk on a cached query (about 15 s, bounded at 5 min).
cargo run --release --quiet -p porthole --example proxy_bench

# The status page with 50 services × 90 days, and the prober's CPU per 100
# services (about 25 s).
cargo run --release --quiet -p porthole --example status_bench

# A 10k-point series drawn as Porthole draws it, beside drawn whole.
cargo run --release --quiet -p porthole --example chart_bench

# Every budget of ARCHITECTURE.md that no row measured is a FAIL.
while read -r id; do
  grep -q "^$id	" "$PORTHOLE_BENCH_BUDGETS" ||
    budget "$id" "$(budget_field "$id" 3) — not measured by this bench" "none" ""
done < <(awk -F '|' '$2 ~ /^ `[a-z0-9_]+` $/ && $4 ~ /^ at (most|least) $/ { f = $2; gsub(/[ `]/, "", f); print f }' \
  "$PORTHOLE_BUDGET_TABLE")

# One table: every budget of ARCHITECTURE.md.
printf '\nBudgets (ARCHITECTURE.md), %s, %s cores, %s\n\n' "$(uname -m)" "$(nproc)" "$(date -u +%Y-%m-%d)"
printf '| id | budget | measured | target | result |\n|---|---|---|---|---|\n'
awk -F '\t' '{printf "| `%s` | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5}' "$PORTHOLE_BENCH_BUDGETS"
awk -F '\t' '$5 == "PASS" {p++} END {printf "\n%d of %d budget rows met.\n", p, NR}' "$PORTHOLE_BENCH_BUDGETS"

# Stop copying (tee ends at the end of its input), then write
# BENCHMARKS.md: this run as printed, under what it measured (machine,
# toolchain, commit); the `make bench-islands-router` section, which this
# run does not repeat, is kept from the file as it was.
exec 1>&3 3>&-
wait "$tee_pid" 2>/dev/null || true
{
  printf '# Benchmarks\n\n'
  printf 'Written by `make bench` (scripts/bench.sh) at the end of its run, as it printed.\n'
  printf 'Budgets and their limits: ARCHITECTURE.md, "Budgets". Ratios are measured side\n'
  printf 'by side in one run; absolute figures are context only (a shared, noisy machine).\n\n'
  printf -- '- Date: %s\n' "$(date -u +%Y-%m-%d)"
  printf -- '- Machine: %s, %s cores, %s GB RAM, %s\n' \
    "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$(nproc)" \
    "$(awk '/MemTotal/ {printf "%d", $2 / 1048576}' /proc/meminfo)" "$(uname -sr)"
  printf -- '- Toolchain: %s\n' "$(rustc --version)"
  printf -- '- Code: %s%s\n\n' "$(git rev-parse --short=12 HEAD)" \
    "$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' || echo ' with uncommitted changes')"
  printf '## `make bench`\n'
  cat "$bench_out"
  sed -n '/^## `make bench-islands-router`/,$p' BENCHMARKS.md | sed '1s/^/\n/'
} >"$bench_out.md"
mv "$bench_out.md" BENCHMARKS.md
rm -f "$bench_out"
echo "BENCHMARKS.md written."
