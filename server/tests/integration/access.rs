//! Private dashboards through `router(state)`: signed links open them, and
//! anything else (no token, a tampered or expired one, another dashboard's)
//! is a 403 that says why, on pages and APIs alike; every other spelling of
//! a dashboard's id is a 404, never an answer. Absolute links come from
//! `[server] public_url`, never from a client's `Host`.

use crate::common;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use common::{TestApp, fixtures::FINANCE_AND_PRODUCT};
use common::{get, send};
use porthole::signing::SigningKey;

const KEY: &str = "an example signing key, 32+ bytes long";

/// A server with a private dashboard `finance` and a public one `product`.
async fn app(site: &std::path::Path) -> Router {
    porthole(site).router().await
}

/// [`app`] before it is built, for tests that change it.
fn porthole(site: &std::path::Path) -> TestApp {
    TestApp::new(site)
        .with_config(FINANCE_AND_PRODUCT)
        .with_demo_kpis()
        .with_signing_key(KEY)
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

/// Every route that shows a dashboard's data, with `{d}` for its id.
const DASHBOARD_ROUTES: [&str; 8] = [
    "/d/{d}",
    "/embed/{d}/users",
    "/render/{d}/users.svg",
    "/render/{d}/users.png",
    "/api/dashboards/{d}",
    "/api/panels/{d}/users",
    "/api/panels/{d}/users/data.csv",
    "/api/live/{d}",
];

/// Spellings of `finance` an attacker would try, each of which some layer
/// could have decoded or normalized into `finance`.
const SPELLINGS: [&str; 14] = [
    "fin%61nce",
    "%66inance",
    "%66%69%6e%61%6e%63%65",
    "Finance",
    "FINANCE",
    "finance%2F",
    "finance%2f..%2ffinance",
    "./finance",
    "x/../finance",
    "/finance",
    "finance%00",
    "fin%C3%A1nce",
    "finance%20",
    "finance;x",
];

/// `GET path`, reading the status and (except an open stream's) the body.
async fn status_and_body(app: &Router, path: &str) -> (StatusCode, String) {
    use tower::ServiceExt;
    let request = Request::get(path).body(Body::empty()).expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    // A stream that was admitted never ends; its status says enough.
    if status == StatusCode::OK && path.starts_with("/api/live/") {
        return (status, String::new());
    }
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn no_spelling_of_a_private_dashboard_answers_without_its_token() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    let token = token("finance", 3_600);
    for route in DASHBOARD_ROUTES {
        let query = |token: Option<&str>| {
            let mut query = "range=7d&refresh=10s".to_owned();
            if let Some(token) = token {
                query.push_str(&format!("&token={token}"));
            }
            query
        };
        // The one spelling that names it opens with the token only.
        let canonical = route.replace("{d}", "finance");
        let (status, body) = status_and_body(&app, &format!("{canonical}?{}", query(None))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{canonical}");
        assert!(!body.contains("Paying users"), "{canonical}: {body}");
        let (status, _) =
            status_and_body(&app, &format!("{canonical}?{}", query(Some(&token)))).await;
        assert_eq!(status, StatusCode::OK, "{canonical} with its token");
        // Every other spelling is nothing, with or without the token.
        for spelling in SPELLINGS {
            let path = route.replace("{d}", spelling);
            for token in [None, Some(token.as_str())] {
                let (status, body) =
                    status_and_body(&app, &format!("{path}?{}", query(token))).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{path} (token: {token:?})");
                assert!(!body.contains("Paying users"), "{path}: {body}");
            }
        }
        // A trailing slash, too.
        let (status, _) =
            status_and_body(&app, &format!("{canonical}/?{}", query(Some(&token)))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{canonical}/");
    }
}

#[tokio::test]
async fn unknown_dashboards_are_404_before_any_handler() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    for route in DASHBOARD_ROUTES {
        let path = route.replace("{d}", "nope");
        let (status, body) = status_and_body(&app, &format!("{path}?refresh=10s")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(body.contains("there is no dashboard"), "{path}: {body}");
    }
}

#[tokio::test]
async fn the_page_cache_never_serves_a_private_page_and_ignores_what_pages_do_not_read() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    let token = token("finance", 3_600);
    let private = get(&app, &format!("/d/finance?range=7d&token={token}")).await;
    assert_eq!(private.status, StatusCode::OK);
    assert_eq!(private.header(header::CACHE_CONTROL), "private, no-store");
    let again = get(&app, "/d/finance?range=7d").await;
    assert_eq!(again.status, StatusCode::FORBIDDEN, "not from the cache");
    assert!(!again.body.contains("Paying users"));

    let first = get(&app, "/d/product?range=7d&theme=dark").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("x-porthole-page".parse().expect("name")), "");
    for same_page in [
        "/d/product?range=7d&theme=dark",
        "/d/product?theme=dark&range=7d",
        "/d/product?range=7d&theme=dark&utm_source=x&cachebuster=81273",
    ] {
        let answer = get(&app, same_page).await;
        assert_eq!(
            answer.header("x-porthole-page".parse().expect("name")),
            "hit",
            "{same_page}"
        );
    }
    // A value the page does not read is shown with a message, and a value
    // given twice is read once: both are rendered, never kept.
    for uncached in ["/d/product?range=bogus", "/d/product?range=7d&range=1y"] {
        for _ in 0..2 {
            let answer = get(&app, uncached).await;
            assert!(answer.body.contains("Users"), "{uncached}: {}", answer.body);
            assert_eq!(
                answer.header("x-porthole-page".parse().expect("name")),
                "",
                "{uncached}"
            );
        }
    }
}

#[tokio::test]
async fn absolute_links_come_from_the_public_url_never_from_host() {
    let site = tempfile::tempdir().expect("tempdir");
    let request = |host: &str| {
        Request::get("/d/product?range=7d")
            .header(header::HOST, host)
            .header("x-forwarded-proto", "https")
            .body(Body::empty())
            .expect("request")
    };
    // No public URL: relative links, no absolute-URL tags, and no trace of
    // the Host the client sent (in this answer or the next viewer's).
    let app = app(site.path()).await;
    let foreign = send(&app, request("evil.example")).await;
    assert_eq!(foreign.status, StatusCode::OK);
    assert!(!foreign.body.contains("evil.example"), "{}", foreign.body);
    assert!(!foreign.body.contains("og:image"), "no absolute image URL");
    assert!(
        foreign.body.contains("og:title"),
        "the rest of the preview stays"
    );
    let next = send(&app, request("porthole.example")).await;
    assert!(!next.body.contains("evil.example"));

    // With one, every absolute link uses it, whatever the Host says.
    let site = tempfile::tempdir().expect("tempdir");
    let app = porthole(site.path())
        .with_public_url("https://status.example.com")
        .router()
        .await;
    let page = send(&app, request("evil.example")).await;
    assert!(!page.body.contains("evil.example"), "{}", page.body);
    assert!(
        page.body.contains(
            r#"property="og:image" content="https://status.example.com/render/product/users.png?width=1200"#
        ),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(r#"value="https://status.example.com/d/product?range=7d""#),
        "the Share dialog's link: {}",
        page.body
    );
}

#[tokio::test]
async fn metrics_labels_take_a_fixed_set_of_methods() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    for method in ["PURGE", "X-RANDOM-1", "X-RANDOM-2"] {
        let request = Request::builder()
            .method(method)
            .uri("/health")
            .body(Body::empty())
            .expect("request");
        send(&app, request).await;
    }
    let metrics = get(&app, "/metrics").await.body;
    assert!(
        !metrics.contains("PURGE") && !metrics.contains("X-RANDOM"),
        "{metrics}"
    );
    assert!(metrics.contains(r#"method="other""#), "{metrics}");
}
