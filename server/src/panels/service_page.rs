//! One service's page (`/status/{service}`): its entry of the status
//! report, its response times over 24 hours (from each check) and 90 days
//! (from daily aggregates) as charts, and the incidents and maintenance
//! that touched it.

use app::model::phrases;
use std::time::Duration;

use app::model::{
    HistoryEntry, PanelContent, PanelData, Point, Series, ServicePage, StatusReport, TimeRange,
    Unit,
};
use chrono::{NaiveDateTime, TimeDelta};

use super::probe_feed::with_gaps;
use crate::{
    config::ServiceConfig,
    db::DbError,
    probe::{
        ProbeStore,
        store::{DailyRow, first_of},
    },
};

/// The buckets of the 24-hour chart: 15 minutes, 96 points.
const DAY_BUCKET: Duration = Duration::from_secs(15 * 60);

/// Days in the long chart, as in the uptime bars.
const QUARTER_DAYS: u64 = 90;

/// `service`'s page from `report` (already as public as the viewer may
/// see it) and the store, at `now`; `None` when the report does not list
/// the service.
pub async fn service_page(
    report: &StatusReport,
    store: &ProbeStore,
    service: &ServiceConfig,
    now: NaiveDateTime,
) -> Result<Option<ServicePage>, DbError> {
    let Some((group, status)) = report.groups.iter().find_map(|group| {
        group
            .services
            .iter()
            .find(|s| s.id == service.id)
            .map(|s| (group.name.clone(), s.clone()))
    }) else {
        return Ok(None);
    };
    let (latency_day, latency_quarter) = if status.latency_measured {
        let day_from = now - TimeDelta::days(1);
        let recent = store
            .service_latency(&service.id, day_from, now, DAY_BUCKET)
            .await?;
        let first_day = first_of(now.date(), QUARTER_DAYS);
        let daily: Vec<DailyRow> = store
            .daily_since(first_day)
            .await?
            .into_iter()
            .filter(|row| row.service == service.id)
            .collect();
        let quarter_from = first_day.and_hms_opt(0, 0, 0).unwrap_or(now);
        (
            Some(latency_chart(
                service,
                phrases::LATENCY_24H.1,
                TimeRange::Hours24,
                (day_from, now),
                recent,
                DAY_BUCKET,
            )),
            Some(latency_chart(
                service,
                phrases::LATENCY_90D.1,
                TimeRange::Days90,
                (quarter_from, now),
                daily
                    .into_iter()
                    .filter_map(|row| {
                        Some((
                            row.day.and_hms_opt(0, 0, 0)?,
                            row.latency_p50?,
                            row.latency_p95?,
                        ))
                    })
                    .collect(),
                Duration::from_secs(86_400),
            )),
        )
    } else {
        (None, None)
    };
    Ok(Some(ServicePage {
        generated_at: report.generated_at,
        history: history_of(report, service),
        group,
        service: status,
        latency_day,
        latency_quarter,
    }))
}

/// A chart of p50 and p95 lines from `(time, p50, p95)` samples `step`
/// apart, with gaps where nothing was measured.
fn latency_chart(
    service: &ServiceConfig,
    title: &str,
    range: TimeRange,
    (from, to): (NaiveDateTime, NaiveDateTime),
    samples: Vec<(NaiveDateTime, f64, f64)>,
    step: Duration,
) -> PanelData {
    let line = |name: &str, pick: fn(&(NaiveDateTime, f64, f64)) -> f64| Series {
        name: name.to_owned(),
        points: with_gaps(
            samples
                .iter()
                .map(|sample| Point {
                    t: sample.0.and_utc().timestamp(),
                    v: Some(pick(sample)),
                })
                .collect(),
            step,
        ),
    };
    PanelData {
        dashboard: "status".to_owned(),
        panel: format!("{}-latency-{}", service.id, range.as_str()),
        title: title.to_owned(),
        range,
        from: from.and_utc().timestamp(),
        to: to.and_utc().timestamp(),
        span: None,
        demo: false,
        stale_since: None,
        content: PanelContent::Timeseries {
            unit: Unit::Milliseconds,
            series: vec![line("p50", |s| s.1), line("p95", |s| s.2)],
            bars: None,
            thresholds: service
                .slow
                .map(|slow| vec![slow.as_secs_f64() * 1000.0])
                .unwrap_or_default(),
        },
    }
}

/// The report's incidents and maintenance that name `service`, newest
/// first.
fn history_of(report: &StatusReport, service: &ServiceConfig) -> Vec<HistoryEntry> {
    let names_it = |refs: &[app::model::ServiceRef]| refs.iter().any(|r| r.id == service.id);
    let mut entries: Vec<HistoryEntry> = report
        .notices
        .active
        .iter()
        .chain(&report.notices.recent)
        .filter(|incident| names_it(&incident.services))
        .cloned()
        .map(HistoryEntry::Reported)
        .chain(
            report
                .notices
                .maintenance
                .iter()
                .filter(|window| names_it(&window.services))
                .cloned()
                .map(HistoryEntry::Maintenance),
        )
        .chain(
            report
                .incidents
                .iter()
                .filter(|incident| incident.services.contains(&service.name))
                .cloned()
                .map(HistoryEntry::Detected),
        )
        .collect();
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.started_at()));
    entries
}
