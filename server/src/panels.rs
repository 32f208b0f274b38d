//! A dashboard panel plus a time range → the panel's data, from its source.
//!
//! `Panels` owns what every panel shares: finding the panel (as admitted),
//! aligning its window to the refresh, and caching the answer. Where the
//! data comes from is a [`PanelFeed`], one module per kind of source:
//! `kpi_feed` (the KPI store), `prom_feed` (PromQL charts and cards through
//! the proxy's cache), `alerts_feed`, `probe_feed` (Porthole's own checks)
//! and `headline_feed` (the overview's top row, from the checks and
//! PromQL). Errors are client-safe `ErrorBody`s; storage and upstream
//! details are logged and never reach a page.

mod admission;
mod alerts_feed;
mod feed;
mod headline_feed;
mod kpi_feed;
mod probe_feed;
mod prom_feed;
pub mod service_page;

pub use admission::Admission;
pub use feed::{Content, PanelFeed, Window};
pub use probe_feed::ProbeFeed;
pub use prom_feed::{MAX_SERIES, PromFeed};

use std::{sync::Arc, time::Duration};

use app::model::{DashboardLayout, ErrorBody, ErrorKind, PanelData, PanelQuery};
use chrono::{DateTime, Utc};
use moka::future::Cache;

use crate::{
    dashboards::{Dashboards, Feed, PanelDef},
    kpi::KpiStore,
};
use alerts_feed::AlertsFeed;
use headline_feed::HeadlineFeed;
use kpi_feed::KpiFeed;

pub use crate::dashboards::OVERVIEW;

/// Panel data is computed once per query, minute and KPI write; every
/// viewer in between shares it, so viewers do not multiply database work.
const CACHE_CAPACITY: u64 = 1_000;
const CACHE_TTL: Duration = Duration::from_secs(120);

/// How long after its end a fixed window's data is taken as final (late
/// samples and scrapes arrive within it).
const SETTLED_SECONDS: i64 = 300;

/// What a cached panel answer depends on: the query, the time bucket it
/// covers and the KPI store's generation (bumped by every write).
type CacheKey = (PanelQuery, i64, u64);

/// Serves panel data for every dashboard.
#[derive(Debug, Clone)]
pub struct Panels {
    dashboards: Arc<Dashboards>,
    kpi: KpiFeed,
    prom: Option<PromFeed>,
    alerts: Option<AlertsFeed>,
    probes: Option<ProbeFeed>,
    headline: HeadlineFeed,
    cache: Cache<CacheKey, PanelData>,
}

impl Panels {
    /// Panels of `dashboards`, reading KPIs from `kpi` and metrics through
    /// `prom` when an upstream is configured.
    pub fn new(kpi: KpiStore, dashboards: Arc<Dashboards>, prom: Option<PromFeed>) -> Self {
        Self {
            kpi: KpiFeed { kpi },
            dashboards,
            alerts: prom.clone().map(AlertsFeed),
            headline: HeadlineFeed {
                prom: prom.clone(),
                probes: None,
            },
            prom,
            probes: None,
            cache: Cache::builder()
                .max_capacity(CACHE_CAPACITY)
                .time_to_live(CACHE_TTL)
                .build(),
        }
    }

    /// These panels, with service status from `probes`.
    #[must_use]
    pub fn with_probes(mut self, probes: ProbeFeed) -> Self {
        self.headline.probes = Some(probes.clone());
        self.probes = Some(probes);
        self
    }

    /// How long a panel's answer stays current, in seconds: the upstream's
    /// refresh for metric panels, a minute for the rest.
    pub fn refresh_seconds(&self, dashboard: &str, panel: &str) -> u64 {
        self.dashboards
            .get(dashboard)
            .and_then(|d| d.panel(panel))
            .map_or(60, |panel| self.refresh_of(panel))
    }

    /// How long a page of `dashboard` stays current, in seconds: its
    /// panel that refreshes soonest; a minute for an unknown dashboard.
    pub fn dashboard_refresh_seconds(&self, dashboard: &str) -> u64 {
        self.dashboards
            .get(dashboard)
            .and_then(|d| d.panels.iter().map(|panel| self.refresh_of(panel)).min())
            .unwrap_or(60)
    }

    fn refresh_of(&self, panel: &PanelDef) -> u64 {
        self.feed_for(&panel.feed)
            .map_or(60, |feed| feed.refresh_seconds())
    }

    /// The feed that serves panels of `feed`: the one place a panel's kind
    /// is matched to its source. A source that is not configured here is
    /// an error saying what to set.
    fn feed_for(&self, feed: &Feed) -> Result<&dyn PanelFeed, ErrorBody> {
        fn configured<F: PanelFeed>(
            feed: &Option<F>,
            missing: impl FnOnce() -> ErrorBody,
        ) -> Result<&dyn PanelFeed, ErrorBody> {
            feed.as_ref()
                .map(|f| f as &dyn PanelFeed)
                .ok_or_else(missing)
        }
        match feed {
            Feed::KpiStats | Feed::KpiUsers | Feed::KpiMonthly => Ok(&self.kpi),
            Feed::Prom(_) | Feed::Stat(_) => configured(&self.prom, prom_feed::no_upstream),
            Feed::Alerts => configured(&self.alerts, prom_feed::no_upstream),
            Feed::ProbeLatency | Feed::ServiceTable | Feed::Uptime => {
                configured(&self.probes, || {
                    ErrorBody::new(
                        ErrorKind::NotConfigured,
                        "service checks are not running here: add [[service]] to porthole.toml",
                    )
                })
            }
            Feed::Headline(_) => Ok(&self.headline),
        }
    }

    /// The dashboard `id`'s definition.
    pub fn dashboard(&self, id: &str) -> Option<&crate::dashboards::DashboardDef> {
        self.dashboards.get(id)
    }

    /// Whether dashboard `id` may be viewed without a signed link.
    pub fn is_public(&self, id: &str) -> bool {
        self.dashboards.is_public(id)
    }

    /// The layout of dashboard `id`, if `admission` admits it.
    pub fn layout(&self, id: &str, admission: &Admission) -> Result<DashboardLayout, ErrorBody> {
        self.admitted(id, admission).map(|d| d.layout())
    }

    /// The dashboard `id`, if it exists and `admission` admits it. A
    /// private dashboard refused reads exactly as one that does not exist.
    fn admitted(
        &self,
        id: &str,
        admission: &Admission,
    ) -> Result<&crate::dashboards::DashboardDef, ErrorBody> {
        self.dashboards
            .get(id)
            .filter(|d| admission.admits(&d.id, d.public))
            .ok_or_else(|| {
                ErrorBody::new(ErrorKind::NotFound, format!("there is no dashboard {id:?}"))
            })
    }

    /// The data for `query` as of `now`, aligned down to the panel's
    /// refresh window (a minute for KPIs) so viewers within it share one
    /// answer. Concurrent identical requests wait for one computation;
    /// errors are not cached.
    pub async fn panel_at(
        &self,
        query: &PanelQuery,
        now: DateTime<Utc>,
        admission: &Admission,
    ) -> Result<PanelData, ErrorBody> {
        let panel = self.find(query, admission)?;
        let window = i64::try_from(self.refresh_of(panel)).unwrap_or(60);
        let mut bucket = now.timestamp().div_euclid(window) * window;
        // A fixed window shows what it covers: as of its end, or as of now
        // while its end is still to come.
        let end = match query.span {
            Some(span) if span.to < bucket - SETTLED_SECONDS => {
                // Its data no longer changes: one answer for good.
                bucket = 0;
                span.to
            }
            Some(span) => span.to.min(bucket),
            None => bucket,
        };
        let from = match query.span {
            Some(span) if span.from >= end => {
                return Err(ErrorBody::new(
                    ErrorKind::BadData,
                    "the window starts in the future: pick a from before now",
                ));
            }
            Some(span) => span.from,
            None => end - query.range.seconds(),
        };
        let end = DateTime::from_timestamp(end, 0).unwrap_or(now);
        let key = (query.clone(), bucket, self.kpi.kpi.generation());
        self.cache
            .try_get_with(key, self.compute(query, panel, from, end))
            .await
            .map_err(|error| (*error).clone())
    }

    fn find(&self, query: &PanelQuery, admission: &Admission) -> Result<&PanelDef, ErrorBody> {
        let dashboard = self.admitted(&query.dashboard, admission)?;
        dashboard.panel(&query.panel).ok_or_else(|| {
            ErrorBody::new(
                ErrorKind::NotFound,
                format!(
                    "dashboard {:?} has no panel {:?}",
                    query.dashboard, query.panel
                ),
            )
        })
    }

    /// The panel's data from `from` to `now`, as it was at `now`.
    async fn compute(
        &self,
        query: &PanelQuery,
        panel: &PanelDef,
        from: i64,
        now: DateTime<Utc>,
    ) -> Result<PanelData, ErrorBody> {
        let feed = self.feed_for(&panel.feed)?;
        let window = Window {
            from,
            to: now,
            fixed: query.span.is_some(),
        };
        let (content, stale_since) = feed.content(panel, window).await?;
        Ok(PanelData {
            dashboard: query.dashboard.clone(),
            panel: query.panel.clone(),
            title: panel.title.clone(),
            range: query.range,
            from,
            to: now.timestamp(),
            span: query.span,
            demo: feed.is_demo().await?,
            stale_since,
            content,
        })
    }
}

#[cfg(test)]
mod tests {
    use app::model::{PanelContent, TimeRange};

    use super::*;
    use crate::db::Db;

    fn query(dashboard: &str, panel: &str, range: TimeRange) -> PanelQuery {
        PanelQuery {
            dashboard: dashboard.into(),
            panel: panel.into(),
            range,
            span: None,
            token: None,
        }
    }

    fn noon() -> DateTime<Utc> {
        "2026-01-28T12:00:00Z".parse().expect("time")
    }

    async fn demo_panels() -> (tempfile::TempDir, Panels) {
        let dir = tempfile::tempdir().expect("tempdir");
        let kpi = KpiStore::new(Db::open(&dir.path().join("kpi.duckdb")).expect("db"));
        kpi.seed_demo_if_empty(noon().date_naive())
            .await
            .expect("seed");
        let dashboards = Arc::new(Dashboards::new(&[]).expect("built-in dashboards"));
        (dir, Panels::new(kpi, dashboards, None))
    }

    #[tokio::test]
    async fn users_panel_has_one_point_per_day_in_range() {
        let (_dir, panels) = demo_panels().await;
        let data = panels
            .panel_at(
                &query(OVERVIEW, "users", TimeRange::Days7),
                noon(),
                &Admission::Public,
            )
            .await
            .expect("panel");
        let PanelContent::Timeseries { series, bars, .. } = &data.content else {
            panic!("users is a time series")
        };
        let points = &series[0].points;
        assert_eq!(
            bars.as_ref().map(|b| b.points.len()),
            Some(7),
            "one sign-up bar a day"
        );
        assert_eq!(
            points.len(),
            7,
            "Jan 22..=Jan 28 start after the range's start"
        );
        assert!(points.iter().all(|p| p.t >= data.from && p.t <= data.to));
        assert!(points.windows(2).all(|w| w[1].t - w[0].t == 86_400));
        assert!(data.demo);
    }

    #[tokio::test]
    async fn longer_ranges_hold_more_days() {
        let (_dir, panels) = demo_panels().await;
        let month = panels
            .panel_at(
                &query(OVERVIEW, "users", TimeRange::Days30),
                noon(),
                &Admission::Public,
            )
            .await
            .expect("panel");
        let year = panels
            .panel_at(
                &query(OVERVIEW, "users", TimeRange::Year1),
                noon(),
                &Admission::Public,
            )
            .await
            .expect("panel");
        let days = |data: &PanelData| match &data.content {
            PanelContent::Timeseries { series, .. } => series[0].points.len(),
            _ => 0,
        };
        assert_eq!(days(&month), 30);
        assert_eq!(days(&year), 365);
    }

    #[tokio::test]
    async fn stat_cards_compare_with_the_period_before() {
        let (_dir, panels) = demo_panels().await;
        let data = panels
            .panel_at(
                &query(OVERVIEW, "stats", TimeRange::Days30),
                noon(),
                &Admission::Public,
            )
            .await
            .expect("panel");
        let PanelContent::Stats { cards } = data.content else {
            panic!("stats panel")
        };
        let labels: Vec<&str> = cards.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Total users", "Verified", "New this week", "New this month"]
        );
        let total = &cards[0];
        assert!(
            total.change.is_some_and(|c| c > 0.0),
            "demo users grow: {total:?}"
        );
        assert!(
            cards[1].value.is_some_and(|v| (30.0..40.0).contains(&v)),
            "{:?}",
            cards[1]
        );
    }

    #[tokio::test]
    async fn monthly_table_lists_the_newest_months_first() {
        let (_dir, panels) = demo_panels().await;
        let data = panels
            .panel_at(
                &query(OVERVIEW, "monthly", TimeRange::Days30),
                noon(),
                &Admission::Public,
            )
            .await
            .expect("panel");
        let PanelContent::Table { columns, rows, .. } = data.content else {
            panic!("monthly panel")
        };
        assert_eq!(columns, ["Month", "Total users", "New users", "Growth"]);
        assert_eq!(rows.len(), kpi_feed::MONTHS_SHOWN);
        assert_eq!(rows[0][0], "2026-01");
        assert_eq!(rows[1][0], "2025-12");
        assert!(
            rows[0][3].starts_with('+') && rows[0][3].ends_with('%'),
            "{:?}",
            rows[0]
        );
    }

    #[tokio::test]
    async fn prometheus_panels_say_what_to_configure_without_an_upstream() {
        let dir = tempfile::tempdir().expect("tempdir");
        let kpi = KpiStore::new(Db::open(&dir.path().join("kpi.duckdb")).expect("db"));
        let config: crate::config::DashboardConfig = toml::from_str(
            "id = \"api\"\ntitle = \"API\"\n[[panel]]\nid = \"rate\"\nkind = \"rate\"\ntitle = \"Requests\"\ncounter = \"http_requests_total\"\n",
        )
        .expect("config");
        let dashboards = Arc::new(Dashboards::new(&[config]).expect("valid"));
        let panels = Panels::new(kpi, dashboards, None);
        let error = panels
            .panel_at(
                &query("api", "rate", TimeRange::Days7),
                noon(),
                &Admission::Public,
            )
            .await
            .expect_err("no upstream");
        assert_eq!(error.error_type, ErrorKind::NotConfigured);
        assert!(error.error.contains("PROMETHEUS_URL"), "{}", error.error);
    }

    #[tokio::test]
    async fn unknown_dashboards_and_panels_are_not_found() {
        let (_dir, panels) = demo_panels().await;
        let err = panels
            .panel_at(
                &query("nope", "users", TimeRange::Days7),
                noon(),
                &Admission::Public,
            )
            .await
            .expect_err("unknown dashboard");
        assert_eq!(err.error_type, ErrorKind::NotFound);
        assert!(err.error.contains("nope"));
        let err = panels
            .panel_at(
                &query(OVERVIEW, "nope", TimeRange::Days7),
                noon(),
                &Admission::Public,
            )
            .await
            .expect_err("unknown panel");
        assert_eq!(err.error_type, ErrorKind::NotFound);
    }
}
