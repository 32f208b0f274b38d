//! Which route a request names, and whether it may see it: the one place a
//! request's path is interpreted (through the route model,
//! [`porthole_model::Route`]), before any handler runs.
//!
//! - A path that is not canonical (a percent escape, another case, a dot or
//!   empty segment, a trailing slash) names nothing: 404.
//! - A route of a dashboard that does not exist: 404.
//! - A private dashboard (`public = false`) needs a signed link's `?token=`
//!   (see [`crate::signing`]); refusals are a 403 page, or a JSON error for
//!   APIs and renders. Admitted answers are kept out of shared caches and
//!   referrers, so the token travels no further.
//!
//! The guard leaves the parsed [`Route`] and an [`Admission`] on the
//! request for the layers and handlers inside, and the route on the
//! response for the layers outside. The data layer checks the admission
//! again (see [`crate::panels::Admission`]).

use axum::{
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use porthole_model::{Route, RouteError};

use crate::{
    http::error::ApiError, http::state::LinkGuard, panels::Admission, signing::AccessError,
};

/// The `token` query parameter, if given.
fn token_of(request: &Request) -> Option<String> {
    let query = request.uri().query()?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "token")
        .map(|(_, value)| value.into_owned())
}

/// Parses the request's route and admits it, or answers 404 or 403.
pub async fn guard(State(state): State<LinkGuard>, mut request: Request, next: Next) -> Response {
    let route = match Route::parse(request.uri().path()) {
        Ok(route) => route,
        Err(error) => return refused_path(&error, site(&state)),
    };
    let admission = match admit(&state, &route, &request) {
        Ok(admission) => admission,
        Err(Refusal::NoDashboard) => return no_dashboard(&route, site(&state)),
        Err(Refusal::Forbidden(error)) => {
            return forbidden(!route.is_page(), &error, site(&state));
        }
    };
    request.extensions_mut().insert(route.clone());
    request.extensions_mut().insert(admission.clone());
    let mut response = next.run(request).await;
    response.extensions_mut().insert(route);
    if let Admission::Signed(_) = admission {
        keep_private(&mut response);
    }
    response
}

/// Why a request was not admitted.
enum Refusal {
    /// Its route names a dashboard that does not exist.
    NoDashboard,
    /// It names a private dashboard without a valid signed link.
    Forbidden(AccessError),
}

/// What `request` for `route` may read, or why it may not.
fn admit(state: &LinkGuard, route: &Route, request: &Request) -> Result<Admission, Refusal> {
    let Some(dashboard) = route.dashboard() else {
        return Ok(Admission::Public);
    };
    let panels = state.sources.panels();
    let Some(definition) = panels.dashboard(dashboard) else {
        return Err(Refusal::NoDashboard);
    };
    if definition.public {
        return Ok(Admission::Public);
    }
    let now = chrono::Utc::now().timestamp();
    match state
        .signing_key
        .verify(dashboard, token_of(request).as_deref(), now)
    {
        Ok(_expires) => Ok(Admission::Signed(dashboard.to_owned())),
        Err(error) => Err(Refusal::Forbidden(error)),
    }
}

/// An admitted private answer: no shared cache, no referrer, no index.
fn keep_private(response: &mut Response) {
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
}

/// The site's name, for the titles of refusal pages.
fn site(state: &LinkGuard) -> &str {
    &state.brand.brand().title
}

/// A path that names nothing.
fn refused_path(error: &RouteError, site: &str) -> Response {
    if error.wants_json() {
        ApiError::NotFound(error.to_string()).into_response()
    } else {
        not_found_page("There is nothing at this address.", site)
    }
}

/// A route of a dashboard that does not exist.
fn no_dashboard(route: &Route, site: &str) -> Response {
    // Ids are canonical here, so safe in HTML as they are.
    let message = format!(
        "there is no dashboard {:?}",
        route.dashboard().unwrap_or_default()
    );
    if route.is_page() {
        not_found_page(&message, site)
    } else {
        ApiError::NotFound(message).into_response()
    }
}

fn forbidden(api: bool, error: &AccessError, site: &str) -> Response {
    let mut response = if api {
        ApiError::Forbidden(error.to_string()).into_response()
    } else {
        plain_page(
            StatusCode::FORBIDDEN,
            "Private dashboard",
            &format!("{error}."),
            site,
        )
    };
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn not_found_page(message: &str, site: &str) -> Response {
    plain_page(StatusCode::NOT_FOUND, "Page not found", message, site)
}

/// A page that needs none of the app: a heading, what happened, a way home.
/// `message` is Porthole's own text, never a client's; `site` is the
/// operator's, escaped.
fn plain_page(status: StatusCode, title: &str, message: &str, site: &str) -> Response {
    let home = Route::Overview.href();
    let site = crate::notices::markdown::text_to_html(site);
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{title} · {site}</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"></head>\n<body style=\"font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #111827\"><h1>{title}</h1><p role=\"alert\">{message}</p><p><a href=\"{home}\">Go to the overview</a></p></body></html>\n"
    );
    (status, Html(page)).into_response()
}
