//! The Statuspage-compatible API (`/api/v2`): Statuspage's field names and
//! enums, components that follow checks, incidents and maintenance, and
//! every listing consistent with the others. (The real status widget reads
//! it in `end2end/tests/statuspage.spec.ts`.)

use crate::common;

use axum::{Router, http::StatusCode};
use chrono::{TimeDelta, Utc};
use common::{
    TestApp,
    fixtures::{ADMIN_TOKEN, quiet_service},
    get, post_as_admin as post,
};
use serde_json::{Value, json};

async fn porthole(dir: &std::path::Path) -> Router {
    TestApp::new(dir)
        .with_admin_token(ADMIN_TOKEN)
        .with_public_url("https://status.example.com")
        .configure(|config| {
            config.services = vec![
                quiet_service("api", "Public API", "Core"),
                quiet_service("web", "Website", "Core"),
                quiet_service("mail", "Mail", "Other"),
            ];
        })
        .router()
        .await
}

async fn read(app: &Router, path: &str) -> Value {
    let answer = get(app, path).await;
    assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
    assert!(
        answer.headers["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("application/json")),
        "{path}"
    );
    let body = answer.json();
    assert_eq!(body["page"]["id"], "porthole", "{path}");
    assert_eq!(
        body["page"]["url"], "https://status.example.com/status",
        "{path}"
    );
    assert_eq!(body["page"]["time_zone"], "Etc/UTC", "{path}");
    body
}

fn component<'a>(components: &'a Value, id: &str) -> &'a Value {
    components
        .as_array()
        .and_then(|all| all.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no component {id}: {components}"))
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|all| {
            all.iter()
                .map(|i| i["id"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn statuspage_answers_follow_incidents_and_maintenance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = porthole(dir.path()).await;

    // Nothing written, nothing checked: all operational.
    let summary = read(&app, "/api/v2/summary.json").await;
    assert_eq!(summary["status"]["indicator"], "none");
    assert_eq!(summary["status"]["description"], "All Systems Operational");
    assert_eq!(
        component(&summary["components"], "api")["status"],
        "operational"
    );
    let core = component(&summary["components"], "group-1");
    assert_eq!(core["name"], "Core");
    assert_eq!(core["group"], true);
    assert_eq!(core["components"], json!(["api", "web"]));
    assert_eq!(
        component(&summary["components"], "web")["group_id"],
        "group-1"
    );
    assert_eq!(
        component(&summary["components"], "mail")["group_id"],
        "group-2"
    );
    assert!(summary["incidents"].as_array().is_some_and(Vec::is_empty));

    // A major incident on the API.
    let incident = post(
        &app,
        "/api/v1/incidents",
        json!({"title": "Slow logins", "impact": "major", "services": ["api"],
               "status": "investigating", "message": "Looking into it."}),
    )
    .await;
    let id = incident["id"].as_u64().expect("id").to_string();
    post(
        &app,
        &format!("/api/v1/incidents/{id}/updates"),
        json!({"status": "monitoring", "message": "A fix is out."}),
    )
    .await;
    // Maintenance of the website under way, and of mail next week.
    let now = Utc::now();
    let window = |service: &str, title: &str, from: TimeDelta, to: TimeDelta| {
        json!({"title": title, "services": [service],
               "starts_at": (now + from).to_rfc3339(), "ends_at": (now + to).to_rfc3339(),
               "message": "Planned."})
    };
    let running = post(
        &app,
        "/api/v1/maintenance",
        window(
            "web",
            "Web deploy",
            TimeDelta::minutes(-5),
            TimeDelta::hours(1),
        ),
    )
    .await["id"]
        .as_u64()
        .expect("id")
        .to_string();
    let upcoming = post(
        &app,
        "/api/v1/maintenance",
        window(
            "mail",
            "Mail move",
            TimeDelta::days(7),
            TimeDelta::days(7) + TimeDelta::hours(2),
        ),
    )
    .await["id"]
        .as_u64()
        .expect("id")
        .to_string();

    let summary = read(&app, "/api/v2/summary.json").await;
    assert_eq!(summary["status"]["indicator"], "major");
    assert_eq!(summary["status"]["description"], "Partial System Outage");
    let components = &summary["components"];
    assert_eq!(component(components, "api")["status"], "partial_outage");
    assert_eq!(component(components, "web")["status"], "under_maintenance");
    assert_eq!(component(components, "mail")["status"], "operational");
    assert_eq!(component(components, "group-1")["status"], "partial_outage");
    assert_eq!(ids(&summary["incidents"]), vec![id.clone()]);
    let listed = &summary["incidents"][0];
    assert_eq!(listed["name"], "Slow logins");
    assert_eq!(listed["status"], "monitoring");
    assert_eq!(listed["impact"], "major");
    assert_eq!(
        listed["shortlink"],
        format!("https://status.example.com/status/incidents/{id}")
    );
    assert!(listed["monitoring_at"].is_string());
    assert!(listed["resolved_at"].is_null());
    let updates = listed["incident_updates"].as_array().expect("updates");
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0]["status"], "monitoring", "newest first");
    assert_eq!(updates[0]["body"], "A fix is out.");
    assert_eq!(updates[0]["incident_id"], id.as_str());
    assert_eq!(ids(&listed["components"]), vec!["api".to_owned()]);
    assert_eq!(
        ids(&summary["scheduled_maintenances"]),
        vec![running.clone(), upcoming.clone()]
    );
    let maintenance = &summary["scheduled_maintenances"][0];
    assert_eq!(maintenance["status"], "in_progress");
    assert_eq!(maintenance["impact"], "maintenance");
    assert!(maintenance["scheduled_for"].is_string() && maintenance["scheduled_until"].is_string());

    let status = read(&app, "/api/v2/status.json").await;
    assert_eq!(status["status"], summary["status"]);
    let listed = read(&app, "/api/v2/components.json").await;
    assert_eq!(listed["components"], summary["components"]);
    assert_eq!(
        ids(&read(&app, "/api/v2/incidents/unresolved.json").await["incidents"]),
        vec![id.clone()]
    );
    let active = read(&app, "/api/v2/scheduled-maintenances/active.json").await;
    assert_eq!(
        ids(&active["scheduled_maintenances"]),
        vec![running.clone()]
    );
    let next = read(&app, "/api/v2/scheduled-maintenances/upcoming.json").await;
    assert_eq!(ids(&next["scheduled_maintenances"]), vec![upcoming.clone()]);
    assert_eq!(next["scheduled_maintenances"][0]["status"], "scheduled");
    let all = read(&app, "/api/v2/scheduled-maintenances.json").await;
    assert_eq!(
        all["scheduled_maintenances"].as_array().map(Vec::len),
        Some(2)
    );

    // Resolved: out of the unresolved list, still in the full one.
    post(
        &app,
        &format!("/api/v1/incidents/{id}/resolve"),
        json!({"message": "Fixed."}),
    )
    .await;
    let summary = read(&app, "/api/v2/summary.json").await;
    assert!(summary["incidents"].as_array().is_some_and(Vec::is_empty));
    assert_eq!(
        summary["status"]["indicator"], "maintenance",
        "only the window remains"
    );
    assert_eq!(
        component(&summary["components"], "api")["status"],
        "operational"
    );
    let all = read(&app, "/api/v2/incidents.json").await;
    assert_eq!(ids(&all["incidents"]), vec![id.clone()]);
    assert_eq!(all["incidents"][0]["status"], "resolved");
    assert!(all["incidents"][0]["resolved_at"].is_string());
}

#[tokio::test]
async fn statuspage_paths_in_other_spellings_are_404s() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = porthole(dir.path()).await;
    for path in [
        "/api/v2/summary",
        "/api/v2/Summary.json",
        "/api/v2/summary.json/",
        "/api/v2/incidents/unresolved",
        "/api/v2/scheduled-maintenances/later.json",
        "/api/v2/%73ummary.json",
    ] {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(answer.json()["status"], "error", "{path}: a JSON error");
    }
}
