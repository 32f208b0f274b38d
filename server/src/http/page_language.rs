//! The language of a page, from its link.
//!
//! Every page's language is in its URL (`?lang=de`), so a page and its
//! cache entries, here and in any cache between, never mix languages. A
//! first visit's link has none: a browser that prefers a language
//! Porthole speaks other than English is sent to the same page with that
//! language (a redirect that varies by `Accept-Language` and is never
//! stored); any other is answered in English, marked as varying by
//! `Accept-Language`.

use axum::{
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use app::view_state::{Lang, ViewState};
use porthole_model::{Route, lang::with_lang};

/// Sends a first visit to its language, and says each page's language
/// (`Content-Language`).
pub async fn negotiate(request: Request, next: Next) -> Response {
    let is_page = matches!(*request.method(), Method::GET | Method::HEAD)
        && request
            .extensions()
            .get::<Route>()
            .is_some_and(Route::is_page);
    if !is_page {
        return next.run(request).await;
    }
    let query = request.uri().query().unwrap_or_default();
    let chosen = chosen_language(query);
    let preferred = match chosen {
        Some(_) => None,
        None => Some(preferred_language(&request)),
    };
    if let Some(lang) = preferred.filter(|lang| *lang != Lang::ENGLISH) {
        let location = with_lang(request.uri().path(), query, lang);
        return redirect(&location);
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let lang = chosen.flatten().unwrap_or_default();
    if let Ok(value) = HeaderValue::from_str(lang.as_str()) {
        headers.insert(header::CONTENT_LANGUAGE, value);
    }
    if preferred.is_some() {
        headers.append(header::VARY, HeaderValue::from_static("accept-language"));
    }
    response
}

/// The language the query names: `None` when it names none, `Some(None)`
/// when it names one Porthole does not speak (the page says so, in
/// English).
fn chosen_language(query: &str) -> Option<Option<Lang>> {
    form_urlencoded::parse(query.as_bytes())
        .any(|(name, _)| name == "lang")
        .then(|| {
            ViewState::from_query(|name| {
                form_urlencoded::parse(query.as_bytes())
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.into_owned())
            })
            .0
            .lang
        })
}

/// The language Porthole speaks that the browser prefers most.
fn preferred_language(request: &Request) -> Lang {
    let accepted = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    porthole_i18n::negotiate(accepted)
        .parse()
        .unwrap_or_default()
}

/// A redirect to `location` that only this browser's preferences chose:
/// no shared cache may keep it.
fn redirect(location: &str) -> Response {
    let Ok(location) = HeaderValue::from_str(location) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, location),
            (header::VARY, HeaderValue::from_static("accept-language")),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
    )
        .into_response()
}
