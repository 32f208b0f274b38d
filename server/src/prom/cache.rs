//! The query cache: answers by upstream query, with per-entry freshness,
//! coalesced fetches, and the last good answer kept for when the upstream
//! fails.

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use moka::{Expiry, future::Cache};

use super::time::{Millis, format_seconds};

/// The most series one listing asks the upstream for (its `limit`).
pub const MAX_SERIES: usize = 10_000;

/// When an upstream query is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    /// `/api/v1/query` at one time.
    Instant {
        /// Evaluation time.
        time: Millis,
    },
    /// `/api/v1/query_range`, already aligned to the step.
    Range {
        /// First evaluation.
        start: Millis,
        /// Last evaluation.
        end: Millis,
        /// Time between evaluations.
        step: Millis,
    },
    /// `/api/v1/series` for the allowlist's selectors (the expression
    /// holds them, one per line), over a window aligned to the hour.
    Series {
        /// The window's start.
        start: Millis,
        /// Its end.
        end: Millis,
    },
    /// `/api/v1/alerts`, as of a time bucket (the expression is empty).
    Alerts {
        /// Start of the refresh window the answer belongs to.
        time: Millis,
    },
}

/// One upstream query: the expression that runs and when.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QueryKey {
    /// The expression sent upstream (the operator's configured text).
    pub expr: Arc<str>,
    /// When it is evaluated.
    pub window: Window,
}

impl QueryKey {
    /// The upstream API path and form for this query (no form: a GET).
    pub fn request(&self) -> (&'static str, Vec<(&'static str, String)>) {
        let query = ("query", self.expr.to_string());
        match self.window {
            Window::Alerts { .. } => ("/api/v1/alerts", Vec::new()),
            Window::Instant { time } => {
                ("/api/v1/query", vec![query, ("time", format_seconds(time))])
            }
            Window::Series { start, end } => {
                let mut form: Vec<(&'static str, String)> = self
                    .expr
                    .lines()
                    .map(|selector| ("match[]", selector.to_owned()))
                    .collect();
                form.push(("start", format_seconds(start)));
                form.push(("end", format_seconds(end)));
                form.push(("limit", MAX_SERIES.to_string()));
                ("/api/v1/series", form)
            }
            Window::Range { start, end, step } => (
                "/api/v1/query_range",
                vec![
                    query,
                    ("start", format_seconds(start)),
                    ("end", format_seconds(end)),
                    ("step", format_seconds(step)),
                ],
            ),
        }
    }
}

/// What the stale fallback is keyed by. A query at the live edge moves
/// with time, so its last good answer is the latest one for the same
/// expression and shape; a query over the past is its own identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StaleKey {
    /// A query over a fixed past window.
    Exact(QueryKey),
    /// A query that follows "now": expression, step and span.
    Live {
        /// The expression.
        expr: Arc<str>,
        /// Step of a range query; 0 for an instant query.
        step: Millis,
        /// Span of a range query; 0 for an instant query.
        span: Millis,
    },
}

/// An upstream answer and how long it stays fresh.
#[derive(Debug)]
pub struct Answer {
    /// The upstream's JSON, verbatim.
    pub body: Bytes,
    /// When it was fetched.
    pub fetched_at: Millis,
    /// How long after fetching it may be served without asking again.
    pub fresh_for: Duration,
}

impl Answer {
    /// How long it stays fresh after `now`.
    pub fn fresh_left(&self, now: Millis) -> Duration {
        self.fresh_for.saturating_sub(self.age(now))
    }

    /// Its age at `now`.
    pub fn age(&self, now: Millis) -> Duration {
        Duration::from_millis(u64::try_from(now.saturating_sub(self.fetched_at)).unwrap_or(0))
    }
}

/// Entries expire when their answer stops being fresh.
struct FreshFor;

impl Expiry<QueryKey, Arc<Answer>> for FreshFor {
    fn expire_after_create(
        &self,
        _key: &QueryKey,
        value: &Arc<Answer>,
        _created_at: std::time::Instant,
    ) -> Option<Duration> {
        Some(value.fresh_for)
    }
}

/// How long a last good answer is kept for the stale fallback.
const KEEP_LAST_GOOD: Duration = Duration::from_secs(7 * 86_400);

/// Fresh answers and last good answers, each bounded in bytes.
#[derive(Clone)]
pub struct QueryCache {
    /// Answers still fresh; reads of one key coalesce into one fetch.
    pub fresh: Cache<QueryKey, Arc<Answer>>,
    /// The newest good answer per query identity, for when the upstream fails.
    pub last_good: Cache<StaleKey, Arc<Answer>>,
}

impl std::fmt::Debug for QueryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryCache")
            .field("fresh", &self.fresh.entry_count())
            .field("last_good", &self.last_good.entry_count())
            .finish()
    }
}

impl QueryCache {
    /// Caches holding up to `max_bytes` of answers each.
    pub fn new(max_bytes: u64) -> Self {
        let weight = |body: &Bytes| u32::try_from(body.len()).unwrap_or(u32::MAX);
        Self {
            fresh: Cache::builder()
                .max_capacity(max_bytes)
                .weigher(move |_k: &QueryKey, v: &Arc<Answer>| weight(&v.body))
                .expire_after(FreshFor)
                .build(),
            last_good: Cache::builder()
                .max_capacity(max_bytes)
                .weigher(move |_k: &StaleKey, v: &Arc<Answer>| weight(&v.body))
                .time_to_live(KEEP_LAST_GOOD)
                .build(),
        }
    }
}
