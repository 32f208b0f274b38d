//! A private dashboard's signed link (`?token=`): the page keeps the token
//! on every link it offers and every request it makes, so moving around
//! the dashboard never loses access. The server checks it; here it is only
//! carried.

use leptos::prelude::*;

/// The page's signed-link token, if it has one (provided as context).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessToken(pub Option<String>);

impl AccessToken {
    /// Longest token carried; signed tokens are far shorter.
    const MAX_LEN: usize = 200;

    /// The token of a page's query string. Only token-shaped text is kept,
    /// so nothing else rides along on the page's links.
    pub fn from_query(token: Option<String>) -> Self {
        Self(token.filter(|t| {
            !t.is_empty()
                && t.len() <= Self::MAX_LEN
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        }))
    }

    /// The token of the page being rendered.
    pub fn current() -> Self {
        use_context::<Self>().unwrap_or_default()
    }

    /// `href` with the token added, if there is one.
    pub fn append(&self, href: &str) -> String {
        with_token(href, self.0.as_deref())
    }
}

pub use porthole_model::route::with_token;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_ride_on_links_and_nothing_else_does() {
        let token = AccessToken::from_query(Some("1767225600.abc-_9".to_owned()));
        assert_eq!(
            token.append("/d/x?range=7d"),
            "/d/x?range=7d&token=1767225600.abc-_9"
        );
        assert_eq!(token.append("/d/x"), "/d/x?token=1767225600.abc-_9");
        assert_eq!(
            AccessToken::from_query(Some("a&range=1y".to_owned())).0,
            None
        );
        assert_eq!(AccessToken::default().append("/d/x"), "/d/x");
    }
}
