//! Whole rendered pages, kept until their dashboard's next refresh, so a
//! repeat viewer of a public page costs a copy instead of a render.
//!
//! A public page is the same for every viewer: Porthole reads no cookies
//! and keeps no per-viewer state. The one exception is the script nonce,
//! new on every response; it is stored as a placeholder and each answer
//! gets its own request's nonce. Entries are keyed by URL, refresh window
//! and KPI store generation (a KPI write shows at once, as in the panel
//! cache), and live with the configuration's sources (a reload starts
//! afresh). Signed links, snapshots and anything but a whole 200 page are
//! never kept. The key holds the canonical route and only the view
//! parameters a page reads, in a fixed order.

use std::{sync::Arc, time::Duration};

use axum::{
    body::{Body, Bytes, to_bytes},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use app::view_state::{Lang, ViewState, ZoneName};

use crate::http::etag::BodyTag;

/// Stands for the nonce in a kept page; no page holds it otherwise.
const NONCE_MARK: &str = "\u{1}porthole-nonce\u{1}";

/// The most page bytes kept, all pages together.
const CAPACITY_BYTES: u64 = 16 * 1024 * 1024;

/// The largest page kept.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// What a kept page is found by: the site's public URL, the canonical
/// page URL (route and [`canonical_view`]), the refresh window, and the
/// generations of the KPI and notice stores.
pub type Key = (Option<String>, String, i64, u64, u64);

/// The query parameters a page reads; every other one is left out of the
/// key (and ignored by the page), so `?x=<random>` is the same page.
const VIEW_PARAMETERS: [&str; 10] = [
    "range",
    "tz",
    "lang",
    // `/status/history`'s page.
    "page",
    "from",
    "to",
    "theme",
    "refresh",
    "transparent",
    "title",
];

/// Rendered pages by [`Key`].
#[derive(Debug, Clone)]
pub struct PageCache {
    pages: moka::future::Cache<Key, Arc<Page>>,
}

/// A kept page: its headers, its body with the nonce marked, and that
/// body's ETag (the same for every nonce, so computed once).
#[derive(Debug)]
struct Page {
    headers: HeaderMap,
    body: String,
    tag: Option<BodyTag>,
}

impl Default for PageCache {
    fn default() -> Self {
        Self {
            pages: moka::future::Cache::builder()
                .weigher(|_: &Key, page: &Arc<Page>| {
                    u32::try_from(page.body.len()).unwrap_or(u32::MAX)
                })
                .max_capacity(CAPACITY_BYTES)
                // Windows end on their own; this only frees old ones.
                .time_to_live(Duration::from_secs(3600))
                .build(),
        }
    }
}

/// Why a render left nothing in the cache: its answer was not a whole 200
/// HTML page. The requests that waited for it render their own.
#[derive(Debug)]
struct NotKept;

impl PageCache {
    /// The kept page of `key` for a request whose nonce is `nonce`, else
    /// `render`'s answer, kept when it is a whole 200 HTML page.
    ///
    /// Requests for the same missing page wait for one render: when a
    /// refresh window ends, every viewer of a busy page asks for it at once,
    /// and one render per viewer would put them all behind each other.
    /// When that render's answer is not kept, each waiting request renders
    /// its own.
    pub async fn answer_or_render<F, R>(&self, key: Key, nonce: &str, render: F) -> Response
    where
        F: FnOnce() -> R,
        R: Future<Output = Response>,
    {
        let mut render = Some(render);
        // This request's own answer, when its render was the one run.
        let mut own = None;
        let kept = self
            .pages
            .entry(key)
            .or_try_insert_with(async {
                let Some(render) = render.take() else {
                    return Err(NotKept);
                };
                match Page::keep(render().await, nonce).await {
                    Ok((page, rendered)) => {
                        let page = Arc::new(page);
                        // The rendered body is this request's page already:
                        // the same answer as a later hit's, without marking
                        // it back.
                        own = Some(page.answer_with(Body::from(rendered)));
                        Ok(page)
                    }
                    Err(response) => {
                        own = Some(response);
                        Err(NotKept)
                    }
                }
            })
            .await;
        if let Some(response) = own {
            return response;
        }
        match (kept, render) {
            (Ok(entry), _) => {
                let mut response = entry.into_value().answer(nonce);
                response
                    .headers_mut()
                    .insert("x-porthole-page", HeaderValue::from_static("hit"));
                response
            }
            (Err(_), Some(render)) => render().await,
            // Only this request's render takes `render`, and it sets `own`.
            (Err(_), None) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    }
}

/// The view parameters of `query` in a fixed order, when the page reads
/// them all without a message (valid values, none given twice, no token).
pub fn canonical_view(query: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if pairs.iter().any(|(name, _)| name == "token") {
        return None;
    }
    let mut view = form_urlencoded::Serializer::new(String::new());
    for name in VIEW_PARAMETERS {
        let mut values = pairs.iter().filter(|(key, _)| key == name);
        match (values.next(), values.next()) {
            (None, _) => {}
            // A zone has one spelling in the key, however it was
            // written (`europe/berlin`), so case variants share an entry.
            (Some((_, value)), None) if name == "tz" => {
                let zone = value.parse::<ZoneName>().map(|zone| zone.to_string());
                view.append_pair(name, zone.as_deref().unwrap_or(value));
            }
            // Likewise a language (`DE` is `de`).
            (Some((_, value)), None) if name == "lang" => {
                let lang = value.parse::<Lang>().map(|lang| lang.to_string());
                view.append_pair(name, lang.as_deref().unwrap_or(value));
            }
            (Some((_, value)), None) => {
                view.append_pair(name, value);
            }
            (Some(_), Some(_)) => return None,
        }
    }
    let view = view.finish();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let (_, messages) = ViewState::from_query(get);
    let flags_read = ["transparent", "title"]
        .iter()
        .all(|name| get(name).is_none_or(|v| matches!(v.as_str(), "0" | "1" | "true" | "false")));
    (messages.is_empty() && flags_read).then_some(view)
}

impl Page {
    /// The page of `response` with `nonce` marked, and the body as it was
    /// rendered (for `nonce`'s own request); or the response itself when it
    /// is not a whole 200 HTML page.
    async fn keep(response: Response, nonce: &str) -> Result<(Self, Bytes), Response> {
        let is_html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if response.status() != StatusCode::OK || !is_html {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        let bytes = match to_bytes(body, MAX_PAGE_BYTES).await {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::warn!(%error, "a page could not be read whole");
                return Err(StatusCode::SERVICE_UNAVAILABLE.into_response());
            }
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Err(Response::from_parts(parts, Body::from(bytes)));
        };
        let mut headers = HeaderMap::new();
        for name in [header::CONTENT_TYPE, header::CACHE_CONTROL] {
            if let Some(value) = parts.headers.get(&name) {
                headers.insert(name, value.clone());
            }
        }
        let body = text.replace(nonce, NONCE_MARK);
        let page = Self {
            headers,
            tag: BodyTag::of(body.as_bytes(), Some(NONCE_MARK)),
            body,
        };
        Ok((page, bytes))
    }

    /// This page for a request whose nonce is `nonce`.
    fn answer(&self, nonce: &str) -> Response {
        self.answer_with(Body::from(Bytes::from(
            self.body.replace(NONCE_MARK, nonce),
        )))
    }

    /// `body` with this page's headers and ETag.
    fn answer_with(&self, body: Body) -> Response {
        let mut response = Response::new(body);
        *response.headers_mut() = self.headers.clone();
        if let Some(tag) = &self.tag {
            response.extensions_mut().insert(tag.clone());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole HTML page whose scripts carry `nonce`.
    fn html(status: StatusCode, nonce: &str) -> Response {
        let page = format!(
            r#"<html><script nonce="{nonce}">go()</script><style nonce="{nonce}"></style></html>"#
        );
        let mut rendered = Response::new(Body::from(page));
        *rendered.status_mut() = status;
        rendered.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        rendered
    }

    async fn body_of(response: Response) -> String {
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        String::from_utf8(body.to_vec()).expect("UTF-8")
    }

    fn key(route: &str) -> Key {
        (None, route.to_owned(), 0, 0, 0)
    }

    /// A kept page's ETag is the one `cache_headers::conditional` computes
    /// from each answer's body, whatever that answer's nonce.
    #[tokio::test]
    async fn a_kept_page_carries_the_tag_of_every_answer_it_gives() {
        let cache = PageCache::default();
        let first = cache
            .answer_or_render(key("/"), "n0nce-one", || async {
                html(StatusCode::OK, "n0nce-one")
            })
            .await;
        let hit = cache
            .answer_or_render(key("/"), "n0nce-two", || async {
                Response::new(Body::from("rendered again"))
            })
            .await;
        assert_eq!(hit.headers()["x-porthole-page"], "hit");
        let tag_of = |response: &Response| {
            response
                .extensions()
                .get::<BodyTag>()
                .map(|BodyTag(tag)| tag.clone())
        };
        let (first_tag, hit_tag) = (tag_of(&first), tag_of(&hit));
        let body = body_of(hit).await;
        assert_eq!(
            body,
            body_of(html(StatusCode::OK, "n0nce-two")).await,
            "the hit's own nonce"
        );
        let computed = BodyTag::of(body.as_bytes(), Some("n0nce-two")).map(|BodyTag(tag)| tag);
        assert!(computed.is_some());
        assert_eq!(hit_tag, computed);
        assert_eq!(first_tag, computed);
        assert_ne!(
            BodyTag::of(b"<html>another page</html>", Some("n0nce-two")).map(|BodyTag(tag)| tag),
            computed
        );
    }

    /// Requests for one page the cache lacks, all at once (a refresh
    /// window ending on a busy page): one render, each answer with its own
    /// request's nonce.
    #[tokio::test]
    async fn requests_for_a_missing_page_wait_for_one_render() {
        let cache = PageCache::default();
        let renders = std::sync::atomic::AtomicUsize::new(0);
        let nonces: Vec<String> = (0..8).map(|n| format!("n0nce-{n}")).collect();
        let answers = futures::future::join_all(nonces.iter().map(|nonce| {
            cache.answer_or_render(key("/"), nonce, || async {
                renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                html(StatusCode::OK, nonce)
            })
        }))
        .await;
        assert_eq!(renders.into_inner(), 1, "one render for eight requests");
        for (answer, nonce) in answers.into_iter().zip(&nonces) {
            assert_eq!(answer.status(), StatusCode::OK);
            assert_eq!(
                body_of(answer).await,
                body_of(html(StatusCode::OK, nonce)).await
            );
        }
    }

    /// When the one render's answer is not kept (here a 404), the requests
    /// that waited for it render their own instead of sharing nothing.
    #[tokio::test]
    async fn requests_that_waited_for_an_answer_not_kept_render_their_own() {
        let cache = PageCache::default();
        let renders = std::sync::atomic::AtomicUsize::new(0);
        let answers = futures::future::join_all((0..4).map(|_| {
            cache.answer_or_render(key("/missing"), "n0nce", || async {
                renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                html(StatusCode::NOT_FOUND, "n0nce")
            })
        }))
        .await;
        assert_eq!(renders.into_inner(), 4);
        assert!(
            answers
                .iter()
                .all(|answer| answer.status() == StatusCode::NOT_FOUND)
        );
        assert!(cache.pages.get(&key("/missing")).await.is_none());
    }

    #[test]
    fn keys_hold_only_the_view_a_page_reads_in_one_order() {
        assert_eq!(
            canonical_view("theme=dark&x=123&range=7d").as_deref(),
            Some("range=7d&theme=dark")
        );
        assert_eq!(
            canonical_view("range=7d&theme=dark"),
            canonical_view("utm_source=x&theme=dark&range=7d")
        );
        assert_eq!(canonical_view("").as_deref(), Some(""));
        assert_eq!(
            canonical_view("tz=europe%2Fberlin&range=7d").as_deref(),
            Some("range=7d&tz=Europe%2FBerlin"),
            "one key per zone, however it is spelled"
        );
        assert_eq!(
            canonical_view("tz=EUROPE/BERLIN&range=7d"),
            canonical_view("range=7d&tz=Europe/Berlin")
        );
        for uncached in [
            "range=7d&range=1y",
            "range=bogus",
            "tz=Mars/Base",
            "theme=pink",
            "token=123.abc",
            "transparent=maybe",
        ] {
            assert_eq!(canonical_view(uncached), None, "{uncached}");
        }
    }
}
