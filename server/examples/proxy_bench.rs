//! Prometheus proxy benchmark against a real VictoriaMetrics (Debian's
//! package) on loopback, with its response cache off so direct queries are
//! not flattered. In one run against the same server it measures cache
//! misses through Porthole against the same queries sent directly and
//! through nginx as a plain reverse proxy (what forwarding alone costs;
//! interleaved), cache hits, upstream requests per 1,000 viewer requests
//! from 256 concurrent viewers at the live edge, and `wrk` on a cached
//! query. Porthole runs on a Tokio runtime apart from the client's. Prints
//! a Markdown table. Run by `make bench`.

#![expect(
    clippy::print_stdout,
    reason = "a benchmark reports on standard output"
)]

#[path = "../tests/integration/common/mod.rs"]
mod test_common;

mod common;

use std::{
    path::Path,
    process::{Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use test_common::{
    TestApp,
    upstream::{Nginx, VictoriaMetrics},
};

type Error = Box<dyn std::error::Error + Send + Sync>;
type Result<T> = std::result::Result<T, Error>;

const RATE: &str = "sum(rate(http_requests_total[5m]))";
const P95: &str = r#"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))"#;
/// Series per metric: one per instance (the histogram has 6 buckets each).
const INSTANCES: usize = 10;
const SCRAPE_SECS: i64 = 15;
const HISTORY_HOURS: i64 = 3;
/// Cache-miss requests per query, each way (direct and through Porthole).
const MISSES: usize = 300;
const HITS: usize = 1_000;
const VIEWERS: usize = 256;
/// Requests per viewer: 5,120 in all.
const VIEWER_REQUESTS: usize = 20;
/// A viewer's pause between requests, so the load spans a few refresh windows.
const VIEWER_PAUSE: Duration = Duration::from_millis(200);
const REFRESH: Duration = Duration::from_secs(1);
const WRK_ARGS: [&str; 6] = ["-t2", "-c64", "-d5s", "--timeout", "5s", "--latency"];
/// The whole run, start to end.
const RUN_LIMIT: Duration = Duration::from_secs(300);

fn main() -> Result<()> {
    let dir = tempfile::tempdir()?;
    // Porthole gets a runtime of its own, as `porthole serve` has in its own
    // process: the bench's client must not share its scheduler and worker
    // threads, as it shares none with nginx or VictoriaMetrics.
    let porthole_runtime = tokio::runtime::Runtime::new()?;
    let client_runtime = tokio::runtime::Runtime::new()?;
    // Dropping `run` on timeout or error drops its children, which kills them.
    let result = client_runtime.block_on(async {
        tokio::time::timeout(RUN_LIMIT, run(dir.path(), porthole_runtime.handle()))
            .await
            .map_err(|_| format!("the benchmark took longer than {RUN_LIMIT:?}"))?
    });
    porthole_runtime.shutdown_background();
    result
}

async fn run(dir: &Path, porthole_runtime: &tokio::runtime::Handle) -> Result<()> {
    // VictoriaMetrics' own cache off, so direct queries are not flattered.
    let vm = VictoriaMetrics::start_with(dir, &["-search.disableCache"]).await;
    let now = chrono::Utc::now().timestamp();
    // Whole hours of history ending between one and two hours ago.
    let from = (now - (HISTORY_HOURS + 1) * 3600) / 3600 * 3600;
    let history = samples(from, from + HISTORY_HOURS * 3600);
    vm.import(&history).await;
    let series = count_series(&history);
    let porthole = porthole_runtime
        .spawn(
            TestApp::new(dir)
                .with_config(&bench_config(&vm.url()))
                .serve(),
        )
        .await?;
    // What forwarding alone costs: Debian's nginx as a plain reverse proxy
    // (kept-alive upstream connections, no cache), timed beside the others.
    let nginx_dir = dir.join("nginx");
    std::fs::create_dir_all(&nginx_dir)?;
    let nginx = Nginx::start(&nginx_dir, |port| {
        format!(
            "upstream vm {{ server 127.0.0.1:{}; keepalive 16; }}\n\
             server {{\n  listen 127.0.0.1:{port};\n  location / {{\n    proxy_pass http://vm;\n    \
             proxy_http_version 1.1;\n    proxy_set_header Connection \"\";\n  }}\n}}\n",
            vm.port
        )
    })
    .await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(VIEWERS)
        .timeout(Duration::from_secs(10))
        .build()?;

    // 1. Cache misses: every request a window of its own, one step apart.
    let mut rows = Vec::new();
    let mut proxied_misses = 0;
    for (name, expr) in [("rate", RATE), ("histogram p95", P95)] {
        let miss = misses(&client, &vm.url(), &nginx.url(), &porthole, expr, from).await?;
        proxied_misses += miss.misses;
        rows.push((name, miss));
    }

    // 2. Cache hits: a window fetched above, asked again and again.
    let cached = format!(
        "{porthole}/api/v1/query_range?{}",
        range_params(RATE, &miss_window(from, 0))
    );
    let mut hits = Vec::with_capacity(HITS);
    for round in 0..HITS + 50 {
        let (took, cache) = timed_get(&client, &cached).await?;
        if cache != "hit" {
            return Err(format!("a repeated request was answered {cache:?}, not \"hit\"").into());
        }
        if round >= 50 {
            hits.push(took);
        }
    }
    hits.sort_unstable();

    // 3. Many viewers at the live edge.
    let load = viewers(&client, &vm, &porthole).await?;

    // 4. wrk against the cached query.
    let wrk = wrk(&cached).await?;

    println!(
        "\nPrometheus proxy vs VictoriaMetrics {} (-search.disableCache) on loopback, {} cores\n",
        vm_version(),
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    println!("| measure | value | target | met |\n|---|---|---|---|");
    for (name, m) in &rows {
        let (d50, p50) = (m.direct.p(0.5), m.proxied.p(0.5));
        let (ratio, extra) = (p50 / d50, p50 - d50);
        common::budget(
            "proxy_miss_extra_ms",
            &format!(
                "proxy cache miss, {name}: p50 over VictoriaMetrics direct (side by side), difference"
            ),
            &format!("{extra:+.2} ms ({d50:.2} → {p50:.2} ms)"),
            extra,
        );
        common::budget(
            "proxy_miss_ratio",
            &format!(
                "proxy cache miss, {name}: p50 over VictoriaMetrics direct (side by side), ratio"
            ),
            &format!("{ratio:.2}× ({d50:.2} → {p50:.2} ms)"),
            ratio,
        );
        println!(
            "| miss, {name}: p50 direct → proxied | {d50:.2} → {p50:.2} ms | | |\n\
             | miss, {name}: p99 direct → proxied | {:.2} → {:.2} ms | | |\n\
             | miss, {name}: p50 proxied ÷ direct | {ratio:.2}× | ≤ 1.1× | {} |\n\
             | miss, {name}: p50 proxied − direct | {extra:+.2} ms | ≤ +2 ms | {} |",
            m.direct.p(0.99),
            m.proxied.p(0.99),
            met(ratio <= 1.1),
            met(extra <= 2.0),
        );
        let n50 = m.nginx.p(0.5);
        println!(
            "| miss, {name}: p50 through nginx, a plain proxy (no budget) | {n50:.2} ms: {:.2}×, {:+.2} ms over direct | | |",
            n50 / d50,
            n50 - d50,
        );
    }
    let (h50, h99) = (percentile_ms(&hits, 0.5), percentile_ms(&hits, 0.99));
    // A cache hit is reported, never a budget (ARCHITECTURE.md).
    println!(
        "| hit: p50 (a cache hit: no budget) | {h50:.3} ms | | |\n| hit: p99 | {h99:.3} ms | | |"
    );
    let per_1000 = |n: u64| n as f64 * 1000.0 / load.requests as f64;
    let bound = load.windows * 2;
    common::budget(
        "upstream_per_window",
        &format!("upstream queries per query and refresh window, {VIEWERS} viewers"),
        &format!(
            "{:.2} ({} served for {} query-windows; {:.2} per 1,000 viewer requests)",
            load.vm_served as f64 / bound as f64,
            load.vm_served,
            bound,
            per_1000(load.vm_served)
        ),
        load.vm_served as f64 / bound as f64,
    );
    println!(
        "| upstream requests per 1,000 viewer requests ({VIEWERS} viewers, live edge), VictoriaMetrics' count | {:.2} | ≤ {:.2} (one per query per refresh window) | {} |\n\
         | the same, Porthole's count | {:.2} | | |",
        per_1000(load.vm_served),
        per_1000(bound),
        met(load.vm_served <= bound),
        per_1000(load.porthole_sent),
    );
    println!(
        "| cached query with wrk {}: requests/s | {:.0} | | |\n| cached query with wrk: p99 | {:.2} ms | | |",
        WRK_ARGS[..3].join(" "),
        wrk.per_second,
        wrk.p99_ms
    );
    let miss_count = MISSES * rows.len();
    println!(
        "\nAbsolute: {series} series, {HISTORY_HOURS} h every {SCRAPE_SECS} s ending {} min ago; \
         misses: {proxied_misses} of {miss_count} proxied requests answered `miss` (1 h windows, step {SCRAPE_SECS} s, direct, through nginx and through Porthole, each first in turn); \
         hits: {HITS} of {HITS} answered `hit`; \
         viewers: {} requests in {:.1} s over {} refresh windows of {REFRESH:?}, VictoriaMetrics served {} query_range, Porthole sent {}, cache answers hit/miss/stale {}/{}/{}, viewer p50/p99 {:.2}/{:.2} ms; \
         wrk: {} requests, 0 errors.",
        (now - from - HISTORY_HOURS * 3600) / 60,
        load.requests,
        load.took.as_secs_f64(),
        load.windows,
        load.vm_served,
        load.porthole_sent,
        load.answers[0],
        load.answers[1],
        load.answers[2],
        percentile_ms(&load.latencies, 0.5),
        percentile_ms(&load.latencies, 0.99),
        wrk.requests,
    );
    if proxied_misses != miss_count {
        return Err(
            format!("only {proxied_misses} of {miss_count} proxied requests were misses").into(),
        );
    }
    Ok(())
}

fn met(ok: bool) -> &'static str {
    if ok { "yes" } else { "no" }
}

/// Samples every 15 s from `from` to `to` (unix seconds), per instance: a
/// counter growing by 10 per scrape and a fixed histogram (p95 = 625 ms).
fn samples(from: i64, to: i64) -> String {
    let mut text = String::new();
    for (i, t) in (from..=to).step_by(SCRAPE_SECS as usize).enumerate() {
        let (n, ms) = (i as u64 + 1, t * 1000);
        for instance in 0..INSTANCES {
            let labels = format!("job=\"api\",instance=\"i{instance}\"");
            text += &format!("http_requests_total{{{labels}}} {} {ms}\n", 10 * n);
            for (le, per) in [
                ("0.05", 4),
                ("0.1", 7),
                ("0.25", 9),
                ("1", 10),
                ("2.5", 10),
                ("+Inf", 10),
            ] {
                text += &format!(
                    "http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {} {ms}\n",
                    per * n
                );
            }
        }
    }
    text
}

/// The `i`-th cache-miss window: an hour, starting half an hour into the
/// history, moved by `i` steps.
fn miss_window(from: i64, i: usize) -> [(&'static str, String); 3] {
    let start = from + 1800 + i as i64 * SCRAPE_SECS;
    [
        ("start", start.to_string()),
        ("end", (start + 3600).to_string()),
        ("step", SCRAPE_SECS.to_string()),
    ]
}

fn range_params(expr: &str, window: &[(&str, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("query", expr)
        .extend_pairs(window.iter().map(|(k, v)| (*k, v.as_str())))
        .finish()
}

/// One GET, timed to the last byte; returns its `X-Porthole-Cache`.
async fn timed_get(client: &reqwest::Client, url: &str) -> Result<(Duration, String)> {
    let started = Instant::now();
    let response = client.get(url).send().await?;
    let status = response.status();
    let cache = response
        .headers()
        .get("x-porthole-cache")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.bytes().await?;
    let took = started.elapsed();
    if !status.is_success() {
        return Err(format!("{url}: {status}: {}", String::from_utf8_lossy(&body)).into());
    }
    Ok((took, cache))
}

/// Sorted latencies of one path.
struct Latencies(Vec<Duration>);

impl Latencies {
    fn p(&self, q: f64) -> f64 {
        percentile_ms(&self.0, q)
    }
}

/// Milliseconds at quantile `q` of sorted `times`.
fn percentile_ms(times: &[Duration], q: f64) -> f64 {
    let i = ((times.len().saturating_sub(1)) as f64 * q) as usize;
    times.get(i).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

struct Misses {
    direct: Latencies,
    proxied: Latencies,
    /// Through nginx forwarding to the same server.
    nginx: Latencies,
    misses: usize,
}

/// `MISSES` windows of `expr`, each asked directly, through nginx and
/// through Porthole, which goes first turning from one window to the next.
async fn misses(
    client: &reqwest::Client,
    vm: &str,
    nginx: &str,
    porthole: &str,
    expr: &str,
    from: i64,
) -> Result<Misses> {
    // The answers agree, and are not empty.
    let params = range_params(expr, &miss_window(from, MISSES));
    let data = |body: String| -> Result<serde_json::Value> {
        let json: serde_json::Value = serde_json::from_str(&body)?;
        Ok(json["data"].clone())
    };
    let direct = data(
        client
            .get(format!("{vm}/api/v1/query_range?{params}"))
            .send()
            .await?
            .text()
            .await?,
    )?;
    let proxied = data(
        client
            .get(format!("{porthole}/api/v1/query_range?{params}"))
            .send()
            .await?
            .text()
            .await?,
    )?;
    let points = direct["result"][0]["values"].as_array().map_or(0, Vec::len);
    if !same_numbers(&direct, &proxied) || points < 200 {
        let (direct, proxied) = (direct.to_string(), proxied.to_string());
        let short = |s: &str| s.chars().take(300).collect::<String>();
        return Err(format!(
            "{expr}: {points} points; direct {} ≠ proxied {}",
            short(&direct),
            short(&proxied)
        )
        .into());
    }

    // Direct, nginx, Porthole.
    let mut times: [Vec<Duration>; 3] = Default::default();
    let mut misses = 0;
    for i in 0..MISSES {
        let params = range_params(expr, &miss_window(from, i));
        for way in (0..3).map(|n| (n + i) % 3) {
            let base = [vm, nginx, porthole][way];
            let (took, cache) =
                timed_get(client, &format!("{base}/api/v1/query_range?{params}")).await?;
            if way == 2 {
                misses += usize::from(cache == "miss");
            }
            times[way].push(took);
        }
    }
    let [d, n, p] = times.map(|mut way| {
        way.sort_unstable();
        Latencies(way)
    });
    Ok(Misses {
        direct: d,
        proxied: p,
        nginx: n,
        misses,
    })
}

/// Equal JSON, but numbers in strings (Prometheus' sample values) only to
/// 1e-9: VictoriaMetrics sums in parallel, so the last bit of a sum varies
/// from one evaluation to the next.
fn same_numbers(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_numbers(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| same_numbers(v, w)))
        }
        (Value::String(a), Value::String(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
            _ => a == b,
        },
        _ => a == b,
    }
}

struct Load {
    requests: u64,
    took: Duration,
    windows: u64,
    vm_served: u64,
    porthole_sent: u64,
    /// Cache answers: hit, miss, stale.
    answers: [u64; 3],
    latencies: Vec<Duration>,
}

/// `VIEWERS` concurrent viewers, each asking `VIEWER_REQUESTS` times for
/// the last hour of one of the two queries, `VIEWER_PAUSE` apart.
async fn viewers(client: &reqwest::Client, vm: &VictoriaMetrics, porthole: &str) -> Result<Load> {
    let urls: Arc<[String]> = [RATE, P95]
        .iter()
        .map(|expr| {
            format!(
                "{porthole}/api/v1/query_range?{}",
                range_params(
                    expr,
                    &[
                        ("start", "-1h".to_owned()),
                        ("end", "now".to_owned()),
                        ("step", SCRAPE_SECS.to_string()),
                    ]
                )
            )
        })
        .collect();
    let vm_before = vm.requests_served("/api/v1/query_range").await;
    let porthole_before = porthole_counts(client, porthole).await?;
    let refresh_ms = REFRESH.as_millis() as i64;
    let first_window = chrono::Utc::now().timestamp_millis() / refresh_ms;
    let started = Instant::now();
    let tasks: Vec<_> = (0..VIEWERS)
        .map(|viewer| {
            let (client, urls) = (client.clone(), urls.clone());
            tokio::spawn(async move {
                // Viewers arrive spread over one pause.
                tokio::time::sleep(VIEWER_PAUSE * viewer as u32 / VIEWERS as u32).await;
                let mut times = Vec::with_capacity(VIEWER_REQUESTS);
                for r in 0..VIEWER_REQUESTS {
                    times.push(
                        timed_get(&client, &urls[(viewer + r) % urls.len()])
                            .await?
                            .0,
                    );
                    tokio::time::sleep(VIEWER_PAUSE).await;
                }
                Ok::<_, Error>(times)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(VIEWERS * VIEWER_REQUESTS);
    for task in futures::future::join_all(tasks).await {
        latencies.extend(task??);
    }
    let took = started.elapsed();
    let last_window = chrono::Utc::now().timestamp_millis() / refresh_ms;
    latencies.sort_unstable();
    let vm_after = vm.requests_served("/api/v1/query_range").await;
    let porthole_after = porthole_counts(client, porthole).await?;
    let delta = |i: usize| porthole_after[i].saturating_sub(porthole_before[i]);
    Ok(Load {
        requests: latencies.len() as u64,
        took,
        windows: u64::try_from(last_window - first_window + 1)?,
        vm_served: vm_after.saturating_sub(vm_before),
        porthole_sent: delta(0),
        answers: [delta(1), delta(2), delta(3)],
        latencies,
    })
}

/// From Porthole's `/metrics`: range requests sent upstream, and cache
/// answers hit, miss and stale.
async fn porthole_counts(client: &reqwest::Client, porthole: &str) -> Result<[u64; 4]> {
    let text = client
        .get(format!("{porthole}/metrics"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let sum = |prefix: &str, label: &str| -> u64 {
        text.lines()
            .filter(|line| line.starts_with(prefix) && line.contains(label))
            .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
            .sum::<f64>() as u64
    };
    Ok([
        sum(
            "porthole_upstream_requests_total{",
            "path=\"/api/v1/query_range\"",
        ),
        sum("porthole_query_cache_answers_total{", "result=\"hit\""),
        sum("porthole_query_cache_answers_total{", "result=\"miss\""),
        sum("porthole_query_cache_answers_total{", "result=\"stale\""),
    ])
}

struct Wrk {
    per_second: f64,
    p99_ms: f64,
    requests: u64,
}

/// A child process killed when dropped, on success, error or timeout.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs wrk against `url` (served by this process) and reads its report.
async fn wrk(url: &str) -> Result<Wrk> {
    let child = Command::new("wrk")
        .args(WRK_ARGS)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("start wrk (Debian package wrk): {e}"))?;
    let mut child = Killed(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.0.try_wait()?.is_none() {
        if Instant::now() > deadline {
            return Err("wrk did not finish within 30 s".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut report = String::new();
    if let Some(stdout) = child.0.stdout.as_mut() {
        std::io::Read::read_to_string(stdout, &mut report)?;
    }
    if report.contains("Non-2xx") || report.contains("Socket errors") {
        return Err(format!("wrk saw errors:\n{report}").into());
    }
    let field = |prefix: &str| {
        report
            .lines()
            .map(str::trim)
            .find_map(|line| line.strip_prefix(prefix))
            .map(|rest| rest.split_whitespace().collect::<Vec<_>>())
            .ok_or_else(|| format!("no {prefix:?} in wrk's report:\n{report}"))
    };
    let p99 = field("99%")?;
    let p99_ms = p99
        .first()
        .and_then(|v| {
            let (number, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic())?);
            let factor = match unit {
                "us" => 0.001,
                "ms" => 1.0,
                "s" => 1000.0,
                _ => return None,
            };
            Some(number.parse::<f64>().ok()? * factor)
        })
        .ok_or("wrk's 99% line")?;
    let per_second = field("Requests/sec:")?
        .first()
        .and_then(|v| v.parse().ok())
        .ok_or("wrk's Requests/sec")?;
    let requests = report
        .lines()
        .find(|line| line.contains("requests in"))
        .and_then(|line| line.split_whitespace().next()?.parse().ok())
        .ok_or("wrk's request count")?;
    Ok(Wrk {
        per_second,
        p99_ms,
        requests,
    })
}

/// A child process killed when dropped, whatever happened.
/// The installed package's version: Debian's build reports none itself.
fn vm_version() -> String {
    Command::new("dpkg-query")
        .args(["-W", "-f", "${Version}", "victoria-metrics"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "(version unknown)".to_owned())
}

/// Porthole's config for the benchmark: the upstream, a short refresh
/// window, both benchmark queries allowed, and no per-address limit (the
/// benchmark is one address standing in for many viewers).
fn bench_config(upstream: &str) -> String {
    format!(
        "[limits]\napi_per_second = 1000000\n\n[prometheus]\nurl = \"{upstream}\"\nrefresh = \"{}s\"\nallow = [{RATE:?}, {P95:?}]\n",
        REFRESH.as_secs()
    )
}

/// How many distinct series Prometheus text lines hold.
fn count_series(lines: &str) -> usize {
    let mut series: Vec<&str> = lines
        .lines()
        .filter_map(|l| l.split_once('}').map(|(s, _)| s))
        .collect();
    series.sort_unstable();
    series.dedup();
    series.len()
}
