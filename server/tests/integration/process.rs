//! The real `porthole` binary: crash safety of acknowledged KPI writes under
//! SIGKILL, a graceful stop under SIGTERM, and the start-up errors when
//! another process holds the database, its location cannot be written, or
//! the admin token is too short.

use crate::common;

use std::{
    collections::BTreeMap,
    path::Path,
    process::{Child, Command},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use chrono::{Days, NaiveDate};
use common::{
    binary::{serve_command, wait_healthy},
    loopback::free_port,
};

const TOKEN: &str = "process-test-token-0123456789abcdef";

fn start(data_dir: &Path, port: u16) -> Child {
    serve_command(data_dir, port)
        .env("PORTHOLE_ADMIN_TOKEN", TOKEN)
        .spawn()
        .expect("porthole starts")
}

/// The binary serving `data_dir` on a free port, once healthy: the
/// process, its base URL and port.
async fn serve_healthy(data_dir: &Path) -> (Child, String, u16) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = start(data_dir, port);
    wait_healthy(&base).await;
    (server, base, port)
}

#[tokio::test]
async fn acknowledged_days_survive_sigkill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let client = reqwest::Client::new();
    let (mut server, base, port) = serve_healthy(dir.path()).await;

    let first_day: NaiveDate = "2020-01-01".parse().expect("date");
    let acknowledged: Arc<Mutex<BTreeMap<NaiveDate, i64>>> = Arc::default();
    let writer = {
        let (client, base, acknowledged) = (client.clone(), base.clone(), acknowledged.clone());
        tokio::spawn(async move {
            for i in 0..5_000u64 {
                let day = first_day + Days::new(i);
                let body =
                    serde_json::json!({"date": day.to_string(), "metrics": {"total_users": i}});
                let sent = client
                    .post(format!("{base}/api/v1/kpis"))
                    .bearer_auth(TOKEN)
                    .json(&body)
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status().is_success() => {
                        acknowledged.lock().expect("lock").insert(day, i as i64);
                    }
                    _ => break, // the server is gone
                }
            }
        })
    };
    // Kill mid-stream, once a good number of writes went through.
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().expect("lock").len() < 50 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");
    writer.await.expect("writer ends");
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() >= 50,
        "only {} writes before the kill",
        acknowledged.len()
    );

    let mut server = start(dir.path(), port);
    wait_healthy(&base).await;
    let csv = client
        .get(format!("{base}/api/v1/analytics/export.csv"))
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("csv");
    server.kill().expect("stop");
    server.wait().expect("reaped");

    let stored: BTreeMap<NaiveDate, i64> = csv
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let day = fields.next()?.parse().ok()?;
            let _metric = fields.next()?;
            Some((day, fields.next()?.parse().ok()?))
        })
        .collect();
    for (day, value) in &acknowledged {
        assert_eq!(
            stored.get(day),
            Some(value),
            "acknowledged {day} lost or changed"
        );
    }
}

#[tokio::test]
async fn a_second_process_on_the_same_database_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut first = start(dir.path(), port);
    wait_healthy(&format!("http://127.0.0.1:{port}")).await;

    let second = start(dir.path(), free_port());
    let output = second.wait_with_output().expect("second exits");
    first.kill().expect("stop");
    first.wait().expect("reaped");

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("another process has it open"), "{stderr}");
    assert!(stderr.contains("porthole.duckdb"), "{stderr}");
}

/// The KPI API's documented examples, answered by the real binary.
#[tokio::test]
async fn the_real_binary_answers_the_documented_kpi_shapes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let client = reqwest::Client::new();
    let (mut server, base, _) = serve_healthy(dir.path()).await;

    let today = chrono::Utc::now().date_naive();
    let yesterday = today - Days::new(1);
    for (date, metrics) in [
        (yesterday, serde_json::json!({"total_users": 5})),
        (
            today,
            serde_json::json!({"total_users": 6, "verified_users": 1, "new_users_today": 1,
                "new_users_week": 6, "new_users_month": 6, "total_db_size_bytes": 9613795}),
        ),
    ] {
        let pushed = client
            .post(format!("{base}/api/v1/kpis"))
            .bearer_auth(TOKEN)
            .json(&serde_json::json!({"date": date.to_string(), "metrics": metrics}))
            .send()
            .await
            .expect("push");
        assert_eq!(pushed.status(), 200);
    }
    let get = |path: &'static str| {
        let client = client.clone();
        let url = format!("{base}{path}");
        async move {
            client
                .get(url)
                .send()
                .await
                .expect("get")
                .json::<serde_json::Value>()
                .await
                .expect("json")
        }
    };

    let health = get("/api/v1/analytics/health").await;
    assert_eq!(health["status"], "healthy");
    assert_eq!(health["total_records"], 2);
    assert_eq!(health["latest_snapshot"], today.to_string());
    assert!(
        health["database_path"]
            .as_str()
            .is_some_and(|p| p.ends_with("porthole.duckdb"))
    );

    let latest = get("/api/v1/analytics/latest").await;
    let mut keys: Vec<&str> = latest
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "date",
            "new_users_month",
            "new_users_today",
            "new_users_week",
            "recorded_at",
            "total_db_size_bytes",
            "total_users",
            "verified_users"
        ]
    );
    assert_eq!(latest["total_db_size_bytes"], 9613795);

    let growth = get("/api/v1/analytics/growth?days=2").await;
    assert_eq!(
        growth,
        serde_json::json!([
            {"date": yesterday.to_string(), "total_users": 5, "growth": null, "growth_percent": null},
            {"date": today.to_string(), "total_users": 6, "growth": 1, "growth_percent": 20.0}
        ])
    );
    let _ = server.kill();
    let _ = server.wait();
}

/// SIGTERM: the server stops accepting, finishes the request in flight (a
/// KPI write whose body is still arriving), checkpoints DuckDB and exits 0;
/// the write is there at the next start. A short admin token is refused
/// before anything is opened.
#[tokio::test]
async fn sigterm_finishes_requests_in_flight_then_closes_the_database() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let dir = tempfile::tempdir().expect("tempdir");
    let client = reqwest::Client::new();
    let (mut server, base, port) = serve_healthy(dir.path()).await;

    let body = r#"{"date":"2021-06-01","metrics":{"total_users":4242}}"#;
    let (head, tail) = body.split_at(20);
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let request = format!(
        "POST /api/v1/kpis HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {TOKEN}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{head}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let terminated = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(terminated.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream
        .write_all(tail.as_bytes())
        .await
        .expect("write the rest");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = server.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut log = String::new();
    if let Some(mut stderr) = server.stderr.take() {
        use std::io::Read;
        stderr.read_to_string(&mut log).expect("stderr");
    }
    assert!(status.success(), "{status}: {log}");

    let mut server = start(dir.path(), port);
    wait_healthy(&base).await;
    let csv = client
        .get(format!("{base}/api/v1/analytics/export.csv"))
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("csv");
    assert!(csv.contains("2021-06-01,total_users,4242"), "{csv}");
    let _ = server.kill();
    let _ = server.wait();

    // A short admin token is refused at start, saying why.
    let refused = Command::new(env!("CARGO_BIN_EXE_porthole"))
        .args(["serve", "--no-demo", "--addr", "127.0.0.1:9"])
        .arg("--data-dir")
        .arg(dir.path().join("other"))
        .env("PORTHOLE_ADMIN_TOKEN", "hunter2")
        .output()
        .expect("run");
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("at least 32 characters"), "{message}");
}

/// Holds a directory immutable (`chattr +i`, which binds root too) until
/// dropped.
struct Immutable<'a>(&'a Path);

impl<'a> Immutable<'a> {
    fn hold(dir: &'a Path) -> Self {
        let set = Command::new("chattr").arg("+i").arg(dir).status();
        assert!(
            set.is_ok_and(|s| s.success()),
            "chattr +i {} (e2fsprogs) must work here",
            dir.display()
        );
        Self(dir)
    }
}

impl Drop for Immutable<'_> {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(self.0).status();
    }
}

/// A database location that cannot be written stops the start with a line
/// that names the file and the fix; nothing panics, nothing is served.
#[test]
fn an_unwritable_database_location_stops_the_start_saying_where_and_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let occupied = dir.path().join("a-file");
    std::fs::write(&occupied, "not a directory").expect("file");
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("dir");
    let _held = Immutable::hold(&locked);

    for (database, says) in [
        (
            occupied.join("porthole.duckdb"),
            "its directory cannot be created",
        ),
        (locked.join("porthole.duckdb"), "permission denied"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_porthole"))
            .args(["serve", "--no-demo", "--addr", "127.0.0.1:0"])
            .arg("--duckdb-path")
            .arg(&database)
            .env("NO_COLOR", "1")
            .output()
            .expect("run");
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&database.display().to_string()), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(
            stderr.contains("DUCKDB_PATH"),
            "names the setting: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
