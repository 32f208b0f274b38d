//! Entity tags: what a public answer's body is called, the same in every
//! process that computes it, and whether a client already holds it.

use axum::http::{HeaderMap, HeaderValue, header};
use xxhash_rust::xxh3::Xxh3;

/// A strong ETag of `parts`, the same in every process that computes it
/// (replicas behind one cache agree on it): XXH3's 128 bits, a fixed
/// algorithm. A tag names a body; it proves nothing, so it needs no
/// cryptographic hash, and every fresh page is hashed whole (SHA-256 was
/// about 2% of a fresh render).
pub fn etag_of<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    format!("\"{:032x}\"", hasher.digest128())
}

/// Whether the request's `If-None-Match` names `tag` (compared weakly, as
/// RFC 9110 asks for GET).
pub fn client_has(headers: &HeaderMap, tag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let tag = bare(tag);
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == "*" || bare(t) == tag))
}

/// A response body's weak ETag (`W/"…"`, as [`conditional`] computes it),
/// known to whoever built the response: the page cache keeps one with each
/// page, so a repeat viewer's page is not read and hashed again.
#[derive(Debug, Clone)]
pub struct BodyTag(pub HeaderValue);

impl BodyTag {
    /// The tag of `body` with every occurrence of `nonce` left out.
    pub fn of(body: &[u8], nonce: Option<&str>) -> Option<Self> {
        HeaderValue::from_str(&format!("W/{}", etag_without(body, nonce)))
            .ok()
            .map(Self)
    }
}

/// The ETag of `body` with every occurrence of `nonce` left out: the
/// pieces between them are hashed where they lie, without a copy.
fn etag_without(body: &[u8], nonce: Option<&str>) -> String {
    match nonce.filter(|n| !n.is_empty()) {
        None => etag_of([body]),
        Some(nonce) => {
            // Each piece ends where a nonce starts, the last at the end.
            let ends = memchr::memmem::find_iter(body, nonce.as_bytes()).chain([body.len()]);
            let mut start = 0;
            etag_of(ends.map(|end| {
                let piece = &body[start..end];
                start = end + nonce.len();
                piece
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_ignore_the_nonce_but_not_the_content() {
        let a = etag_without(b"<script nonce=\"abc\">1</script>", Some("abc"));
        let b = etag_without(b"<script nonce=\"xyz\">1</script>", Some("xyz"));
        let c = etag_without(b"<script nonce=\"xyz\">2</script>", Some("xyz"));
        assert_eq!(a, b);
        assert_ne!(b, c);
        // Wherever the nonce stands, and however often.
        let at_ends = |n: &str| format!("{n}<script nonce=\"{n}\">{n}{n}1</script>{n}");
        assert_eq!(
            etag_without(at_ends("abc").as_bytes(), Some("abc")),
            etag_without(at_ends("xyz").as_bytes(), Some("xyz"))
        );
        assert_ne!(
            etag_without(at_ends("abc").as_bytes(), Some("abc")),
            etag_without(b"<script nonce=\"\">1</script>", None)
        );
    }

    #[test]
    fn if_none_match_compares_weakly_and_in_lists() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"other\", W/\"abc\""),
        );
        assert!(client_has(&headers, "\"abc\""));
        assert!(client_has(&headers, "W/\"abc\""));
        assert!(!client_has(&headers, "\"abd\""));
        assert!(!client_has(&HeaderMap::new(), "\"abc\""));
    }
}
