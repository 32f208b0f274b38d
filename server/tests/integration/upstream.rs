//! The Prometheus-compatible proxy against real upstreams: VictoriaMetrics
//! and Prometheus from Debian's packages on loopback. Answers equal the
//! upstream's, only allowlisted expressions run, identical requests
//! coalesce, and a stopped upstream leaves the last good data, marked stale.

use crate::common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use axum::{Router, routing::get};
use common::{
    TestApp,
    loopback::refusing_port,
    upstream::{Prometheus, VictoriaMetrics},
};
use serde_json::Value;

const TOKEN: &str = "upstream-test-admin-token-0123456789";
const TOTAL: &str = "sum(rate(http_requests_total[5m]))";
const P95: &str = r#"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[120s])))"#;

fn config(upstream: &str, extra: &str) -> String {
    format!(
        r#"
[prometheus]
url = "{upstream}"
refresh = "1s"
allow = ["{TOTAL}"]
{extra}

[[dashboard]]
id = "api"
title = "API"

[[dashboard.panel]]
id = "latency"
kind = "latency"
title = "API latency"
histogram = 'http_request_duration_seconds_bucket{{job="api"}}'

[[dashboard.panel]]
id = "requests"
kind = "rate"
title = "Requests"
counter = 'http_requests_total{{job="api"}}'

[[dashboard.panel]]
id = "errors"
kind = "error_rate"
title = "Errors"
counter = 'http_requests_total{{job="api"}}'
errors = 'http_requests_total{{job="api",code=~"5.."}}'

[[dashboard.panel]]
id = "alerts"
kind = "alerts"
title = "Active alerts"
"#
    )
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Samples every 15 s from `from` to `to` (unix seconds): 10 requests per
/// scrape (1 of them a 500), each taking 40 ms–1 s by a fixed histogram.
fn samples(from: i64, to: i64) -> String {
    let mut text = String::new();
    for (i, t) in (from..=to).step_by(15).enumerate() {
        let n = i as u64 + 1;
        let ms = t * 1000;
        text += &format!(
            "http_requests_total{{job=\"api\",code=\"200\"}} {} {ms}\n",
            9 * n
        );
        text += &format!("http_requests_total{{job=\"api\",code=\"500\"}} {n} {ms}\n");
        for (le, per) in [
            ("0.05", 4),
            ("0.1", 7),
            ("0.25", 9),
            ("1", 10),
            ("+Inf", 10),
        ] {
            text += &format!(
                "http_request_duration_seconds_bucket{{job=\"api\",le=\"{le}\"}} {} {ms}\n",
                per * n
            );
        }
    }
    text
}

async fn get_json(client: &reqwest::Client, url: &str) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = client.get(url).send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body");
    let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (status, headers, json)
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// A VictoriaMetrics with two hours of samples ending an hour ago, and
/// Porthole in front of it. Returns the hour the samples start.
async fn victoria_with_history(dir: &std::path::Path) -> (VictoriaMetrics, String, i64) {
    let vm = VictoriaMetrics::start(dir).await;
    let start = (now_secs() - 3 * 3600) / 3600 * 3600;
    vm.import(&samples(start, start + 2 * 3600)).await;
    let porthole = TestApp::new(dir)
        .with_config(&config(&vm.url(), ""))
        .with_admin_token(TOKEN)
        .serve()
        .await;
    (vm, porthole, start)
}

#[tokio::test]
async fn victoriametrics_answers_equal_direct_queries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vm, porthole, start) = victoria_with_history(dir.path()).await;
    let client = reqwest::Client::new();
    let (from, to) = (start + 1800, start + 5400);
    for (expr, step) in [(TOTAL, 60), (P95, 120)] {
        let params = [
            ("query", expr.to_owned()),
            ("start", from.to_string()),
            ("end", to.to_string()),
            ("step", step.to_string()),
        ];
        let direct: Value = client
            .get(format!("{}/api/v1/query_range", vm.url()))
            .query(&params)
            .send()
            .await
            .expect("direct")
            .json()
            .await
            .expect("direct json");
        assert_eq!(direct["status"], "success");
        assert!(
            !direct["data"]["result"]
                .as_array()
                .expect("result")
                .is_empty(),
            "{direct}"
        );

        let response = client
            .get(format!("{porthole}/api/v1/query_range"))
            .query(&params)
            .send()
            .await
            .expect("proxied");
        assert_eq!(response.status(), 200);
        assert_eq!(header(response.headers(), "x-porthole-cache"), "miss");
        let proxied: Value = response.json().await.expect("json");
        assert_eq!(proxied, direct, "{expr}");

        // POST with another spelling of the same expression: one cache entry.
        let respelled = expr.replace("[5m]", "[300s]").replace("sum(", "sum (") + " # same query";
        let response = client
            .post(format!("{porthole}/api/v1/query_range"))
            .form(&[
                ("query", respelled.as_str()),
                ("start", &from.to_string()),
                ("end", &to.to_string()),
                ("step", &format!("{step}s")),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 200);
        assert_eq!(header(response.headers(), "x-porthole-cache"), "hit");
        assert_eq!(response.json::<Value>().await.expect("json"), direct);
    }

    // Instant queries, with an RFC 3339 time.
    let time = chrono::DateTime::from_timestamp(start + 3600, 0)
        .expect("time")
        .to_rfc3339();
    let direct: Value = client
        .get(format!("{}/api/v1/query", vm.url()))
        .query(&[("query", TOTAL), ("time", &time)])
        .send()
        .await
        .expect("direct")
        .json()
        .await
        .expect("json");
    let (status, _, proxied) = get_json(
        &client,
        &format!(
            "{porthole}/api/v1/query?query={}&time={}",
            urlencode(TOTAL),
            urlencode(&time)
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(proxied, direct);
    let value: f64 = proxied["data"]["result"][0]["value"][1]
        .as_str()
        .and_then(|v| v.parse().ok())
        .expect("a number");
    assert!(
        (value - 10.0 / 15.0).abs() < 1e-9,
        "10 requests per 15 s: {value}"
    );
}

#[tokio::test]
async fn latency_rate_and_error_panels_read_the_upstream() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_vm, porthole, _) = victoria_with_history(dir.path()).await;
    let client = reqwest::Client::new();

    let (status, _, latency) = get_json(
        &client,
        &format!("{porthole}/api/panels/api/latency?range=6h"),
    )
    .await;
    assert_eq!(status, 200, "{latency}");
    assert_eq!(latency["kind"], "timeseries");
    assert_eq!(latency["unit"], "milliseconds");
    let names: Vec<&str> = latency["series"]
        .as_array()
        .expect("series")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["p50", "p95", "p99"]);
    let values = |series: &Value| -> Vec<f64> {
        series["points"]
            .as_array()
            .expect("points")
            .iter()
            .filter_map(|p| p["v"].as_f64())
            .collect()
    };
    // The fixed histogram puts p95 at 0.25 + 0.5 × 0.75 s = 625 ms.
    let p95 = values(&latency["series"][1]);
    assert!(!p95.is_empty());
    assert!(p95.iter().all(|v| (v - 625.0).abs() < 0.01), "{p95:?}");

    let (_, _, requests) = get_json(
        &client,
        &format!("{porthole}/api/panels/api/requests?range=6h"),
    )
    .await;
    assert_eq!(requests["unit"], "per_second");
    assert!(
        values(&requests["series"][0])
            .iter()
            .all(|v| (v - 10.0 / 15.0).abs() < 1e-6)
    );

    let (_, _, errors) = get_json(
        &client,
        &format!("{porthole}/api/panels/api/errors?range=6h"),
    )
    .await;
    assert_eq!(errors["unit"], "percent");
    let errors = values(&errors["series"][0]);
    assert!(
        !errors.is_empty() && errors.iter().all(|v| (v - 10.0).abs() < 1e-6),
        "{errors:?}"
    );

    // The dashboard page renders every panel on the server.
    let page = client
        .get(format!("{porthole}/d/api?range=6h"))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    for panel in ["latency", "requests", "errors", "alerts"] {
        assert!(
            html.contains(&format!("data-panel=\"{panel}\"")),
            "{panel} on the page"
        );
    }
    assert_eq!(html.matches("<figure").count(), 3, "three charts");
    assert!(
        html.contains("No active alerts."),
        "VictoriaMetrics alone has no alerts"
    );
}

#[tokio::test]
async fn disallowed_expressions_are_rejected_in_every_form() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vm, porthole, start) = victoria_with_history(dir.path()).await;
    let client = reqwest::Client::new();
    let before = vm.requests_served("/api/v1/query").await;
    let time = (start + 3600).to_string();

    let forbidden = [
        "secret_metric",
        "  secret_metric\n",
        "sum(rate(http_requests_total[5m])) or secret_metric",
        "sum(rate(http_requests_total[5m])) # hidden\n or secret_metric",
        r#"sum(rate(http_requests_total{job="\u0061dmin"}[5m]))"#,
        r#"{__name__=~".+"}"#,
    ];
    for expr in forbidden {
        let (status, _, body) = get_json(
            &client,
            &format!(
                "{porthole}/api/v1/query?query={}&time={time}",
                urlencode(expr)
            ),
        )
        .await;
        assert_eq!(status, 403, "GET {expr:?}: {body}");
        assert_eq!(body["status"], "error");
        assert_eq!(body["errorType"], "forbidden");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains("[prometheus] allow")),
            "{body}"
        );

        let response = client
            .post(format!("{porthole}/api/v1/query"))
            .form(&[("query", expr), ("time", &time)])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 403, "POST {expr:?}");
    }

    // A second `query` may not ride along with an allowed one, in the URL
    // or in the body.
    let allowed = urlencode(TOTAL);
    for (url, body) in [
        (
            format!("{porthole}/api/v1/query?query={allowed}&query=secret_metric"),
            String::new(),
        ),
        (
            format!("{porthole}/api/v1/query?query={allowed}"),
            "query=secret_metric".to_owned(),
        ),
        (
            format!("{porthole}/api/v1/query"),
            format!("query={allowed}&query=secret_metric"),
        ),
    ] {
        let response = client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 400, "{url} {body}");
        let json: Value = response.json().await.expect("json");
        assert!(
            json["error"]
                .as_str()
                .is_some_and(|e| e.contains("more than once")),
            "{json}"
        );
    }

    // Garbage is a 400 that says why; it never reaches the upstream. Numbers
    // no duration can hold, where a duration goes, are garbage too (the
    // parser would panic on them), and the server stays up after them.
    for garbage in [
        "sum(",
        "rate(http_requests_total[1e30])",
        "http_requests_total[5m:Inf]",
        "http_requests_total offset -NaN",
    ] {
        let url = format!("{porthole}/api/v1/query?query={}", urlencode(garbage));
        let (status, _, body) = get_json(&client, &url).await;
        assert_eq!(
            (status, body["errorType"].as_str()),
            (400, Some("bad_data")),
            "{garbage:?}: {body}"
        );
    }

    assert_eq!(
        vm.requests_served("/api/v1/query").await,
        before,
        "nothing rejected reached VictoriaMetrics"
    );

    // The admin token lifts the allowlist; a wrong one is refused.
    let admin = client
        .get(format!(
            "{porthole}/api/v1/query?query=count(http_requests_total)&time={time}"
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("admin");
    assert_eq!(admin.status(), 200);
    let wrong = client
        .get(format!(
            "{porthole}/api/v1/query?query=count(http_requests_total)&time={time}"
        ))
        .bearer_auth("not-the-token")
        .send()
        .await
        .expect("wrong token");
    assert_eq!(wrong.status(), 403);
}

#[tokio::test]
async fn concurrent_identical_requests_cause_one_upstream_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vm, porthole, start) = victoria_with_history(dir.path()).await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .expect("client");
    let before = vm.requests_served("/api/v1/query_range").await;
    let url = format!(
        "{porthole}/api/v1/query_range?query={}&start={}&end={}&step=30",
        urlencode(TOTAL),
        start + 600,
        start + 4200
    );
    let answers = futures::future::join_all((0..200).map(|_| {
        let client = client.clone();
        let url = url.clone();
        async move {
            let response = client.get(&url).send().await.expect("request");
            (
                response.status().as_u16(),
                response.text().await.expect("body"),
            )
        }
    }))
    .await;
    assert!(answers.iter().all(|(status, _)| *status == 200));
    assert!(
        answers.windows(2).all(|w| w[0].1 == w[1].1),
        "every viewer gets the same answer"
    );
    assert_eq!(
        vm.requests_served("/api/v1/query_range").await - before,
        1,
        "200 viewers, one upstream request"
    );
}

#[tokio::test]
async fn a_stopped_upstream_leaves_stale_data_then_fresh_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut vm = VictoriaMetrics::start(dir.path()).await;
    let now = now_secs();
    vm.import(&samples(now - 1200, now)).await;
    let porthole = TestApp::new(dir.path())
        .with_config(&config(&vm.url(), ""))
        .serve()
        .await;
    let client = reqwest::Client::new();
    let live = |start: i64| {
        format!(
            "{porthole}/api/v1/query_range?query={}&start=-{start}s&end=now&step=15",
            urlencode(TOTAL)
        )
    };

    let (status, headers, fresh) = get_json(&client, &live(600)).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "x-porthole-stale"), "");
    let (status, _, panel) = get_json(
        &client,
        &format!("{porthole}/api/panels/api/requests?range=15m"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(panel.get("stale_since").is_none());

    vm.stop();
    tokio::time::sleep(Duration::from_millis(2_100)).await;

    let (status, headers, stale) = get_json(&client, &live(600)).await;
    assert_eq!(status, 200, "the last good answer is served: {stale}");
    assert_eq!(header(&headers, "x-porthole-cache"), "stale");
    let age: u64 = header(&headers, "x-porthole-stale")
        .parse()
        .expect("an age in seconds");
    assert!(age >= 2, "age {age}");
    assert_eq!(stale, fresh);

    let (status, _, panel) = get_json(
        &client,
        &format!("{porthole}/api/panels/api/requests?range=15m"),
    )
    .await;
    assert_eq!(status, 200, "{panel}");
    assert!(
        panel["stale_since"]
            .as_i64()
            .is_some_and(|t| t <= now_secs() - 2),
        "{panel}"
    );
    let page = client
        .get(format!("{porthole}/d/api?range=15m"))
        .send()
        .await
        .expect("page");
    assert_eq!(
        page.status(),
        200,
        "one failing source never fails the page"
    );
    assert!(page.text().await.expect("html").contains("stale since"));

    // Never fetched before: nothing to fall back on.
    let (status, _, error) = get_json(&client, &live(900)).await;
    assert_eq!(status, 503, "{error}");
    assert_eq!(error["status"], "error");
    assert_eq!(error["errorType"], "unavailable");

    vm.restart().await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let (status, headers, _) = get_json(&client, &live(600)).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "x-porthole-cache"), "miss");
    assert_eq!(header(&headers, "x-porthole-stale"), "");
}

#[tokio::test]
async fn upstream_faults_are_502_503_504_never_500() {
    let dir = tempfile::tempdir().expect("tempdir");
    let client = reqwest::Client::new();
    let query = format!("/api/v1/query?query={}", urlencode(TOTAL));

    // Answers that are not Prometheus JSON.
    let garbage = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let garbage_url = format!("http://{}", garbage.local_addr().expect("addr"));
    tokio::spawn(async move {
        let app = Router::new().fallback(|| async { "<html>maintenance</html>" });
        let _ = axum::serve(garbage, app).await;
    });
    // A server that accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let silent_url = format!("http://{}", silent.local_addr().expect("addr"));
    // Nothing listening at all, on a port held so no parallel test takes it.
    let (_held, refused_port) = refusing_port();
    let refused_url = format!("http://127.0.0.1:{refused_port}");

    for (name, upstream, status, kind) in [
        ("garbage", garbage_url, 502, "unavailable"),
        ("silent", silent_url, 504, "timeout"),
        ("refused", refused_url, 503, "unavailable"),
    ] {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).expect("dir");
        let porthole = TestApp::new(&sub)
            .with_config(&config(&upstream, "timeout = \"1s\""))
            .serve()
            .await;
        let (got, _, body) = get_json(&client, &format!("{porthole}{query}")).await;
        assert_eq!(
            (got, body["errorType"].as_str()),
            (status, Some(kind)),
            "{name}: {body}"
        );
        let (got, _, panel) = get_json(
            &client,
            &format!("{porthole}/api/panels/api/requests?range=1h"),
        )
        .await;
        assert!((502..=504).contains(&got), "{name} panel: {got} {panel}");
        assert_eq!(panel["status"], "error");
        let page = client
            .get(format!("{porthole}/d/api"))
            .send()
            .await
            .expect("page");
        assert_eq!(
            page.status(),
            200,
            "{name}: the page renders, the panel says what failed"
        );
    }
    drop(silent);
}

#[tokio::test]
async fn prometheus_answers_equal_direct_queries_and_alerts_show() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A small exporter: every scrape sees 10 more requests.
    let scrapes = Arc::new(AtomicU64::new(0));
    let exporter = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let target = exporter.local_addr().expect("addr");
    let counter = scrapes.clone();
    tokio::spawn(async move {
        let app = Router::new().route(
            "/metrics",
            get(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                async move {
                    format!(
                        "# TYPE http_requests_total counter\nhttp_requests_total{{job=\"api\",code=\"200\"}} {}\n",
                        10 * n
                    )
                }
            }),
        );
        let _ = axum::serve(exporter, app).await;
    });
    let prometheus = Prometheus::start(dir.path(), target).await;
    let porthole = TestApp::new(dir.path())
        .with_config(&config(&prometheus.url(), ""))
        .with_admin_token(TOKEN)
        .serve()
        .await;
    let client = reqwest::Client::new();

    // Wait for ten seconds of scrapes.
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    while scrapes.load(Ordering::SeqCst) < 12 {
        assert!(
            std::time::Instant::now() < deadline,
            "Prometheus never scraped"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;

    // Settled whole seconds: Porthole forwards exactly these parameters for
    // the admin token (a viewer's snap to the panels' grid; see
    // `made_up_times_and_steps_share_one_upstream_query`).
    let end = now_secs() - 3;
    let expr = "sum(rate(http_requests_total[5m]))";
    for (path, params) in [
        (
            "/api/v1/query_range",
            vec![
                ("query", expr.to_owned()),
                ("start", (end - 8).to_string()),
                ("end", end.to_string()),
                ("step", "1".to_owned()),
            ],
        ),
        (
            "/api/v1/query",
            vec![("query", expr.to_owned()), ("time", end.to_string())],
        ),
    ] {
        let proxied = client
            .get(format!("{porthole}{path}"))
            .query(&params)
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("proxied");
        assert_eq!(proxied.status(), 200);
        let proxied: Value = proxied.json().await.expect("json");
        let direct: Value = client
            .get(format!("{}{path}", prometheus.url()))
            .query(&params)
            .send()
            .await
            .expect("direct")
            .json()
            .await
            .expect("json");
        assert_eq!(direct["status"], "success");
        assert!(
            !direct["data"]["result"]
                .as_array()
                .expect("result")
                .is_empty(),
            "{direct}"
        );
        assert_eq!(proxied, direct, "{path}");
    }

    // Prometheus' own errors pass through in its shape.
    let (status, _, body) = get_json(
        &client,
        &format!(
            "{porthole}/api/v1/query_range?query={}&start=10&end=5&step=1",
            urlencode(expr)
        ),
    )
    .await;
    assert_eq!(
        (status, body["errorType"].as_str()),
        (400, Some("bad_data"))
    );

    // Active alerts, fetched from Prometheus' /api/v1/alerts.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (status, _, alerts) =
            get_json(&client, &format!("{porthole}/api/panels/api/alerts")).await;
        assert_eq!(status, 200, "{alerts}");
        let rows = alerts["rows"].as_array().cloned().unwrap_or_default();
        if let Some(row) = rows.first() {
            assert_eq!(row[0], "AlwaysFiring");
            assert_eq!(row[1], "critical");
            assert_eq!(row[2], "firing");
            assert_eq!(row[4], "an alert that always fires");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no alert: {alerts}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn viewers_credentials_never_reach_the_upstream_and_a_slow_one_stalls_nothing_else() {
    use std::sync::Mutex;

    let dir = tempfile::tempdir().expect("tempdir");
    // An upstream that records the headers it gets, answers instantly for
    // `up` and takes 3 s for anything else.
    let seen: Arc<Mutex<Vec<http::HeaderMap>>> = Arc::default();
    let recorder = seen.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let upstream = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let app = Router::new().fallback(move |headers: http::HeaderMap, body: String| {
            let recorder = recorder.clone();
            async move {
                recorder.lock().expect("lock").push(headers);
                if !body.contains("query=up&") {
                    tokio::time::sleep(Duration::from_secs(3)).await;
                }
                r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#
            }
        });
        let _ = axum::serve(listener, app).await;
    });
    assert_no_upstream_credentials_in_env();
    let porthole = TestApp::new(dir.path())
        .with_config(
            &config(
                &upstream,
                "timeout = \"5s\"\nmax_in_flight = 1\nallow = [\"up\", \"slow_metric\"]",
            )
            .replace(&format!("allow = [\"{TOTAL}\"]\n"), ""),
        )
        .serve()
        .await;
    let client = reqwest::Client::new();

    let slow = tokio::spawn({
        let client = client.clone();
        let url = format!("{porthole}/api/v1/query?query=slow_metric");
        async move { client.get(url).send().await.map(|r| r.status().as_u16()) }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    // While the upstream's only slot is taken, pages and KPIs still answer.
    let health = client
        .get(format!("{porthole}/health"))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
    let kpis = client
        .get(format!("{porthole}/api/v1/analytics/health"))
        .send()
        .await
        .expect("kpis");
    assert_eq!(kpis.status(), 200);
    assert!(
        !slow.is_finished(),
        "the slow query is still waiting upstream"
    );
    assert_eq!(slow.await.expect("join").expect("slow answer"), 200);

    let answer = client
        .get(format!("{porthole}/api/v1/query?query=up"))
        .header("cookie", "session=viewer-secret")
        .header("authorization", "Basic dmlld2VyOnNlY3JldA==")
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .expect("query");
    assert_eq!(answer.status(), 200);
    let seen = seen.lock().expect("lock");
    assert_eq!(seen.len(), 2, "one upstream request per query");
    for headers in seen.iter() {
        assert!(headers.get("cookie").is_none(), "{headers:?}");
        assert!(headers.get("authorization").is_none(), "{headers:?}");
        assert!(headers.get("x-forwarded-for").is_none(), "{headers:?}");
    }
}

/// Upstream credentials come from the environment; these tests run without.
fn assert_no_upstream_credentials_in_env() {
    for name in [
        "PROMETHEUS_USERNAME",
        "PROMETHEUS_PASSWORD",
        "PROMETHEUS_BEARER_TOKEN",
    ] {
        assert!(
            std::env::var_os(name).is_none(),
            "{name} must be unset for the tests"
        );
    }
}

#[tokio::test]
async fn the_overview_headline_reads_victoriametrics_and_says_what_is_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vm = VictoriaMetrics::start(dir.path()).await;
    let now = now_secs();
    vm.import(&samples(now - 3 * 3600, now)).await;
    let overview = r#"
[overview]
requests = 'sum(rate(http_requests_total{job="api"}[$__rate_interval]))'
errors = '100 * sum(rate(http_requests_total{job="api",code="500"}[$__rate_interval])) / sum(rate(http_requests_total{job="api"}[$__rate_interval]))'
"#;
    let porthole = TestApp::new(dir.path())
        .with_config(&config(&vm.url(), overview))
        .serve()
        .await;
    let client = reqwest::Client::new();
    let (status, _, health) = get_json(
        &client,
        &format!("{porthole}/api/panels/overview/health?range=24h"),
    )
    .await;
    assert_eq!(status, 200, "{health}");
    let cards = health["cards"].as_array().expect("cards");
    let labels: Vec<&str> = cards.iter().filter_map(|c| c["label"].as_str()).collect();
    assert_eq!(
        labels,
        ["Services up", "Request rate", "Error rate", "p95 latency"]
    );
    // No check has run in this test: the count is there, with no service up.
    assert_eq!(cards[0]["text"], "0 / 1");
    assert_eq!(cards[0]["note"], "No data yet");
    let requests = cards[1]["value"].as_f64().expect("request rate");
    assert!((requests - 10.0 / 15.0).abs() < 1e-6, "{requests}");
    assert_eq!(cards[1]["change_label"], "vs 1 hour ago");
    let errors = cards[2]["value"].as_f64().expect("error rate");
    assert!((errors - 10.0).abs() < 1e-6, "{errors}");
    // Latency is not configured: it comes from the checks, of which there
    // are none yet.
    assert_eq!(cards[3]["value"], Value::Null);
    assert_eq!(cards[3]["note"], "Porthole's checks, last hour");

    // Only the configured figures run upstream: an [overview] expression is
    // allowlisted like a panel's.
    let (status, _, _) = get_json(
        &client,
        &format!(
            "{porthole}/api/v1/query?query={}",
            urlencode(r#"sum(rate(http_requests_total{job="api"}[60s]))"#)
        ),
    )
    .await;
    assert_eq!(status, 200);

    // The page holds every panel of the overview, charts drawn.
    let html = client
        .get(format!("{porthole}/?range=24h"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    for panel in [
        "health", "users", "latency", "services", "alerts", "stats", "monthly",
    ] {
        assert!(html.contains(&format!("data-panel=\"{panel}\"")), "{panel}");
    }
    assert!(html.contains("0 / 1"));
    assert!(html.contains("No active alerts."));
}

/// A private dashboard whose one panel runs [`PRIVATE_EXPR`].
const PRIVATE_DASHBOARD: &str = r#"
[[dashboard]]
id = "finance"
title = "Finance"
public = false

[[dashboard.panel]]
id = "revenue"
kind = "timeseries"
title = "Revenue"
query = "sum(rate(http_requests_total{code=\"500\"}[5m]))"
"#;

const PRIVATE_EXPR: &str = r#"sum(rate(http_requests_total{code="500"}[5m]))"#;

#[tokio::test]
async fn a_private_dashboards_promql_runs_through_its_panels_only() {
    const KEY: &str = "an example signing key, 32+ bytes long";
    let dir = tempfile::tempdir().expect("tempdir");
    let (vm, _, start) = victoria_with_history(dir.path()).await;
    let site = dir.path().join("private");
    std::fs::create_dir_all(&site).expect("dir");
    let porthole = TestApp::new(&site)
        .with_config(&format!("{}{PRIVATE_DASHBOARD}", config(&vm.url(), "")))
        .with_signing_key(KEY)
        .with_admin_token(TOKEN)
        .serve()
        .await;
    let client = reqwest::Client::new();
    let now = now_secs();
    let before = vm.requests_served("/api/v1/query_range").await;
    for url in [
        format!("{porthole}/api/v1/query?query={}", urlencode(PRIVATE_EXPR)),
        format!(
            "{porthole}/api/v1/query_range?query={}&start={start}&end={now}&step=60",
            urlencode(PRIVATE_EXPR)
        ),
    ] {
        let answer = client.get(&url).send().await.expect("request");
        assert_eq!(answer.status(), 403, "{url}");
        let body: Value = answer.json().await.expect("json");
        assert_eq!(body["errorType"], "forbidden", "{body}");
    }
    assert_eq!(
        vm.requests_served("/api/v1/query_range").await,
        before,
        "nothing refused reached VictoriaMetrics"
    );
    // Public expressions still run, and the private panel opens with its
    // signed link.
    let public = client
        .get(format!(
            "{porthole}/api/v1/query?query={}",
            urlencode(TOTAL)
        ))
        .send()
        .await
        .expect("public");
    assert_eq!(public.status(), 200);
    let token = porthole::signing::SigningKey::new(Some(KEY))
        .expect("key")
        .sign("finance", now + 600)
        .expect("token");
    let panel = client
        .get(format!(
            "{porthole}/api/panels/finance/revenue?range=6h&token={token}"
        ))
        .send()
        .await
        .expect("panel");
    assert_eq!(panel.status(), 200);
    let panel: Value = panel.json().await.expect("json");
    assert!(
        panel["series"][0]["points"]
            .as_array()
            .is_some_and(|points| points.iter().any(|p| p["v"].is_number())),
        "{panel}"
    );
    // The admin's answers are for the admin only.
    let admin = client
        .get(format!(
            "{porthole}/api/v1/query?query={}",
            urlencode(PRIVATE_EXPR)
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("admin");
    assert_eq!(admin.status(), 200);
    assert_eq!(
        admin.headers()["cache-control"].to_str().expect("ascii"),
        "private, no-store"
    );
    assert_eq!(
        admin.headers()["vary"].to_str().expect("ascii"),
        "Authorization"
    );
}

#[tokio::test]
async fn made_up_times_and_steps_share_one_upstream_query() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vm, porthole, start) = victoria_with_history(dir.path()).await;
    let client = reqwest::Client::new();
    let before = vm.requests_served("/api/v1/query_range").await;
    // Steps a panel never asks for, and starts and ends off the step: all
    // one grid point of the panels' ladder (step 30 s) over settled data.
    for (offset, step) in [(0, 17), (7, 19), (11, 23), (29, 30)] {
        let url = format!(
            "{porthole}/api/v1/query_range?query={}&start={}&end={}&step={step}",
            urlencode(TOTAL),
            start + 600 + offset,
            start + 3_600 + offset,
        );
        let answer = client.get(&url).send().await.expect("query_range");
        assert_eq!(answer.status(), 200, "{url}");
    }
    assert_eq!(
        vm.requests_served("/api/v1/query_range").await - before,
        1,
        "four made-up parameter sets, one upstream query"
    );
}
