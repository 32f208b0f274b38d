//! Panel renders and link previews through `router(state)`: SVG and PNG of
//! the requested size and theme, ETags and caching, clear 4xx for bad input,
//! and og/twitter tags on pages pointing at a render that answers.

use crate::common;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use common::{TestApp, get, send};

async fn app(site: &std::path::Path) -> Router {
    // Link previews need to know where visitors reach the site.
    TestApp::new(site)
        .with_demo_kpis()
        .with_public_url("https://status.example.com")
        .router()
        .await
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    (number(16), number(20))
}

#[tokio::test]
async fn png_and_svg_renders_have_the_size_theme_and_cache_headers_asked_for() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    let png = send(
        &app,
        Request::get("/render/overview/users.png?width=640&height=320&range=7d")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(png.header(header::CONTENT_TYPE), "image/png");
    assert_eq!(png_size(&png.bytes), (640, 320));
    let tag = png.header(header::ETAG).to_owned();
    assert!(tag.starts_with('"'), "{tag}");
    assert!(png.header(header::CACHE_CONTROL).contains("max-age=60"));
    // The text is drawn with the shipped font: many non-background pixels.
    assert!(png.bytes.len() > 10_000, "{} bytes", png.bytes.len());

    let again = send(
        &app,
        Request::get("/render/overview/users.png?width=640&height=320&range=7d")
            .header(header::IF_NONE_MATCH, &tag)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    let light = get(&app, "/render/overview/users.svg?range=7d").await;
    let dark = get(&app, "/render/overview/users.svg?range=7d&theme=dark").await;
    assert_eq!(light.header(header::CONTENT_TYPE), "image/svg+xml");
    assert!(
        light.body.contains(r#"width="800" height="300""#),
        "default size"
    );
    assert!(light.body.contains("#FFFFFF") && !light.body.contains("#111827"));
    assert!(dark.body.contains("#111827"), "dark background");
    assert_ne!(light.header(header::ETAG), dark.header(header::ETAG));
}

#[tokio::test]
async fn bad_renders_are_4xx_that_say_why() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    for (uri, status, expected) in [
        (
            "/render/overview/users.gif",
            StatusCode::NOT_FOUND,
            "{panel}.svg or {panel}.png",
        ),
        (
            "/render/overview/users.png?width=99999",
            StatusCode::BAD_REQUEST,
            "width must be between",
        ),
        (
            "/render/overview/users.png?width=abc",
            StatusCode::BAD_REQUEST,
            "width",
        ),
        (
            "/render/overview/users.png?theme=pink",
            StatusCode::BAD_REQUEST,
            "light or dark",
        ),
        (
            "/render/overview/users.png?range=2w",
            StatusCode::BAD_REQUEST,
            "unknown range",
        ),
        (
            "/render/overview/monthly.png",
            StatusCode::BAD_REQUEST,
            "is not a chart",
        ),
        (
            "/render/overview/nope.png",
            StatusCode::NOT_FOUND,
            "no panel",
        ),
        (
            "/render/nope/users.png",
            StatusCode::NOT_FOUND,
            "no dashboard",
        ),
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, status, "{uri}: {}", answer.body);
        assert!(answer.body.contains(expected), "{uri}: {}", answer.body);
    }
}

#[tokio::test]
async fn pages_carry_link_previews_whose_image_answers() {
    let site = tempfile::tempdir().expect("tempdir");
    let app = app(site.path()).await;
    let page = send(
        &app,
        Request::get("/?range=7d")
            .header(header::HOST, "elsewhere.example")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    let html = String::from_utf8_lossy(&page.bytes).into_owned();
    for tag in [
        r#"property="og:title" content="Overview""#,
        r#"name="twitter:card" content="summary_large_image""#,
        r#"property="og:image" content="https://status.example.com/render/overview/users.png?width=1200&amp;height=630&amp;range=7d""#,
        r#"property="og:url" content="https://status.example.com/?range=7d""#,
    ] {
        assert!(html.contains(tag), "{tag} in {html}");
    }
    assert!(
        !html.contains("elsewhere.example"),
        "the Host is not believed"
    );
    let image = get(
        &app,
        "/render/overview/users.png?width=1200&height=630&range=7d",
    )
    .await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(png_size(&image.bytes), (1200, 630));
    let status = get(&app, "/status").await;
    assert!(
        status
            .body
            .contains(r#"property="og:title" content="Service status""#)
    );
}
