//! Heartbeat checks: a cron job reports in with its own token; the service
//! is up while heartbeats come within its interval and grace, and down when
//! they stop. Every other request is refused and records nothing.

use crate::common;

use std::time::{Duration, Instant};

use common::{TestApp, fixtures::quiet_service};
use porthole::config::{HeartbeatCheck, ServiceConfig};
use serde_json::Value;

const BEAT_TOKEN: &str = "the-backup-job-heartbeat-token";

async fn state_of(base: &str, id: &str) -> String {
    let report: Value = reqwest::get(format!("{base}/api/status"))
        .await
        .expect("status")
        .json()
        .await
        .expect("json");
    report["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|group| group["services"].as_array().cloned().unwrap_or_default())
        .find(|service| service["id"] == id)
        .map(|service| service["state"].as_str().unwrap_or("").to_owned())
        .unwrap_or_default()
}

/// Waits up to 15 s for service `id` to be in `state`.
async fn until_state(base: &str, id: &str, state: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let now = state_of(base, id).await;
        if now == state {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{id} stayed {now:?}, not {state:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn beat(base: &str, id: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new().post(format!("{base}/api/v1/heartbeat/{id}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("heartbeat");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_is_up_while_its_heartbeats_come_and_down_when_they_stop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = TestApp::new(dir.path())
        .configure(|config| {
            config.services = vec![
                ServiceConfig {
                    http: None,
                    heartbeat: Some(HeartbeatCheck {
                        token: BEAT_TOKEN.to_owned(),
                        grace: Duration::from_millis(200),
                    }),
                    interval: Duration::from_millis(300),
                    timeout: Duration::from_millis(250),
                    ..quiet_service("backup", "Nightly backup", "Jobs")
                },
                quiet_service("api", "Public API", "Core"),
            ];
        })
        .serve()
        .await;
    until_state(&base, "backup", "down").await;

    for (id, token, status) in [
        ("backup", None, 401),
        ("backup", Some("the-backup-job-heartbeat-tokeN"), 403),
        ("backup", Some("short"), 403),
        ("api", Some(BEAT_TOKEN), 404),
        ("nope", Some(BEAT_TOKEN), 404),
    ] {
        let (answered, body) = beat(&base, id, token).await;
        assert_eq!(answered, status, "{id} {token:?}: {body}");
        assert_eq!(body["status"], "error", "{id} {token:?}: a JSON error");
    }
    assert_eq!(
        state_of(&base, "backup").await,
        "down",
        "refusals record nothing"
    );

    let (answered, body) = beat(&base, "backup", Some(BEAT_TOKEN)).await;
    assert_eq!(answered, 200, "{body}");
    assert_eq!(body["service"], "backup");
    assert!(body["received_at"].is_string(), "{body}");
    // The job keeps reporting in (the status report is made every few
    // seconds, so one beat alone may pass unseen).
    let beating = tokio::spawn({
        let base = base.clone();
        async move {
            loop {
                beat(&base, "backup", Some(BEAT_TOKEN)).await;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    });
    until_state(&base, "backup", "up").await;

    // Heartbeats stop: past the interval and the grace, it is down again.
    beating.abort();
    until_state(&base, "backup", "down").await;
}
