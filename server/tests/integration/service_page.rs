//! A service's own page, `/status/{service}`: its state, its response
//! times over 24 hours and 90 days as drawn charts, its incidents, its
//! badges, and the link to it from `/status`; and every other spelling of
//! its address refused.

use crate::common;

use axum::http::StatusCode;
use chrono::{TimeDelta, Utc};
use common::{
    TestApp,
    fixtures::{ADMIN_TOKEN, quiet_service},
    get, post_as_admin,
};
use porthole::probe::CheckResult;
use serde_json::json;

#[tokio::test]
async fn each_service_has_a_page_with_its_response_times_incidents_and_badges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (app, state) = TestApp::new(dir.path())
        .with_admin_token(ADMIN_TOKEN)
        .with_public_url("https://status.example.com")
        .configure(|config| {
            config.services = vec![
                quiet_service("api", "Public API", "Core"),
                quiet_service("web", "Website", "Core"),
            ];
        })
        .router_and_state()
        .await;
    // A day of checks of the API, every ten minutes (oldest first, as the
    // prober writes them), slower in the middle.
    let now = Utc::now().naive_utc();
    let results = (0..144)
        .rev()
        .map(|step| CheckResult {
            service: "api".to_owned(),
            at: now - TimeDelta::minutes(10 * step),
            ok: true,
            ok_here: true,
            latency_ms: Some(if (60..80).contains(&step) {
                400.0
            } else {
                40.0
            }),
            http_status: Some(200),
            error: None,
            cert_expires_at: None,
            locations: Vec::new(),
        })
        .collect();
    state
        .status
        .store()
        .record(results, vec![])
        .await
        .expect("record");
    post_as_admin(
        &app,
        "/api/v1/incidents",
        json!({"title": "Slow logins", "impact": "minor", "services": ["api"],
               "status": "investigating", "message": "Looking into it."}),
    )
    .await;
    post_as_admin(
        &app,
        "/api/v1/incidents",
        json!({"title": "Website typo", "impact": "none", "services": ["web"],
               "status": "identified", "message": "A typo."}),
    )
    .await;
    state.status.invalidate();

    let status = get(&app, "/status").await.body;
    assert!(
        status.contains(r#"<a href="/status/api">Public API</a>"#),
        "/status links to each service's page"
    );

    let page = get(&app, "/status/api").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    assert!(body.contains("<title>Public API · Status · Porthole</title>"));
    assert!(body.contains("<h1>Public API</h1>"));
    assert!(body.contains(r#"class="state up""#), "its state");
    assert_eq!(
        body.matches(r#"class="bar "#).count(),
        90,
        "its 90 daily bars"
    );
    for title in [
        "Response time, last 24 hours",
        "Response time, last 90 days",
    ] {
        assert!(body.contains(title), "{title}");
    }
    for panel in ["api-latency-24h", "api-latency-90d"] {
        let chart = body
            .split(&format!(r#"data-panel="{panel}""#))
            .nth(1)
            .and_then(|rest| rest.split("</section>").next())
            .unwrap_or_else(|| panic!("{panel} is on the page"));
        assert!(chart.contains("<svg"), "{panel} is drawn on the server");
        assert!(
            chart.contains("400"),
            "{panel} shows the slow spell: {chart}"
        );
    }
    assert!(body.contains(">p50<") && body.contains(">p95<"), "legend");
    assert!(body.contains("Slow logins"), "its incident");
    assert!(!body.contains("Website typo"), "not another service's");
    assert!(body.contains(
        "[![Public API: Status](https://status.example.com/badge/api/status.svg)](https://status.example.com/status/api)"
    ));
    assert!(body.contains(r#"<img src="/badge/api/uptime.svg?range=30d""#));
    assert!(!body.contains("data.csv"), "its charts have no panel API");

    // A service with no checks yet: its page says so, without charts' data.
    let web = get(&app, "/status/web").await;
    assert_eq!(web.status, StatusCode::OK);
    assert!(web.body.contains("No data"));
    assert!(web.body.contains("Website typo"));

    let missing = get(&app, "/status/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("No such service"));
    for refused in [
        "/status/API",
        "/status/%61pi",
        "/status/api/",
        "/status/api.json",
    ] {
        assert_eq!(
            get(&app, refused).await.status,
            StatusCode::NOT_FOUND,
            "{refused}"
        );
    }
}
