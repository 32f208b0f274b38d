//! Ids as they appear in URLs. Each has exactly one spelling: what a URL
//! holds is compared byte for byte with what the configuration defines, so
//! `Finance`, `fin%61nce` or `finance/` can never name `finance`.

use std::fmt;

/// The id of the built-in overview dashboard, shown at `/`.
pub const OVERVIEW: &str = "overview";

/// Ids of services, dashboards and panels: `[a-z0-9_-]{1,64}`, safe in
/// URLs, file names and metric labels.
pub fn is_url_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// An id that [`is_url_id`] accepts: a dashboard's, a panel's or a
/// service's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

impl Id {
    /// `text` as an id, if it is one.
    pub fn new(text: &str) -> Option<Self> {
        is_url_id(text).then(|| Self(text.to_owned()))
    }

    /// The overview dashboard's id.
    pub fn overview() -> Self {
        Self(OVERVIEW.to_owned())
    }

    /// The id as written in URLs and the configuration.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// A snapshot's id: 22 characters of URL-safe base64 (128 random bits).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SnapshotId(String);

impl SnapshotId {
    /// The length of every snapshot id.
    pub const LEN: usize = 22;

    /// `text` as a snapshot id, if it has the shape of one.
    pub fn new(text: &str) -> Option<Self> {
        Self::is_well_formed(text).then(|| Self(text.to_owned()))
    }

    /// Whether `text` has the shape of a snapshot id.
    pub fn is_well_formed(text: &str) -> bool {
        text.len() == Self::LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }

    /// The id as written in URLs.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SnapshotId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A notice's id (an incident or maintenance): a positive decimal number
/// written without leading zeros or sign, so each id has one spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoticeId(u64);

impl NoticeId {
    /// `text` as a notice id, if it is one in its one spelling.
    pub fn parse(text: &str) -> Option<Self> {
        let canonical = !text.is_empty()
            && text.len() <= 19
            && text.bytes().all(|b| b.is_ascii_digit())
            && !text.starts_with('0');
        canonical.then(|| text.parse().ok()).flatten().map(Self)
    }

    /// The id of a stored notice.
    pub fn new(id: u64) -> Self {
        Self(id)
    }

    /// The number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for NoticeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_one_spelling() {
        for good in ["finance", "api-eu", "p95_latency", "a", &"x".repeat(64)] {
            assert!(Id::new(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "Finance",
            "fin%61nce",
            "finance/",
            "fin ance",
            "finance\0",
            "ﬁnance",
            &"x".repeat(65),
        ] {
            assert!(Id::new(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn notice_ids_have_one_spelling() {
        assert_eq!(NoticeId::parse("42").map(NoticeId::get), Some(42));
        for bad in [
            "",
            "0",
            "042",
            "+42",
            "-1",
            "4 2",
            "4%32",
            "１",
            "99999999999999999999",
        ] {
            assert!(NoticeId::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn snapshot_ids_are_22_url_safe_characters() {
        assert!(SnapshotId::new("AbCdEfGhIjKlMnOpQrSt_-").is_some());
        assert!(SnapshotId::new("AbCdEfGhIjKlMnOpQrSt_").is_none());
        assert!(SnapshotId::new("AbCdEfGhIjKlMnOpQrSt_%").is_none());
    }
}
