//! Bad days of the upstream: an answer cut short, an HTML error page, an
//! answer slower than the timeout, one larger than Porthole reads, ten times
//! the series a chart is for, and the upstream gone. Each ends in the last
//! good data (marked stale) or a per-panel error, with a log line that says
//! what happened; the server stays healthy throughout.

use crate::common;

use std::{
    io::Write,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU8, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    extract::{RawForm, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use common::{TestApp, fixtures::REQUESTS_DASHBOARD};
use serde_json::Value;

/// What the stand-in upstream does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Mode {
    Good,
    Truncated,
    Html,
    Slow,
    Huge,
    TenTimesTheSeries,
}

/// The series a good answer holds.
const SERIES: usize = 5;

/// A Prometheus-compatible range answer of `series` series over the asked
/// window.
fn matrix(form: &[u8], series: usize) -> String {
    let start = form_urlencoded::parse(form)
        .find(|(name, _)| name == "start")
        .and_then(|(_, v)| v.parse::<f64>().ok())
        .unwrap_or(0.0) as i64;
    let result: Vec<String> = (0..series)
        .map(|i| {
            format!(
                r#"{{"metric":{{"code":"{}"}},"values":[[{start},"{i}"],[{},"{i}"]]}}"#,
                200 + i,
                start + 60
            )
        })
        .collect();
    format!(
        r#"{{"status":"success","data":{{"resultType":"matrix","result":[{}]}}}}"#,
        result.join(",")
    )
}

async fn answer(State(mode): State<Arc<AtomicU8>>, RawForm(form): RawForm) -> Response {
    let json = [(header::CONTENT_TYPE, "application/json")];
    match mode.load(Ordering::SeqCst) {
        m if m == Mode::Truncated as u8 => {
            let whole = matrix(&form, SERIES);
            (json, whole[..whole.len() / 2].to_owned()).into_response()
        }
        m if m == Mode::Html as u8 => (
            StatusCode::OK,
            "<html><body>Down for maintenance</body></html>",
        )
            .into_response(),
        m if m == Mode::Slow as u8 => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            (json, matrix(&form, SERIES)).into_response()
        }
        m if m == Mode::Huge as u8 => (json, " ".repeat(40_000_000)).into_response(),
        m if m == Mode::TenTimesTheSeries as u8 => {
            (json, matrix(&form, 10 * porthole::panels::MAX_SERIES)).into_response()
        }
        _ => (json, matrix(&form, SERIES)).into_response(),
    }
}

/// Log lines, as an operator reads them.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    /// What was logged since the last call.
    fn take(&self) -> String {
        String::from_utf8_lossy(&std::mem::take(&mut *self.0.lock().expect("log"))).into_owned()
    }
}

const CONFIG: &str = r#"
[prometheus]
url = "UPSTREAM"
refresh = "1s"
timeout = "1s"
"#;

async fn panel(client: &reqwest::Client, porthole: &str) -> (u16, Value) {
    let response = client
        .get(format!("{porthole}/api/panels/api/requests?range=1h"))
        .send()
        .await
        .expect("panel");
    let status = response.status().as_u16();
    (status, response.json().await.expect("panel JSON"))
}

async fn healthy(client: &reqwest::Client, porthole: &str) -> bool {
    client
        .get(format!("{porthole}/health"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

#[tokio::test]
async fn every_upstream_fault_ends_in_stale_data_or_a_panel_error_with_a_log_line() {
    let log = Log::default();
    let writer = log.clone();
    let _logging = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::WARN)
            .with_writer(move || writer.clone())
            .finish(),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let mode = Arc::new(AtomicU8::new(Mode::Good as u8));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let upstream_url = format!("http://{}", listener.local_addr().expect("addr"));
    let app = Router::new().fallback(answer).with_state(mode.clone());
    let upstream = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let porthole = TestApp::new(dir.path())
        .with_config(&format!(
            "{}{REQUESTS_DASHBOARD}",
            CONFIG.replace("UPSTREAM", &upstream_url)
        ))
        .serve()
        .await;
    let client = reqwest::Client::new();

    let (status, good) = panel(&client, &porthole).await;
    assert_eq!(status, 200, "{good}");
    assert_eq!(
        good["series"].as_array().map(Vec::len),
        Some(SERIES),
        "{good}"
    );
    assert!(good.get("stale_since").is_none());
    log.take();

    for (fault, logged) in [
        (Mode::Truncated, "not Prometheus JSON"),
        (Mode::Html, "not Prometheus JSON"),
        (Mode::Slow, "upstream request failed"),
        (Mode::Huge, "upstream answer too large"),
    ] {
        mode.store(fault as u8, Ordering::SeqCst);
        // Past the refresh: the next viewer's request goes upstream.
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        let (status, stale) = panel(&client, &porthole).await;
        assert_eq!(
            status, 200,
            "{fault:?}: the last good data is served: {stale}"
        );
        assert!(
            stale["stale_since"].is_i64(),
            "{fault:?}: marked stale: {stale}"
        );
        assert_eq!(stale["series"], good["series"], "{fault:?}");
        let lines = log.take();
        assert!(lines.contains(logged), "{fault:?} logged: {lines}");
        assert!(healthy(&client, &porthole).await, "{fault:?}");
    }

    // An answer that is fine but far wider than a chart: the panel says so.
    mode.store(Mode::TenTimesTheSeries as u8, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let (status, wide) = panel(&client, &porthole).await;
    assert!(status >= 400 && status != 500, "{status} {wide}");
    assert_eq!(wide["status"], "error", "{wide}");
    let matched = format!("matched {} series", 10 * porthole::panels::MAX_SERIES);
    assert!(
        wide["error"].as_str().is_some_and(|e| e.contains(&matched)),
        "{wide}"
    );
    let lines = log.take();
    assert!(lines.contains("more series than a chart draws"), "{lines}");
    let page = client
        .get(format!("{porthole}/d/api?range=1h"))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200, "one panel's error never fails the page");

    // The upstream gone: back to good data first, then nothing listens.
    mode.store(Mode::Good as u8, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(panel(&client, &porthole).await.0, 200);
    upstream.abort();
    let _ = upstream.await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let (status, stale) = panel(&client, &porthole).await;
    assert_eq!(status, 200, "{stale}");
    assert!(stale["stale_since"].is_i64(), "{stale}");
    assert!(log.take().contains("upstream request failed"));
    assert!(healthy(&client, &porthole).await);
}
