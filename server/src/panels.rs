//! A dashboard panel plus a time range → the panel's data, from its source.
//!
//! The built-in "overview" dashboard shows growth KPIs from the KPI store:
//! headline numbers (`stats`), total users with daily sign-ups (`users`) and
//! a monthly table (`monthly`). Configured dashboards add panels fed by the
//! Prometheus-compatible upstream through the proxy's cache. Errors are
//! client-safe `ErrorBody`s; storage and upstream details are logged and
//! never reach a page.

mod admission;
mod probes;

pub use admission::Admission;
pub use probes::ProbeFeed;

use app::model::ErrorKind;
use std::{sync::Arc, time::Duration};

use app::model::{
    DashboardLayout, ErrorBody, PanelContent, PanelData, PanelQuery, Point, Series, StatCard, Unit,
};
use chrono::{DateTime, Days, NaiveDate, Utc};
use moka::future::Cache;

use crate::{
    dashboards::{Dashboards, Feed, Headline, PanelDef, PromChart, expand, step_for},
    db::DbError,
    kpi::{KpiStore, growth::monthly_rows},
    prom::{
        Asker, Freshness, PromProxy,
        params::RangeQuery,
        result::{self, Alert, Labels},
        time::duration_millis,
    },
};

pub use crate::dashboards::OVERVIEW;

/// Months shown in the monthly table, newest first.
const MONTHS_SHOWN: usize = 12;

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

/// The most series one chart draws: beyond this a legend is unreadable, and
/// a query that matches more (a label that exploded, a selector gone wide)
/// is a panel error rather than a wall of lines.
pub const MAX_SERIES: usize = 50;

/// Serves panel data for every dashboard.
#[derive(Debug, Clone)]
pub struct Panels {
    kpi: KpiStore,
    dashboards: Arc<Dashboards>,
    prom: Option<PromFeed>,
    probes: Option<ProbeFeed>,
    cache: Cache<CacheKey, PanelData>,
}

/// The upstream as panels see it.
#[derive(Debug, Clone)]
pub struct PromFeed {
    /// The proxy (its cache is shared with the public query API).
    pub proxy: Arc<PromProxy>,
    /// The upstream's scrape interval, for rate windows.
    pub scrape_interval: Duration,
    /// How often panels at the live edge change.
    pub refresh: Duration,
}

/// A panel's content, with when its data went stale (if it did).
type Content = (PanelContent, Option<i64>);

impl Panels {
    /// Panels of `dashboards`, reading KPIs from `kpi` and metrics through
    /// `prom` when an upstream is configured.
    pub fn new(kpi: KpiStore, dashboards: Arc<Dashboards>, prom: Option<PromFeed>) -> Self {
        Self {
            kpi,
            dashboards,
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
        match (&panel.feed, &self.prom) {
            (Feed::Prom { .. } | Feed::Stat(_) | Feed::Alerts | Feed::Headline(_), Some(prom)) => {
                prom.refresh.as_secs().max(1)
            }
            _ => 60,
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
        let key = (query.clone(), bucket, self.kpi.generation());
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
        let to = now.timestamp();
        let kpi =
            |result: Result<PanelContent, DbError>| result.map(|c| (c, None)).map_err(store_failed);
        let (content, stale_since): Content = match &panel.feed {
            Feed::KpiStats => kpi(self.stat_cards(now.date_naive()).await)?,
            Feed::KpiUsers => kpi(self.user_growth(from, now).await)?,
            Feed::KpiMonthly => kpi(self.monthly_table().await)?,
            Feed::Prom(chart) => self.prom_chart(panel, chart, from, to).await?,
            Feed::Alerts => self.alerts(now).await?,
            Feed::Headline(headline) => (self.headline(panel, headline, now).await, None),
            Feed::ProbeLatency => (self.probes()?.latency_chart(from, to).await?, None),
            Feed::ServiceTable => (self.probes()?.service_table().await?, None),
            Feed::Uptime => (self.probes()?.uptime_chart(from, to).await?, None),
            Feed::Stat(chart) => {
                let since = format!(
                    "vs {}",
                    query
                        .span
                        .map_or("the range's start", |_| "the window's start")
                );
                // The panel's heading names the figure; the card says which.
                let card = self
                    .latest_card(panel, "Latest", chart, from, to, since)
                    .await?;
                (PanelContent::Stats { cards: vec![card] }, None)
            }
        };
        let demo = match panel.feed {
            Feed::KpiStats | Feed::KpiUsers | Feed::KpiMonthly => {
                self.kpi.is_demo().await.map_err(store_failed)?
            }
            Feed::Prom { .. }
            | Feed::Stat(_)
            | Feed::Uptime
            | Feed::Alerts
            | Feed::Headline(_)
            | Feed::ProbeLatency
            | Feed::ServiceTable => false,
        };
        Ok(PanelData {
            dashboard: query.dashboard.clone(),
            panel: query.panel.clone(),
            title: panel.title.clone(),
            range: query.range,
            from,
            to,
            span: query.span,
            demo,
            stale_since,
            content,
        })
    }

    fn prom(&self) -> Result<&PromFeed, ErrorBody> {
        self.prom.as_ref().ok_or_else(|| {
            ErrorBody::new(
                ErrorKind::Unavailable,
                "this panel reads from Prometheus or VictoriaMetrics: set PROMETHEUS_URL or `[prometheus] url` in porthole.toml",
            )
        })
    }

    fn probes(&self) -> Result<&ProbeFeed, ErrorBody> {
        self.probes.as_ref().ok_or_else(|| {
            ErrorBody::new(
                ErrorKind::Unavailable,
                "service checks are not running here",
            )
        })
    }

    /// The overview's top row: services up, then request rate, error rate
    /// and p95 latency from `[overview]` PromQL (latency from the checks
    /// when unset). A figure that cannot be had says why on its card, and
    /// costs only that card.
    async fn headline(
        &self,
        panel: &PanelDef,
        headline: &Headline,
        now: DateTime<Utc>,
    ) -> PanelContent {
        let services = match &self.probes {
            Some(probes) => probes.services_card().await,
            None => StatCard::missing("Services up", Unit::Count, "service checks are not running"),
        };
        let latency = match (&headline.latency, &self.probes) {
            (None, Some(probes)) => probes.latency_card(now).await,
            (chart, _) => {
                self.figure(
                    panel,
                    "p95 latency",
                    "latency",
                    chart.as_ref(),
                    Unit::Milliseconds,
                    now,
                )
                .await
            }
        };
        let cards = vec![
            services,
            self.figure(
                panel,
                "Request rate",
                "requests",
                headline.requests.as_ref(),
                Unit::PerSecond,
                now,
            )
            .await,
            self.figure(
                panel,
                "Error rate",
                "errors",
                headline.errors.as_ref(),
                Unit::Percent,
                now,
            )
            .await,
            latency,
        ];
        PanelContent::Stats { cards }
    }

    /// A headline figure: the latest value of a one-line chart over the
    /// last hour, and its change over that hour.
    async fn figure(
        &self,
        panel: &PanelDef,
        label: &str,
        key: &str,
        chart: Option<&PromChart>,
        unit: Unit,
        now: DateTime<Utc>,
    ) -> StatCard {
        let Some(chart) = chart else {
            let fix = if self.prom.is_some() {
                format!("set [overview] {key} in porthole.toml")
            } else {
                format!("needs Prometheus: set [prometheus] url and [overview] {key}")
            };
            return StatCard::missing(label, unit, fix);
        };
        let to = now.timestamp();
        // The headline's charts carry the unit of their card.
        self.latest_card(
            panel,
            label,
            chart,
            to - 3600,
            to,
            "vs 1 hour ago".to_owned(),
        )
        .await
        .unwrap_or_else(|error| StatCard::missing(label, unit, error.error))
    }

    /// The latest value of a one-line chart over [`from`, `to`], and its
    /// change since the first value.
    async fn latest_card(
        &self,
        panel: &PanelDef,
        label: &str,
        chart: &PromChart,
        from: i64,
        to: i64,
        change_label: String,
    ) -> Result<StatCard, ErrorBody> {
        let (content, stale_since) = self.prom_chart(panel, chart, from, to).await?;
        let PanelContent::Timeseries { series, .. } = content else {
            return Ok(StatCard::missing(label, chart.unit, ""));
        };
        let values: Vec<f64> = series
            .first()
            .map(|s| s.points.iter().filter_map(|p| p.v).collect())
            .unwrap_or_default();
        let (first, last) = (values.first().copied(), values.last().copied());
        Ok(StatCard {
            value: last,
            change: first.zip(last).map(|(first, last)| last - first),
            change_label,
            ..StatCard::missing(
                label,
                chart.unit,
                if stale_since.is_some() {
                    "stale: the metrics server is failing"
                } else {
                    ""
                },
            )
        })
    }

    /// One range query per line, concurrently, through the proxy's cache.
    async fn prom_chart(
        &self,
        panel: &PanelDef,
        chart: &PromChart,
        from: i64,
        to: i64,
    ) -> Result<Content, ErrorBody> {
        let PromChart {
            lines,
            unit,
            scale,
            thresholds,
        } = chart;
        let (unit, scale) = (*unit, *scale);
        let prom = self.prom()?;
        let step = step_for(to - from);
        let answers = futures::future::join_all(lines.iter().map(|line| async move {
            let expr = expand(&line.template, step, prom.scrape_interval);
            let query = RangeQuery {
                expr: expr.clone(),
                start: from * 1000,
                end: to * 1000,
                step: duration_millis(step),
            };
            let planned = prom
                .proxy
                .plan_range(&query, Arc::from(expr), to * 1000, Asker::Panel)
                .map_err(|e| ErrorBody::from(&e))?;
            prom.proxy
                .run(&planned)
                .await
                .map_err(|e| upstream_failed(&panel.id, &e))
        }))
        .await;
        let mut series = Vec::new();
        let mut stale_since = None;
        for (line, answer) in lines.iter().zip(answers) {
            let served = answer?;
            if served.freshness == Freshness::Stale {
                let since = served.answer.fetched_at.div_euclid(1000);
                stale_since = Some(stale_since.map_or(since, |s: i64| s.min(since)));
            }
            let parsed = result::matrix(&served.answer.body)
                .map_err(|e| ErrorBody::new(ErrorKind::Execution, e))?;
            series.extend(parsed.into_iter().map(|s| {
                Series {
                    name: legend(line.legend.as_deref(), &s.labels, &panel.title),
                    points: s
                        .points
                        .into_iter()
                        .map(|(t, v)| Point {
                            t,
                            v: v.map(|v| v * scale),
                        })
                        .collect(),
                }
            }));
        }
        if series.len() > MAX_SERIES {
            tracing::warn!(
                panel = %panel.id,
                series = series.len(),
                limit = MAX_SERIES,
                "a panel's query matched more series than a chart draws"
            );
            return Err(ErrorBody::new(
                ErrorKind::Execution,
                format!(
                    "the query matched {} series; a chart draws at most {MAX_SERIES}: aggregate it (`by`) or narrow its selector",
                    series.len()
                ),
            ));
        }
        Ok((
            PanelContent::Timeseries {
                unit,
                series,
                bars: None,
                thresholds: thresholds.to_vec(),
            },
            stale_since,
        ))
    }

    /// The upstream's active alerts, firing first.
    async fn alerts(&self, now: DateTime<Utc>) -> Result<Content, ErrorBody> {
        let prom = self.prom()?;
        let planned = prom.proxy.plan_alerts(now.timestamp_millis());
        let served = prom
            .proxy
            .run(&planned)
            .await
            .map_err(|e| upstream_failed("alerts", &e))?;
        let mut alerts = result::alerts(&served.answer.body)
            .map_err(|e| ErrorBody::new(ErrorKind::Execution, e))?;
        alerts.sort_by(|a, b| {
            (b.state == "firing")
                .cmp(&(a.state == "firing"))
                .then(a.active_at.cmp(&b.active_at))
        });
        let stale_since = (served.freshness == Freshness::Stale)
            .then(|| served.answer.fetched_at.div_euclid(1000));
        Ok((
            PanelContent::Table {
                columns: ["Alert", "Severity", "State", "Active since", "Summary"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: alerts.iter().map(alert_row).collect(),
                empty: "No active alerts.".to_owned(),
            },
            stale_since,
        ))
    }

    /// Total users, verified share, and new users this week and month, each
    /// against the period before.
    async fn stat_cards(&self, today: NaiveDate) -> Result<PanelContent, DbError> {
        let first = today
            .checked_sub_days(Days::new(30))
            .unwrap_or(NaiveDate::MIN);
        let series = |metric: &'static str| self.kpi.series_from_value_at(metric, first, today);
        let total = series("total_users").await?;
        let verified = series("verified_users").await?;
        let week = series("new_users_week").await?;
        let month = series("new_users_month").await?;
        let verified_share: Vec<(NaiveDate, f64)> = verified
            .iter()
            .filter_map(|&(day, v)| {
                let (_, t) = total.iter().find(|(d, _)| *d == day)?;
                (*t > 0.0).then(|| (day, v / t * 100.0))
            })
            .collect();
        let cards = vec![
            card("Total users", Unit::Count, &total, 7, "vs 7 days ago"),
            card(
                "Verified",
                Unit::Percent,
                &verified_share,
                7,
                "pts vs 7 days ago",
            ),
            card("New this week", Unit::Count, &week, 7, "vs the week before"),
            card(
                "New this month",
                Unit::Count,
                &month,
                30,
                "vs the month before",
            ),
        ];
        Ok(PanelContent::Stats { cards })
    }

    /// Total users per day over the range, with each day's sign-ups as bars.
    async fn user_growth(&self, from: i64, now: DateTime<Utc>) -> Result<PanelContent, DbError> {
        let first_day = DateTime::from_timestamp(from, 0)
            .unwrap_or(now)
            .date_naive();
        let points = |series: Vec<(NaiveDate, f64)>| -> Vec<Point> {
            series
                .into_iter()
                .filter_map(|(day, v)| {
                    let t = day.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
                    (t >= from).then_some(Point { t, v: Some(v) })
                })
                .collect()
        };
        let totals = self
            .kpi
            .series("total_users", first_day, now.date_naive())
            .await?;
        let new = self
            .kpi
            .series("new_users_today", first_day, now.date_naive())
            .await?;
        Ok(PanelContent::Timeseries {
            thresholds: Vec::new(),
            unit: Unit::Count,
            series: vec![Series {
                name: "total users".to_owned(),
                points: points(totals),
            }],
            bars: (!new.is_empty()).then(|| Series {
                name: "new users".to_owned(),
                points: points(new),
            }),
        })
    }

    /// The last twelve months: total, new users and growth, newest first.
    async fn monthly_table(&self) -> Result<PanelContent, DbError> {
        let months = monthly_rows(&self.kpi.full_series("total_users").await?);
        let rows = months
            .iter()
            .rev()
            .take(MONTHS_SHOWN)
            .map(|m| {
                vec![
                    m.month.clone(),
                    format_count(m.total_users.0),
                    format_count(m.new_users.0),
                    m.growth_percent
                        .map_or_else(|| "–".to_owned(), |p| format!("{p:+.1}%")),
                ]
            })
            .collect();
        Ok(PanelContent::Table {
            columns: ["Month", "Total users", "New users", "Growth"]
                .map(str::to_owned)
                .to_vec(),
            rows,
            empty: "No KPI history yet.".to_owned(),
        })
    }
}

/// A stat card from a daily series: its latest value and the change since
/// the value `days` before.
fn card(
    label: &str,
    unit: Unit,
    series: &[(NaiveDate, f64)],
    days: u64,
    change_label: &str,
) -> StatCard {
    let latest = series.last().copied();
    let earlier = latest.and_then(|(day, _)| {
        let then = day.checked_sub_days(Days::new(days))?;
        series
            .iter()
            .rev()
            .find(|(d, _)| *d <= then)
            .map(|&(_, v)| v)
    });
    StatCard {
        label: label.to_owned(),
        value: latest.map(|(_, v)| v),
        unit,
        change: latest.zip(earlier).map(|((_, now), then)| now - then),
        change_label: change_label.to_owned(),
        text: None,
        note: String::new(),
    }
}

/// A whole count with thousands separators: `24550` → `24,550`.
fn format_count(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

/// A series' legend: the template with `{{label}}` filled in, else its
/// labels, else the panel's title.
fn legend(template: Option<&str>, labels: &Labels, title: &str) -> String {
    if let Some(template) = template {
        let mut text = template.to_owned();
        for (name, value) in labels {
            text = text.replace(&format!("{{{{{name}}}}}"), value);
        }
        // Labels the series lacks leave nothing behind.
        while let (Some(open), Some(close)) = (text.find("{{"), text.find("}}")) {
            if close < open {
                break;
            }
            text.replace_range(open..close + 2, "");
        }
        return text.trim().to_owned();
    }
    let shown: Vec<String> = labels
        .iter()
        .filter(|(name, _)| name.as_str() != "__name__")
        .map(|(name, value)| format!("{name}=\"{value}\""))
        .collect();
    if shown.is_empty() {
        title.to_owned()
    } else {
        format!("{{{}}}", shown.join(", "))
    }
}

/// One alert as a table row.
fn alert_row(alert: &Alert) -> Vec<String> {
    let label = |name: &str| alert.labels.get(name).cloned().unwrap_or_default();
    let since = alert
        .active_at
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map_or_else(String::new, |t| {
            t.with_timezone(&Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        });
    let summary = alert
        .annotations
        .get("summary")
        .or_else(|| alert.annotations.get("description"))
        .cloned()
        .unwrap_or_default();
    vec![
        label("alertname"),
        label("severity"),
        alert.state.clone(),
        since,
        summary,
    ]
}

fn upstream_failed(panel: &str, error: &crate::prom::ProxyError) -> ErrorBody {
    tracing::warn!(panel, %error, "a panel's upstream query failed");
    ErrorBody::from(error)
}

fn store_failed(error: DbError) -> ErrorBody {
    tracing::error!(%error, "reading a panel from the KPI store");
    ErrorBody::new(
        ErrorKind::Unavailable,
        "the KPI store is unavailable; try again shortly",
    )
}

#[cfg(test)]
mod tests {
    use app::model::TimeRange;

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
        assert_eq!(rows.len(), MONTHS_SHOWN);
        assert_eq!(rows[0][0], "2026-01");
        assert_eq!(rows[1][0], "2025-12");
        assert!(
            rows[0][3].starts_with('+') && rows[0][3].ends_with('%'),
            "{:?}",
            rows[0]
        );
    }

    #[test]
    fn legends_fill_in_labels() {
        let labels: Labels = [
            ("service".to_owned(), "api".to_owned()),
            ("le".to_owned(), "0.1".to_owned()),
        ]
        .into();
        assert_eq!(legend(Some("{{service}} p95"), &labels, "T"), "api p95");
        assert_eq!(legend(Some("{{missing}} p95"), &labels, "T"), "p95");
        assert_eq!(legend(None, &labels, "T"), "{le=\"0.1\", service=\"api\"}");
        assert_eq!(legend(None, &Labels::new(), "Latency"), "Latency");
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
        assert_eq!(error.error_type, ErrorKind::Unavailable);
        assert!(error.error.contains("PROMETHEUS_URL"), "{}", error.error);
    }

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(format_count(24_550.0), "24,550");
        assert_eq!(format_count(999.0), "999");
        assert_eq!(format_count(1_000_000.0), "1,000,000");
        assert_eq!(format_count(-1_200.0), "-1,200");
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
