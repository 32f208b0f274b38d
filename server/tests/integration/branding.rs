//! The operator's brand (`[site]`) through the pages, the manifest, the
//! brand's files and the Statuspage-compatible API, as `porthole serve`
//! reads it from porthole.toml; and Porthole's own brand without one.

use crate::common;

use axum::http::{StatusCode, header};
use common::{TestApp, get};

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20" width="40" height="20"><rect width="40" height="20" rx="4" fill="#0b6bcb"/></svg>"##;

const SITE: &str = r##"
[site]
title = "Acme Cloud Status"
description = "Is Acme up? Live status of Acme's API and apps."
logo = "logo.svg"
accent = "#0b6bcb"
accent_dark = "#7cc4ff"
links = [
  { label = "Home", url = "https://acme.example" },
  { label = "Support", url = "https://acme.example/support" },
]
"##;

/// A PNG's width and height, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let word = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (word(16), word(20))
}

#[tokio::test]
async fn the_brand_is_on_every_page_in_the_manifest_and_the_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("logo.svg"), LOGO).expect("logo");
    let app = TestApp::new(dir.path()).with_config(SITE).router().await;

    for (path, title) in [
        ("/status", "Status · Acme Cloud Status"),
        (
            "/status/history",
            "Incident history · Status · Acme Cloud Status",
        ),
        (
            "/status/incidents/999",
            "Not found · Status · Acme Cloud Status",
        ),
    ] {
        let page = get(&app, path).await.body;
        assert!(
            page.contains(&format!("<title>{title}</title>")),
            "{path}: {page}"
        );
        for expected in [
            r#"<meta name="description" content="Is Acme up? Live status of Acme's API and apps.""#,
            r##"<meta name="theme-color" content="#0b6bcb""##,
            ".app { --accent: #0b6bcb; }",
            r#".app[data-theme="dark"] { --accent: #7cc4ff; }"#,
            r#"<img src="/brand/logo.svg" alt="" width="28" height="28" class="brand-logo">"#,
            "<span>Acme Cloud Status</span>",
            r#"<a href="https://acme.example/" rel="noopener">Home</a>"#,
            r#"<a href="https://acme.example/support" rel="noopener">Support</a>"#,
            r#"<link rel="apple-touch-icon" href="/brand/icon-192.png""#,
        ] {
            assert!(
                page.contains(expected),
                "{path} lacks {expected}: {}",
                page.split("<body")
                    .nth(1)
                    .unwrap_or(&page)
                    .chars()
                    .take(1500)
                    .collect::<String>()
            );
        }
        let header = page
            .split("<header")
            .nth(1)
            .and_then(|rest| rest.split("</header>").next())
            .unwrap_or_default();
        assert!(
            !header.contains("Porthole"),
            "{path}'s header still says Porthole: {header}"
        );
    }
    let missing = get(&app, "/d/nothing-here").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing
            .body
            .contains("<title>Page not found · Acme Cloud Status</title>"),
        "{}",
        missing.body
    );
    let status = get(&app, "/status").await.body;
    assert!(
        status.contains(r#"content="Acme Cloud Status""#),
        "og:site_name"
    );

    let manifest = get(&app, "/manifest.webmanifest").await;
    assert_eq!(manifest.status, StatusCode::OK);
    assert_eq!(
        manifest.header(header::CONTENT_TYPE),
        "application/manifest+json"
    );
    let manifest = manifest.json();
    assert_eq!(manifest["name"], "Acme Cloud Status");
    assert_eq!(manifest["short_name"], "Acme");
    assert_eq!(manifest["theme_color"], "#0b6bcb");
    let icons = manifest["icons"].as_array().expect("icons");
    assert_eq!(icons.len(), 2, "{manifest}");
    for icon in icons {
        let src = icon["src"].as_str().expect("src");
        let answer = get(&app, src).await;
        assert_eq!(answer.status, StatusCode::OK, "{src}");
        assert_eq!(answer.header(header::CONTENT_TYPE), "image/png");
        let size = png_size(&answer.bytes);
        assert_eq!(format!("{}x{}", size.0, size.1), icon["sizes"], "{src}");
    }
    let logo = get(&app, "/brand/logo.svg").await;
    assert_eq!(logo.header(header::CONTENT_TYPE), "image/svg+xml");
    assert_eq!(logo.body, LOGO);
    assert_eq!(
        get(&app, "/brand/logo.png").await.status,
        StatusCode::NOT_FOUND,
        "the logo is served in its own format only"
    );

    let summary = get(&app, "/api/v2/summary.json").await.json();
    assert_eq!(summary["page"]["name"], "Acme Cloud Status");
    let feed = get(&app, "/status/feed.json").await.json();
    assert_eq!(feed["title"], "Acme Cloud Status status");
}

#[tokio::test]
async fn without_a_brand_porthole_is_its_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::new(dir.path()).router().await;
    let page = get(&app, "/status").await.body;
    assert!(page.contains("<title>Status · Porthole</title>"));
    assert!(
        !page.contains("--accent:"),
        "no accent rules of an operator"
    );
    assert!(!page.contains("brand-logo"));
    let manifest = get(&app, "/manifest.webmanifest").await.json();
    assert_eq!(manifest["name"], "Porthole");
    assert_eq!(manifest["icons"][0]["src"], "/icons/icon-192.png");
    for path in ["/brand/logo.svg", "/brand/icon-192.png"] {
        assert_eq!(
            get(&app, path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}
