//! A dashboard panel plus a time range → the panel's data, from its source.
//!
//! The built-in "overview" dashboard has one panel so far: total users from
//! the demo KPI history. Errors are client-safe `ErrorBody`s.

use app::{
    model::{ErrorBody, PanelData, PanelQuery, Point, Series, TimeRange, Unit},
    panel_data::PanelSource,
};
use chrono::{DateTime, Utc};
use futures::future::{BoxFuture, FutureExt};

use crate::kpi::demo;

/// The built-in dashboard served at `/`.
pub const OVERVIEW: &str = "overview";

/// Serves panel data for the built-in dashboards.
#[derive(Debug, Clone, Default)]
pub struct Panels;

impl Panels {
    /// The data for `query` as of `now`.
    pub fn panel_at(&self, query: &PanelQuery, now: DateTime<Utc>) -> Result<PanelData, ErrorBody> {
        if query.dashboard != OVERVIEW {
            return Err(ErrorBody::new(
                "not_found",
                format!("unknown dashboard {:?}", query.dashboard),
            ));
        }
        match query.panel.as_str() {
            "users" => Ok(total_users(query.range, now)),
            other => Err(ErrorBody::new(
                "not_found",
                format!("dashboard {OVERVIEW:?} has no panel {other:?}"),
            )),
        }
    }
}

impl PanelSource for Panels {
    fn panel(&self, query: PanelQuery) -> BoxFuture<'static, Result<PanelData, ErrorBody>> {
        let result = self.panel_at(&query, Utc::now());
        async move { result }.boxed()
    }
}

/// Total users per day over `range`, ending at `now`.
fn total_users(range: TimeRange, now: DateTime<Utc>) -> PanelData {
    let to = now.timestamp();
    let from = to - range.seconds();
    let first_day = DateTime::from_timestamp(from, 0)
        .unwrap_or(now)
        .date_naive();
    let points = demo::total_users(first_day, now.date_naive())
        .into_iter()
        .filter_map(|(day, total)| {
            let t = day.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
            (t >= from).then_some(Point {
                t,
                v: Some(total as f64),
            })
        })
        .collect();
    PanelData {
        dashboard: OVERVIEW.to_owned(),
        panel: "users".to_owned(),
        title: "Total users".to_owned(),
        range,
        from,
        to,
        unit: Unit::Count,
        series: vec![Series {
            name: "total users".to_owned(),
            points,
        }],
        demo: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn users_panel_has_one_point_per_day_in_range() {
        let data = Panels
            .panel_at(&query(OVERVIEW, "users", TimeRange::Days7), noon())
            .expect("panel");
        let points = &data.series[0].points;
        assert_eq!(
            points.len(),
            7,
            "Jan 22..=Jan 28 start after the range's start"
        );
        assert!(points.iter().all(|p| p.t >= data.from && p.t <= data.to));
        assert!(points.windows(2).all(|w| w[1].t - w[0].t == 86_400));
        assert!(data.demo);
    }

    #[test]
    fn longer_ranges_hold_more_days() {
        let month = Panels
            .panel_at(&query(OVERVIEW, "users", TimeRange::Days30), noon())
            .expect("panel");
        let year = Panels
            .panel_at(&query(OVERVIEW, "users", TimeRange::Year1), noon())
            .expect("panel");
        assert_eq!(month.series[0].points.len(), 30);
        assert_eq!(year.series[0].points.len(), 365);
    }

    #[test]
    fn unknown_dashboards_and_panels_are_not_found() {
        let err = Panels
            .panel_at(&query("nope", "users", TimeRange::Days7), noon())
            .expect_err("unknown dashboard");
        assert_eq!(err.error_type, "not_found");
        assert!(err.error.contains("nope"));
        let err = Panels
            .panel_at(&query(OVERVIEW, "nope", TimeRange::Days7), noon())
            .expect_err("unknown panel");
        assert_eq!(err.error_type, "not_found");
    }
}
