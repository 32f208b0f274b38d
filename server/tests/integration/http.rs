//! HTTP tests through `router(state)`, without a socket: pages, APIs,
//! errors, static files and Porthole's own metrics.

use crate::common;

use std::path::Path;

use axum::{
    Router,
    body::Body,
    http::{HeaderName, Request, StatusCode, header},
};
use common::{TestApp, get, send};

/// A router over a site directory holding a few built files, with a KPI
/// store seeded with demo history.
async fn app(site: &Path) -> Router {
    std::fs::create_dir_all(site.join("pkg")).expect("pkg dir");
    std::fs::write(
        site.join("pkg/porthole.js"),
        "export function hydrate() {}\n".repeat(20),
    )
    .expect("js");
    std::fs::write(site.join("pkg/porthole.css"), "body { margin: 0 }\n").expect("css");
    std::fs::write(site.join("robots.txt"), "User-agent: *\nAllow: /\n").expect("robots");
    TestApp::new(site).with_demo_kpis().router().await
}

/// The SVG inside the page's chart figure.
fn chart_svg(html: &str) -> &str {
    let start = html.find("<figure").expect("a chart figure");
    let end = html[start..].find("</figure>").expect("figure closes") + start;
    &html[start..end]
}

#[tokio::test]
async fn dashboard_html_holds_a_server_drawn_chart() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    let page = get(&app, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header(header::CONTENT_TYPE).starts_with("text/html"));
    let figure = chart_svg(&page.body);
    assert!(figure.contains(r#"role="img""#), "{figure}");
    assert!(figure.contains(r#"data-range="30d""#), "{figure}");
    assert!(
        figure.contains("<svg") && figure.contains("<polyline"),
        "{figure}"
    );
    assert!(page.body.contains("Total users"));
    // The bundle's stylesheet, by the name its build gave it.
    assert!(
        page.body
            .contains(r#"<link id="leptos" rel="stylesheet" href="/pkg/porthole.css">"#),
        "the stylesheet is linked"
    );
    // Without Prometheus, the overview's figures that need it say so.
    assert!(
        page.body
            .contains("needs Prometheus: set [prometheus] url and [overview] requests"),
        "request rate says what to configure"
    );
    assert!(page.body.contains("Services up"));
    assert!(page.body.contains("Demo data"));
    // The alerts panel needs an upstream: under its title, calmly, not as
    // an error.
    let alerts = page
        .body
        .split(r#"data-panel="alerts""#)
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the alerts panel");
    assert!(alerts.contains("<h2>Active alerts</h2>"), "{alerts}");
    assert!(alerts.contains(r#"class="panel-state setup""#), "{alerts}");
    assert!(!alerts.contains("role=\"alert\""), "{alerts}");
    assert!(alerts.contains("set PROMETHEUS_URL"), "{alerts}");
    // Each chart is drawn at every panel size, for the stylesheet to pick.
    for size in ["size-280", "size-480", "size-800"] {
        assert_eq!(
            figure.matches(&format!(r#"<svg class="{size}""#)).count(),
            1,
            "{size}"
        );
    }
    assert!(page.body.contains(r#"aria-current="page""#));
    assert!(
        page.body.contains("/pkg/porthole.js"),
        "hydration script is linked"
    );
}

#[tokio::test]
async fn each_range_link_renders_its_own_chart() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    let month = get(&app, "/?range=30d").await;
    let week = get(&app, "/?range=7d").await;
    assert_eq!(week.status, StatusCode::OK);
    assert!(chart_svg(&week.body).contains(r#"data-range="7d""#));
    assert_ne!(chart_svg(&month.body), chart_svg(&week.body));
    assert!(
        week.body.contains(r#"href="/?range=90d""#),
        "range links work without JS"
    );
}

#[tokio::test]
async fn a_malformed_range_on_a_page_is_a_400_that_still_shows_the_dashboard() {
    let site = tempfile::tempdir().expect("tempdir");
    let page = get(&app(site.path()).await, "/?range=abc").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("unknown range"), "{}", page.body);
    assert!(chart_svg(&page.body).contains(r#"data-range="30d""#));
}

#[tokio::test]
async fn panel_api_returns_the_range_asked_for() {
    let site = tempfile::tempdir().expect("tempdir");
    let answer = get(
        &app(site.path()).await,
        "/api/panels/overview/users?range=7d",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let json = answer.json();
    assert_eq!(json["range"], "7d");
    assert_eq!(json["unit"], "count");
    assert_eq!(json["demo"], true);
    let points = json["series"][0]["points"].as_array().expect("points");
    assert_eq!(points.len(), 7);
    let (from, to) = (
        json["from"].as_i64().expect("from"),
        json["to"].as_i64().expect("to"),
    );
    assert_eq!(to - from, 7 * 86_400);
}

#[tokio::test]
async fn a_fixed_window_is_shown_by_the_api_and_the_page() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (today - chrono::Days::new(12), today - chrono::Days::new(2));
    let answer = get(
        &app,
        &format!("/api/panels/overview/users?from={from}&to={to}T00:00:00Z"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let json = answer.json();
    let start = from
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp();
    assert_eq!(json["from"].as_i64(), Some(start));
    assert_eq!(json["to"].as_i64(), Some(start + 10 * 86_400));
    assert_eq!(json["span"]["from"].as_i64(), Some(start));
    let days = json["series"][0]["points"]
        .as_array()
        .expect("points")
        .len();
    assert!((10..=11).contains(&days), "{days} days in a 10-day window");

    let page = get(&app, &format!("/?from={from}&to={to}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let figure = chart_svg(&page.body);
    assert!(
        figure.contains(&format!("{from} 00:00 UTC – {to} 00:00 UTC")),
        "the chart's summary names the window: {figure}"
    );
    assert!(
        page.body.contains(r#"href="/?range=7d""#),
        "range links leave the window"
    );
    let csv = format!("data.csv?from={from}T00:00:00Z&amp;to={to}T00:00:00Z");
    assert!(page.body.contains(&csv), "the CSV covers the window");
}

#[tokio::test]
async fn bad_windows_are_a_400_that_says_what_is_wrong() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    for (query, expected) in [
        ("from=2026-11-02&to=2026-11-01", "at least a minute before"),
        ("from=2020-01-01&to=2026-11-01", "at most 400 days"),
        ("from=noon&to=2026-11-01", "\"noon\" is not a time"),
        ("from=2026-11-01", "needs both from and to"),
        ("from=2099-01-01&to=2099-01-02", "starts in the future"),
    ] {
        let answer = get(&app, &format!("/api/panels/overview/users?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        let error = answer.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(error.contains(expected), "{query}: {error}");
    }
    let page = get(&app, "/?from=noon&to=2026-11-01").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("is not a time"), "the page says why");
}

#[tokio::test]
async fn bad_api_input_is_a_400_with_a_json_message() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    for uri in [
        "/api/panels/overview/users?range=abc",
        "/api/panels/overview/users?range=",
        "/api/panels/overview/users?range=%FF",
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        let json = answer.json();
        assert_eq!(json["status"], "error", "{uri}");
        assert_eq!(json["errorType"], "bad_data", "{uri}");
        assert!(
            json["error"].as_str().is_some_and(|e| e.contains("range")),
            "{uri}: {json}"
        );
    }
}

#[tokio::test]
async fn unknown_api_things_are_404_json() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    for (uri, needle) in [
        ("/api/panels/nope/users", "nope"),
        ("/api/panels/overview/nope", "nope"),
        ("/api/nothing/here", "/api/nothing/here"),
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            answer
                .header(header::CONTENT_TYPE)
                .starts_with("application/json")
        );
        let json = answer.json();
        assert_eq!(json["errorType"], "not_found");
        assert!(
            json["error"].as_str().is_some_and(|e| e.contains(needle)),
            "{json}"
        );
    }
}

#[tokio::test]
async fn unknown_pages_are_a_404_page_with_a_link_home() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    for uri in ["/no/such/page", "/pkg/missing.wasm", "/pkg/../Cargo.toml"] {
        let page = get(&app, uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.body.contains("Page not found"), "{uri}: {}", page.body);
        assert!(page.body.contains(r#"href="/""#), "{uri}");
    }
}

#[tokio::test]
async fn health_is_json() {
    let site = tempfile::tempdir().expect("tempdir");
    let answer = get(&app(site.path()).await, "/health").await;
    assert_eq!(answer.status, StatusCode::OK);
    let json = answer.json();
    assert_eq!(json["status"], "healthy");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    // The commit the binary was built from: this checkout's, with
    // `-modified` when its files differ from it.
    let commit = json["commit"].as_str().expect("a commit");
    assert_eq!(commit, porthole::COMMIT);
    assert_eq!(
        commit.len(),
        12 + if commit.ends_with("-modified") { 9 } else { 0 },
        "{commit}"
    );
    assert!(
        commit[..12].bytes().all(|b| b.is_ascii_hexdigit()),
        "{commit}"
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    get(&app, "/health").await;
    get(&app, "/health").await;
    get(&app, "/api/panels/overview/users?range=7d").await;
    let answer = get(&app, "/metrics").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer
            .header(header::CONTENT_TYPE)
            .contains("openmetrics-text")
    );
    let text = &answer.body;
    assert!(
        text.contains(
            r#"porthole_http_requests_total{route="/health",method="GET",status="200"} 2"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"porthole_http_request_duration_seconds_bucket{le="0.0005",route="/api/panels/{dashboard}/{panel}""#)
            || text.contains(r#"route="/api/panels/{dashboard}/{panel}",method="GET",status="200",le="#),
        "{text}"
    );
}

#[tokio::test]
async fn static_files_have_types_cache_headers_and_compression() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;

    let js = get(&app, "/pkg/porthole.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(js.header(header::CONTENT_TYPE), "text/javascript");
    // Unhashed names (no hash.txt beside this test binary) must be revalidated.
    assert_eq!(js.header(header::CACHE_CONTROL), "no-cache");

    let robots = get(&app, "/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(
        robots
            .header(header::CONTENT_TYPE)
            .starts_with("text/plain")
    );
    assert_eq!(robots.header(header::CACHE_CONTROL), "public, max-age=3600");

    for encoding in ["br", "gzip"] {
        let compressed = send(
            &app,
            Request::get("/pkg/porthole.js")
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(compressed.header(header::CONTENT_ENCODING), encoding);
    }
}

/// A cache in front (a CDN, nginx) keeps public answers for as long as they
/// say, and revalidates them with their ETag.
#[tokio::test]
async fn public_answers_carry_cache_control_and_an_etag_that_gets_a_304() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    for uri in ["/", "/d/overview", "/api/panels/overview/users?range=30d"] {
        let first = get(&app, uri).await;
        assert_eq!(first.status, StatusCode::OK, "{uri}");
        let cache_control = first.header(header::CACHE_CONTROL);
        for part in [
            "public",
            "max-age=60",
            "stale-while-revalidate=",
            "stale-if-error=",
        ] {
            assert!(cache_control.contains(part), "{uri}: {cache_control}");
        }
        let tag = first.header(header::ETAG).to_owned();
        assert!(tag.starts_with("W/\""), "{uri}: ETag {tag:?}");

        // A page's script nonce is new each time; its ETag is not.
        let second = get(&app, uri).await;
        assert_eq!(second.header(header::ETAG), tag, "{uri}");
        if uri.starts_with("/api") {
            assert_eq!(second.body, first.body);
        } else {
            let policy = header::CONTENT_SECURITY_POLICY;
            assert_ne!(second.header(policy.clone()), first.header(policy), "{uri}");
        }

        let revalidated = send(
            &app,
            Request::get(uri)
                .header(header::IF_NONE_MATCH, &tag)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(revalidated.body.is_empty());
        assert_eq!(revalidated.header(header::ETAG), tag);
        // The browser keeps the policy stored with the body it keeps.
        assert!(
            !revalidated
                .headers
                .contains_key(header::CONTENT_SECURITY_POLICY)
        );

        let changed = send(
            &app,
            Request::get(uri)
                .header(header::IF_NONE_MATCH, "W/\"something-else\"")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{uri}");
    }
    // Errors are not for keeping.
    let missing = get(&app, "/d/no-such-dashboard").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!missing.headers.contains_key(header::ETAG));
    assert!(!missing.header(header::CACHE_CONTROL).starts_with("public"));
}

/// A repeat viewer of a public page gets the kept render, with the nonce
/// of its own response; pages that must not be kept are rendered each time.
#[tokio::test]
async fn public_pages_are_kept_until_their_refresh_with_each_answers_own_nonce() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    let first = get(&app, "/d/overview?range=7d").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header(HeaderName::from_static("x-porthole-page")), "");
    // A refresh window may end between two requests; within one, the
    // second is a hit.
    let mut again = get(&app, "/d/overview?range=7d").await;
    if again.header(HeaderName::from_static("x-porthole-page")) != "hit" {
        again = get(&app, "/d/overview?range=7d").await;
    }
    assert_eq!(
        again.header(HeaderName::from_static("x-porthole-page")),
        "hit"
    );
    for answer in [&first, &again] {
        let policy = answer.header(header::CONTENT_SECURITY_POLICY);
        let nonce = porthole::http::headers::nonce_of_policy(policy).expect("a nonce");
        assert!(
            answer.body.contains(&format!("nonce=\"{nonce}\"")),
            "the page's scripts carry its own response's nonce"
        );
    }
    assert_ne!(first.body, again.body, "each answer has its own nonce");
    assert_eq!(
        first.header(header::ETAG),
        again.header(header::ETAG),
        "and the same content"
    );

    // Another view is another page; errors are never kept.
    let other = get(&app, "/d/overview?range=30d").await;
    assert_eq!(other.header(HeaderName::from_static("x-porthole-page")), "");
    for _ in 0..2 {
        let missing = get(&app, "/d/nothing-here").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(
            missing.header(HeaderName::from_static("x-porthole-page")),
            ""
        );
    }
}
