//! Alertmanager (Debian's `prometheus-alertmanager`) delivering alerts to
//! Porthole's webhook on loopback: a firing alert about a service opens an
//! incident once, however often it is delivered; its resolution resolves
//! it; an alert about no service changes nothing. And every payload that
//! is not Alertmanager's, or comes without the token, is refused.

use crate::common;

use std::{collections::BTreeMap, time::Duration};

use axum::http::StatusCode;
use chrono::Utc;
use common::{
    TestApp,
    fixtures::{ADMIN_TOKEN, quiet_service},
    post_json,
    upstream::Alertmanager,
};
use porthole::config::ServiceConfig;
use serde_json::{Value, json};

/// A service whose alerts carry `service = {alert_service}`, if given.
fn service(id: &str, name: &str, alert_service: Option<&str>) -> ServiceConfig {
    ServiceConfig {
        alerts: alert_service
            .map(|s| BTreeMap::from([("service".to_owned(), s.to_owned())]))
            .unwrap_or_default(),
        ..quiet_service(id, name, "Core")
    }
}

fn app(dir: &std::path::Path) -> TestApp {
    TestApp::new(dir)
        .with_admin_token(ADMIN_TOKEN)
        .configure(|config| {
            config.services = vec![
                service("api", "Public API", Some("api")),
                service("web", "Website", None),
            ];
        })
}

async fn incidents(base: &str) -> Vec<Value> {
    let body: Value = reqwest::get(format!("{base}/api/v1/incidents"))
        .await
        .expect("incidents")
        .json()
        .await
        .expect("json");
    body["incidents"].as_array().cloned().unwrap_or_default()
}

/// Polls the incidents until `done` holds, for up to 30 s.
async fn wait_for(base: &str, what: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let now = incidents(base).await;
        if done(&now) {
            return now;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what}: {now:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn alert(name: &str, service: &str, ends_at: Option<String>) -> Value {
    let mut alert = json!({
        "labels": {"alertname": name, "service": service, "severity": "critical"},
        "annotations": {"summary": "API errors above 5%", "description": "5xx responses are **up**."},
        "startsAt": (Utc::now() - chrono::TimeDelta::minutes(1)).to_rfc3339(),
    });
    if let Some(ends_at) = ends_at {
        alert["endsAt"] = json!(ends_at);
    }
    alert
}

#[tokio::test]
async fn alerts_from_alertmanager_open_and_resolve_one_incident() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = app(dir.path()).serve().await;
    let am_dir = tempfile::tempdir().expect("tempdir");
    let alertmanager = Alertmanager::start(
        am_dir.path(),
        &format!("{base}/api/v1/alertmanager"),
        ADMIN_TOKEN,
    )
    .await;

    alertmanager
        .post_alerts(&json!([
            alert("HighErrorRate", "api", None),
            alert("DiskFull", "billing", None)
        ]))
        .await;
    let opened = wait_for(&base, "an incident opened by the alert", |all| {
        !all.is_empty()
    })
    .await;
    let incident = &opened[0];
    assert_eq!(incident["title"], "API errors above 5%");
    assert_eq!(incident["reporter"], "alertmanager");
    assert_eq!(incident["impact"], "critical");
    assert_eq!(incident["status"], "investigating");
    assert_eq!(incident["services"][0]["id"], "api");
    assert_eq!(
        incident["updates"][0]["message"],
        "5xx responses are **up**."
    );
    let id = incident["id"].clone();
    // The /status page says so too.
    let page = reqwest::get(format!("{base}/status"))
        .await
        .expect("status")
        .text()
        .await
        .expect("page");
    assert!(page.contains("API errors above 5%"), "on /status");

    // Delivered again (Prometheus re-sends firing alerts): still one.
    alertmanager
        .post_alerts(&json!([alert("HighErrorRate", "api", None)]))
        .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(incidents(&base).await.len(), 1, "one incident per alert");

    // The alert ends: Alertmanager sends its resolution.
    alertmanager
        .post_alerts(&json!([alert(
            "HighErrorRate",
            "api",
            Some(Utc::now().to_rfc3339())
        )]))
        .await;
    let resolved = wait_for(&base, "the incident resolved", |all| {
        all.iter()
            .any(|i| i["id"] == id && i["status"] == "resolved")
    })
    .await;
    assert_eq!(
        resolved.len(),
        1,
        "the alert about no service opened nothing"
    );
    assert!(
        resolved[0]["updates"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("HighErrorRate")),
        "{resolved:?}"
    );
}

#[tokio::test]
async fn what_is_not_an_alertmanager_delivery_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).router().await;
    let firing = json!({
        "version": "4", "status": "firing", "receiver": "porthole", "groupKey": "{}:{}",
        "alerts": [{"status": "firing", "labels": {"service": "api", "alertname": "X"},
                    "annotations": {}, "fingerprint": "f1",
                    "startsAt": "2026-12-01T00:00:00Z", "endsAt": "0001-01-01T00:00:00Z"}]
    });
    for (body, token, status) in [
        (firing.to_string(), None, StatusCode::UNAUTHORIZED),
        (firing.to_string(), Some("wrong-token-wrong-token-wrong-token"), StatusCode::FORBIDDEN),
        ("not json".to_owned(), Some(ADMIN_TOKEN), StatusCode::BAD_REQUEST),
        (json!({"alerts": "none"}).to_string(), Some(ADMIN_TOKEN), StatusCode::BAD_REQUEST),
        (json!({"version": "3", "alerts": []}).to_string(), Some(ADMIN_TOKEN), StatusCode::BAD_REQUEST),
        (
            json!({"version": "4", "alerts": [{"status": "pending", "fingerprint": "f"}]}).to_string(),
            Some(ADMIN_TOKEN),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"version": "4", "alerts": [{"status": "firing", "labels": {"service": "api"}, "fingerprint": ""}]}).to_string(),
            Some(ADMIN_TOKEN),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let answer = post_json(&app, "/api/v1/alertmanager", token, body.clone()).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert_eq!(answer.json()["status"], "error", "{body}");
    }
    let listed = common::get(&app, "/api/v1/incidents").await.json();
    assert_eq!(listed["incidents"], json!([]), "nothing changed");

    // The same delivery twice: opened, then unchanged.
    let first = post_json(
        &app,
        "/api/v1/alertmanager",
        Some(ADMIN_TOKEN),
        firing.to_string(),
    )
    .await;
    assert_eq!(
        first.json(),
        json!({"opened": 1, "resolved": 0, "unchanged": 0, "ignored": 0})
    );
    let again = post_json(
        &app,
        "/api/v1/alertmanager",
        Some(ADMIN_TOKEN),
        firing.to_string(),
    )
    .await;
    assert_eq!(
        again.json(),
        json!({"opened": 0, "resolved": 0, "unchanged": 1, "ignored": 0})
    );
}
