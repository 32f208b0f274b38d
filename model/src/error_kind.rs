//! What kind of error an answer carries: `errorType` on the wire, in
//! Prometheus' spelling (snake_case), with one mapping to an HTTP status.

use serde::{Deserialize, Serialize};

/// The kind of an error answer: Prometheus' `errorType` values, Porthole's
/// own, and whatever else an upstream sent, kept as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request is malformed or past a limit.
    BadData,
    /// The request needs credentials it did not carry.
    Unauthorized,
    /// The credentials are wrong, or the action is not allowed.
    Forbidden,
    /// The request names something that does not exist.
    NotFound,
    /// The request names something that existed and is gone for good.
    Gone,
    /// The request contradicts what is stored (an update to a resolved
    /// incident, a state that goes back).
    Conflict,
    /// The client sent more requests than its rate limit allows.
    RateLimited,
    /// A source did not answer in time.
    Timeout,
    /// The query was cancelled.
    Canceled,
    /// The query could not be evaluated.
    Execution,
    /// A source Porthole depends on is unavailable for now.
    Unavailable,
    /// What is asked needs a source this Porthole is not configured with;
    /// the message says what to set. Pages show it calmly, not as a fault.
    NotConfigured,
    /// Porthole itself failed.
    Internal,
    /// A kind an upstream sent that Porthole does not know.
    #[serde(untagged)]
    Other(String),
}

impl ErrorKind {
    /// The HTTP status an answer of this kind carries: the one mapping from
    /// kinds to statuses. An upstream's unknown kind is its fault (502).
    pub fn status(&self) -> u16 {
        match self {
            ErrorKind::BadData => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Gone => 410,
            ErrorKind::Conflict => 409,
            ErrorKind::Execution => 422,
            ErrorKind::RateLimited => 429,
            ErrorKind::Internal => 500,
            ErrorKind::Other(_) => 502,
            ErrorKind::Unavailable | ErrorKind::NotConfigured => 503,
            ErrorKind::Canceled | ErrorKind::Timeout => 504,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_snake_case_and_unknown_ones_are_kept() {
        assert_eq!(
            serde_json::to_string(&ErrorKind::RateLimited)
                .ok()
                .as_deref(),
            Some("\"rate_limited\"")
        );
        for kind in [
            ErrorKind::NotFound,
            ErrorKind::BadData,
            ErrorKind::Other("odd".into()),
        ] {
            let text = serde_json::to_string(&kind).expect("serializes");
            assert_eq!(serde_json::from_str::<ErrorKind>(&text).ok(), Some(kind));
        }
        assert_eq!(
            serde_json::from_str::<ErrorKind>("\"not_acceptable\"").ok(),
            Some(ErrorKind::Other("not_acceptable".into()))
        );
        assert_eq!(ErrorKind::Other("x".into()).status(), 502);
        assert_eq!(ErrorKind::NotFound.status(), 404);
    }
}
