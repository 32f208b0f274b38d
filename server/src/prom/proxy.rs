//! The proxy: checks a query against the allowlist and limits, aligns it so
//! viewers share answers, and serves it from the cache, the upstream, or —
//! when the upstream fails — the last good answer, marked stale.

use app::model::ErrorKind;
use std::{sync::Arc, time::Duration};

use app::model::ErrorBody;

use super::{
    allowlist::{Allowlist, is_constant, normalize},
    cache::{Answer, QueryCache, QueryKey, StaleKey, Window},
    client::{PromClient, UpstreamError},
    params::{InstantQuery, MetadataQuery, RangeQuery},
    time::{Millis, duration_millis},
};
use crate::{dashboards::STEP_LADDER, metrics::Metrics};

/// Prometheus' own limit on points per series.
pub const MAX_POINTS: i64 = 11_000;

/// Data newer than this may still change (scrapes land late, and
/// VictoriaMetrics hides the newest 30 s); older windows are complete.
const SETTLE: Duration = Duration::from_secs(5 * 60);

/// The longest a public query waits for one of its upstream slots.
const SLOT_WAIT: Duration = Duration::from_secs(10);

/// How long an answer over a complete window is kept.
const COMPLETE_FRESH_FOR: Duration = Duration::from_secs(24 * 3600);

/// Limits and timings of the proxy.
#[derive(Debug, Clone)]
pub struct ProxySettings {
    /// Answers at the live edge are fetched again at most once per window.
    pub refresh: Duration,
    /// Longest range a query may cover.
    pub max_range: Duration,
    /// Shortest step a range query may ask for.
    pub min_step: Duration,
    /// Bytes of answers each cache holds.
    pub cache_bytes: u64,
    /// Upstream requests the public query API may have in flight at once;
    /// the rest of the upstream's slots stay free for panels.
    pub public_slots: usize,
}

/// Why a query was not answered.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ProxyError {
    /// The parameters are invalid or past a limit.
    #[error("{0}")]
    BadRequest(String),
    /// The expression is not on the allowlist.
    #[error("{0}")]
    NotAllowed(String),
    /// The upstream failed and no earlier answer exists.
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
}

/// How a served answer was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// From the cache, fresh.
    Hit,
    /// Fetched from the upstream for this request.
    Miss,
    /// The last good answer, served because the upstream failed.
    Stale,
}

impl Freshness {
    /// Its name in headers and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Freshness::Hit => "hit",
            Freshness::Miss => "miss",
            Freshness::Stale => "stale",
        }
    }
}

/// An answer and how it was obtained.
#[derive(Debug, Clone)]
pub struct Served {
    /// The answer.
    pub answer: Arc<Answer>,
    /// Hit, miss or stale.
    pub freshness: Freshness,
}

/// A query ready to run: its cache key and fallback identity.
#[derive(Debug, Clone)]
pub struct Planned {
    key: QueryKey,
    stale_key: StaleKey,
    fresh_for: Duration,
    public: bool,
}

impl Planned {
    /// The upstream query.
    pub fn key(&self) -> &QueryKey {
        &self.key
    }
}

/// Who asks a query: what it runs as and which upstream slots it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asker {
    /// A dashboard panel: its own expressions, on its own grid.
    Panel,
    /// An anonymous client of the public query API: moved onto the
    /// panels' grid, so made-up parameters share cache entries, and held
    /// to the public share of upstream slots.
    Viewer,
    /// The admin token: runs as asked.
    Operator,
}

impl Asker {
    /// A client of the public query API, with or without the admin token.
    pub fn api_client(admin: bool) -> Self {
        if admin {
            Asker::Operator
        } else {
            Asker::Viewer
        }
    }
}

/// The allowlisted, caching proxy to one upstream.
#[derive(Debug)]
pub struct PromProxy {
    client: PromClient,
    allowlist: Allowlist,
    settings: ProxySettings,
    cache: QueryCache,
    metrics: Arc<Metrics>,
    public_slots: Arc<tokio::sync::Semaphore>,
}

impl PromProxy {
    /// A proxy to `client` allowing `allowlist`.
    pub fn new(
        client: PromClient,
        allowlist: Allowlist,
        settings: ProxySettings,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            client,
            allowlist,
            cache: QueryCache::new(settings.cache_bytes),
            public_slots: Arc::new(tokio::sync::Semaphore::new(settings.public_slots.max(1))),
            settings,
            metrics,
        }
    }

    /// An anonymous instant query moved onto the grid viewers share: its
    /// time down to the refresh window, so that made-up times land on
    /// the same cache entries.
    fn snap_instant(&self, query: &InstantQuery) -> InstantQuery {
        let grid = duration_millis(self.settings.refresh).max(15_000);
        InstantQuery {
            time: query.time.map(|time| time - time.rem_euclid(grid)),
            ..query.clone()
        }
    }

    /// An anonymous range query moved onto the grid panels use: its step up
    /// to the next step of the panels' ladder (whole days past the last),
    /// after which start and end align to it when planned.
    fn snap_range(&self, query: &RangeQuery) -> RangeQuery {
        let step = STEP_LADDER
            .iter()
            .map(|&seconds| {
                i64::try_from(seconds)
                    .unwrap_or(i64::MAX)
                    .saturating_mul(1000)
            })
            .find(|&step| step >= query.step)
            .unwrap_or_else(|| {
                let day = 86_400_000;
                (query.step.saturating_add(day - 1) / day).saturating_mul(day)
            });
        RangeQuery {
            step,
            ..query.clone()
        }
    }

    /// The expression that runs for a client's `expr`: the configured text
    /// of the allowed expression it normalizes to. The admin lifts the
    /// allowlist, but the expression must still parse.
    pub fn resolve(&self, expr: &str, admin: bool) -> Result<Arc<str>, ProxyError> {
        if !admin && let Some(text) = self.allowlist.known_spelling(expr) {
            return Ok(Arc::from(text));
        }
        let normalized = normalize(expr).map_err(|e| {
            ProxyError::BadRequest(format!("invalid parameter \"query\": {}", e.reason))
        })?;
        if admin {
            return Ok(Arc::from(expr));
        }
        if is_constant(&normalized) {
            return Ok(Arc::from(normalized));
        }
        self.allowlist.lookup(&normalized).map(Arc::from).ok_or_else(|| {
            ProxyError::NotAllowed(format!(
                "the expression {normalized:?} is not allowed: Porthole runs only the queries of its configured panels and those listed in `[prometheus] allow` of porthole.toml"
            ))
        })
    }

    /// Plans an instant query. Without a time it is evaluated at the start
    /// of the current refresh window, so every viewer in that window shares
    /// one answer.
    pub fn plan_instant(
        &self,
        query: &InstantQuery,
        expr: Arc<str>,
        now: Millis,
        asker: Asker,
    ) -> Planned {
        let snapped;
        let query = if asker == Asker::Viewer {
            snapped = self.snap_instant(query);
            &snapped
        } else {
            query
        };
        let refresh = duration_millis(self.settings.refresh).max(1);
        let (time, live) = match query.time {
            None => (now - now.rem_euclid(refresh), true),
            Some(time) => (time, self.is_live(time, now)),
        };
        let key = QueryKey {
            expr: expr.clone(),
            window: Window::Instant { time },
        };
        self.planned(key, live, expr, 0, 0, asker)
    }

    /// Plans a range query: checks the limits, then aligns start and end
    /// down to multiples of the step; at the live edge the end also moves
    /// only once per refresh window.
    pub fn plan_range(
        &self,
        query: &RangeQuery,
        expr: Arc<str>,
        now: Millis,
        asker: Asker,
    ) -> Result<Planned, ProxyError> {
        let snapped;
        let query = if asker == Asker::Viewer {
            snapped = self.snap_range(query);
            &snapped
        } else {
            query
        };
        let RangeQuery {
            start, end, step, ..
        } = *query;
        if step < duration_millis(self.settings.min_step) {
            return Err(ProxyError::BadRequest(format!(
                "invalid parameter \"step\": {}s is shorter than the {}s this server allows ([prometheus] min_step)",
                step as f64 / 1000.0,
                self.settings.min_step.as_secs_f64()
            )));
        }
        if end - start > duration_millis(self.settings.max_range) {
            return Err(ProxyError::BadRequest(format!(
                "the range from start to end is longer than the {} days this server allows ([prometheus] max_range)",
                self.settings.max_range.as_secs() / 86_400
            )));
        }
        // Prometheus' own test, integer division included.
        if (end - start) / step > MAX_POINTS {
            return Err(ProxyError::BadRequest(
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)".to_owned(),
            ));
        }
        let live = self.is_live(end, now);
        // At the live edge the whole window moves back to the start of the
        // refresh window, keeping its span, so the key changes only when a
        // new refresh window begins.
        let (start, end) = if live {
            let refresh = duration_millis(self.settings.refresh).max(1);
            let moved = end.min(now) - end.min(now).rem_euclid(refresh);
            (start - (end - moved), moved)
        } else {
            (start, end)
        };
        let start = start - start.rem_euclid(step);
        let end = (end - end.rem_euclid(step)).max(start);
        let key = QueryKey {
            expr: expr.clone(),
            window: Window::Range { start, end, step },
        };
        Ok(self.planned(key, live, expr, step, end - start, asker))
    }

    /// Plans the listing of every series the allowlist's expressions
    /// select within `query`'s window, widened to whole hours so clients
    /// share answers; `None` when they select none. Metadata answers are
    /// made from this listing only, never from the upstream's whole label
    /// space.
    pub fn plan_series(
        &self,
        query: &MetadataQuery,
        now: Millis,
    ) -> Result<Option<Planned>, ProxyError> {
        if query.end - query.start > duration_millis(self.settings.max_range) {
            return Err(ProxyError::BadRequest(format!(
                "the range from start to end is longer than the {} days this server allows ([prometheus] max_range)",
                self.settings.max_range.as_secs() / 86_400
            )));
        }
        let selectors = self.allowlist.selectors();
        if selectors.is_empty() {
            return Ok(None);
        }
        let hour = 3_600_000;
        let start = query.start - query.start.rem_euclid(hour);
        let end = query.end - query.end.rem_euclid(hour) + hour;
        let expr: Arc<str> = selectors
            .iter()
            .map(|selector| selector.text())
            .collect::<Vec<_>>()
            .join("\n")
            .into();
        let live = self.is_live(end, now);
        let key = QueryKey {
            expr: expr.clone(),
            window: Window::Series { start, end },
        };
        // Step -2: no query's shape, so a listing never falls back on a
        // query's last answer.
        Ok(Some(self.planned(
            key,
            live,
            expr,
            -2,
            end - start,
            Asker::Viewer,
        )))
    }

    /// Whether data at `time` may still change.
    fn is_live(&self, time: Millis, now: Millis) -> bool {
        time > now - duration_millis(SETTLE)
    }

    fn planned(
        &self,
        key: QueryKey,
        live: bool,
        expr: Arc<str>,
        step: Millis,
        span: Millis,
        asker: Asker,
    ) -> Planned {
        let (stale_key, fresh_for) = if live {
            (StaleKey::Live { expr, step, span }, self.settings.refresh)
        } else {
            (StaleKey::Exact(key.clone()), COMPLETE_FRESH_FOR)
        };
        Planned {
            key,
            stale_key,
            fresh_for,
            public: asker == Asker::Viewer,
        }
    }

    /// Active alerts, fetched at most once per refresh window.
    pub fn plan_alerts(&self, now: Millis) -> Planned {
        let refresh = duration_millis(self.settings.refresh).max(1);
        let key = QueryKey {
            expr: Arc::from(""),
            window: Window::Alerts {
                time: now - now.rem_euclid(refresh),
            },
        };
        Planned {
            stale_key: StaleKey::Live {
                expr: Arc::from(""),
                step: -1,
                span: 0,
            },
            key,
            fresh_for: self.settings.refresh,
            public: false,
        }
    }

    /// Serves a planned query: a fresh cached answer, else one upstream
    /// fetch shared by every concurrent request for it, else — if the
    /// upstream failed — the last good answer.
    pub async fn run(&self, planned: &Planned) -> Result<Served, ProxyError> {
        let fetch = async {
            // Held for the upstream request only; a slot a stranger's query
            // cannot get is one a panel keeps.
            let _public_slot = if planned.public {
                Some(
                    tokio::time::timeout(SLOT_WAIT, self.public_slots.acquire())
                        .await
                        .map_err(|_| UpstreamError::Busy)?
                        .map_err(|_| UpstreamError::Busy)?,
                )
            } else {
                None
            };
            let (path, form) = planned.key.request();
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let result = if form.is_empty() {
                self.client.get(path).await
            } else {
                self.client.post_form(path, &form).await
            };
            self.metrics.count_upstream(path, result.is_ok());
            let answer = Arc::new(Answer {
                body: result?,
                fetched_at: super::time::now_millis(),
                fresh_for: planned.fresh_for,
            });
            self.cache
                .last_good
                .insert(planned.stale_key.clone(), answer.clone())
                .await;
            Ok::<_, UpstreamError>(answer)
        };
        let served = match self
            .cache
            .fresh
            .entry(planned.key.clone())
            .or_try_insert_with(fetch)
            .await
        {
            Ok(entry) => Ok(Served {
                freshness: if entry.is_fresh() {
                    Freshness::Miss
                } else {
                    Freshness::Hit
                },
                answer: entry.into_value(),
            }),
            Err(error) => self.fall_back(planned, &error).await,
        };
        if let Ok(served) = &served {
            self.metrics.count_cache(served.freshness.as_str());
        }
        served
    }

    async fn fall_back(
        &self,
        planned: &Planned,
        error: &UpstreamError,
    ) -> Result<Served, ProxyError> {
        if matches!(error, UpstreamError::Rejected { .. }) {
            return Err(error.clone().into());
        }
        match self.cache.last_good.get(&planned.stale_key).await {
            Some(answer) => Ok(Served {
                answer,
                freshness: Freshness::Stale,
            }),
            None => Err(error.clone().into()),
        }
    }
}

impl From<&ProxyError> for ErrorBody {
    fn from(error: &ProxyError) -> Self {
        match error {
            ProxyError::BadRequest(message) => ErrorBody::new(ErrorKind::BadData, message.clone()),
            ProxyError::NotAllowed(message) => {
                ErrorBody::new(ErrorKind::Forbidden, message.clone())
            }
            ProxyError::Upstream(UpstreamError::Rejected { body, .. }) => body.clone(),
            ProxyError::Upstream(UpstreamError::Timeout(_)) => {
                ErrorBody::new(ErrorKind::Timeout, error.to_string())
            }
            ProxyError::Upstream(_) => ErrorBody::new(ErrorKind::Unavailable, error.to_string()),
        }
    }
}

impl ProxyError {
    /// The HTTP status for this error: 400, 403, the upstream's own 4xx,
    /// or 502/503/504 for upstream faults — never 500.
    pub fn status(&self) -> u16 {
        match self {
            ProxyError::BadRequest(_) => 400,
            ProxyError::NotAllowed(_) => 403,
            ProxyError::Upstream(error) => match error {
                UpstreamError::Rejected { status, .. } => *status,
                UpstreamError::Busy | UpstreamError::Unreachable => 503,
                UpstreamError::Timeout(_) => 504,
                UpstreamError::Failed(_) | UpstreamError::Invalid | UpstreamError::TooLarge(_) => {
                    502
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_769_601_600_000 + 12_345; // 2026-01-28T12:00:12.345Z

    fn proxy() -> PromProxy {
        let client =
            PromClient::new("http://127.0.0.1:9", None, Duration::from_secs(1), 2).expect("client");
        PromProxy::new(
            client,
            Allowlist::new(["up", "sum(rate(x[5m]))"]).expect("allowlist"),
            ProxySettings {
                refresh: Duration::from_secs(30),
                max_range: Duration::from_secs(400 * 86_400),
                min_step: Duration::from_secs(1),
                cache_bytes: 1 << 20,
                public_slots: 1,
            },
            Arc::new(Metrics::new()),
        )
    }

    fn range(start: Millis, end: Millis, step: Millis) -> RangeQuery {
        RangeQuery {
            expr: "up".into(),
            start,
            end,
            step,
        }
    }

    fn window(planned: &Planned) -> Window {
        planned.key().window
    }

    #[test]
    fn past_ranges_align_to_the_step() {
        let proxy = proxy();
        let day_ago = NOW - NOW.rem_euclid(60_000) - 86_400_000;
        let a = proxy
            .plan_range(
                &range(day_ago - 3_600_000 + 7, day_ago + 59_999, 60_000),
                "up".into(),
                NOW,
                Asker::Panel,
            )
            .expect("plan");
        let b = proxy
            .plan_range(
                &range(day_ago - 3_600_000 + 31_000, day_ago + 1, 60_000),
                "up".into(),
                NOW,
                Asker::Panel,
            )
            .expect("plan");
        assert_eq!(
            window(&a),
            window(&b),
            "viewers a few seconds apart share one entry"
        );
        let Window::Range { start, end, step } = window(&a) else {
            panic!("range")
        };
        assert_eq!((start % step, end % step), (0, 0));
        assert!(start <= day_ago - 3_600_000 && end <= day_ago + 59_999);
    }

    #[test]
    fn the_live_edge_moves_once_per_refresh_window() {
        let proxy = proxy();
        let plan = |now: Millis| {
            window(
                &proxy
                    .plan_range(
                        &range(now - 3_600_000, now, 15_000),
                        "up".into(),
                        now,
                        Asker::Panel,
                    )
                    .expect("plan"),
            )
        };
        let window_start = NOW - NOW.rem_euclid(30_000);
        assert_eq!(plan(window_start + 1), plan(window_start + 29_999));
        assert_ne!(plan(window_start + 1), plan(window_start + 30_001));
        let Window::Range { end, .. } = plan(NOW) else {
            panic!("range")
        };
        assert!(end <= NOW, "never asks for the future");
    }

    #[test]
    fn instant_queries_without_time_share_the_refresh_window() {
        let proxy = proxy();
        let q = InstantQuery {
            expr: "up".into(),
            time: None,
        };
        let a = proxy.plan_instant(&q, "up".into(), NOW, Asker::Panel);
        let b = proxy.plan_instant(&q, "up".into(), NOW + 5_000, Asker::Panel);
        assert_eq!(window(&a), window(&b));
    }

    #[test]
    fn anonymous_parameters_snap_to_the_panels_grid() {
        let proxy = proxy();
        for (asked, snapped) in [
            (1, 15_000),
            (15_000, 15_000),
            (17_000, 30_000),
            (3_600_001, 7_200_000),
            (86_400_000, 86_400_000),
            (90_000_000, 172_800_000),
        ] {
            assert_eq!(
                proxy.snap_range(&range(0, 1, asked)).step,
                snapped,
                "{asked}"
            );
        }
        let times: Vec<Option<Millis>> = [NOW - 1, NOW - 7_777, NOW - 12_000]
            .into_iter()
            .map(|time| {
                proxy
                    .snap_instant(&InstantQuery {
                        expr: "up".into(),
                        time: Some(time),
                    })
                    .time
            })
            .collect();
        assert!(times.iter().all(|t| *t == times[0]), "{times:?}");
        assert_eq!(times[0].map(|t| t % 30_000), Some(0));
    }

    #[test]
    fn limits_are_checked_with_prometheus_messages() {
        let proxy = proxy();
        let error = |q: RangeQuery| {
            proxy
                .plan_range(&q, "up".into(), NOW, Asker::Panel)
                .expect_err("refused")
                .to_string()
        };
        assert!(error(range(NOW - 11_001_000, NOW, 1_000)).contains("11,000 points"));
        assert!(error(range(NOW - 60_000, NOW, 500)).contains("min_step"));
        assert!(error(range(NOW - 401 * 86_400_000, NOW, 86_400_000)).contains("max_range"));
        assert!(
            proxy
                .plan_range(
                    &range(NOW - 11_000_000, NOW, 1_000),
                    "up".into(),
                    NOW,
                    Asker::Panel
                )
                .is_ok()
        );
    }

    #[test]
    fn only_allowed_expressions_resolve_and_to_the_configured_text() {
        let proxy = proxy();
        assert_eq!(
            proxy
                .resolve("sum( rate(x[300s]) )", false)
                .expect("allowed")
                .as_ref(),
            "sum(rate(x[5m]))"
        );
        // Spelled as configured: the same answer, without parsing.
        assert_eq!(
            proxy
                .resolve("sum(rate(x[5m]))", false)
                .expect("allowed")
                .as_ref(),
            "sum(rate(x[5m]))"
        );
        let error = proxy
            .resolve("sum(rate(secret[5m]))", false)
            .expect_err("not allowed");
        assert_eq!(error.status(), 403);
        assert!(error.to_string().contains("[prometheus] allow"), "{error}");
        assert_eq!(
            proxy
                .resolve("count(secret)", true)
                .expect("admin")
                .as_ref(),
            "count(secret)"
        );
        assert_eq!(
            proxy.resolve("up{", true).expect_err("unparsable").status(),
            400
        );
    }
}
