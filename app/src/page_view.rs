//! The view a page renders, as context for the components below it: its
//! time zone, resolved once from `tz`, so that every time a component
//! prints (tables, banners, incidents, chart axes and readouts) is in it
//! with the zone shown; and the part of the view that links to other pages
//! carry (theme and zone). Islands get the part of the zone's table they
//! need as a prop ([`ChartLines`](crate::components::chart_lines::ChartLines)
//! carries its chart's), since context does not cross into the browser.

use std::sync::Arc;

use leptos::prelude::*;

use crate::view_state::ViewState;
use porthole_model::zone::{Zone, ZoneName};

/// How far past now a page's table reaches: a live page that stays open
/// keeps placing new times correctly across a change of the clocks.
pub const AHEAD_SECONDS: i64 = 400 * 86_400;

/// The zone of the page being rendered, shared: a page prints many times.
#[derive(Debug, Clone)]
struct PageZone(Arc<Zone>);

/// The view of the page being rendered.
#[derive(Debug, Clone, Copy)]
struct PageView(ViewState);

/// Provides `view` to every component below, with its zone resolved
/// (from 1970 to [`AHEAD_SECONDS`] past now).
pub fn provide_view(view: ViewState) {
    provide_context(PageView(view));
    crate::words::provide_language(view.language());
    provide_context(PageZone(Arc::new(resolve(view.zone))));
}

/// The view the page's query asks for, provided with [`provide_view`]: what
/// the status pages, whose view has no dashboard defaults, start with.
/// What the query got wrong is said at the top of the page, and the page
/// is a 400 (so no cache keeps it).
pub fn view_from_query() -> Signal<ViewState> {
    let query = leptos_router::hooks::use_query_map();
    let view = Signal::derive(move || {
        let query = query.read();
        ViewState::from_query(|key| query.get(key)).0
    });
    provide_view(view.get_untracked());
    let problems = query.with_untracked(|query| ViewState::from_query(|key| query.get(key)).1);
    if !problems.is_empty() {
        #[cfg(feature = "ssr")]
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::BAD_REQUEST);
        }
        // In the page's language, provided just above.
        provide_context(ViewProblems(
            problems.iter().map(crate::words::view_problem).collect(),
        ));
    }
    view
}

/// What a status page's query got wrong, in words (see
/// [`view_from_query`]).
#[derive(Debug, Clone, Default)]
pub struct ViewProblems(pub Vec<String>);

impl ViewProblems {
    /// The problems of the page being rendered; none when there are none.
    pub fn current() -> Vec<String> {
        use_context::<Self>().unwrap_or_default().0
    }
}

/// The page the request is for, as the server's one route parser read it
/// (`None` in the browser, or for a request it did not route).
#[cfg(feature = "ssr")]
pub fn request_route() -> Option<porthole_model::Route> {
    use_context::<http::request::Parts>()?
        .extensions
        .get::<porthole_model::Route>()
        .cloned()
}

/// The view the request's query asks for, as the server reads it before
/// the app renders: what the document around the app (`<html lang>`, link
/// previews) is made with. The default view in the browser.
pub fn request_view() -> ViewState {
    #[cfg(feature = "ssr")]
    {
        let Some(parts) = use_context::<http::request::Parts>() else {
            return ViewState::default();
        };
        let query: Vec<(String, String)> = parts
            .uri
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        ViewState::from_query(|key| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())).0
    }
    #[cfg(not(feature = "ssr"))]
    {
        ViewState::default()
    }
}

/// `href` (another page of the site) with the theme, zone and language of
/// the page being rendered.
pub fn carry(href: &str) -> String {
    use_context::<PageView>().map_or_else(|| href.to_owned(), |view| view.0.carry(href))
}

/// Provides `zone` as it is: an island's prop, in the browser.
pub fn provide_resolved(zone: Zone) {
    provide_context(PageZone(Arc::new(zone)));
}

/// A full timestamp in the page's zone and language, with the zone:
/// `2026-01-28 12:00 CET`, `28.01.2026 12:00 CET`.
pub fn timestamp(t: i64) -> String {
    crate::words::page_style().timestamp(&page_zone(), t)
}

/// The zone of the page being rendered; UTC when none was provided.
pub fn page_zone() -> Arc<Zone> {
    use_context::<PageZone>()
        .map(|zone| zone.0)
        .unwrap_or_default()
}

/// The page's zone over the last `seconds` and the [`AHEAD_SECONDS`] to
/// come: what an island that keeps showing new times needs.
pub fn zone_ahead(seconds: i64) -> Zone {
    let now = now_seconds();
    page_zone().within(
        now.saturating_sub(seconds),
        now.saturating_add(AHEAD_SECONDS),
    )
}

#[cfg(feature = "ssr")]
fn resolve(name: ZoneName) -> Zone {
    Zone::resolve(name, 0, now_seconds().saturating_add(AHEAD_SECONDS))
}

/// Unix seconds now, on the server (pages render there).
#[cfg(feature = "ssr")]
fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(not(feature = "ssr"))]
fn now_seconds() -> i64 {
    0
}

/// The browser renders islands only, which take their zone as a prop.
#[cfg(not(feature = "ssr"))]
fn resolve(_name: ZoneName) -> Zone {
    Zone::utc()
}
