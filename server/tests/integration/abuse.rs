//! What scanners and broken clients send: path traversal, huge and
//! malformed parameters, oversized headers, slow bodies, floods. Each gets
//! the right 4xx, nothing leaks, and the server stays healthy. Every
//! response carries the security headers.

use crate::common;

use std::time::{Duration, Instant};

use axum::{Router, http::StatusCode, http::header};
use common::{TestApp, get};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "porthole-secret-outside-the-site";

/// Porthole in-process with its site under `dir/site` and a secret file
/// beside it, which no request may reach.
async fn app(dir: &std::path::Path) -> Router {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("site");
    std::fs::write(
        site.join("pkg/porthole.js"),
        "export function hydrate() {}\n",
    )
    .expect("js");
    std::fs::write(dir.join("secret.txt"), SECRET).expect("secret");
    TestApp::new(dir).with_site_root(&site).router().await
}

#[tokio::test]
async fn path_traversal_in_every_encoding_finds_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    assert_eq!(get(&app, "/pkg/porthole.js").await.status, StatusCode::OK);
    for path in [
        "/pkg/../../secret.txt",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/pkg/%2e%2e/%2e%2e/secret.txt",
        "/pkg/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/pkg/%252e%252e/%252e%252e/secret.txt",
        "/..%2fsecret.txt",
        "/pkg/..%5c..%5csecret.txt",
        "/pkg/....//....//secret.txt",
        "/pkg/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt",
        "/pkg/..;/..;/secret.txt",
    ] {
        let answer = get(&app, path).await;
        assert!(answer.status.is_client_error(), "{path}: {}", answer.status);
        assert!(!answer.body.contains(SECRET), "{path} leaked the file");
    }
    assert_eq!(get(&app, "/health").await.status, StatusCode::OK);
}

#[tokio::test]
async fn huge_malformed_and_out_of_range_parameters_are_4xx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    let long = "x".repeat(10_000);
    let cases = [
        format!("/?range={long}"),
        format!("/?theme={long}"),
        format!("/?from={long}&to={long}"),
        format!("/d/{long}"),
        format!("/embed/overview/{long}"),
        format!("/api/panels/overview/users?range={long}"),
        format!("/api/panels/overview/{long}"),
        format!("/api/dashboards/{long}"),
        format!("/render/overview/users.png?width={long}"),
        format!("/api/snapshots/{long}"),
        format!("/s/{long}"),
        // Malformed UTF-8, raw and percent-encoded.
        "/?range=%FF%FE".to_owned(),
        "/d/%FF%FE".to_owned(),
        "/api/panels/overview/users?range=%C0%80".to_owned(),
        "/api/panels/%FF/users".to_owned(),
        "/render/overview/users.png?theme=%FF".to_owned(),
        // Windows too large, too small, upside down or nonsense.
        "/api/panels/overview/users?from=0&to=99999999999".to_owned(),
        "/api/panels/overview/users?from=100&to=101".to_owned(),
        "/api/panels/overview/users?from=2026-01-02&to=2026-01-01".to_owned(),
        "/api/panels/overview/users?from=-1e309&to=NaN".to_owned(),
        "/render/overview/users.png?width=100000&height=1".to_owned(),
        "/render/overview/users.png?width=-1".to_owned(),
    ];
    for uri in &cases {
        let answer = get(&app, uri).await;
        assert!(
            answer.status.is_client_error(),
            "{}: {}",
            &uri[..uri.len().min(80)],
            answer.status
        );
        assert!(!answer.body.to_lowercase().contains("panicked"));
    }
    assert_eq!(get(&app, "/health").await.status, StatusCode::OK);
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_pages_a_matching_nonce() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    for uri in [
        "/",
        "/status",
        "/api/dashboards/overview",
        "/nope",
        "/pkg/porthole.js",
        "/health",
    ] {
        let answer = get(&app, uri).await;
        let policy = answer.header(header::CONTENT_SECURITY_POLICY).to_owned();
        for directive in [
            "script-src 'self' 'wasm-unsafe-eval' 'nonce-",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(policy.contains(directive), "{uri}: {policy}");
        }
        assert_eq!(
            answer.header(header::X_CONTENT_TYPE_OPTIONS),
            "nosniff",
            "{uri}"
        );
        assert_eq!(
            answer.header(header::REFERRER_POLICY),
            "strict-origin-when-cross-origin",
            "{uri}"
        );
        assert!(
            answer
                .header("permissions-policy".parse().expect("name"))
                .contains("camera=()")
        );
    }
    // The page's inline scripts carry the nonce its policy names, fresh
    // for every request.
    let nonce_of = |policy: &str| {
        policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a nonce")
            .to_owned()
    };
    let first = get(&app, "/").await;
    let nonce = nonce_of(first.header(header::CONTENT_SECURITY_POLICY));
    assert!(nonce.len() >= 22, "{nonce}");
    assert!(
        first.body.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry it"
    );
    let second = get(&app, "/").await;
    assert_ne!(
        nonce_of(second.header(header::CONTENT_SECURITY_POLICY)),
        nonce
    );
}

/// Sends raw bytes to `addr` and reads the answer until the server closes
/// or `limit` passes.
async fn raw(addr: &str, request: &[u8], limit: Duration) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(limit, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn oversized_headers_slow_bodies_and_floods_leave_the_server_healthy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = TestApp::new(dir.path())
        .with_config("[limits]\nrender_per_second = 1\ntrusted_proxies = [\"127.0.0.1\"]\n")
        .with_admin_token("abuse-test-admin-token-0123456789abcdef")
        .serve()
        .await;
    let addr = base.trim_start_matches("http://").to_owned();

    // A megabyte of headers is refused outright.
    let huge = format!(
        "GET / HTTP/1.1\r\nhost: x\r\nx-junk: {}\r\n\r\n",
        "a".repeat(1024 * 1024)
    );
    let answer = raw(&addr, huge.as_bytes(), Duration::from_secs(5)).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(200)]
    );

    // A body that stops coming is given up on after 10 s (400, or 408 if
    // the request as a whole runs out of time), not a held connection.
    let started = Instant::now();
    let slow = "POST /api/v1/kpis HTTP/1.1\r\nhost: x\r\nauthorization: Bearer abuse-test-admin-token-0123456789abcdef\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"date\":";
    let answer = raw(&addr, slow.as_bytes(), Duration::from_secs(40)).await;
    assert!(
        answer.starts_with("HTTP/1.1 400") || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );

    // Renders are limited per client; behind the trusted proxy, the client
    // is the address it forwards.
    let client = reqwest::Client::new();
    let render = |from: &'static str| {
        client
            .get(format!("{base}/render/overview/users.svg"))
            .header("x-forwarded-for", from)
            .send()
    };
    let mut statuses = Vec::new();
    for _ in 0..60 {
        statuses.push(
            render("198.51.100.1")
                .await
                .expect("render")
                .status()
                .as_u16(),
        );
    }
    assert!(statuses[..50].iter().all(|&s| s == 200), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(render("198.51.100.2").await.expect("render").status(), 200);

    let health = client
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
}
