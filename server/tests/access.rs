//! Private dashboards through `router(state)`: signed links open them, and
//! anything else (no token, a tampered or expired one, another dashboard's)
//! is a 403 that says why, on pages and APIs alike.

mod common;

use axum::{Router, http::StatusCode, http::header};
use common::get;
use porthole::{
    auth::AdminToken,
    config::{DashboardConfig, ServeConfig},
    db::Db,
    kpi::KpiStore,
    leptos_options, router,
    signing::SigningKey,
    state::AppState,
};

const KEY: &str = "an example signing key, 32+ bytes long";

/// A server with a private dashboard `finance` and a public one `product`.
async fn app(site: &std::path::Path) -> Router {
    let kpi = KpiStore::new(Db::open(&site.join("kpi.duckdb")).expect("db"));
    kpi.seed_demo_if_empty(chrono::Utc::now().date_naive())
        .await
        .expect("seed");
    let dashboards: Vec<DashboardConfig> = toml::from_str::<toml::Table>(
        r#"
        [[dashboard]]
        id = "finance"
        title = "Finance"
        public = false
        [[dashboard.panel]]
        id = "users"
        kind = "growth"
        title = "Paying users"

        [[dashboard]]
        id = "product"
        title = "Product"
        [[dashboard.panel]]
        id = "users"
        kind = "growth"
        title = "Users"
        "#,
    )
    .expect("toml")["dashboard"]
        .clone()
        .try_into()
        .expect("dashboards");
    let config = ServeConfig {
        dashboards,
        signing_key: SigningKey::new(Some(KEY)).expect("key"),
        ..ServeConfig::default()
    };
    router(
        AppState::configured(leptos_options(site), kpi, AdminToken::new(None), &config)
            .expect("state"),
    )
}

fn token(dashboard: &str, expires_in: i64) -> String {
    SigningKey::new(Some(KEY))
        .expect("key")
        .sign(dashboard, chrono::Utc::now().timestamp() + expires_in)
        .expect("token")
}

#[tokio::test]
async fn a_signed_link_opens_the_private_dashboard_and_keeps_its_token() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    let token = token("finance", 3_600);
    let page = get(&app, &format!("/d/finance?range=7d&token={token}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.header(header::REFERRER_POLICY), "no-referrer");
    assert_eq!(page.header(header::CACHE_CONTROL), "private, no-store");
    assert!(page.body.contains("Paying users"));
    assert!(
        page.body
            .contains(&format!(r#"href="/d/finance?range=30d&amp;token={token}""#)),
        "range links keep the token"
    );
    let api = get(
        &app,
        &format!("/api/panels/finance/users?range=7d&token={token}"),
    )
    .await;
    assert_eq!(api.status, StatusCode::OK);
    let csv = get(
        &app,
        &format!("/api/panels/finance/users/data.csv?range=7d&token={token}"),
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    // Public dashboards need nothing, and carry no private headers.
    let public = get(&app, "/d/product").await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(
        public.header(header::REFERRER_POLICY),
        "strict-origin-when-cross-origin"
    );
    assert!(!public.header(header::CACHE_CONTROL).contains("private"));
}

#[tokio::test]
async fn missing_tampered_expired_and_foreign_tokens_are_refused() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    let good = token("finance", 3_600);
    let (expires, tag) = good.split_once('.').expect("two parts");
    let later = format!("{}.{tag}", expires.parse::<i64>().expect("expiry") + 86_400);
    let truncated = good[..good.len() - 4].to_owned();
    let cases = [
        (String::new(), "open it with the signed link"),
        (token("product", 3_600), "not valid for this dashboard"),
        (later, "not valid for this dashboard"),
        (truncated, "not valid for this dashboard"),
        (token("finance", -60), "expired"),
    ];
    for (token, expected) in cases {
        let page = get(&app, &format!("/d/finance?token={token}")).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{token}");
        assert!(page.body.contains(expected), "{token}: {}", page.body);
        assert!(!page.body.contains("Paying users"), "nothing leaks");
        for api in [
            format!("/api/panels/finance/users?token={token}"),
            format!("/api/dashboards/finance?token={token}"),
            format!("/api/live/finance?refresh=10s&token={token}"),
        ] {
            let answer = get(&app, &api).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{api}");
            assert_eq!(answer.json()["errorType"], "forbidden", "{api}");
        }
    }
}
