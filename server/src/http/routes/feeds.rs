//! The status feeds: `/status/feed.atom`, `.rss` and `.json` of every
//! service, and `/status/services/{service}/feed.*` of one. The access
//! guard has parsed the path into `Route::StatusFeed`; an unknown service
//! is a 404.

use axum::{
    Router,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::Utc;
use porthole_model::Route;

use crate::{
    http::{
        cache_headers,
        error::ApiError,
        extract::Routed,
        public_url::PublicUrl,
        state::{AppState, StatusApi},
    },
    notices::{
        feed::{self, FEED_ENTRIES, FeedSite},
        view::{ServiceNames, view},
    },
};

/// How long readers and proxies may keep a feed, in seconds.
const FEED_MAX_AGE: u64 = 60;

/// The feed routes.
pub fn router() -> Router<AppState> {
    // The site-wide feeds by name: `/status/{service}` is a service's page.
    porthole_model::FeedFormat::ALL
        .into_iter()
        .fold(Router::new(), |router, format| {
            router.route(&format!("/status/{}", format.file()), get(status_feed))
        })
        .route("/status/services/{service}/{file}", get(status_feed))
}

fn not_found() -> ApiError {
    ApiError::NotFound("there is nothing at this address".to_owned())
}

async fn status_feed(
    Routed(route): Routed,
    PublicUrl(public_url): PublicUrl,
    State(state): State<StatusApi>,
) -> Result<Response, ApiError> {
    let Route::StatusFeed { service, format } = route else {
        return Err(not_found());
    };
    let services = state.sources.services();
    let service = match service {
        None => None,
        Some(id) => Some(
            services
                .iter()
                .find(|s| s.id == id.as_str())
                .ok_or_else(|| {
                    ApiError::NotFound(format!("no service has the id {:?}", id.as_str()))
                })?,
        ),
    };
    let stored = state
        .status
        .notices()
        .recently_changed(service.map(|s| s.id.as_str()), FEED_ENTRIES)
        .await?;
    let names = ServiceNames::of(&services);
    let views: Vec<_> = stored.iter().map(|notice| view(notice, &names)).collect();
    let site = FeedSite {
        title: service.map_or_else(
            || format!("{} status", state.brand.brand().title),
            |s| format!("{} status", s.name),
        ),
        public_url: app::site::PublicUrl(public_url),
        service: service.map(|s| s.id.clone()),
    };
    let body = feed::render(format, &site, &feed::entries(&views), Utc::now());
    let content_type = HeaderValue::from_str(&format!("{}; charset=utf-8", format.media_type()))
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache_headers::public(FEED_MAX_AGE)),
        ],
        body,
    )
        .into_response())
}
