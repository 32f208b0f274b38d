//! Panels fed by Porthole's own service checks: p95 latency per service,
//! the services table, and the headline's "services up" and latency cards.

use app::model::ErrorKind;
use app::model::phrases;
use std::{collections::HashMap, sync::Arc, time::Duration};

use app::{
    calendar::format_instant,
    model::{ErrorBody, PanelContent, Point, Series, StatCard, Unit, UptimeRange, percent},
};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};

use futures::future::BoxFuture;

use super::feed::{Content, PanelFeed, Window, misrouted};
use crate::{
    config::ServiceConfig,
    dashboards::{Feed, PanelDef, step_for},
    db::DbError,
    probe::{StatusReports, store::first_of},
};

/// Ranges up to this long are drawn from raw results; longer ones from
/// daily aggregates (one point a day).
const RAW_UP_TO: i64 = 7 * 86_400;

/// Service status as panels see it.
#[derive(Debug, Clone)]
pub struct ProbeFeed {
    /// Reports (cached) and the store beneath them.
    pub status: StatusReports,
    /// The services configured now.
    pub services: Arc<Vec<ServiceConfig>>,
}

impl PanelFeed for ProbeFeed {
    fn content<'a>(
        &'a self,
        panel: &'a PanelDef,
        window: Window,
    ) -> BoxFuture<'a, Result<Content, ErrorBody>> {
        Box::pin(async move {
            let (from, to) = (window.from, window.to.timestamp());
            let content = match panel.feed {
                Feed::ProbeLatency => self.latency_chart(from, to).await?,
                Feed::ServiceTable => self.service_table().await?,
                Feed::Uptime => self.uptime_chart(from, to).await?,
                _ => return Err(misrouted(panel, "probes")),
            };
            Ok((content, None))
        })
    }
}

impl ProbeFeed {
    /// p95 latency per service over [`from`, `to`] (Unix seconds), a line
    /// per service in configuration order, with gaps where nothing was
    /// checked.
    pub async fn latency_chart(&self, from: i64, to: i64) -> Result<PanelContent, ErrorBody> {
        let store = self.status.store();
        let (start, end) = (instant(from), instant(to));
        let (step, samples) = if to - from <= RAW_UP_TO {
            let step = step_for(to - from);
            let points = store
                .latency_p95(start, end, step)
                .await
                .map_err(store_failed)?;
            (
                step,
                points
                    .into_iter()
                    .map(|p| (p.service, p.at, p.p95_ms))
                    .collect::<Vec<_>>(),
            )
        } else {
            let days = u64::try_from((to - from) / 86_400 + 1).unwrap_or(1);
            let rows = store
                .daily_since(first_of(end.date(), days))
                .await
                .map_err(store_failed)?;
            (
                Duration::from_secs(86_400),
                rows.into_iter()
                    .filter_map(|r| Some((r.service, r.day.and_hms_opt(0, 0, 0)?, r.latency_p95?)))
                    .collect(),
            )
        };
        let samples = samples
            .into_iter()
            .map(|(service, at, ms)| (service, at.and_utc().timestamp(), ms));
        Ok(self.chart_per_service(samples, step, Unit::Milliseconds))
    }

    /// A chart with a line per configured service (in configuration order)
    /// from `(service id, unix seconds, value)` samples in time order, with
    /// gaps where consecutive samples are more than `step` apart.
    fn chart_per_service(
        &self,
        samples: impl IntoIterator<Item = (String, i64, f64)>,
        step: Duration,
        unit: Unit,
    ) -> PanelContent {
        let mut by_service: HashMap<String, Vec<Point>> = HashMap::new();
        for (service, t, v) in samples {
            by_service
                .entry(service)
                .or_default()
                .push(Point { t, v: Some(v) });
        }
        let series = self
            .services
            .iter()
            .filter_map(|service| {
                let points = by_service.remove(&service.id)?;
                Some(Series {
                    name: service.name.clone(),
                    points: with_gaps(points, step),
                })
            })
            .collect();
        PanelContent::Timeseries {
            unit,
            series,
            bars: None,
            thresholds: Vec::new(),
        }
    }

    /// Each service's uptime per day over [`from`, `to`] (Unix seconds), in
    /// percent: a line per service, gaps on days nothing was checked.
    pub async fn uptime_chart(&self, from: i64, to: i64) -> Result<PanelContent, ErrorBody> {
        let days = u64::try_from((to - from) / 86_400 + 1).unwrap_or(1);
        let rows = self
            .status
            .store()
            .daily_since(first_of(instant(to).date(), days))
            .await
            .map_err(store_failed)?;
        let samples = rows.into_iter().filter_map(|row| {
            let t = row.day.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
            #[allow(clippy::cast_precision_loss)] // check counts are far below 2^52
            let up = 100.0 * row.ok_checks as f64 / row.checks as f64;
            (row.checks > 0 && t <= to).then_some((row.service, t, up))
        });
        Ok(self.chart_per_service(samples, Duration::from_secs(86_400), Unit::Percent))
    }

    /// Each service: status, uptime over 24 hours and 30 days, last check.
    pub async fn service_table(&self) -> Result<PanelContent, ErrorBody> {
        let report = self.report().await?;
        let rows = report
            .groups
            .iter()
            .flat_map(|g| &g.services)
            .map(|s| {
                let uptime = |range| {
                    s.uptime_over(range)
                        .map_or_else(|| phrases::NO_DATA.1.to_owned(), percent)
                };
                vec![
                    s.name.clone(),
                    s.state.label().to_owned(),
                    uptime(UptimeRange::Day),
                    uptime(UptimeRange::Month),
                    // An instant: pages print it in the viewer's zone.
                    s.last_check
                        .map_or_else(|| phrases::NEVER.1.to_owned(), |t| format_instant(t / 1000)),
                ]
            })
            .collect();
        Ok(PanelContent::Table {
            columns: [
                phrases::SERVICE.1,
                phrases::STATUS.1,
                phrases::UPTIME_24H.1,
                phrases::UPTIME_30D.1,
                phrases::LAST_CHECK.1,
            ]
            .map(str::to_owned)
            .to_vec(),
            rows,
            empty: "No services are configured: add [[service]] to porthole.toml".to_owned(),
            instants: vec![4],
        })
    }

    /// "38 / 39" services up, with the banner's words.
    pub async fn services_card(&self) -> StatCard {
        match self.report().await {
            Ok(report) => StatCard {
                text: Some(format!("{} / {}", report.summary.up, report.summary.total)),
                value: Some(report.summary.up as f64),
                ..StatCard::missing(
                    phrases::SERVICES_UP.1,
                    Unit::Count,
                    report.summary.level.headline(),
                )
            },
            Err(error) => StatCard::missing(phrases::SERVICES_UP.1, Unit::Count, error.error),
        }
    }

    /// p95 latency of every check in the last hour.
    pub async fn latency_card(&self, now: DateTime<Utc>) -> StatCard {
        let since = now.naive_utc() - TimeDelta::hours(1);
        match self
            .status
            .store()
            .latency_quantile_since(since, 0.95)
            .await
        {
            Ok(value) => StatCard {
                value,
                ..StatCard::missing(
                    phrases::P95_LATENCY.1,
                    Unit::Milliseconds,
                    phrases::CHECKS_LAST_HOUR.1,
                )
            },
            Err(error) => StatCard::missing(
                phrases::P95_LATENCY.1,
                Unit::Milliseconds,
                store_failed(error).error,
            ),
        }
    }

    async fn report(&self) -> Result<Arc<app::model::StatusReport>, ErrorBody> {
        self.status
            .report(self.services.clone())
            .await
            .map_err(|error| {
                tracing::error!(%error, "making the status report for a panel");
                ErrorBody::new(
                    ErrorKind::Unavailable,
                    "service status is unavailable; try again shortly",
                )
            })
    }
}

/// Points with a gap (`None`) wherever the next one is more than 1.5 steps
/// later: nothing was checked then, and the chart must not bridge it.
pub(super) fn with_gaps(points: Vec<Point>, step: Duration) -> Vec<Point> {
    let step = i64::try_from(step.as_secs()).unwrap_or(i64::MAX).max(1);
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for point in points {
        if let Some(last) = out.last()
            && point.t - last.t > step * 3 / 2
        {
            out.push(Point {
                t: last.t + step,
                v: None,
            });
        }
        out.push(point);
    }
    out
}

fn instant(unix_seconds: i64) -> NaiveDateTime {
    DateTime::from_timestamp(unix_seconds, 0)
        .unwrap_or_default()
        .naive_utc()
}

fn store_failed(error: DbError) -> ErrorBody {
    tracing::error!(%error, "reading service checks for a panel");
    ErrorBody::new(
        ErrorKind::Unavailable,
        "service checks are unavailable; try again shortly",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_break_lines_where_nothing_was_checked() {
        let p = |t, v| Point { t, v: Some(v) };
        let points = with_gaps(
            vec![p(0, 1.0), p(60, 2.0), p(300, 3.0)],
            Duration::from_secs(60),
        );
        assert_eq!(points.len(), 4);
        assert_eq!(points[2], Point { t: 120, v: None });
    }
}
