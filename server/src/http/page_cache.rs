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

impl PageCache {
    /// The kept page of `key` for a request whose nonce is `nonce`.
    pub async fn answer(&self, key: &Key, nonce: &str) -> Option<Response> {
        let page = self.pages.get(key).await?;
        let mut response = page.answer(nonce);
        response
            .headers_mut()
            .insert("x-porthole-page", HeaderValue::from_static("hit"));
        Some(response)
    }

    /// `response` (rendered with `nonce`) kept under `key` when it is a
    /// whole 200 HTML page, and answered.
    pub async fn keep(&self, key: Key, response: Response, nonce: &str) -> Response {
        match Page::keep(response, nonce).await {
            Ok((page, rendered)) => {
                let page = Arc::new(page);
                self.pages.insert(key, page.clone()).await;
                // The rendered body is this request's page already: the
                // same answer as a later hit's, without marking it back.
                page.answer_with(Body::from(rendered))
            }
            Err(response) => response,
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

    /// A kept page's ETag is the one `cache_headers::conditional` computes
    /// from each answer's body, whatever that answer's nonce.
    #[tokio::test]
    async fn a_kept_page_carries_the_tag_of_every_answer_it_gives() {
        let page = r#"<html><script nonce="n0nce-one">go()</script><style nonce="n0nce-one"></style></html>"#;
        let mut rendered = Response::new(Body::from(page));
        rendered.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        let cache = PageCache::default();
        let key: Key = (None, "/".to_owned(), 0, 0, 0);
        let first = cache.keep(key.clone(), rendered, "n0nce-one").await;
        let hit = cache.answer(&key, "n0nce-two").await.expect("kept");
        let tag_of = |response: &Response| {
            response
                .extensions()
                .get::<BodyTag>()
                .map(|BodyTag(tag)| tag.clone())
        };
        let (first_tag, hit_tag) = (tag_of(&first), tag_of(&hit));
        let body = to_bytes(hit.into_body(), usize::MAX).await.expect("body");
        assert_eq!(
            body.as_ref(),
            page.replace("n0nce-one", "n0nce-two").as_bytes()
        );
        let computed = BodyTag::of(&body, Some("n0nce-two")).map(|BodyTag(tag)| tag);
        assert!(computed.is_some());
        assert_eq!(hit_tag, computed);
        assert_eq!(first_tag, computed);
        assert_ne!(
            BodyTag::of(b"<html>another page</html>", Some("n0nce-two")).map(|BodyTag(tag)| tag),
            computed
        );
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
