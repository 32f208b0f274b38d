//! The access guard of private dashboards (`public = false`): every route
//! that shows a dashboard's data (its page, embeds, renders and APIs) needs
//! a signed link's `?token=` (see [`crate::signing`]). Refusals are a 403
//! page, or a JSON error under `/api`. Admitted responses are kept out of
//! shared caches and referrers, so the token travels no further.

use axum::{
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

use crate::{error::ApiError, panels::OVERVIEW, signing::AccessError, state::AppState};

/// The dashboard a path shows data of, if any.
fn dashboard_of(path: &str) -> Option<&str> {
    let mut segments = path.trim_start_matches('/').split('/');
    match (segments.next()?, segments.next()) {
        ("", None) => Some(OVERVIEW),
        ("d" | "embed" | "render", Some(id)) => Some(id),
        ("api", Some("dashboards" | "panels" | "live")) => segments.next(),
        _ => None,
    }
}

/// The `token` query parameter, if given.
fn token_of(request: &Request) -> Option<String> {
    let query = request.uri().query()?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "token")
        .map(|(_, value)| value.into_owned())
}

/// Admits requests for public dashboards, and for private ones with a
/// valid signed link; refuses the rest with a page that says why.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(dashboard) = dashboard_of(request.uri().path()).map(str::to_owned) else {
        return next.run(request).await;
    };
    if state.panels().is_public(&dashboard) {
        return next.run(request).await;
    }
    let now = chrono::Utc::now().timestamp();
    if let Err(error) = state
        .signing_key
        .verify(&dashboard, token_of(&request).as_deref(), now)
    {
        return refuse(request.uri().path().starts_with("/api/"), &error);
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    response
}

fn refuse(api: bool, error: &AccessError) -> Response {
    let mut response = if api {
        ApiError::Forbidden(error.to_string()).into_response()
    } else {
        (StatusCode::FORBIDDEN, Html(forbidden_page(error))).into_response()
    };
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// A plain page: the refusal needs none of the app.
fn forbidden_page(error: &AccessError) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>Private dashboard · Porthole</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"></head>\n<body style=\"font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #111827\"><h1>Private dashboard</h1><p role=\"alert\">{error}.</p><p><a href=\"/\">Go to the overview</a></p></body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_dashboard_they_show() {
        for (path, dashboard) in [
            ("/", Some("overview")),
            ("/d/finance", Some("finance")),
            ("/embed/finance/revenue", Some("finance")),
            ("/render/finance/revenue.png", Some("finance")),
            ("/api/panels/finance/revenue", Some("finance")),
            ("/api/panels/finance/revenue/data.csv", Some("finance")),
            ("/api/live/finance", Some("finance")),
            ("/api/dashboards/finance", Some("finance")),
            ("/status", None),
            ("/api/v1/query", None),
            ("/pkg/porthole.js", None),
        ] {
            assert_eq!(dashboard_of(path), dashboard, "{path}");
        }
    }
}
