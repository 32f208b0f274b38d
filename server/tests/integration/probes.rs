//! Service checks against real HTTP and TCP servers the test starts on
//! loopback: healthy, down, slow past the timeout, wrong status, wrong body
//! or answer, connection refused and an unresolvable host; then the prober storing
//! them, and the status API, page, badges and metrics built from what it
//! stored.

use crate::common;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    Router,
    http::{StatusCode, header},
    routing::get as route,
};
use common::{TestApp, get, upstream::VictoriaMetrics};
use porthole::{
    config::{HttpCheck, ProbeSettings, ServiceConfig, TcpCheck},
    http::state::AppState,
    probe::{Checker, Prober},
    prom::PromClient,
    router,
};

/// A loopback HTTP server with one route per kind of health.
async fn health_server() -> SocketAddr {
    let app = Router::new()
        .route("/ok", route(|| async { "status: ok" }))
        .route(
            "/down",
            route(|| async { (StatusCode::SERVICE_UNAVAILABLE, "down") }),
        )
        .route(
            "/slow",
            route(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                "late"
            }),
        )
        .route(
            "/teapot",
            route(|| async { (StatusCode::IM_A_TEAPOT, "ok") }),
        )
        .route("/wrong-body", route(|| async { "status: degraded" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

/// A port nothing listens on.
async fn closed_port() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    addr
}

/// Resolves `localhost` only, so name lookups never leave the machine; every
/// other name is unknown, as an unregistered host name is.
struct LoopbackOnly;

impl reqwest::dns::Resolve for LoopbackOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let known = name.as_str() == "localhost";
        Box::pin(async move {
            if known {
                let addrs: reqwest::dns::Addrs =
                    Box::new(vec![SocketAddr::from(([127, 0, 0, 1], 0))].into_iter());
                Ok(addrs)
            } else {
                Err("no such host".into())
            }
        })
    }
}

fn checker() -> Checker {
    Checker::new(None, Some(Arc::new(LoopbackOnly)), &[]).expect("checker")
}

fn service(id: &str, url: &str, expect_body: Option<&str>) -> ServiceConfig {
    ServiceConfig {
        id: id.to_owned(),
        name: id.to_uppercase(),
        group: if id.starts_with("ok") { "Core" } else { "Edge" }.to_owned(),
        http: Some(HttpCheck {
            url: reqwest::Url::parse(url).expect("url"),
            expect_status: Some(200),
            expect_body: expect_body.map(str::to_owned),
        }),
        interval: Duration::from_millis(300),
        timeout: Duration::from_millis(250),
        slow: None,
        ..Default::default()
    }
}

/// Every kind of service, with the reason its check must give.
async fn services() -> Vec<(ServiceConfig, Option<&'static str>)> {
    let health = health_server().await;
    let refused = closed_port().await;
    let h = |path: &str| format!("http://{health}{path}");
    let localhost = format!("http://localhost:{}/ok", health.port());
    vec![
        (service("ok", &h("/ok"), Some("ok")), None),
        (service("ok-by-name", &localhost, None), None),
        (
            service("down", &h("/down"), None),
            Some("status 503, expected 200"),
        ),
        (
            service("slow", &h("/slow"), None),
            Some("no answer within 0.25s"),
        ),
        (
            service("teapot", &h("/teapot"), None),
            Some("status 418, expected 200"),
        ),
        (
            service("wrong-body", &h("/wrong-body"), Some("status: ok")),
            Some("body does not contain \"status: ok\""),
        ),
        (
            service("refused", &format!("http://{refused}/health"), None),
            Some("connection refused"),
        ),
        (
            service("unresolvable", "http://status.invalid/health", None),
            Some("cannot resolve status.invalid"),
        ),
    ]
}

/// A loopback TCP server that answers a line `PING` with `+PONG` and any
/// other line with `-ERR`; with `silent`, it accepts and never answers.
async fn line_server(silent: bool) -> SocketAddr {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    if silent {
                        continue;
                    }
                    let answer = if line.trim_end() == "PING" {
                        "+PONG\r\n"
                    } else {
                        "-ERR\r\n"
                    };
                    if write.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn tcp_service(
    id: &str,
    host: &str,
    port: u16,
    send: Option<&str>,
    expect: Option<&str>,
) -> ServiceConfig {
    ServiceConfig {
        http: None,
        tcp: Some(TcpCheck {
            host: host.to_owned(),
            port,
            send: send.map(str::to_owned),
            expect: expect.map(str::to_owned),
        }),
        ..service(id, "http://127.0.0.1:9/", None)
    }
}

#[tokio::test]
async fn tcp_checks_connect_send_and_read_the_answer() {
    let server = line_server(false).await;
    let silent = line_server(true).await;
    let refused = closed_port().await;
    let port = server.port();
    let cases = [
        (tcp_service("connects", "127.0.0.1", port, None, None), None),
        (
            tcp_service("by-name", "localhost", port, Some("PING"), Some("+PONG")),
            None,
        ),
        (
            tcp_service(
                "wrong-answer",
                "127.0.0.1",
                port,
                Some("HELLO"),
                Some("+PONG"),
            ),
            Some("answer does not contain \"+PONG\""),
        ),
        (
            tcp_service("refused", "127.0.0.1", refused.port(), None, None),
            Some("connection refused"),
        ),
        (
            tcp_service("unresolvable", "status.invalid", port, None, None),
            Some("cannot resolve status.invalid"),
        ),
        (
            tcp_service(
                "silent",
                "127.0.0.1",
                silent.port(),
                Some("PING"),
                Some("+PONG"),
            ),
            Some("no answer within 0.25s"),
        ),
    ];
    let checker = checker();
    for (service, reason) in cases {
        let result = checker.check(&service).await;
        assert_eq!(
            result.error.as_deref(),
            reason,
            "{}: {result:?}",
            service.id
        );
        assert_eq!(result.ok, reason.is_none(), "{}", service.id);
        assert_eq!(result.http_status, None, "{}", service.id);
        assert_eq!(
            result.latency_ms.is_some(),
            reason.is_none(),
            "{}: a latency only when it answered",
            service.id
        );
    }
}

#[tokio::test]
async fn each_check_says_why_it_failed() {
    let checker = checker();
    for (service, reason) in services().await {
        let result = checker.check(&service).await;
        assert_eq!(result.service, service.id);
        assert_eq!(result.ok, reason.is_none(), "{}: {result:?}", service.id);
        assert_eq!(result.error.as_deref(), reason, "{}", service.id);
        match service.id.as_str() {
            "ok" | "ok-by-name" => {
                assert_eq!(result.http_status, Some(200));
                assert!(result.latency_ms.is_some_and(|ms| ms < 250.0), "{result:?}");
            }
            "down" => assert_eq!(result.http_status, Some(503)),
            "slow" | "refused" | "unresolvable" => {
                assert_eq!(result.http_status, None, "{result:?}");
                assert_eq!(result.latency_ms, None, "no answer, no latency");
            }
            _ => {}
        }
    }
}

/// Porthole over `services`, with its prober running (name lookups on the
/// machine only).
async fn porthole(dir: &std::path::Path, services: Vec<ServiceConfig>) -> (Router, AppState) {
    let state = TestApp::new(dir)
        .configure({
            let services = services.clone();
            move |config| config.services = services
        })
        .state()
        .await;
    let prober = Prober::start(
        state.status.store().clone(),
        state.status.notices().clone(),
        state.events.clone(),
        &ProbeSettings::default(),
        &services,
        checker(),
        state.metrics.clone(),
    )
    .await
    .expect("prober");
    assert!(state.prober.set(prober).is_ok());
    (router(state.clone()), state)
}

#[tokio::test]
async fn a_service_judged_by_its_up_selector_shows_no_latency() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vm = VictoriaMetrics::start(dir.path()).await;
    let now = chrono::Utc::now().timestamp_millis();
    vm.import(&format!(
        "up{{job=\"api\",instance=\"a\"}} 1 {}\nup{{job=\"api\",instance=\"a\"}} 1 {now}\n",
        now - 15_000
    ))
    .await;
    let prom = PromClient::new(&vm.url(), None, Duration::from_secs(2), 4).expect("client");
    let checker = Checker::new(Some(prom), Some(Arc::new(LoopbackOnly)), &[]).expect("checker");
    let selector = ServiceConfig {
        http: None,
        up: Some(r#"up{job="api"}"#.to_owned()),
        ..service("ok-api", "http://127.0.0.1:9/", None)
    };
    let health = health_server().await;
    let web = service("ok-web", &format!("http://{health}/ok"), None);
    // A new series is searchable within a second or so of its import.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let by_selector = loop {
        let result = checker.check(&selector).await;
        if result.ok || tokio::time::Instant::now() > deadline {
            break result;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(by_selector.ok, "{:?}", by_selector.error);
    assert_eq!(
        by_selector.latency_ms, None,
        "the query's time is not the service's latency"
    );
    let by_http = checker.check(&web).await;
    assert!(by_http.latency_ms.is_some());

    let state = TestApp::new(dir.path())
        .configure({
            let services = vec![selector, web];
            move |config| config.services = services
        })
        .state()
        .await;
    state
        .status
        .store()
        .record(vec![by_selector, by_http], vec![])
        .await
        .expect("record");
    let app = router(state);
    let status = get(&app, "/api/status").await.json();
    let services = &status["groups"][0]["services"];
    assert_eq!(services[0]["id"], "ok-api");
    assert_eq!(services[0]["latency_measured"], false);
    assert_eq!(services[0]["latency_ms"], serde_json::Value::Null);
    assert_eq!(services[1]["latency_measured"], true);
    let page = get(&app, "/status").await.body;
    assert_eq!(
        page.matches("<dt>Latency</dt>").count(),
        1,
        "only the HTTP check shows a latency"
    );
    // Today's checks count in the daily charts before any rollup.
    let latency = get(&app, "/api/panels/overview/latency?range=30d")
        .await
        .json();
    let lines = latency["series"].as_array().expect("series");
    assert_eq!(lines.len(), 1, "the one service with a latency: {latency}");
    assert!(
        lines[0]["points"]
            .as_array()
            .is_some_and(|points| points.iter().any(|p| p["v"].is_number())),
        "{latency}"
    );
}

#[tokio::test]
async fn the_prober_records_results_incidents_status_and_badges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let services: Vec<ServiceConfig> = services().await.into_iter().map(|(s, _)| s).collect();
    let (app, state) = porthole(dir.path(), services).await;

    // Each failing service opens an incident after its second failure in a
    // row; wait for all six.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        state.status.invalidate();
        let answer = get(&app, "/api/status").await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let status = answer.json();
        let incidents = status["incidents"][0]["services"]
            .as_array()
            .map_or(0, Vec::len);
        if incidents == 6 {
            break status;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "incidents never opened: {status:#}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(status["summary"]["level"], "major_outage", "{status:#}");
    assert_eq!(status["summary"]["up"], 2);
    assert_eq!(status["summary"]["total"], 8);
    assert_eq!(status["groups"][0]["name"], "Core");
    let edge = &status["groups"][1]["services"];
    assert_eq!(edge[0]["id"], "down");
    assert_eq!(edge[0]["state"], "down");
    assert_eq!(
        edge[0]["error"],
        serde_json::Value::Null,
        "visitors see states and times, not why a check failed"
    );
    let detailed = router(AppState {
        public_check_details: true,
        ..state.clone()
    });
    let detailed = get(&detailed, "/api/status").await.json();
    assert_eq!(
        detailed["groups"][1]["services"][0]["error"], "status 503, expected 200",
        "[probes] public_details = true shows it"
    );
    assert_eq!(status["incidents"][0]["ended_at"], serde_json::Value::Null);
    assert_eq!(
        status["groups"][0]["services"][0]["days"]
            .as_array()
            .map(Vec::len),
        Some(90)
    );

    // What the page shows, from the same report.
    let page = get(&app, "/status").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Major outage"), "banner");
    assert!(page.body.contains("2 / 8 up"), "count");
    assert!(
        !page.body.contains("connection refused"),
        "reasons are not shown to visitors"
    );
    assert_eq!(page.body.matches(r#"class="bar "#).count(), 8 * 90);
    assert!(page.body.contains("ongoing"), "incident list");

    // Metrics of the latest checks.
    let metrics = get(&app, "/metrics").await.body;
    assert!(
        metrics.contains(r#"porthole_probe_up{service="ok",location=""} 1"#),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"porthole_probe_up{service="refused",location=""} 0"#),
        "{metrics}"
    );
    assert!(metrics.contains(r#"porthole_probe_duration_seconds{service="ok",location=""} "#));

    // Badges.
    let badge = get(&app, "/badge/ok/status.svg").await;
    assert_eq!(badge.status, StatusCode::OK);
    assert_eq!(
        badge.header(header::CONTENT_TYPE),
        "image/svg+xml; charset=utf-8"
    );
    assert_eq!(
        badge.header(header::CACHE_CONTROL),
        "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
    );
    assert!(badge.header(header::ETAG).starts_with("W/\""));
    let ok = fitted(&badge.body);
    assert_eq!(ok.texts, ["OK", "operational"]);
    let down = fitted(&get(&app, "/badge/wrong-body/status.svg").await.body);
    assert_eq!(down.texts, ["WRONG-BODY", "down"]);
    assert!(down.width > ok.width, "a longer name makes a wider badge");
    let uptime = fitted(&get(&app, "/badge/down/uptime.svg?range=24h").await.body);
    assert_eq!(uptime.texts, ["uptime 24h", "0.00%"]);
    let latency = fitted(&get(&app, "/badge/ok/latency.svg").await.body);
    assert!(latency.texts[1].ends_with(" ms"), "{:?}", latency.texts);
    let endpoint = get(&app, "/badge/ok/uptime.json?range=7d").await.json();
    assert_eq!(endpoint["schemaVersion"], 1);
    assert_eq!(endpoint["label"], "uptime 7d");
    assert_eq!(endpoint["color"], "brightgreen");

    // Bad input: unknown service, range or badge kind.
    let unknown = get(&app, "/badge/nope/status.svg").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        fitted(&unknown.body).texts,
        ["service", "unknown"],
        "a fixed label, not the URL's text"
    );
    assert_eq!(unknown.header(header::CACHE_CONTROL), "no-store");
    let unknown = get(&app, "/badge/nope/status.json").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["errorType"], "not_found");
    let bad_range = get(&app, "/badge/ok/uptime.svg?range=5y").await;
    assert_eq!(bad_range.status, StatusCode::BAD_REQUEST);
    assert!(
        bad_range.body.contains("use 24h, 7d, 30d or 90d"),
        "{}",
        bad_range.body
    );
    let bad_range = get(&app, "/badge/ok/uptime.json?range=5y").await;
    assert_eq!(bad_range.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_range.json()["errorType"], "bad_data");
    let bad_kind = get(&app, "/badge/ok/colour.svg").await;
    assert_eq!(bad_kind.status, StatusCode::NOT_FOUND);

    // A recovery closes the incident: point "down" at a healthy URL (as a
    // configuration reload does).
    let mut services = state.services().as_ref().clone();
    let healthy = services[0].http.clone();
    services[2].http = healthy;
    state
        .prober
        .get()
        .expect("prober")
        .check(&services, checker());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        state.status.invalidate();
        let open = state.status.store().open_incidents().await.expect("open");
        let status = get(&app, "/api/status").await.json();
        if !open.contains_key("down") && status["groups"][1]["services"][0]["state"] == "up" {
            assert!(open.contains_key("refused"), "others stay open: {open:?}");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "incident never closed: {open:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A badge's width and texts, from its SVG parsed as XML; panics unless
/// every text fits inside the badge.
struct Fitted {
    width: f64,
    texts: Vec<String>,
}

fn fitted(svg: &str) -> Fitted {
    let document = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
    let root = document.root_element();
    let width: f64 = root
        .attribute("width")
        .and_then(|w| w.parse().ok())
        .expect("width");
    let mut texts = Vec::new();
    let mut total_length = 0.0;
    // Each text is drawn twice (shadow and face); count the faces.
    for text in document.descendants().filter(|n| {
        n.has_tag_name("text")
            && n.parent().and_then(|p| p.attribute("aria-hidden")) != Some("true")
    }) {
        let length: f64 = text
            .attribute("textLength")
            .and_then(|l| l.parse().ok())
            .expect("textLength");
        // shields draws text at 10× scale.
        total_length += length / 10.0;
        texts.push(text.text().unwrap_or_default().to_owned());
    }
    assert_eq!(texts.len(), 2, "{svg}");
    assert!(
        total_length < width,
        "texts ({total_length}) fit in {width}: {svg}"
    );
    assert!(
        width - total_length < 40.0,
        "the badge is fitted, not padded: {svg}"
    );
    Fitted { width, texts }
}
