//! Growth arithmetic over a daily series, kept apart from storage so every
//! edge case (first row, previous zero, gaps, shrinking) is tested directly.

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

/// A KPI value: serialized as an integer when it is one (user counts), as a
/// float otherwise (revenue), so the JSON matches what clients expect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiValue(pub f64);

impl Serialize for KpiValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < EXACT {
            serializer.serialize_i64(v as i64)
        } else {
            serializer.serialize_f64(v)
        }
    }
}

/// One row of `/api/v1/analytics/growth`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrowthRow {
    /// The day.
    pub date: NaiveDate,
    /// Total users at the end of the day.
    pub total_users: KpiValue,
    /// Change since the previous row; null on the first row.
    pub growth: Option<KpiValue>,
    /// Change in percent of the previous row's value, two decimals; null on
    /// the first row and where the previous value is 0.
    pub growth_percent: Option<f64>,
}

/// Growth of each row over the row before it (the previous stored day,
/// whatever the gap).
pub fn growth_rows(series: &[(NaiveDate, f64)]) -> Vec<GrowthRow> {
    let mut previous: Option<f64> = None;
    series
        .iter()
        .map(|&(date, value)| {
            let row = GrowthRow {
                date,
                total_users: KpiValue(value),
                growth: previous.map(|p| KpiValue(value - p)),
                growth_percent: previous.and_then(|p| percent_change(p, value)),
            };
            previous = Some(value);
            row
        })
        .collect()
}

/// One row of `/api/v1/analytics/monthly`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthRow {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Total users on the month's last stored day.
    pub total_users: KpiValue,
    /// Users gained in the month: last total minus the previous month's last
    /// total (the month's first total for the first month).
    pub new_users: KpiValue,
    /// `new_users` in percent of the previous month's last total; null for
    /// the first month and where that total is 0.
    pub growth_percent: Option<f64>,
}

/// Per-month aggregates of a time-ordered daily series.
pub fn monthly_rows(series: &[(NaiveDate, f64)]) -> Vec<MonthRow> {
    let mut months: Vec<((i32, u32), f64, f64)> = Vec::new(); // (month, first, last)
    for &(date, value) in series {
        let key = (date.year(), date.month());
        match months.last_mut() {
            Some((month, _, last)) if *month == key => *last = value,
            _ => months.push((key, value, value)),
        }
    }
    let mut previous_last: Option<f64> = None;
    months
        .into_iter()
        .map(|((year, month), first, last)| {
            let base = previous_last.unwrap_or(first);
            let row = MonthRow {
                month: format!("{year:04}-{month:02}"),
                total_users: KpiValue(last),
                new_users: KpiValue(last - base),
                growth_percent: previous_last.and_then(|p| percent_change(p, last)),
            };
            previous_last = Some(last);
            row
        })
        .collect()
}

/// Which way a KPI moved over the last week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    /// Higher than a week before.
    Up,
    /// Lower than a week before.
    Down,
    /// Unchanged, or no value a week before.
    Flat,
}

/// One metric of `/api/v1/analytics/summary`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSummary {
    /// The latest value.
    pub value: KpiValue,
    /// Change since 7 days before the latest day; null without a value then.
    pub delta_7d: Option<KpiValue>,
    /// Change since 30 days before the latest day; null without a value then.
    pub delta_30d: Option<KpiValue>,
    /// Direction over the last 7 days.
    pub trend: Trend,
}

/// Summarizes a time-ordered daily series: the latest value and its change
/// against the values on (or last before) 7 and 30 days earlier.
pub fn summarize(series: &[(NaiveDate, f64)]) -> Option<MetricSummary> {
    let &(latest_day, value) = series.last()?;
    let value_before = |days: u64| {
        let day = latest_day.checked_sub_days(chrono::Days::new(days))?;
        series
            .iter()
            .rev()
            .find(|(d, _)| *d <= day)
            .map(|&(_, v)| v)
    };
    let delta_7d = value_before(7).map(|v| value - v);
    let delta_30d = value_before(30).map(|v| value - v);
    let trend = match delta_7d {
        Some(d) if d > 0.0 => Trend::Up,
        Some(d) if d < 0.0 => Trend::Down,
        _ => Trend::Flat,
    };
    Some(MetricSummary {
        value: KpiValue(value),
        delta_7d: delta_7d.map(KpiValue),
        delta_30d: delta_30d.map(KpiValue),
        trend,
    })
}

/// `(to - from) / from` in percent, rounded to two decimals; `None` if `from` is 0.
fn percent_change(from: f64, to: f64) -> Option<f64> {
    (from != 0.0).then(|| ((to - from) / from * 10_000.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn growth_matches_the_documented_example() {
        let rows = growth_rows(&[(day("2026-01-01"), 5.0), (day("2026-01-02"), 6.0)]);
        assert_eq!(
            serde_json::to_value(rows).expect("json"),
            json!([
                {"date": "2026-01-01", "total_users": 5, "growth": null, "growth_percent": null},
                {"date": "2026-01-02", "total_users": 6, "growth": 1, "growth_percent": 20.0}
            ])
        );
    }

    #[test]
    fn growth_from_zero_has_no_percent() {
        let rows = growth_rows(&[(day("2026-01-01"), 0.0), (day("2026-01-02"), 3.0)]);
        assert_eq!(rows[1].growth, Some(KpiValue(3.0)));
        assert_eq!(rows[1].growth_percent, None);
    }

    #[test]
    fn negative_growth_is_negative() {
        let rows = growth_rows(&[(day("2026-01-01"), 8.0), (day("2026-01-02"), 6.0)]);
        assert_eq!(rows[1].growth, Some(KpiValue(-2.0)));
        assert_eq!(rows[1].growth_percent, Some(-25.0));
    }

    #[test]
    fn missing_days_compare_with_the_previous_stored_day() {
        let rows = growth_rows(&[(day("2026-01-01"), 3.0), (day("2026-01-05"), 4.0)]);
        assert_eq!(rows[1].growth, Some(KpiValue(1.0)));
        assert_eq!(rows[1].growth_percent, Some(33.33));
    }

    #[test]
    fn one_row_has_no_growth_and_none_is_empty() {
        let rows = growth_rows(&[(day("2026-01-01"), 3.0)]);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].growth, rows[0].growth_percent), (None, None));
        assert!(growth_rows(&[]).is_empty());
    }

    #[test]
    fn months_take_their_last_total_and_gain_over_the_month_before() {
        let rows = monthly_rows(&[
            (day("2026-01-01"), 5.0),
            (day("2026-01-31"), 10.0),
            (day("2026-02-10"), 12.0),
            (day("2026-02-28"), 15.0),
            (day("2026-04-02"), 15.0),
        ]);
        assert_eq!(
            serde_json::to_value(rows).expect("json"),
            json!([
                {"month": "2026-01", "total_users": 10, "new_users": 5, "growth_percent": null},
                {"month": "2026-02", "total_users": 15, "new_users": 5, "growth_percent": 50.0},
                {"month": "2026-04", "total_users": 15, "new_users": 0, "growth_percent": 0.0}
            ])
        );
    }

    #[test]
    fn summary_deltas_use_the_last_value_on_or_before_each_offset() {
        let series = [
            (day("2026-01-01"), 10.0),
            (day("2026-01-20"), 30.0),
            (day("2026-01-31"), 25.0),
        ];
        let summary = summarize(&series).expect("summary");
        assert_eq!(summary.value, KpiValue(25.0));
        assert_eq!(
            summary.delta_7d,
            Some(KpiValue(-5.0)),
            "vs Jan 20 (last on or before Jan 24)"
        );
        assert_eq!(summary.delta_30d, Some(KpiValue(15.0)), "vs Jan 1");
        assert_eq!(summary.trend, Trend::Down);
    }

    #[test]
    fn summary_without_history_is_flat() {
        let summary = summarize(&[(day("2026-01-31"), 25.0)]).expect("summary");
        assert_eq!((summary.delta_7d, summary.trend), (None, Trend::Flat));
        assert!(summarize(&[]).is_none());
    }

    #[test]
    fn fractional_values_stay_floats() {
        assert_eq!(serde_json::to_string(&KpiValue(2.5)).expect("json"), "2.5");
        assert_eq!(
            serde_json::to_string(&KpiValue(9613795.0)).expect("json"),
            "9613795"
        );
    }
}
