//! Snapshots of dashboard views: taken through `POST /api/snapshots`,
//! shown at `/s/{id}` exactly as captured whatever the upstream does
//! later, expiring, revoked, refused without the right credentials, and
//! rate limited for visitors.

use crate::common;

use std::time::Duration;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use common::{
    TestApp, fixtures::FINANCE_AND_PRODUCT, get, post_json, send, upstream::VictoriaMetrics,
};
use porthole::{kpi::KpiStore, signing::SigningKey, views::ViewStore};
use serde_json::{Value, json};

const TOKEN: &str = "snapshot-test-admin-token-0123456789abcdef";
const KEY: &str = "an example signing key, 32+ bytes long";

/// KPI dashboards, one private, served in-process.
/// Where visitors reach the server under test.
const SITE: &str = "https://status.example.com";

async fn app(dir: &std::path::Path, public_snapshots: bool) -> (Router, KpiStore) {
    let (router, state) = TestApp::new(dir)
        .with_config(&format!(
            "[sharing]\npublic_snapshots = {public_snapshots}\n{FINANCE_AND_PRODUCT}"
        ))
        .with_demo_kpis()
        .with_signing_key(KEY)
        .with_public_url(SITE)
        .with_admin_token(TOKEN)
        .router_and_state()
        .await;
    (router, state.kpi)
}

async fn take(app: &Router, token: Option<&str>, body: Value) -> common::Answer {
    post_json(app, "/api/snapshots", token, body.to_string()).await
}

#[tokio::test]
async fn snapshots_are_taken_shown_revoked_and_expire() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (app, kpi) = app(dir.path(), false).await;

    let created = take(
        &app,
        Some(TOKEN),
        json!({"dashboard": "product", "range": "30d", "expires_in": "7d"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    let id = body["id"].as_str().expect("id").to_owned();
    assert_eq!(id.len(), 22, "128 random bits, base64url");
    assert_eq!(
        body["url"],
        format!("{SITE}/s/{id}"),
        "from [server] public_url"
    );
    assert_eq!(created.header(header::LOCATION), format!("{SITE}/s/{id}"));
    let week = chrono::Utc::now().timestamp() + 7 * 86_400;
    let expires_at = body["expires_at"].as_i64().expect("expiry");
    assert!((week - 5..=week + 5).contains(&expires_at), "{expires_at}");

    // The page shows the captured panels under its banner.
    let page = get(&app, &format!("/s/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Snapshot taken at"), "{}", page.body);
    assert!(page.body.contains("Users") && page.body.contains("<svg"));
    assert!(page.body.contains(r#"property="og:image""#));
    assert!(page.body.contains(&format!("/s/{id}/chart.png?width=1200")));
    let png = get(&app, &format!("/s/{id}/chart.png?width=400&height=200")).await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(png.header(header::CONTENT_TYPE), "image/png");
    assert_eq!(&png.bytes[..8], b"\x89PNG\r\n\x1a\n");

    // Its data stays as captured when the KPIs change.
    let json_before = get(&app, &format!("/api/snapshots/{id}")).await;
    assert_eq!(json_before.status, StatusCode::OK);
    let today = chrono::Utc::now().date_naive();
    let write = post_json(
        &app,
        "/api/v1/kpis",
        Some(TOKEN),
        json!({"date": today.to_string(), "metrics": {"total_users": 987_654_321}}).to_string(),
    )
    .await;
    assert!(write.status.is_success(), "{}", write.body);
    let json_after = get(&app, &format!("/api/snapshots/{id}")).await;
    assert_eq!(json_after.body, json_before.body);
    assert!(!json_after.body.contains("987654321"));

    // Expiry: the store says gone once the time has passed.
    let store = ViewStore::new(kpi.db().clone());
    assert!(store.get(&id, expires_at - 1).await.expect("db").is_ok());
    assert!(store.get(&id, expires_at).await.expect("db").is_err());

    // Revocation needs the admin token, then the page and API say 410.
    let delete = |token: Option<&str>| {
        let mut request = Request::delete(format!("/api/snapshots/{id}"));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request.body(Body::empty()).expect("request")
    };
    assert_eq!(
        send(&app, delete(None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&app, delete(Some(TOKEN))).await.status,
        StatusCode::NO_CONTENT
    );
    let gone = get(&app, &format!("/s/{id}")).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.body.contains("no longer available"), "{}", gone.body);
    assert_eq!(
        get(&app, &format!("/api/snapshots/{id}")).await.status,
        StatusCode::GONE
    );
    assert_eq!(
        get(&app, &format!("/s/{id}/chart.png")).await.status,
        StatusCode::GONE
    );

    // Unknown and malformed ids are 404s.
    for path in [
        "/s/AAAAAAAAAAAAAAAAAAAAAA",
        "/s/..%2F..%2Fetc",
        "/api/snapshots/nope",
    ] {
        assert_eq!(
            get(&app, path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn taking_snapshots_needs_the_right_credentials_and_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (closed, _) = app(dir.path(), false).await;
    let refused = take(&closed, None, json!({"dashboard": "product"})).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(
        refused.body.contains("public_snapshots"),
        "{}",
        refused.body
    );
    assert!(
        !get(&closed, "/d/product")
            .await
            .body
            .contains("Create snapshot")
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let (open, _) = app(dir.path(), true).await;
    assert!(
        get(&open, "/d/product")
            .await
            .body
            .contains("Create snapshot")
    );
    // Visitors may take snapshots of public dashboards...
    let taken = take(&open, None, json!({"dashboard": "product", "range": "7d"})).await;
    assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.body);
    let expires = taken.json()["expires_at"].as_i64().expect("an expiry");
    let now = chrono::Utc::now().timestamp();
    assert!(
        (now + 29 * 86_400..=now + 30 * 86_400).contains(&expires),
        "a visitor's snapshot asked to be kept for good expires within 30 days: {expires}"
    );
    // ...and of private ones only with the signed link's token.
    let private = take(&open, None, json!({"dashboard": "finance"})).await;
    assert_eq!(private.status, StatusCode::FORBIDDEN);
    let token = SigningKey::new(Some(KEY))
        .expect("key")
        .sign("finance", now + 3600)
        .expect("sign");
    let signed = take(
        &open,
        None,
        json!({"dashboard": "finance", "token": token, "expires_in": "7d"}),
    )
    .await;
    assert_eq!(signed.status, StatusCode::CREATED, "{}", signed.body);
    assert_eq!(
        signed.json()["expires_at"],
        now + 3600,
        "a snapshot outlives the signed link it was taken through by nothing"
    );

    // Bad input gets a 4xx that says what is wrong.
    for (body, status, says) in [
        (
            json!({"dashboard": "nope"}),
            StatusCode::NOT_FOUND,
            "no dashboard",
        ),
        (
            json!({"dashboard": "product", "range": "3w"}),
            StatusCode::BAD_REQUEST,
            "range",
        ),
        (
            json!({"dashboard": "product", "expires_in": "forever"}),
            StatusCode::BAD_REQUEST,
            "expires_in",
        ),
        (
            json!({"dashboard": "product", "expires_in": "9999d"}),
            StatusCode::BAD_REQUEST,
            "400d",
        ),
        (
            json!({"dashboard": "product", "from": "2026-01-01"}),
            StatusCode::BAD_REQUEST,
            "both",
        ),
        (json!({"range": "7d"}), StatusCode::BAD_REQUEST, "dashboard"),
    ] {
        let answer = take(&open, None, body.clone()).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert!(answer.body.contains(says), "{body}: {}", answer.body);
    }
    let not_json = send(
        &open,
        Request::post("/api/snapshots")
            .header("content-type", "application/json")
            .body(Body::from("{\"dashboard\":"))
            .expect("request"),
    )
    .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);

    // The Share dialog's form: sent on to the snapshot's page.
    let form = send(
        &open,
        Request::post("/api/snapshots")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("dashboard=product&range=30d&expires_in=1d"))
            .expect("request"),
    )
    .await;
    assert_eq!(form.status, StatusCode::SEE_OTHER, "{}", form.body);
    let page = form.header(header::LOCATION).to_owned();
    assert!(page.starts_with("/s/"), "{page}");
    assert_eq!(get(&open, &page).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_snapshot_stays_the_same_after_the_upstream_changes_and_visitors_are_rate_limited() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vm = VictoriaMetrics::start(dir.path()).await;
    let now = chrono::Utc::now().timestamp();
    let line = |instance: &str, t: i64, n: i64| {
        format!(
            "http_requests_total{{job=\"api\",code=\"200\",instance=\"{instance}\"}} {} {}\n",
            n * 60,
            t * 1000
        )
    };
    let history: String = (0..80).map(|i| line("a", now - 1200 + i * 15, i)).collect();
    vm.import(&history).await;
    let config = format!(
        r#"
[prometheus]
url = "{}"
refresh = "1s"

[sharing]
public_snapshots = true
snapshots_per_hour = 2

[[dashboard]]
id = "api"
title = "API"
[[dashboard.panel]]
id = "requests"
kind = "rate"
title = "Requests"
counter = 'http_requests_total{{job="api"}}'
"#,
        vm.url()
    );
    let porthole = TestApp::new(dir.path())
        .with_config(&config)
        .with_admin_token(TOKEN)
        .serve()
        .await;
    let client = reqwest::Client::new();
    let snapshot = |token: Option<&str>| {
        let mut request = client
            .post(format!("{porthole}/api/snapshots"))
            .json(&json!({"dashboard": "api", "range": "1h"}));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let created: Value = snapshot(None)
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    let id = created["id"].as_str().expect("id").to_owned();
    let captured = client
        .get(format!("{porthole}/api/snapshots/{id}"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(captured.contains("\"points\""), "{captured}");

    // A second instance triples the request rate upstream.
    let more: String = (0..80)
        .map(|i| line("b", now - 1200 + i * 15, 2 * i))
        .collect();
    vm.import(&more).await;
    let live = format!("{porthole}/api/panels/api/requests?range=1h");
    let first_live = client
        .get(&live)
        .send()
        .await
        .expect("live")
        .text()
        .await
        .expect("body");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let now_live = client
            .get(&live)
            .send()
            .await
            .expect("live")
            .text()
            .await
            .expect("body");
        if now_live != first_live || std::time::Instant::now() > deadline {
            assert_ne!(now_live, first_live, "the live panel follows the upstream");
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let again = client
        .get(format!("{porthole}/api/snapshots/{id}"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert_eq!(again, captured, "the snapshot is as captured");

    // Visitors get a burst of 5 snapshots an hour here; the 6th is refused
    // with a Retry-After, and the admin token is never limited.
    for _ in 1..5 {
        assert_eq!(snapshot(None).await.expect("post").status(), 201);
    }
    let limited = snapshot(None).await.expect("post");
    assert_eq!(limited.status(), 429);
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=1800).contains(&retry), "{retry}");
    assert!(
        limited
            .text()
            .await
            .expect("body")
            .contains("too many requests")
    );
    assert_eq!(snapshot(Some(TOKEN)).await.expect("post").status(), 201);
    // Other routes are limited on their own.
    assert_eq!(client.get(&live).send().await.expect("live").status(), 200);
}

/// A snapshot the database refuses to store is never acknowledged: a 503
/// that says nothing was saved, no id, no row; the next one is stored.
#[tokio::test]
async fn a_snapshot_that_cannot_be_stored_is_a_503_and_nothing_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (app, kpi) = app(dir.path(), false).await;
    let sql = |statement: &'static str| {
        kpi.db()
            .connect()
            .expect("connection")
            .execute_batch(statement)
            .expect(statement)
    };
    let count = || -> i64 {
        kpi.db()
            .connect()
            .expect("connection")
            .query_row("SELECT count(*) FROM snapshots_held", [], |row| row.get(0))
            .expect("count")
    };
    // The table goes away under the running server, as a failing disk would
    // take it.
    sql("ALTER TABLE snapshots RENAME TO snapshots_held");
    let refused = take(&app, Some(TOKEN), json!({"dashboard": "product"})).await;
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("nothing was saved"),
        "{}",
        refused.body
    );
    assert!(refused.json().get("id").is_none());
    assert_eq!(count(), 0);

    sql("ALTER TABLE snapshots_held RENAME TO snapshots");
    let stored = take(&app, Some(TOKEN), json!({"dashboard": "product"})).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    sql("ALTER TABLE snapshots RENAME TO snapshots_held");
    assert_eq!(count(), 1, "only the acknowledged snapshot is kept");
}
