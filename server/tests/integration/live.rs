//! Auto refresh over server-sent events: every viewer of a dashboard and
//! range gets the same frames, computed once per interval.

use crate::common;

use std::time::Duration;

use common::TestApp;
use serde_json::Value;

/// Reads server-sent events from `response` until one `frame` arrives.
async fn first_frame(response: &mut reqwest::Response) -> Value {
    let mut text = String::new();
    loop {
        let chunk = tokio::time::timeout(Duration::from_secs(10), response.chunk())
            .await
            .expect("a frame within 10 s")
            .expect("stream")
            .expect("stream still open");
        text.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(event) = text.split("\n\n").find(|e| e.starts_with("event: frame")) {
            let data: String = event
                .lines()
                .filter_map(|l| l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")))
                .collect();
            return serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
        }
    }
}

async fn live_frames_computed(client: &reqwest::Client, base: &str) -> u64 {
    let text = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|l| l.strip_prefix("porthole_live_frames_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn viewers_share_frames_of_every_panel() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = TestApp::new(dir.path()).with_config("").serve().await;
    let client = reqwest::Client::new();
    let url = format!("{base}/api/live/overview?range=7d&refresh=1m");
    let mut viewers = Vec::new();
    for _ in 0..3 {
        let response = client.get(&url).send().await.expect("stream");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        viewers.push(response);
    }
    let mut frames = Vec::new();
    for viewer in &mut viewers {
        frames.push(first_frame(viewer).await);
    }
    let frame = &frames[0];
    assert_eq!(frame["dashboard"], "overview");
    assert_eq!(frame["range"], "7d");
    let panels: Vec<&str> = frame["panels"]
        .as_array()
        .expect("panels")
        .iter()
        .filter_map(|p| p["panel"].as_str())
        .collect();
    assert_eq!(
        panels,
        [
            "health", "users", "latency", "services", "alerts", "stats", "monthly"
        ]
    );
    assert_eq!(frame["panels"][1]["result"]["Ok"]["kind"], "timeseries");
    assert!(
        frames.iter().all(|f| f == frame),
        "every viewer gets the same frame"
    );
    assert_eq!(
        live_frames_computed(&client, &base).await,
        1,
        "computed once for three viewers"
    );
}

#[tokio::test]
async fn bad_streams_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = TestApp::new(dir.path()).with_config("").serve().await;
    let client = reqwest::Client::new();
    for (query, status, says) in [
        (
            "/api/live/overview?range=7d&refresh=2s",
            400,
            "10s, 30s, 1m or 5m",
        ),
        (
            "/api/live/overview?range=7d&refresh=off",
            400,
            "nothing to stream",
        ),
        ("/api/live/overview?range=2w&refresh=10s", 400, "range"),
        ("/api/live/nope?range=7d&refresh=10s", 404, "nope"),
    ] {
        let response = client
            .get(format!("{base}{query}"))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), status, "{query}");
        let body: Value = response.json().await.expect("json");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(says)),
            "{query}: {body}"
        );
    }
}
