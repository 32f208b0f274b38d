//! The KPI API against a real DuckDB file: every endpoint's JSON compared
//! field by field with the documented shapes, writes, auth and bad input.

use crate::common;

use axum::{
    Router,
    http::{StatusCode, header},
};
use chrono::{Days, NaiveDate, Utc};
use common::{TestApp, get, post_json};
use serde_json::{Value, json};

const TOKEN: &str = "test-admin-token-0123456789abcdef";

/// A router over an empty (no demo) KPI store in `dir`.
async fn app(dir: &std::path::Path) -> Router {
    TestApp::new(dir)
        .with_config("[kpi]\nmetrics = [\"revenue\"]\n")
        .with_admin_token(TOKEN)
        .router()
        .await
}

async fn push(app: &Router, date: NaiveDate, metrics: Value) {
    let body = json!({"date": date.to_string(), "metrics": metrics}).to_string();
    let answer = post_json(app, "/api/v1/kpis", Some(TOKEN), body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

#[tokio::test]
async fn health_and_latest_have_the_documented_shape() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    for offset in (0..30u64).rev() {
        let date = day("2026-01-28") - Days::new(offset);
        push(
            &app,
            date,
            json!({"total_users": 9 - (offset.min(9) as i64)}),
        )
        .await;
    }
    push(
        &app,
        day("2026-01-28"),
        json!({"total_users": 9, "verified_users": 1, "new_users_today": 0,
               "new_users_week": 9, "new_users_month": 9, "total_db_size_bytes": 9613795}),
    )
    .await;

    let health = get(&app, "/api/v1/analytics/health").await.json();
    assert_eq!(
        keys(&health),
        [
            "database_path",
            "demo",
            "latest_snapshot",
            "status",
            "total_records"
        ]
    );
    assert_eq!(health["status"], "healthy");
    assert_eq!(
        health["database_path"],
        dir.path().join("kpi.duckdb").display().to_string()
    );
    assert_eq!(health["total_records"], 30);
    assert_eq!(health["latest_snapshot"], "2026-01-28");
    assert_eq!(health["demo"], false);

    let latest = get(&app, "/api/v1/analytics/latest").await.json();
    assert_eq!(
        keys(&latest),
        [
            "date",
            "new_users_month",
            "new_users_today",
            "new_users_week",
            "recorded_at",
            "total_db_size_bytes",
            "total_users",
            "verified_users"
        ]
    );
    assert_eq!(latest["date"], "2026-01-28");
    assert_eq!(latest["total_users"], 9);
    assert_eq!(latest["verified_users"], 1);
    assert_eq!(latest["new_users_today"], 0);
    assert_eq!(latest["new_users_week"], 9);
    assert_eq!(latest["new_users_month"], 9);
    assert_eq!(latest["total_db_size_bytes"], 9613795);
    let recorded_at = latest["recorded_at"].as_str().expect("a string");
    assert!(
        chrono::NaiveDateTime::parse_from_str(recorded_at, "%Y-%m-%d %H:%M:%S%.6f").is_ok()
            && recorded_at.len() == "2026-01-28 11:46:45.440934".len(),
        "{recorded_at}"
    );
}

#[tokio::test]
async fn growth_counts_back_from_today() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    let today = Utc::now().date_naive();
    let yesterday = today - Days::new(1);
    push(&app, today - Days::new(40), json!({"total_users": 1})).await;
    push(&app, yesterday, json!({"total_users": 5})).await;
    push(&app, today, json!({"total_users": 6})).await;

    let rows = get(&app, "/api/v1/analytics/growth").await.json();
    assert_eq!(
        rows,
        json!([
            {"date": yesterday.to_string(), "total_users": 5, "growth": null, "growth_percent": null},
            {"date": today.to_string(), "total_users": 6, "growth": 1, "growth_percent": 20.0}
        ]),
        "the default 30 days leave out the day 40 days ago"
    );
    let rows = get(&app, "/api/v1/analytics/growth?days=1").await.json();
    assert_eq!(rows.as_array().map(Vec::len), Some(1));
    let rows = get(&app, "/api/v1/analytics/growth?days=3660").await.json();
    assert_eq!(rows.as_array().map(Vec::len), Some(3));
    assert_eq!(rows[1]["growth"], 4);
    assert_eq!(rows[1]["growth_percent"], 400.0);
}

#[tokio::test]
async fn monthly_and_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    push(
        &app,
        day("2026-01-01"),
        json!({"total_users": 5, "revenue": 10.5}),
    )
    .await;
    push(
        &app,
        day("2026-01-31"),
        json!({"total_users": 10, "revenue": 12.5}),
    )
    .await;
    push(&app, day("2026-02-24"), json!({"total_users": 12})).await;
    push(&app, day("2026-02-28"), json!({"total_users": 15})).await;

    let months = get(&app, "/api/v1/analytics/monthly").await.json();
    assert_eq!(
        months,
        json!([
            {"month": "2026-01", "total_users": 10, "new_users": 5, "growth_percent": null},
            {"month": "2026-02", "total_users": 15, "new_users": 5, "growth_percent": 50.0}
        ])
    );

    let summary = get(&app, "/api/v1/analytics/summary").await.json();
    assert_eq!(summary["date"], "2026-02-28");
    assert_eq!(summary["demo"], false);
    assert_eq!(
        summary["metrics"]["total_users"],
        json!({"value": 15, "delta_7d": 5, "delta_30d": 10, "trend": "up"}),
        "vs Jan 31 (last on or before Feb 21) and Jan 1 (last on or before Jan 29)"
    );
    assert_eq!(
        summary["metrics"]["revenue"],
        json!({"value": 12.5, "delta_7d": 2, "delta_30d": 2, "trend": "up"}),
        "revenue's latest value is Jan 31's, compared with Jan 1's"
    );
    assert!(
        summary["metrics"].get("verified_users").is_none(),
        "never recorded"
    );
}

#[tokio::test]
async fn csv_export_lists_every_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    push(
        &app,
        day("2026-01-01"),
        json!({"total_users": 5, "revenue": 10.5}),
    )
    .await;
    let answer = get(&app, "/api/v1/analytics/export.csv").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.header(header::CONTENT_TYPE).starts_with("text/csv"));
    assert_eq!(
        answer.body,
        "date,metric,value\n2026-01-01,total_users,5\n2026-01-01,revenue,10.5\n"
    );
}

#[tokio::test]
async fn writes_need_the_admin_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    let body = json!({"date": "2026-01-28", "metrics": {"total_users": 9}}).to_string();

    let missing = post_json(&app, "/api/v1/kpis", None, body.clone()).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.header(header::WWW_AUTHENTICATE), "Bearer");
    assert_eq!(missing.json()["errorType"], "unauthorized");

    let wrong = post_json(&app, "/api/v1/kpis", Some("not-the-token"), body).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong.json()["errorType"], "forbidden");

    let latest = get(&app, "/api/v1/analytics/latest").await;
    assert_eq!(latest.status, StatusCode::NOT_FOUND, "nothing was written");
}

#[tokio::test]
async fn bad_input_is_a_4xx_that_says_what_and_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;

    for days in ["abc", "-1", "0", "100000", "1e3"] {
        let answer = get(&app, &format!("/api/v1/analytics/growth?days={days}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "days={days}");
        let json = answer.json();
        assert_eq!(json["errorType"], "bad_data");
        assert!(
            json["error"]
                .as_str()
                .is_some_and(|e| e.contains("1 to 3660")),
            "{json}"
        );
    }

    let cases = [
        (
            json!({"date": "2026-13-01", "metrics": {"total_users": 1}}),
            "YYYY-MM-DD",
        ),
        (
            json!({"date": "yesterday", "metrics": {"total_users": 1}}),
            "YYYY-MM-DD",
        ),
        (
            json!({"date": "2026-01-28", "metrics": {"signups": 1}}),
            "unknown metric \"signups\"",
        ),
        (json!({"date": "2026-01-28", "metrics": {}}), "at least one"),
        (
            json!({"date": "2026-01-28", "metrics": {"total_users": "many"}}),
            "metrics",
        ),
        (json!({"date": "2026-01-28"}), "metrics"),
        (
            json!({"date": "2026-01-28", "metrics": {"total_users": 1}, "extra": 1}),
            "extra",
        ),
    ];
    for (body, needle) in cases {
        let answer = post_json(&app, "/api/v1/kpis", Some(TOKEN), body.to_string()).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            answer.body
        );
        let json = answer.json();
        assert!(
            json["error"].as_str().is_some_and(|e| e.contains(needle)),
            "{body}: {json}"
        );
    }

    let not_json = post_json(&app, "/api/v1/kpis", Some(TOKEN), "{".to_owned()).await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);

    let huge = format!(
        r#"{{"date":"2026-01-28","metrics":{{"total_users":1}},"pad":"{}"}}"#,
        "x".repeat(70 * 1024)
    );
    let answer = post_json(&app, "/api/v1/kpis", Some(TOKEN), huge).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        answer.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("64 KiB"))
    );

    let health = get(&app, "/api/v1/analytics/health").await.json();
    assert_eq!(health["total_records"], 0, "no bad request wrote anything");
}

#[tokio::test]
async fn demo_data_is_flagged_and_replaced_by_the_first_real_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::new(dir.path())
        .with_demo_kpis()
        .with_admin_token(TOKEN)
        .router()
        .await;
    let health = get(&app, "/api/v1/analytics/health").await.json();
    assert_eq!(health["demo"], true);
    assert_eq!(health["total_records"], 730);
    let page = get(&app, "/").await;
    assert!(page.body.contains("Demo data"));

    push(&app, Utc::now().date_naive(), json!({"total_users": 3})).await;
    let health = get(&app, "/api/v1/analytics/health").await.json();
    assert_eq!(health["demo"], false);
    assert_eq!(health["total_records"], 1);
    let page = get(&app, "/").await;
    assert!(!page.body.contains("Demo data"));
}

#[tokio::test]
async fn cached_answers_follow_every_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    let today = Utc::now().date_naive();
    push(&app, today, json!({"total_users": 10})).await;
    for uri in [
        "/api/v1/analytics/latest",
        "/api/v1/analytics/summary",
        "/api/v1/analytics/growth?days=1",
        "/api/v1/analytics/monthly",
    ] {
        let before = get(&app, uri).await;
        assert_eq!(before.status, StatusCode::OK);
        assert_eq!(get(&app, uri).await.body, before.body, "{uri}: repeated");
        assert_eq!(before.header(header::CONTENT_TYPE), "application/json");
    }
    push(&app, today, json!({"total_users": 12})).await;
    assert_eq!(
        get(&app, "/api/v1/analytics/latest").await.json()["total_users"],
        12
    );
    assert_eq!(
        get(&app, "/api/v1/analytics/summary").await.json()["metrics"]["total_users"]["value"],
        12
    );
    assert_eq!(
        get(&app, "/api/v1/analytics/growth?days=1").await.json()[0]["total_users"],
        12
    );
    assert_eq!(
        get(&app, "/api/v1/analytics/monthly").await.json()[0]["total_users"],
        12
    );
}
