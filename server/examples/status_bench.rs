//! Status benchmark: `/status` server-side rendering with 50 services × 90
//! days of history in a real DuckDB file (with the 5-second report cache
//! warm, and with the report made afresh each time), and the prober's CPU
//! cost per 100 services checking a health server in another process.
//! Prints Markdown tables. Run by `make bench`.

#![expect(
    clippy::print_stdout,
    reason = "a benchmark reports on standard output"
)]

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use axum::{Router, body::Body, http::Request};
use chrono::{Days, TimeDelta, Utc};
use http_body_util::BodyExt;
use porthole::{
    config::{HttpCheck, ProbeSettings, ServeConfig, ServiceConfig},
    db::Db,
    http::admin_token::AdminToken,
    http::state::AppState,
    kpi::KpiStore,
    leptos_options,
    probe::{CheckResult, Checker, ProbeStore, Prober},
    router,
};
use tower::ServiceExt;

const SERVICES: usize = 50;
const DAYS: u64 = 90;
const ROUNDS: usize = 200;
const PROBED: usize = 100;
const PROBE_INTERVAL: Duration = Duration::from_secs(5);
const PROBE_WINDOW: Duration = Duration::from_secs(20);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The health server runs in a child process so that its CPU is not
    // counted as the prober's.
    if std::env::args().nth(1).as_deref() == Some("health-server") {
        return health_server();
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(bench())
}

async fn bench() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("bench.duckdb"))?;
    let nowhere: reqwest::Url = "http://127.0.0.1:9/health".parse()?;
    let services: Vec<ServiceConfig> = (0..SERVICES).map(|n| service(n, nowhere.clone())).collect();
    let rows = fill(&db, &services).await?;
    let config = ServeConfig {
        services,
        ..ServeConfig::default()
    };
    let state = AppState::configured(
        leptos_options(dir.path()),
        KpiStore::new(db),
        AdminToken::new(None),
        &config,
    )?;
    state
        .status
        .store()
        .load_latest(Utc::now().naive_utc())
        .await?;
    let app = router(state.clone());
    let warm = time_requests(&app, None).await?;
    let cold = time_requests(&app, Some(&state)).await?;
    let bytes = body(&app).await?;
    println!(
        "\n/status with {SERVICES} services × {DAYS} days ({rows} raw results of the last day), {ROUNDS} requests\n"
    );
    println!("| /status SSR | p50 | p99 |\n|---|---|---|");
    println!(
        "| report cached (as viewers get it, 5 s) | {:.2} ms | {:.2} ms |",
        ms(quantile(&warm, 0.5)),
        ms(quantile(&warm, 0.99))
    );
    println!(
        "| report made afresh each time | {:.2} ms | {:.2} ms |",
        ms(quantile(&cold, 0.5)),
        ms(quantile(&cold, 0.99))
    );
    println!("\nPage size: {} KB of HTML.", bytes / 1000);
    probe_cpu().await
}

fn service(n: usize, url: reqwest::Url) -> ServiceConfig {
    ServiceConfig {
        id: format!("service-{n}"),
        name: format!("Service {n}"),
        group: format!("Group {}", n / 10),
        http: Some(HttpCheck {
            url,
            expect_status: None,
            expect_body: None,
        }),
        interval: Duration::from_secs(30),
        timeout: Duration::from_secs(5),
        slow: None,
        ..Default::default()
    }
}

/// 90 days of daily rows, one day of raw results every 30 s, and an
/// incident per service every ten days.
async fn fill(db: &Db, services: &[ServiceConfig]) -> Result<usize, Box<dyn std::error::Error>> {
    let now = Utc::now().naive_utc();
    let today = now.date();
    let ids: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
    let daily_ids = ids.clone();
    db.run(move |connection| {
        let mut appender = connection.appender("probe_daily")?;
        for (s, id) in daily_ids.iter().enumerate() {
            for n in 1..DAYS {
                let day = today - Days::new(n);
                let ok = 2880 - i64::try_from((n as usize + s) % 7).unwrap_or(0);
                appender.append_row(duckdb::params![day, id, 2880_i64, ok, 40.0, 90.0])?;
            }
            for n in (5..DAYS).step_by(10) {
                let start = (today - Days::new(n)).and_hms_opt(3, 0, 0).unwrap_or(now);
                connection.execute(
                    "INSERT INTO probe_incidents VALUES (?, ?, ?)",
                    duckdb::params![id, start, start + TimeDelta::minutes(12)],
                )?;
            }
        }
        Ok(())
    })
    .await?;
    let store = ProbeStore::new(db.clone());
    let mut results = Vec::new();
    for step in 0..2880 {
        let at = now - TimeDelta::seconds(30 * step);
        for id in &ids {
            results.push(CheckResult {
                service: id.clone(),
                at,
                ok: step % 97 != 0,
                ok_here: step % 97 != 0,
                latency_ms: Some(30.0 + f64::from(u32::try_from(step % 50).unwrap_or(0))),
                http_status: Some(200),
                error: None,
                cert_expires_at: None,
                locations: Vec::new(),
            });
        }
    }
    let rows = results.len();
    store.record(results, Vec::new()).await?;
    Ok(rows)
}

async fn time_requests(
    app: &Router,
    afresh: Option<&AppState>,
) -> Result<Vec<Duration>, Box<dyn std::error::Error>> {
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        if let Some(state) = afresh {
            state.status.invalidate();
        }
        let started = Instant::now();
        body(app).await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times)
}

async fn body(app: &Router) -> Result<usize, Box<dyn std::error::Error>> {
    let response = app
        .clone()
        .oneshot(Request::get("/status").body(Body::empty())?)
        .await?;
    if !response.status().is_success() {
        return Err(format!("/status answered {}", response.status()).into());
    }
    Ok(response.into_body().collect().await?.to_bytes().len())
}

/// CPU time of this process (user + system), from /proc.
fn cpu_time() -> Result<Duration, Box<dyn std::error::Error>> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: u64 = fields.get(11).ok_or("utime")?.parse::<u64>()?
        + fields.get(12).ok_or("stime")?.parse::<u64>()?;
    // Linux reports in USER_HZ, 100 per second on every common platform.
    Ok(Duration::from_millis(ticks * 10))
}

/// 100 services on a health server in a child process, checked every 5 s
/// for 20 s: the prober's CPU (checks, writes, rollups) per check and per
/// 100 services at the default 30 s interval.
async fn probe_cpu() -> Result<(), Box<dyn std::error::Error>> {
    let mut child = std::process::Command::new(std::env::current_exe()?)
        .arg("health-server")
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    if let Some(stdout) = child.stdout.as_mut() {
        use std::io::BufRead;
        std::io::BufReader::new(stdout).read_line(&mut line)?;
    }
    let addr: SocketAddr = line.trim().parse()?;
    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("probe.duckdb"))?;
    let store = ProbeStore::new(db.clone());
    let notices = porthole::notices::NoticeStore::new(db.clone());
    let events = porthole::webhooks::Outbox::new(db, Vec::new());
    let services = (0..PROBED)
        .map(|n| {
            let mut service = service(n, format!("http://{addr}/health/{n}").parse()?);
            service.interval = PROBE_INTERVAL;
            Ok(service)
        })
        .collect::<Result<Vec<ServiceConfig>, Box<dyn std::error::Error>>>()?;
    let before = cpu_time()?;
    let started = Instant::now();
    let prober = Prober::start(
        store.clone(),
        notices,
        events,
        &ProbeSettings::default(),
        &services,
        Checker::new(None, None, &[])?,
        std::sync::Arc::new(porthole::metrics::Metrics::new()),
    )
    .await?;
    tokio::time::sleep(PROBE_WINDOW).await;
    drop(prober);
    let cpu = cpu_time()? - before;
    let wall = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    let checks: i64 = store
        .tally_since(Utc::now().naive_utc() - TimeDelta::hours(1))
        .await?
        .values()
        .map(|t| t.checks)
        .sum();
    let per_check = cpu.as_secs_f64() * 1000.0 / checks.max(1) as f64;
    // At the default 30 s interval, 100 services make 100/30 checks a second.
    let share_at_30s = per_check * (100.0 / 30.0) / 10.0;
    println!(
        "\nProber: {PROBED} services every {}s for {:.0}s: {checks} checks stored, {:.0} ms CPU in all\n",
        PROBE_INTERVAL.as_secs(),
        wall.as_secs_f64(),
        cpu.as_secs_f64() * 1000.0
    );
    println!("| prober CPU | value |\n|---|---|");
    println!("| per check (HTTP GET, store, metrics) | {per_check:.2} ms |");
    println!("| 100 services at the default 30 s interval | {share_at_30s:.2}% of one core |");
    Ok(())
}

/// A health server answering `/health/...` with 200, on a loopback port it
/// prints on its first line.
fn health_server() -> Result<(), Box<dyn std::error::Error>> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            println!("{}", listener.local_addr()?);
            let app = Router::new().route("/health/{n}", axum::routing::get(|| async { "ok" }));
            axum::serve(listener, app).await?;
            Ok(())
        })
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
