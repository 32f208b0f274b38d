//! Signed webhooks verified by the official Standard Webhooks library
//! (`standardwebhooks`): incident and maintenance events reach a receiver
//! that fails twice before accepting, in order, signed; and an event
//! enqueued before a SIGKILL of the real binary is delivered after its
//! restart, with the same `webhook-id`.

use crate::common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing,
};
use base64::Engine;
use chrono::{TimeDelta, Utc};
use common::{
    TestApp,
    binary::{serve_command, wait_healthy},
    fixtures::{ADMIN_TOKEN, quiet_service},
    loopback::{free_port, refusing_port},
};
use porthole::config::{EventGroup, ServiceConfig, WebhookConfig};
use serde_json::{Value, json};

const KEY: [u8; 32] = [42; 32];

fn secret() -> String {
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(KEY)
    )
}

/// What the receiver was sent: each request's `webhook-id`, whether the
/// official library accepted its signature, and its body.
#[derive(Default)]
struct Received {
    failures_left: usize,
    attempts: Vec<String>,
    accepted: Vec<(String, Value)>,
    refused: Vec<String>,
}

type Shared = Arc<Mutex<Received>>;

async fn receive(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let verifier = standardwebhooks::Webhook::new(&secret()).expect("the secret");
    let id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut received = shared.lock().expect("lock");
    if let Err(error) = verifier.verify(&body, &headers) {
        received.refused.push(format!("{id}: {error}"));
        return StatusCode::BAD_REQUEST;
    }
    received.attempts.push(id.clone());
    if received.failures_left > 0 {
        received.failures_left -= 1;
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let body: Value = serde_json::from_slice(&body).expect("JSON");
    received.accepted.push((id, body));
    StatusCode::NO_CONTENT
}

/// A receiver on `listener` that answers 503 `failures` times first.
fn receiver(listener: tokio::net::TcpListener, failures: usize) -> Shared {
    let shared: Shared = Arc::new(Mutex::new(Received {
        failures_left: failures,
        ..Received::default()
    }));
    let app = Router::new()
        .route("/hook", routing::post(receive))
        .with_state(shared.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    shared
}

/// The accepted event types, once `count` have arrived (30 s at most).
async fn accepted_types(shared: &Shared, count: usize) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        {
            let received = shared.lock().expect("lock");
            assert!(
                received.refused.is_empty(),
                "standardwebhooks refused: {:?}",
                received.refused
            );
            if received.accepted.len() >= count {
                return received
                    .accepted
                    .iter()
                    .map(|(_, body)| body["type"].as_str().unwrap_or("").to_owned())
                    .collect();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} of {count} events arrived: {:?}",
                received.accepted.len(),
                received.accepted
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn post_admin(base: &str, path: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.expect("json")
}

#[tokio::test(flavor = "multi_thread")]
async fn events_reach_a_receiver_that_fails_twice_signed_and_in_order() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let hook = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let shared = receiver(listener, 2);
    let dir = tempfile::tempdir().expect("tempdir");
    let base = TestApp::new(dir.path())
        .with_admin_token(ADMIN_TOKEN)
        .configure(move |config| {
            config.services = vec![quiet_service("api", "Public API", "Core")];
            config.webhooks = vec![WebhookConfig {
                url: hook.parse().expect("url"),
                events: vec![EventGroup::Incident, EventGroup::Maintenance],
                secret: KEY.to_vec(),
            }];
        })
        .serve()
        .await;

    let incident = post_admin(
        &base,
        "/api/v1/incidents",
        json!({"title": "Slow logins", "impact": "major", "services": ["api"], "message": "Looking."}),
    )
    .await;
    let id = incident["id"].as_u64().expect("id");
    assert_eq!(accepted_types(&shared, 1).await, ["incident.created"]);
    {
        let received = shared.lock().expect("lock");
        assert_eq!(received.attempts.len(), 3, "two refusals, then accepted");
        assert!(
            received.attempts.iter().all(|a| *a == received.attempts[0]),
            "every attempt carries the same webhook-id: {:?}",
            received.attempts
        );
        let (_, body) = &received.accepted[0];
        assert_eq!(body["data"]["incident"]["id"], id);
        assert_eq!(body["data"]["incident"]["title"], "Slow logins");
        assert!(body["timestamp"].is_string());
    }

    post_admin(
        &base,
        &format!("/api/v1/incidents/{id}/updates"),
        json!({"status": "monitoring", "message": "Fixed, watching."}),
    )
    .await;
    post_admin(&base, &format!("/api/v1/incidents/{id}/resolve"), json!({})).await;
    let now = Utc::now();
    post_admin(
        &base,
        "/api/v1/maintenance",
        json!({"title": "Database upgrade", "services": ["api"],
               "starts_at": (now + TimeDelta::seconds(2)).to_rfc3339(),
               "ends_at": (now + TimeDelta::seconds(4)).to_rfc3339(),
               "message": "Writes pause."}),
    )
    .await;
    assert_eq!(
        accepted_types(&shared, 6).await,
        [
            "incident.created",
            "incident.updated",
            "incident.resolved",
            "maintenance.scheduled",
            "maintenance.started",
            "maintenance.completed"
        ]
    );
    let received = shared.lock().expect("lock");
    let mut ids: Vec<&String> = received.accepted.iter().map(|(id, _)| id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 6, "each event is delivered once");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_enqueued_before_a_sigkill_is_delivered_after_the_restart() {
    // The receiver's port refuses connections until the restart.
    let (held, receiver_port) = refusing_port();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("porthole.toml"),
        format!(
            "[[service]]\nid = \"api\"\nname = \"Public API\"\nurl = \"http://127.0.0.1:9/\"\ninterval = \"1h\"\n\n[[webhook]]\nurl = \"http://127.0.0.1:{receiver_port}/hook\"\nevents = [\"incident\"]\nsecret_env = \"PORTHOLE_TEST_WEBHOOK_SECRET\"\n"
        ),
    )
    .expect("config");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let start = || {
        serve_command(dir.path(), port)
            .arg("--config")
            .arg(dir.path().join("porthole.toml"))
            .env("PORTHOLE_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("PORTHOLE_TEST_WEBHOOK_SECRET", secret())
            .spawn()
            .expect("porthole starts")
    };
    let mut server = start();
    wait_healthy(&base).await;
    post_admin(
        &base,
        "/api/v1/incidents",
        json!({"title": "Queue stuck", "impact": "minor", "services": ["api"], "message": "Looking."}),
    )
    .await;
    // The first attempt fails at once (refused); the event waits in the
    // outbox when the process is killed.
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.kill().expect("SIGKILL");
    let _ = server.wait();

    drop(held);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", receiver_port))
        .await
        .expect("the receiver's port");
    let shared = receiver(listener, 0);
    let mut server = start();
    wait_healthy(&base).await;
    assert_eq!(accepted_types(&shared, 1).await, ["incident.created"]);
    let received = shared.lock().expect("lock");
    assert_eq!(
        received.accepted[0].1["data"]["incident"]["title"],
        "Queue stuck"
    );
    drop(received);
    let _ = server.kill();
    let _ = server.wait();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_whose_checks_fail_is_told_down_to_status_subscribers() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let hook = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let shared = receiver(listener, 0);
    let dir = tempfile::tempdir().expect("tempdir");
    TestApp::new(dir.path())
        .configure(move |config| {
            // Checked five times a second, against a closed port.
            config.services = vec![ServiceConfig {
                interval: Duration::from_millis(200),
                timeout: Duration::from_millis(150),
                ..quiet_service("api", "Public API", "Core")
            }];
            config.webhooks = vec![WebhookConfig {
                url: hook.parse().expect("url"),
                events: vec![EventGroup::Status],
                secret: KEY.to_vec(),
            }];
        })
        .serve()
        .await;
    assert_eq!(accepted_types(&shared, 1).await, ["service.down"]);
    let received = shared.lock().expect("lock");
    let data = &received.accepted[0].1["data"];
    assert_eq!(data["service"]["id"], "api");
    assert_eq!(data["service"]["name"], "Public API");
    assert_eq!(data["state"], "down");
    assert!(data["since"].is_string(), "{data}");
}
