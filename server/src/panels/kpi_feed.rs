//! Panels fed by the KPI store: the headline numbers (`stats`), total users
//! with daily sign-ups (`users`) and the monthly growth table (`monthly`).

use app::model::phrases;
use app::model::{Better, ErrorBody, ErrorKind, PanelContent, Point, Series, StatCard, Unit};
use chrono::{DateTime, Days, NaiveDate, Utc};
use futures::future::BoxFuture;

use super::feed::{Content, PanelFeed, Window, misrouted};
use crate::{
    dashboards::{Feed, PanelDef},
    db::DbError,
    kpi::{KpiStore, growth::monthly_rows},
};

/// Months shown in the monthly table, newest first.
pub(super) const MONTHS_SHOWN: usize = 12;

/// The KPI store as panels see it.
#[derive(Debug, Clone)]
pub struct KpiFeed {
    /// The store.
    pub kpi: KpiStore,
}

impl PanelFeed for KpiFeed {
    fn content<'a>(
        &'a self,
        panel: &'a PanelDef,
        window: Window,
    ) -> BoxFuture<'a, Result<Content, ErrorBody>> {
        Box::pin(async move {
            let content = match panel.feed {
                Feed::KpiStats => self.stat_cards(window.to.date_naive()).await,
                Feed::KpiUsers => self.user_growth(window.from, window.to).await,
                Feed::KpiMonthly => self.monthly_table().await,
                _ => return Err(misrouted(panel, "kpi")),
            };
            content.map(|c| (c, None)).map_err(store_failed)
        })
    }

    fn is_demo(&self) -> BoxFuture<'_, Result<bool, ErrorBody>> {
        Box::pin(async move { self.kpi.is_demo().await.map_err(store_failed) })
    }
}

impl KpiFeed {
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
            card(
                phrases::TOTAL_USERS.1,
                Unit::Count,
                &total,
                7,
                phrases::VS_7_DAYS_AGO.1,
            ),
            card(
                phrases::VERIFIED.1,
                Unit::Percent,
                &verified_share,
                7,
                phrases::PTS_VS_7_DAYS_AGO.1,
            ),
            card(
                phrases::NEW_THIS_WEEK.1,
                Unit::Count,
                &week,
                7,
                phrases::VS_WEEK_BEFORE.1,
            ),
            card(
                phrases::NEW_THIS_MONTH.1,
                Unit::Count,
                &month,
                30,
                phrases::VS_MONTH_BEFORE.1,
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
                name: phrases::TOTAL_USERS_LINE.1.to_owned(),
                points: points(totals),
            }],
            bars: (!new.is_empty()).then(|| Series {
                name: phrases::NEW_USERS_LINE.1.to_owned(),
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
            columns: [
                phrases::MONTH.1,
                phrases::TOTAL_USERS.1,
                phrases::NEW_USERS.1,
                phrases::GROWTH.1,
            ]
            .map(str::to_owned)
            .to_vec(),
            rows,
            empty: "No KPI history yet.".to_owned(),
            instants: Vec::new(),
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
        better: Better::Higher,
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
        ErrorKind::Unavailable,
        "the KPI store is unavailable; try again shortly",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(format_count(24_550.0), "24,550");
        assert_eq!(format_count(999.0), "999");
        assert_eq!(format_count(1_000_000.0), "1,000,000");
        assert_eq!(format_count(-1_200.0), "-1,200");
    }
}
