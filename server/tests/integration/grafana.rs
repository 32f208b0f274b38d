//! Grafana's Prometheus data source pointed at Porthole, its calls replayed
//! as its backend (`pkg/promlib`) and query editor send them, against a
//! real VictoriaMetrics: "Save & test" passes, and the metrics browser
//! lists only what the allowed expressions select, never the upstream's
//! other series.

use crate::common;

use common::{TestApp, upstream::VictoriaMetrics};
use serde_json::Value;

/// The panels and the one allowed query read `http_requests_total{job="api"}`
/// and the latency histogram of the same job; nothing else is allowed.
const CONFIG: &str = r#"
[prometheus]
url = "UPSTREAM"
refresh = "1s"
allow = ['sum(rate(http_requests_total{job="api"}[5m]))']

[[dashboard]]
id = "api"
title = "API"

[[dashboard.panel]]
id = "requests"
kind = "rate"
title = "Requests"
counter = 'http_requests_total{job="api"}'

[[dashboard.panel]]
id = "latency"
kind = "latency"
title = "Latency"
histogram = 'http_request_duration_seconds_bucket{job="api"}'
"#;

/// The last hour of samples: the allowed job's, and others that must not
/// be listed.
fn samples(now: i64) -> String {
    let mut text = String::new();
    for t in (now - 3600..=now).step_by(60) {
        let ms = t * 1000;
        for line in [
            r#"http_requests_total{job="api",code="200",instance="a"}"#,
            r#"http_requests_total{job="api",code="500",instance="a"}"#,
            r#"http_requests_total{job="admin",code="200",instance="secret-host"}"#,
            r#"http_request_duration_seconds_bucket{job="api",le="0.1"}"#,
            r#"http_request_duration_seconds_bucket{job="api",le="+Inf"}"#,
            r#"payroll_total{team="finance"}"#,
        ] {
            text += &format!("{line} 1 {ms}\n");
        }
    }
    text
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    )
}

fn strings(value: &Value) -> Vec<&str> {
    value["data"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {value}"))
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

#[tokio::test]
async fn grafana_saves_tests_and_browses_only_the_allowed_series() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vm = VictoriaMetrics::start(dir.path()).await;
    let now = chrono::Utc::now().timestamp();
    vm.import(&samples(now)).await;
    // New series are searchable within a second or so of their import.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let listed: Value = reqwest::Client::new()
            .get(format!("{}/api/v1/series", vm.url()))
            .query(&[("match[]", r#"{__name__!=""}"#)])
            .send()
            .await
            .expect("series")
            .json()
            .await
            .expect("json");
        if listed["data"].as_array().is_some_and(|s| s.len() == 6) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{listed}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let base = TestApp::new(dir.path())
        .with_config(&CONFIG.replace("UPSTREAM", &vm.url()))
        .serve()
        .await;
    let client = reqwest::Client::new();
    let api = |path: &str| format!("{base}/api/v1/{path}");
    // Grafana snaps the editor's range to the minute, in whole seconds.
    let (start, end) = ((now - 3600) / 60 * 60, (now + 59) / 60 * 60);
    let range = [("start", start.to_string()), ("end", end.to_string())];

    // "Save & test": `1+1` as a form POST at time 4, then buildinfo (POST
    // first; Grafana retries with GET on 405).
    let (status, health) = send(
        client
            .post(api("query"))
            .form(&[("query", "1+1"), ("time", "4")]),
    )
    .await;
    assert_eq!(status, 200, "{health}");
    assert_eq!(health["status"], "success");
    // Prometheus answers a scalar, VictoriaMetrics a one-sample vector;
    // Grafana takes either.
    let value = match health["data"]["resultType"].as_str() {
        Some("scalar") => &health["data"]["result"][1],
        Some("vector") => &health["data"]["result"][0]["value"][1],
        _ => panic!("a known result type: {health}"),
    };
    assert_eq!(value, "2", "{health}");
    let (status, _) = send(client.post(api("status/buildinfo"))).await;
    assert_eq!(status, 405, "Grafana retries a 405 with GET");
    let (status, info) = send(client.get(api("status/buildinfo"))).await;
    assert_eq!(status, 200);
    let version = info["data"]["version"].as_str().expect("version");
    assert_eq!(version.split('.').count(), 3, "semver: {version}");
    assert!(
        info["data"]["features"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "no features: Grafana reads it as Prometheus, not Mimir"
    );

    // The metrics browser: metric names, always GET, with limit 40000.
    let (status, names) = send(
        client
            .get(api("label/__name__/values"))
            .query(&range)
            .query(&[("limit", "40000")]),
    )
    .await;
    assert_eq!(status, 200, "{names}");
    assert_eq!(
        strings(&names),
        [
            "http_request_duration_seconds_bucket",
            "http_requests_total"
        ]
    );

    // Label names, a form POST with match[].
    let mut form = range.to_vec();
    form.push(("limit", "1000".to_owned()));
    form.push(("match[]", r#"{__name__="http_requests_total"}"#.to_owned()));
    let (status, labels) = send(client.post(api("labels")).form(&form)).await;
    assert_eq!(status, 200, "{labels}");
    assert_eq!(strings(&labels), ["__name__", "code", "instance", "job"]);

    // Label values, GET with match[]: the admin job and its host stay out.
    for (label, expected) in [
        ("job", vec!["api"]),
        ("instance", vec!["a"]),
        ("code", vec!["200", "500"]),
    ] {
        let (status, values) = send(
            client
                .get(api(&format!("label/{label}/values")))
                .query(&range)
                .query(&[("match[]", "http_requests_total")]),
        )
        .await;
        assert_eq!(status, 200, "{values}");
        assert_eq!(strings(&values), expected, "{label}");
    }

    // Series, a form POST with Grafana's default match[].
    let mut form = range.to_vec();
    form.push(("match[]", r#"{__name__!=""}"#.to_owned()));
    form.push(("limit", "40000".to_owned()));
    let (status, series) = send(client.post(api("series")).form(&form)).await;
    assert_eq!(status, 200, "{series}");
    let listed = series["data"].as_array().expect("series");
    assert_eq!(listed.len(), 4, "{series}");
    assert!(listed.iter().all(|s| s["job"] == "api"), "{series}");

    // Asking for what is not allowed lists nothing, whatever the spelling.
    for selector in [
        "payroll_total",
        r#"{team="finance"}"#,
        r#"{__name__=~"pay.*"}"#,
        r#"http_requests_total{job="admin"}"#,
        r#"{instance="secret-host"}"#,
    ] {
        let mut form = range.to_vec();
        form.push(("match[]", selector.to_owned()));
        let (status, series) = send(client.post(api("series")).form(&form)).await;
        assert_eq!(status, 200, "{selector}: {series}");
        assert_eq!(series["data"], Value::Array(Vec::new()), "{selector}");
        let (_, values) = send(
            client
                .get(api("label/instance/values"))
                .query(&range)
                .query(&[("match[]", selector)]),
        )
        .await;
        assert!(strings(&values).is_empty(), "{selector}: {values}");
    }

    // Bad input is a 400 that says what, in Prometheus' shape.
    for (request, expected) in [
        (client.get(api("series")).query(&range), "no match[]"),
        (
            client.get(api("series")).query(&[("match[]", "sum(up)")]),
            "series selector",
        ),
        (
            client.get(api("label/bad-name/values")),
            "invalid label name",
        ),
        (
            client.get(api("labels")).query(&[("start", "soon")]),
            "\"start\"",
        ),
        (
            client.get(api("labels")).query(&[("limit", "many")]),
            "\"limit\"",
        ),
    ] {
        let (status, error) = send(request).await;
        assert_eq!(status, 400, "{error}");
        assert_eq!(error["status"], "error");
        assert!(
            error["error"]
                .as_str()
                .is_some_and(|e| e.contains(expected)),
            "{expected}: {error}"
        );
    }

    // Metadata (help and type) is not served; Grafana tolerates that.
    let (status, _) = send(client.get(api("metadata"))).await;
    assert_eq!(status, 404);

    // A range query without `end`, as VictoriaMetrics allows.
    let (status, ranged) = send(client.get(api("query_range")).query(&[
        ("query", r#"http_requests_total{job="api"}"#),
        ("start", "-30m"),
        ("step", "60"),
    ]))
    .await;
    assert_eq!(status, 403, "only the panels' expressions run: {ranged}");
    let (status, ranged) = send(client.get(api("query_range")).query(&[
        ("query", r#"sum(rate(http_requests_total{job="api"}[5m]))"#),
        ("start", "-30m"),
        ("step", "60"),
    ]))
    .await;
    assert_eq!(status, 200, "{ranged}");
}
