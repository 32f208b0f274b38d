//! The brand's files: `/manifest.webmanifest` (named and coloured by
//! `[site]`), `/brand/logo.svg` (or `.png`) and the icons drawn from an
//! SVG logo, `/brand/icon-192.png` and `/brand/icon-512.png`.

use axum::{
    Router,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use bytes::Bytes;

use crate::{
    brand::{BrandAssets, ICON_SIZES},
    http::{cache_headers, error::ApiError, state::AppState},
};

/// How long browsers and proxies may keep the brand's files, in seconds:
/// they change only with a restart.
const MAX_AGE: u64 = 3600;

/// The brand's routes, for the files `assets` holds.
pub fn router(assets: &BrandAssets) -> Router<AppState> {
    let mut router = Router::new().route("/manifest.webmanifest", get(manifest));
    if let Some(path) = &assets.brand().logo {
        router = router.route(path, get(logo));
    }
    for size in ICON_SIZES {
        if assets.icon(size).is_some() {
            router = router.route(
                &format!("/brand/icon-{size}.png"),
                get(move |State(assets): State<BrandAssets>| icon(assets, size)),
            );
        }
    }
    router
}

async fn manifest(State(assets): State<BrandAssets>) -> Response {
    file(assets.manifest(), "application/manifest+json")
}

async fn logo(State(assets): State<BrandAssets>) -> Result<Response, ApiError> {
    let (bytes, content_type) = assets.logo().ok_or_else(not_found)?;
    Ok(file(bytes, content_type))
}

async fn icon(assets: BrandAssets, size: u32) -> Result<Response, ApiError> {
    Ok(file(assets.icon(size).ok_or_else(not_found)?, "image/png"))
}

fn not_found() -> ApiError {
    ApiError::NotFound("there is nothing at this address".to_owned())
}

fn file(bytes: Bytes, content_type: &'static str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, cache_headers::public(MAX_AGE));
    response
}
