//! A dashboard panel plus a time range → the panel's data, from its source.
//!
//! The built-in "overview" dashboard shows growth KPIs from the KPI store:
//! headline numbers (`stats`), total users with daily sign-ups (`users`) and
//! a monthly table (`monthly`). Errors are client-safe `ErrorBody`s; storage
//! details are logged here and never reach a page.

use std::{sync::Arc, time::Duration};

use app::{
    model::{ErrorBody, PanelContent, PanelData, PanelQuery, Point, Series, StatCard, Unit},
    panel_data::PanelSource,
};
use chrono::{DateTime, Days, NaiveDate, Utc};
use futures::future::{BoxFuture, FutureExt};
use moka::future::Cache;

use crate::{
    db::DbError,
    kpi::{KpiStore, growth::monthly_rows},
};

/// Months shown in the monthly table, newest first.
const MONTHS_SHOWN: usize = 12;

/// The built-in dashboard served at `/`.
pub const OVERVIEW: &str = "overview";

/// Panel data is computed once per query, minute and KPI write; every
/// viewer in between shares it, so viewers do not multiply database work.
const CACHE_CAPACITY: u64 = 1_000;
const CACHE_TTL: Duration = Duration::from_secs(120);

/// What a cached panel answer depends on: the query, the minute it covers
/// and the KPI store's generation (bumped by every write).
type CacheKey = (PanelQuery, i64, u64);

/// Serves panel data for the built-in dashboards.
#[derive(Debug, Clone)]
pub struct Panels {
    kpi: KpiStore,
    cache: Cache<CacheKey, PanelData>,
}

impl Panels {
    /// Panels reading KPIs from `kpi`.
    pub fn new(kpi: KpiStore) -> Self {
        Self {
            kpi,
            cache: Cache::builder()
                .max_capacity(CACHE_CAPACITY)
                .time_to_live(CACHE_TTL)
                .build(),
        }
    }

    /// The data for `query` as of `now`, aligned down to the minute so
    /// viewers within a minute share one answer. Concurrent identical
    /// requests wait for one computation; errors are not cached.
    pub async fn panel_at(
        &self,
        query: &PanelQuery,
        now: DateTime<Utc>,
    ) -> Result<PanelData, ErrorBody> {
        let minute = now.timestamp().div_euclid(60) * 60;
        let aligned = DateTime::from_timestamp(minute, 0).unwrap_or(now);
        let key = (query.clone(), minute, self.kpi.generation());
        self.cache
            .try_get_with(key, self.compute(query, aligned))
            .await
            .map_err(|error| (*error).clone())
    }

    async fn compute(
        &self,
        query: &PanelQuery,
        now: DateTime<Utc>,
    ) -> Result<PanelData, ErrorBody> {
        if query.dashboard != OVERVIEW {
            return Err(ErrorBody::new(
                "not_found",
                format!("unknown dashboard {:?}", query.dashboard),
            ));
        }
        let to = now.timestamp();
        let from = to - query.range.seconds();
        let content = match query.panel.as_str() {
            "stats" => self.stat_cards(now.date_naive()).await,
            "users" => self.user_growth(from, now).await,
            "monthly" => self.monthly_table().await,
            other => {
                return Err(ErrorBody::new(
                    "not_found",
                    format!("dashboard {OVERVIEW:?} has no panel {other:?}"),
                ));
            }
        };
        let (title, content) = content.map_err(store_failed)?;
        let demo = self.kpi.is_demo().await.map_err(store_failed)?;
        Ok(PanelData {
            dashboard: OVERVIEW.to_owned(),
            panel: query.panel.clone(),
            title: title.to_owned(),
            range: query.range,
            from,
            to,
            demo,
            content,
        })
    }

    /// Total users, verified share, and new users this week and month, each
    /// against the period before.
    async fn stat_cards(&self, today: NaiveDate) -> Result<(&'static str, PanelContent), DbError> {
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
        Ok(("Key figures", PanelContent::Stats { cards }))
    }

    /// Total users per day over the range, with each day's sign-ups as bars.
    async fn user_growth(
        &self,
        from: i64,
        now: DateTime<Utc>,
    ) -> Result<(&'static str, PanelContent), DbError> {
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
        Ok((
            "Total users",
            PanelContent::Timeseries {
                unit: Unit::Count,
                series: vec![Series {
                    name: "total users".to_owned(),
                    points: points(totals),
                }],
                bars: (!new.is_empty()).then(|| Series {
                    name: "new users".to_owned(),
                    points: points(new),
                }),
            },
        ))
    }

    /// The last twelve months: total, new users and growth, newest first.
    async fn monthly_table(&self) -> Result<(&'static str, PanelContent), DbError> {
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
        Ok((
            "Monthly growth",
            PanelContent::Table {
                columns: ["Month", "Total users", "New users", "Growth"]
                    .map(str::to_owned)
                    .to_vec(),
                rows,
            },
        ))
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

fn store_failed(error: DbError) -> ErrorBody {
    tracing::error!(%error, "reading a panel from the KPI store");
    ErrorBody::new(
        "unavailable",
        "the KPI store is unavailable; try again shortly",
    )
}

/// The pages' view of the panels, through the app's `PanelSource` seam.
#[derive(Debug, Clone)]
pub struct SharedPanels(pub Arc<Panels>);

impl PanelSource for SharedPanels {
    fn panel(&self, query: PanelQuery) -> BoxFuture<'static, Result<PanelData, ErrorBody>> {
        let panels = self.0.clone();
        async move { panels.panel_at(&query, Utc::now()).await }.boxed()
    }
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
        (dir, Panels::new(kpi))
    }

    #[tokio::test]
    async fn users_panel_has_one_point_per_day_in_range() {
        let (_dir, panels) = demo_panels().await;
        let data = panels
            .panel_at(&query(OVERVIEW, "users", TimeRange::Days7), noon())
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
            .panel_at(&query(OVERVIEW, "users", TimeRange::Days30), noon())
            .await
            .expect("panel");
        let year = panels
            .panel_at(&query(OVERVIEW, "users", TimeRange::Year1), noon())
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
            .panel_at(&query(OVERVIEW, "stats", TimeRange::Days30), noon())
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
            .panel_at(&query(OVERVIEW, "monthly", TimeRange::Days30), noon())
            .await
            .expect("panel");
        let PanelContent::Table { columns, rows } = data.content else {
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
            .panel_at(&query("nope", "users", TimeRange::Days7), noon())
            .await
            .expect_err("unknown dashboard");
        assert_eq!(err.error_type, "not_found");
        assert!(err.error.contains("nope"));
        let err = panels
            .panel_at(&query(OVERVIEW, "nope", TimeRange::Days7), noon())
            .await
            .expect_err("unknown panel");
        assert_eq!(err.error_type, "not_found");
    }
}
