#!/usr/bin/env bash
# Porthole's benchmark: bundle size, server-side render time and idle memory
# of the release build, measured against a server started here on loopback,
# then the KPI API and the Prometheus proxy (examples kpi_bench, proxy_bench).
# Load is bounded: each wrk run lasts a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${PORTHOLE_BIN:-target/release/porthole}"
site="target/site"
port="${PORTHOLE_BENCH_PORT:-3918}"
url="http://127.0.0.1:${port}"
data_dir="$(mktemp -d)"

# One client (wrk on loopback) is the whole load here: lift the per-address
# rate limits that would otherwise answer it with 429s.
printf '[limits]\napi_per_second = 1000000\nrender_per_second = 1000000\n' >"$data_dir/porthole.toml"
"$bin" serve --addr "127.0.0.1:${port}" --data-dir "$data_dir" --site-root "$site" \
  --config "$data_dir/porthole.toml" \
  >"$data_dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data_dir"' EXIT
for _ in $(seq 100); do curl -fsS "$url/health" >/dev/null 2>&1 && break; sleep 0.1; done

# First load: the JS and WASM files the page links (not their .br/.gz twins).
mapfile -t bundle < <(find "$site/pkg" -maxdepth 1 -type f \( -name '*.js' -o -name '*.wasm' \) | sort)
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
ssr_p50="$(percentile_ms 50% <<<"$serial")"
ssr_p99="$(percentile_ms 99% <<<"$serial")"
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

sleep 2
rss_kb="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"

printf '\nPorthole benchmark (%s, %s cores)\n\n' "$(uname -m)" "$(nproc)"
printf '| measure | value | budget |\n|---|---|---|\n'
printf '| first-load JS+WASM, raw | %d KB | |\n' $((raw / 1000))
printf '| first-load JS+WASM, gzip | %d KB | |\n' $((gz / 1000))
printf '| first-load JS+WASM, brotli | %d KB | <= 200 KB |\n' $((br / 1000))
printf '| script widget JS+WASM, brotli | %d KB | |\n' $((widget_br / 1000))
printf '| SSR of / p50 (1 connection, warm) | %s ms | <= 5 ms |\n' "$ssr_p50"
printf '| SSR of / p99 (1 connection, warm) | %s ms | |\n' "$ssr_p99"
printf '| pages/s (16 connections, 5 s) | %s | >= 2000 |\n' "$pages_per_s"
printf '| idle RSS after load | %d MB | <= 60 MB |\n' $((rss_kb / 1024))
printf '| render of a panel, SVG (fresh, HTTP round trip) | %s ms | |\n' "$svg_ms"
printf '| render of a panel, PNG (fresh, HTTP round trip) | %s ms | |\n' "$png_ms"
printf '| PNG render endpoint, cached (16 connections, 5 s) | %s req/s | |\n' "$renders_per_s"
if [[ "$errors" != 0 ]]; then echo "wrk saw errors:"; echo "$loaded"; exit 1; fi

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
