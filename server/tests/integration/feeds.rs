//! The status feeds read by a real feed parser (`feed-rs`): Atom, RSS and
//! JSON Feed of every service and of one, with ids that stay put while an
//! incident moves on, and 404s for what names nothing.

use crate::common;

use std::time::Duration;

use axum::{Router, http::StatusCode};
use common::{
    TestApp,
    fixtures::{ADMIN_TOKEN, quiet_service},
    get, post_as_admin as post,
};
use feed_rs::model::{Feed, FeedType};
use serde_json::json;

async fn porthole(dir: &std::path::Path) -> Router {
    TestApp::new(dir)
        .with_admin_token(ADMIN_TOKEN)
        .with_public_url("https://status.example.com")
        .configure(|config| {
            config.services = vec![
                quiet_service("api", "Public API", "Core"),
                quiet_service("web", "Website", "Core"),
            ];
        })
        .router()
        .await
}

/// The feed at `uri`, parsed; checks its media type.
async fn feed(app: &Router, uri: &str, media_type: &str) -> Feed {
    let answer = get(app, uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
    let content_type = answer.headers["content-type"].to_str().expect("ascii");
    assert_eq!(
        content_type,
        format!("{media_type}; charset=utf-8"),
        "{uri}"
    );
    feed_rs::parser::parse(answer.body.as_bytes())
        .unwrap_or_else(|error| panic!("{uri} does not parse: {error}\n{}", answer.body))
}

fn title(entry: &feed_rs::model::Entry) -> String {
    entry
        .title
        .as_ref()
        .map(|t| t.content.clone())
        .unwrap_or_default()
}

fn text_of(entry: &feed_rs::model::Entry) -> String {
    entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
        .unwrap_or_default()
}

#[tokio::test]
async fn incidents_and_maintenance_reach_every_feed_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = porthole(dir.path()).await;
    let incident = post(
        &app,
        "/api/v1/incidents",
        json!({"title": "Slow logins", "impact": "major", "services": ["api"],
               "status": "investigating", "message": "Looking into **slow** logins. <script>x()</script>"}),
    )
    .await;
    let incident_id = incident["id"].as_u64().expect("id");
    let starts = (chrono::Utc::now() + chrono::TimeDelta::days(30))
        .date_naive()
        .and_hms_opt(2, 0, 0)
        .expect("02:00")
        .and_utc();
    let ends = starts + chrono::TimeDelta::hours(1);
    let maintenance = post(
        &app,
        "/api/v1/maintenance",
        json!({"title": "Database upgrade", "services": ["web"],
               "starts_at": starts.to_rfc3339(), "ends_at": ends.to_rfc3339(),
               "message": "Writes pause for an hour."}),
    )
    .await;
    let maintenance_id = maintenance["id"].as_u64().expect("id");

    let formats = [
        ("/status/feed.atom", "application/atom+xml", FeedType::Atom),
        ("/status/feed.rss", "application/rss+xml", FeedType::RSS2),
        ("/status/feed.json", "application/feed+json", FeedType::JSON),
    ];
    let mut first_updated = None;
    for (uri, media_type, kind) in formats {
        let parsed = feed(&app, uri, media_type).await;
        assert_eq!(parsed.feed_type, kind, "{uri}");
        assert_eq!(parsed.entries.len(), 2, "{uri}");
        let ids: Vec<&str> = parsed.entries.iter().map(|e| e.id.as_str()).collect();
        assert!(
            ids.contains(&format!("urn:porthole:notice:{incident_id}").as_str()),
            "{uri}: {ids:?}"
        );
        assert!(
            ids.contains(&format!("urn:porthole:notice:{maintenance_id}").as_str()),
            "{uri}: {ids:?}"
        );
        let opened = parsed
            .entries
            .iter()
            .find(|e| e.id.ends_with(&format!(":{incident_id}")))
            .expect("the incident");
        assert_eq!(title(opened), "Slow logins (Investigating)", "{uri}");
        assert_eq!(
            opened.links.first().map(|l| l.href.as_str()),
            Some(format!("https://status.example.com/status/incidents/{incident_id}").as_str()),
            "{uri}: links are absolute under the public URL"
        );
        let text = text_of(opened);
        assert!(text.contains("<strong>slow</strong>"), "{uri}: {text}");
        assert!(!text.contains("<script"), "{uri}: {text}");
        assert!(text.contains("Major impact · Public API"), "{uri}: {text}");
        first_updated.get_or_insert(opened.updated.expect("updated"));
    }

    // The incident moves on: same id, a later update time, its new state.
    tokio::time::sleep(Duration::from_millis(20)).await;
    post(
        &app,
        &format!("/api/v1/incidents/{incident_id}/updates"),
        json!({"status": "monitoring", "message": "A fix is out."}),
    )
    .await;
    let parsed = feed(&app, "/status/feed.atom", "application/atom+xml").await;
    let moved = parsed
        .entries
        .iter()
        .find(|e| e.id == format!("urn:porthole:notice:{incident_id}"))
        .expect("the same id");
    assert_eq!(title(moved), "Slow logins (Monitoring)");
    assert!(moved.updated > first_updated, "updated moves on");
    assert_eq!(parsed.entries[0].id, moved.id, "the latest change first");

    // One service's feed holds its notices only.
    let api = feed(
        &app,
        "/status/services/api/feed.atom",
        "application/atom+xml",
    )
    .await;
    assert_eq!(api.entries.len(), 1);
    assert_eq!(title(&api.entries[0]), "Slow logins (Monitoring)");
    assert_eq!(
        api.title.map(|t| t.content).as_deref(),
        Some("Public API status")
    );
    let web = feed(
        &app,
        "/status/services/web/feed.json",
        "application/feed+json",
    )
    .await;
    assert_eq!(web.entries.len(), 1);
    assert_eq!(title(&web.entries[0]), "Maintenance: Database upgrade");
    let window = format!("from {} to", starts.format("%Y-%m-%d %H:%M UTC"));
    assert!(text_of(&web.entries[0]).contains(&window), "{window}");
}

#[tokio::test]
async fn feeds_of_nothing_are_404s_and_an_empty_feed_is_valid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = porthole(dir.path()).await;
    let empty = feed(&app, "/status/feed.rss", "application/rss+xml").await;
    assert!(empty.entries.is_empty());
    for uri in [
        "/status/services/nope/feed.atom",
        "/status/services/API/feed.atom",
        "/status/feed.xml",
        "/status/feed.ATOM",
        "/status/feed.atom/",
        "/status/services/api/feed.atom/",
        "/status/services/%61pi/feed.atom",
        "/status/services/../feed.atom",
        "/status/services//feed.atom",
    ] {
        assert_eq!(get(&app, uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
}
