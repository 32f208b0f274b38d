//! Incidents and maintenance written by operators, through the admin API
//! as the CLI sends it: what `/status`, its incident and history pages and
//! `/api/status` show of them, and every refusal of bad input, which
//! changes nothing.

use crate::common;

use std::time::Duration;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
};
use common::{Answer, TestApp, get, post_json, send};
use porthole::{
    config::{HttpCheck, ProbeSettings, ServiceConfig},
    probe::{Checker, Prober},
    router,
};
use serde_json::{Value, json};

const TOKEN: &str = "an-admin-token-long-enough-to-be-accepted";

fn service(id: &str, name: &str, url: &str) -> ServiceConfig {
    ServiceConfig {
        id: id.to_owned(),
        name: name.to_owned(),
        group: "Core".to_owned(),
        http: Some(HttpCheck {
            url: reqwest::Url::parse(url).expect("url"),
            expect_status: Some(200),
            expect_body: None,
        }),
        interval: Duration::from_millis(200),
        timeout: Duration::from_millis(150),
        slow: None,
        ..Default::default()
    }
}

/// Porthole with two services (never checked) and the admin token.
async fn porthole(dir: &std::path::Path) -> Router {
    TestApp::new(dir)
        .with_admin_token(TOKEN)
        .configure(|config| {
            config.services = vec![
                service("api", "Public API", "http://127.0.0.1:9/"),
                service("web", "Website", "http://127.0.0.1:9/"),
            ];
        })
        .router()
        .await
}

async fn request(app: &Router, method: &str, uri: &str, body: Option<Value>) -> Answer {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {TOKEN}"));
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    send(app, request.body(body).expect("request")).await
}

async fn post(app: &Router, uri: &str, body: Value) -> Answer {
    post_json(app, uri, Some(TOKEN), body.to_string()).await
}

#[tokio::test]
async fn an_incident_lives_on_status_its_page_and_the_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = porthole(dir.path()).await;
    let opened = post(
        &app,
        "/api/v1/incidents",
        json!({
            "title": "Slow logins",
            "impact": "major",
            "services": ["api"],
            "status": "investigating",
            "message": "We are **investigating** slow logins. <script>alert(1)</script> [details](https://example.com/x)"
        }),
    )
    .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let incident = opened.json();
    let id = incident["id"].as_u64().expect("an id");
    assert_eq!(incident["services"][0]["name"], "Public API");
    assert_eq!(incident["status"], "investigating");
    assert_eq!(incident["reporter"], "operator");

    // At once on /status: the banner with its latest update.
    let page = get(&app, "/status").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(
        body.contains(r#"class="active-incident impact-major""#),
        "{body}"
    );
    assert!(body.contains(&format!(r#"href="/status/incidents/{id}""#)));
    assert!(
        body.contains("<strong>investigating</strong>"),
        "Markdown renders"
    );
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "raw HTML is text"
    );
    assert!(!body.contains("<script>alert(1)"), "never a script");
    assert!(
        body.contains(r#"<a href="https://example.com/x" rel="nofollow noopener">"#),
        "{body}"
    );
    assert!(body.contains("Major impact · Public API"));
    assert!(
        body.contains(
            r#"<link href="/status/feed.atom" rel="alternate" title="Status updates (Atom)" type="application/atom+xml">"#
        )
    );
    let report = get(&app, "/api/status").await.json();
    assert_eq!(report["notices"]["active"][0]["title"], "Slow logins");

    // Updates move forward only; a refused one changes nothing.
    let update = |status: &str, message: &str| json!({"status": status, "message": message});
    let identified = post(
        &app,
        &format!("/api/v1/incidents/{id}/updates"),
        update("identified", "A slow database replica."),
    )
    .await;
    assert_eq!(
        identified.status,
        StatusCode::CREATED,
        "{}",
        identified.body
    );
    let back = post(
        &app,
        &format!("/api/v1/incidents/{id}/updates"),
        update("investigating", "Again?"),
    )
    .await;
    assert_eq!(back.status, StatusCode::CONFLICT, "{}", back.body);
    assert_eq!(back.json()["errorType"], "conflict");
    assert!(
        back.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("already identified"))
    );
    let edited = request(
        &app,
        "PATCH",
        &format!("/api/v1/incidents/{id}"),
        Some(json!({"title": "Slow logins for some", "services": ["api", "web"]})),
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let resolved = post(&app, &format!("/api/v1/incidents/{id}/resolve"), json!({})).await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);
    let resolved = resolved.json();
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(
        resolved["updates"].as_array().map(Vec::len),
        Some(3),
        "{resolved}"
    );
    let again = post(&app, &format!("/api/v1/incidents/{id}/resolve"), json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Resolved: in the last 14 days' timeline, marked as reported.
    let body = get(&app, "/status").await.body;
    assert!(!body.contains("active-incident"), "no longer active");
    assert!(body.contains("Slow logins for some"));
    assert!(
        body.contains(r#"<span class="tag reported">Reported</span>"#),
        "{body}"
    );
    assert!(body.contains("Public API, Website"));

    // Its own page: the whole timeline, newest first.
    let page = get(&app, &format!("/status/incidents/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    // A pasted link unfurls with the incident's title.
    let head = page.body.split("</head>").next().unwrap_or_default();
    assert!(
        head.contains(r#"<meta property="og:title" content="Slow logins for some">"#),
        "{head}"
    );
    assert!(
        head.contains(r#"<meta name="twitter:card" content="summary">"#),
        "{head}"
    );
    let order: Vec<usize> = ["Resolved", "Identified", "Investigating"]
        .iter()
        .map(|state| {
            page.body
                .find(&format!("<strong>{state}</strong>"))
                .expect(state)
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "newest first: {order:?}"
    );
    assert!(
        page.body
            .contains("<title>Slow logins for some · Status · Porthole</title>")
    );
    for missing in ["/status/incidents/999", &format!("/status/incidents/0{id}")] {
        assert_eq!(
            get(&app, missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }

    let history = get(&app, "/status/history").await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.body.contains("Slow logins for some"));
    for bad in ["0", "x", "01", "501"] {
        let page = get(&app, &format!("/status/history?page={bad}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "page={bad}");
        assert!(
            page.body.contains("page must be a whole number"),
            "page={bad}"
        );
    }

    let deleted = request(&app, "DELETE", &format!("/api/v1/incidents/{id}"), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    assert_eq!(
        get(&app, &format!("/status/incidents/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!get(&app, "/status").await.body.contains("Slow logins"));
}

#[tokio::test]
async fn bad_input_gets_a_json_error_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = porthole(dir.path()).await;
    let valid = json!({"title": "Outage", "services": ["api"], "message": "Down."});
    let unauthenticated = post_json(&app, "/api/v1/incidents", None, valid.to_string()).await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);
    let wrong = post_json(
        &app,
        "/api/v1/incidents",
        Some("x".repeat(40).as_str()),
        valid.to_string(),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);

    let with = |field: &str, value: Value| {
        let mut body = valid.clone();
        body[field] = value;
        body
    };
    for (body, status, says) in [
        (
            with("services", json!(["API"])),
            400,
            "unknown service \"API\"",
        ),
        (with("services", json!("api")), 400, "invalid type"),
        (
            with("impact", json!("catastrophic")),
            400,
            "unknown variant",
        ),
        (with("status", json!("fixed")), 400, "unknown variant"),
        (with("title", json!("  ")), 400, "the title is empty"),
        (with("title", json!("two\nlines")), 400, "one line"),
        (with("title", json!("x".repeat(201))), 400, "at most 200"),
        (with("message", json!("")), 400, "the message is empty"),
        (
            with("message", json!("x".repeat(20_000))),
            413,
            "at most 16384",
        ),
        (
            with("message", json!("x".repeat(70_000))),
            413,
            "larger than 64 KiB",
        ),
        (with("colour", json!("red")), 400, "unknown field"),
        (json!(42), 400, "invalid type"),
    ] {
        let answer = post(&app, "/api/v1/incidents", body.clone()).await;
        assert_eq!(answer.status.as_u16(), status, "{body}: {}", answer.body);
        let error = answer.json();
        assert_eq!(error["status"], "error");
        assert!(
            error["error"].as_str().is_some_and(|e| e.contains(says)),
            "{says}: {error}"
        );
    }
    let not_json = post_json(&app, "/api/v1/incidents", Some(TOKEN), "{title".to_owned()).await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    for path in [
        "/api/v1/incidents/abc",
        "/api/v1/incidents/01",
        "/api/v1/incidents/7",
    ] {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(answer.json()["errorType"], "not_found", "{path}");
        let update = post(
            &app,
            &format!("{path}/updates"),
            json!({"status": "resolved", "message": "m"}),
        )
        .await;
        assert_eq!(update.status, StatusCode::NOT_FOUND, "{path}");
    }
    let maintenance = json!({
        "title": "Upgrade", "services": ["api"], "message": "",
        "starts_at": "2026-12-06T03:00:00Z", "ends_at": "2026-12-06T02:00:00Z"
    });
    let backwards = post(&app, "/api/v1/maintenance", maintenance).await;
    assert_eq!(
        backwards.status,
        StatusCode::BAD_REQUEST,
        "{}",
        backwards.body
    );

    let listed = get(&app, "/api/v1/incidents").await.json();
    assert_eq!(listed["incidents"], json!([]), "nothing was stored");
    assert_eq!(
        get(&app, "/api/v1/maintenance").await.json()["maintenance"],
        json!([])
    );
}

/// A service that always fails, checked by a running prober, inside a
/// maintenance window: no incident opens, uptime is untouched, and pages,
/// badges and the API say it is under maintenance.
#[tokio::test]
async fn maintenance_is_announced_then_keeps_failures_out_of_uptime() {
    let dir = tempfile::tempdir().expect("tempdir");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let closed = listener.local_addr().expect("addr");
    drop(listener);
    let down = service("db", "Database", &format!("http://{closed}/health"));
    let state = TestApp::new(dir.path())
        .with_admin_token(TOKEN)
        .configure({
            let down = down.clone();
            move |config| config.services = vec![down]
        })
        .state()
        .await;
    let app = router(state.clone());
    let now = chrono::Utc::now();
    let rfc =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);

    let ahead = post(
        &app,
        "/api/v1/maintenance",
        json!({
            "title": "Database upgrade",
            "services": ["db"],
            "starts_at": rfc(now + chrono::TimeDelta::days(2)),
            "ends_at": rfc(now + chrono::TimeDelta::days(2) + chrono::TimeDelta::hours(1)),
            "message": "Writes pause for **an hour**."
        }),
    )
    .await;
    assert_eq!(ahead.status, StatusCode::CREATED, "{}", ahead.body);
    let body = get(&app, "/status").await.body;
    assert!(body.contains("Scheduled maintenance"), "{body}");
    assert!(body.contains("Scheduled for "), "{body}");
    assert!(
        body.contains("during the window do not count against uptime"),
        "the page says what maintenance does to uptime"
    );
    assert!(body.contains("<strong>an hour</strong>"));

    let running = post(
        &app,
        "/api/v1/maintenance",
        json!({
            "title": "Failover drill",
            "services": ["db"],
            "starts_at": rfc(now - chrono::TimeDelta::minutes(5)),
            "ends_at": rfc(now + chrono::TimeDelta::hours(1)),
        }),
    )
    .await;
    assert_eq!(running.status, StatusCode::CREATED, "{}", running.body);

    let prober = Prober::start(
        state.status.store().clone(),
        state.status.notices().clone(),
        state.events.clone(),
        &ProbeSettings::default(),
        &[down],
        Checker::new(None, None, &[]).expect("checker"),
        state.metrics.clone(),
    )
    .await
    .expect("prober");
    // Ten failed checks or so, well past the two that open an incident.
    tokio::time::sleep(Duration::from_secs(2)).await;
    drop(prober);
    tokio::time::sleep(Duration::from_millis(300)).await;
    state.status.invalidate();

    let report = get(&app, "/api/status").await.json();
    let db = &report["groups"][0]["services"][0];
    assert_eq!(db["state"], "maintenance", "{report:#}");
    assert!(db["last_check"].is_number(), "it was checked: {db}");
    assert_eq!(
        report["incidents"],
        json!([]),
        "no incident opened: {report:#}"
    );
    for uptime in db["uptime"].as_array().expect("uptime") {
        assert_eq!(
            uptime["percent"],
            Value::Null,
            "failures do not count: {uptime}"
        );
    }
    assert_eq!(
        report["notices"]["maintenance"].as_array().map(Vec::len),
        Some(2)
    );
    let body = get(&app, "/status").await.body;
    assert!(body.contains("Under maintenance since "), "{body}");
    assert!(
        body.contains(r#"<span class="state maintenance">Under maintenance</span>"#),
        "{body}"
    );
    let badge = get(&app, "/badge/db/status.json").await.json();
    assert_eq!(badge["message"], "under maintenance", "{badge}");
}
