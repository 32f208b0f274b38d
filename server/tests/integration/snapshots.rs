//! KPI snapshots from PromQL, against a real VictoriaMetrics and the real
//! `porthole` binary: days missed while Porthole was down are taken at
//! start, each at its own scheduled instant, and `POST
//! /api/v1/analytics/snapshot` takes one now, idempotently per day.

use crate::common;

use std::{
    process::{Child, Stdio},
    time::{Duration, Instant},
};

use chrono::{Days, NaiveDate, Utc};
use common::{
    binary::serve_command,
    loopback::{free_port, wait_ready},
    upstream::VictoriaMetrics,
};
use porthole::{db::Db, kpi::KpiStore};
use serde_json::Value;

const TOKEN: &str = "snapshot-test-token-0123456789abcdef";

/// One sign-up every 5 minutes, starting from 1,000 users four days ago;
/// a third of them verified.
fn user_samples(from: i64, to: i64) -> String {
    let mut text = String::new();
    for (i, t) in (from..=to).step_by(300).enumerate() {
        let users = 1_000 + i;
        text += &format!("auth_users_total{{instance=\"a\"}} {users} {}\n", t * 1000);
        text += &format!(
            "auth_verified_users_total{{instance=\"a\"}} {} {}\n",
            users / 3,
            t * 1000
        );
    }
    text
}

struct Porthole(Child);

impl Drop for Porthole {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_porthole(dir: &std::path::Path, port: u16) -> Porthole {
    Porthole(
        serve_command(dir, port)
            .arg("--config")
            .arg(dir.join("porthole.toml"))
            .env("PORTHOLE_ADMIN_TOKEN", TOKEN)
            .stderr(Stdio::null())
            .spawn()
            .expect("porthole starts"),
    )
}

async fn vm_value(vm: &VictoriaMetrics, expr: &str, time: i64) -> f64 {
    let answer: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/query", vm.url()))
        .query(&[("query", expr), ("time", &time.to_string())])
        .send()
        .await
        .expect("query")
        .json()
        .await
        .expect("json");
    answer["data"]["result"][0]["value"][1]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a value: {answer}"))
}

fn midnight(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp()
}

#[tokio::test]
async fn missed_days_are_taken_at_start_and_snapshots_on_demand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vm = VictoriaMetrics::start(dir.path()).await;
    let now = Utc::now().timestamp();
    let today = Utc::now().date_naive();
    let day = |back: u64| today.checked_sub_days(Days::new(back)).expect("day");
    vm.import(&user_samples(midnight(day(4)), now)).await;
    std::fs::write(
        dir.path().join("porthole.toml"),
        format!(
            "[prometheus]\nurl = \"{}\"\n\n[kpi]\nsnapshot_at = \"00:00\"\n\n[kpi.queries]\ntotal_users = \"sum(auth_users_total)\"\nverified_users = \"sum(auth_verified_users_total)\"\n",
            vm.url()
        ),
    )
    .expect("config");

    // Porthole last ran three days ago: that day's snapshot is stored.
    let three_days_ago = vm_value(&vm, "sum(auth_users_total)", midnight(day(3))).await;
    {
        let store = KpiStore::new(Db::open(&dir.path().join("porthole.duckdb")).expect("db"));
        store
            .record_day(
                day(3),
                [("total_users".to_owned(), three_days_ago)].into(),
                Utc::now().naive_utc(),
            )
            .await
            .expect("seed");
    }

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _porthole = start_porthole(dir.path(), port);
    wait_ready(&format!("{base}/health"), Duration::from_secs(30)).await;
    let client = reqwest::Client::new();

    // The scheduler catches up on start: the two missed days and today.
    let deadline = Instant::now() + Duration::from_secs(30);
    let rows = loop {
        let rows: Value = client
            .get(format!("{base}/api/v1/analytics/growth?days=4"))
            .send()
            .await
            .expect("growth")
            .json()
            .await
            .expect("json");
        if rows.as_array().is_some_and(|r| r.len() == 4) {
            break rows;
        }
        assert!(Instant::now() < deadline, "no catch-up: {rows}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    for (i, back) in [3_u64, 2, 1, 0].into_iter().enumerate() {
        assert_eq!(rows[i]["date"], day(back).to_string());
        let expected = vm_value(&vm, "sum(auth_users_total)", midnight(day(back))).await;
        assert_eq!(
            rows[i]["total_users"].as_f64(),
            Some(expected),
            "{back} days ago: the value at its midnight"
        );
    }
    let health: Value = client
        .get(format!("{base}/api/v1/analytics/health"))
        .send()
        .await
        .expect("health")
        .json()
        .await
        .expect("json");
    assert_eq!(
        health["demo"], false,
        "configured KPI sources: no demo data"
    );
    let latest: Value = client
        .get(format!("{base}/api/v1/analytics/latest"))
        .send()
        .await
        .expect("latest")
        .json()
        .await
        .expect("json");
    assert_eq!(latest["date"], today.to_string());
    assert_eq!(
        latest["new_users_today"].as_f64(),
        Some(288.0),
        "a day of sign-ups every 5 minutes: {latest}"
    );
    let verified = vm_value(&vm, "sum(auth_verified_users_total)", midnight(today)).await;
    assert_eq!(latest["verified_users"].as_f64(), Some(verified));

    // On demand, guarded by the admin token.
    let snapshot = |token: Option<&str>| {
        let mut request = client.post(format!("{base}/api/v1/analytics/snapshot"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    assert_eq!(snapshot(None).await.expect("post").status(), 401);
    assert_eq!(snapshot(Some("wrong")).await.expect("post").status(), 403);
    let taken = snapshot(Some(TOKEN)).await.expect("post");
    assert_eq!(taken.status(), 200);
    let taken: Value = taken.json().await.expect("json");
    assert_eq!(taken["date"], today.to_string());
    let now_value = taken["metrics"]["total_users"]
        .as_f64()
        .expect("total_users");
    assert!(now_value >= vm_value(&vm, "sum(auth_users_total)", midnight(today)).await);
    let again: Value = snapshot(Some(TOKEN))
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(again["date"], today.to_string());
    let health_after: Value = client
        .get(format!("{base}/api/v1/analytics/health"))
        .send()
        .await
        .expect("health")
        .json()
        .await
        .expect("json");
    assert_eq!(
        health_after["total_records"], health["total_records"],
        "a day taken again replaces it"
    );
}

#[tokio::test]
async fn a_snapshot_without_sources_says_what_to_configure() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("porthole.toml"), "").expect("config");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _porthole = start_porthole(dir.path(), port);
    wait_ready(&format!("{base}/health"), Duration::from_secs(30)).await;
    let answer = reqwest::Client::new()
        .post(format!("{base}/api/v1/analytics/snapshot"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("post");
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.expect("json");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("[kpi.queries]")),
        "{body}"
    );
}

/// A counter that has grown by 10 every hour for `days` days up to now
/// (hourly samples on the hour), with one sample the hour before the
/// midnight it starts from: VictoriaMetrics gives no value at a series'
/// very first sample.
fn a_counter_of(days: i64, now: i64) -> (i64, String) {
    let start = (now - days * 86_400) / 86_400 * 86_400;
    let mut text = String::new();
    for (hour, t) in (start - 3_600..=now).step_by(3_600).enumerate() {
        text += &format!(
            "auth_users_total{{instance=\"a\"}} {} {}\n",
            hour * 10,
            t * 1000
        );
    }
    (start, text)
}

async fn total_records(base: &str) -> i64 {
    let health: Value = reqwest::get(format!("{base}/api/v1/analytics/health"))
        .await
        .expect("health")
        .json()
        .await
        .expect("json");
    health["total_records"].as_i64().unwrap_or(-1)
}

#[tokio::test]
async fn a_year_of_history_is_backfilled_resumably_and_its_start_remembered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vm = VictoriaMetrics::start(dir.path()).await;
    let now = Utc::now().timestamp();
    let today = Utc::now().date_naive();
    let (start, samples) = a_counter_of(365, now);
    vm.import(&samples).await;
    let config = dir.path().join("porthole.toml");
    std::fs::write(
        &config,
        format!(
            "[prometheus]\nurl = \"{}\"\n\n[kpi.queries]\ntotal_users = \"sum(auth_users_total)\"\n",
            vm.url()
        ),
    )
    .expect("config");

    // The command first, for the last 100 days, with the server stopped.
    let command = std::process::Command::new(env!("CARGO_BIN_EXE_porthole"))
        .args(["backfill", "--days", "100", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("PROMETHEUS_URL")
        .output()
        .expect("porthole backfill runs");
    let log = String::from_utf8_lossy(&command.stderr);
    assert!(command.status.success(), "{log}");
    assert!(
        log.contains("100 were missing, 100 taken, 0 had no value upstream"),
        "{log}"
    );

    // Then the server: it takes only the 300 days still missing of its
    // 400, of which the 34 before the counter began have no value.
    let log_path = dir.path().join("serve.log");
    let serve = |log_path: &std::path::Path| {
        let port = free_port();
        let child = serve_command(dir.path(), port)
            .arg("--config")
            .arg(&config)
            .env("RUST_LOG", "porthole=info")
            .stderr(std::fs::File::create(log_path).expect("log file"))
            .spawn()
            .expect("porthole starts");
        (Porthole(child), format!("http://127.0.0.1:{port}"))
    };
    let (porthole, base) = serve(&log_path);
    wait_ready(&format!("{base}/health"), Duration::from_secs(30)).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while total_records(&base).await < 366 {
        assert!(
            Instant::now() < deadline,
            "a year within a minute: {} days",
            total_records(&base).await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let growth: Value = reqwest::get(format!("{base}/api/v1/analytics/growth?days=400"))
        .await
        .expect("growth")
        .json()
        .await
        .expect("json");
    let rows = growth.as_array().expect("rows");
    let first = rows.first().expect("a first row");
    assert_eq!(
        first["date"],
        chrono::DateTime::from_timestamp(start, 0)
            .expect("start")
            .date_naive()
            .to_string(),
        "history begins where the counter does"
    );
    for back in [0_u64, 1, 100, 101, 250, 365] {
        let day = today.checked_sub_days(Days::new(back)).expect("day");
        let row = rows
            .iter()
            .find(|r| r["date"] == day.to_string())
            .unwrap_or_else(|| panic!("{day} is stored"));
        assert_eq!(
            row["total_users"].as_f64(),
            Some(vm_value(&vm, "sum(auth_users_total)", midnight(day)).await),
            "{day}: the value at its own midnight"
        );
    }
    let latest: Value = reqwest::get(format!("{base}/api/v1/analytics/latest"))
        .await
        .expect("latest")
        .json()
        .await
        .expect("json");
    assert_eq!(
        latest["new_users_week"].as_f64(),
        Some(7.0 * 240.0),
        "derived from the backfilled week: {latest}"
    );
    drop(porthole);
    let log = std::fs::read_to_string(&log_path).expect("log");
    assert!(log.contains("backfilling KPI snapshots"), "{log}");
    assert!(log.contains("missing=300"), "{log}");
    assert!(log.contains("taken=266 empty_upstream=34"), "{log}");

    // Started again, nothing is missing: the empty days before the
    // counter began are remembered, not asked again.
    let again_log = dir.path().join("serve-again.log");
    let (porthole, base) = serve(&again_log);
    wait_ready(&format!("{base}/health"), Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(total_records(&base).await, 366);
    drop(porthole);
    let log = std::fs::read_to_string(&again_log).expect("log");
    assert!(!log.contains("backfilling"), "{log}");
}
