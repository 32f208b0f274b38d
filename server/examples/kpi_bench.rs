//! KPI API benchmark: growth, monthly and summary over 10 years × 10 metrics
//! of daily rows in a real DuckDB file, through the router as a client
//! calls them. Prints a Markdown table of p50/p99. Run by `make bench`.

#![expect(
    clippy::print_stdout,
    reason = "a benchmark reports on standard output"
)]

mod common;

use std::time::{Duration, Instant};

use axum::{Router, body::Body, http::Request};
use chrono::{Days, Utc};
use http_body_util::BodyExt;
use porthole::{
    config::ServeConfig, db::Db, http::admin_token::AdminToken, http::state::AppState,
    kpi::KpiStore, leptos_options, router,
};
use tower::ServiceExt;

const YEARS: u64 = 10;
const EXTRA_METRICS: [&str; 4] = ["revenue", "orders", "active_users", "churned_users"];
const ROUNDS: usize = 300;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.duckdb");
    let db = Db::open(&path)?;
    let rows = fill(&db)?;
    let configured: Vec<String> = EXTRA_METRICS.iter().map(|m| (*m).to_owned()).collect();
    let kpi = KpiStore::new(db);
    let config = ServeConfig {
        kpi_metrics: configured,
        ..ServeConfig::default()
    };
    let app = router(AppState::configured(
        leptos_options(dir.path()),
        kpi.clone(),
        AdminToken::new(None),
        &config,
    )?);

    println!(
        "\nKPI API over {rows} daily rows ({YEARS} years × 10 metrics), {ROUNDS} requests each\n"
    );
    println!(
        "| endpoint | after a KPI write: p50 | p99 | repeated: p50 | p99 | budget p50 | the write before it, acknowledged after: p50 |\n|---|---|---|---|---|---|---|"
    );
    for uri in [
        "/api/v1/analytics/growth?days=3660",
        "/api/v1/analytics/monthly",
        "/api/v1/analytics/summary",
        "/api/v1/analytics/latest",
    ] {
        let (cold, writes) = time_requests(&app, uri, Some(&kpi)).await?;
        let (warm, _) = time_requests(&app, uri, None).await?;
        // Repeated requests are cache hits: reported in the table, no budget.
        let cold_p50 = ms(quantile(&cold, 0.5));
        common::budget(
            "kpi_p50_ms",
            &format!(
                "KPI query `{uri}` over {YEARS} years, p50 of the first request after a KPI write"
            ),
            &format!("{cold_p50:.2} ms"),
            cold_p50,
        );
        println!(
            "| `{uri}` | {:.2} ms | {:.2} ms | {:.3} ms | {:.3} ms | ≤ 2 ms | {:.2} ms |",
            ms(quantile(&cold, 0.5)),
            ms(quantile(&cold, 0.99)),
            ms(quantile(&warm, 0.5)),
            ms(quantile(&warm, 0.99)),
            ms(quantile(&writes, 0.5)),
        );
    }
    println!(
        "\nA KPI write is acknowledged once the answers asked before it are made afresh \
         (kpi::answers), so the first request after it is served from memory; the write pays \
         instead (last column; it answers afresh the questions asked so far, one more per row)."
    );
    Ok(())
}

/// Ten years of daily values for the six well-known metrics and four more.
fn fill(db: &Db) -> Result<usize, Box<dyn std::error::Error>> {
    let today = Utc::now().date_naive();
    let first = today
        .checked_sub_days(Days::new(365 * YEARS))
        .ok_or("date out of range")?;
    let metrics: Vec<&str> = porthole::kpi::WELL_KNOWN
        .iter()
        .copied()
        .chain(EXTRA_METRICS)
        .collect();
    let rows = db.run_blocking(|connection| {
        let recorded_at = Utc::now().naive_utc();
        let mut appender = connection.appender("kpi_daily")?;
        let mut rows = 0;
        for n in 0..=365 * YEARS {
            let day = first + Days::new(n);
            for (m, metric) in metrics.iter().enumerate() {
                let value = (n as f64 * (m as f64 + 1.0)).round();
                appender.append_row(duckdb::params![day, metric, value, recorded_at])?;
                rows += 1;
            }
        }
        appender.flush()?;
        Ok(rows)
    })?;
    Ok(rows)
}

/// Times `ROUNDS` requests for `uri`. With `write_before`, a KPI is
/// written before each one, so no answer stands from before the write;
/// the writes' own times come second.
async fn time_requests(
    app: &Router,
    uri: &str,
    write_before: Option<&KpiStore>,
) -> Result<(Vec<Duration>, Vec<Duration>), Box<dyn std::error::Error>> {
    let mut times = Vec::with_capacity(ROUNDS);
    let mut writes = Vec::with_capacity(ROUNDS);
    let long_ago = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).ok_or("date")?;
    for round in 0..ROUNDS + 20 {
        if let Some(kpi) = write_before {
            let value = [("churned_users".to_owned(), round as f64)].into();
            let writing = Instant::now();
            kpi.record_day(long_ago, value, Utc::now().naive_utc())
                .await?;
            if round >= 20 {
                writes.push(writing.elapsed());
            }
        }
        let started = Instant::now();
        let response = app
            .clone()
            .oneshot(Request::get(uri).body(Body::empty())?)
            .await?;
        let status = response.status();
        response.into_body().collect().await?;
        if !status.is_success() {
            return Err(format!("{uri} answered {status}").into());
        }
        // The first rounds warm DuckDB's caches and the connection pool.
        if round >= 20 {
            times.push(started.elapsed());
        }
    }
    times.sort_unstable();
    writes.sort_unstable();
    Ok((times, writes))
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * q) as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
