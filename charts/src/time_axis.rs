//! The time axis: ticks on round boundaries of the calendar (whole minutes,
//! hours, days, Mondays, months, years; UTC), never at the odd minutes a
//! plain numeric axis picks (21:06, 02:40).

use std::ops::Range;

use plotters::coord::{
    ranged1d::{DefaultFormatting, KeyPointHint, Ranged},
    types::RangedCoordi64,
};
use porthole_model::calendar::{civil, month_start};

/// Steps of whole seconds, with the offset their ticks are counted from
/// (weeks start on Mondays: 1970-01-05).
const FIXED_STEPS: [(i64, i64); 14] = [
    (60, 0),
    (120, 0),
    (300, 0),
    (600, 0),
    (900, 0),
    (1_800, 0),
    (3_600, 0),
    (7_200, 0),
    (10_800, 0),
    (21_600, 0),
    (43_200, 0),
    (86_400, 0),
    (2 * 86_400, 0),
    (7 * 86_400, 4 * 86_400),
];

/// Steps of whole months, for spans past what weeks suit.
const MONTH_STEPS: [i64; 8] = [1, 2, 3, 6, 12, 24, 60, 120];

/// Tick times within `from..=to`, at most `most` of them, on the finest
/// round step whose ticks fit.
pub fn time_ticks(from: i64, to: i64, most: usize) -> Vec<i64> {
    let most = most.max(1);
    let span = (to - from).max(1);
    let fits = |count: i64| usize::try_from(count).is_ok_and(|count| count <= most + 1);
    for (step, offset) in FIXED_STEPS {
        // Cheap first: a step with far too many ticks is not generated.
        if !fits(span / step) {
            continue;
        }
        let first = (from - offset).div_euclid(step) * step + offset;
        let first = if first < from { first + step } else { first };
        let ticks: Vec<i64> = (0..)
            .map(|i| first + i * step)
            .take_while(|t| *t <= to)
            .collect();
        if ticks.len() <= most {
            return ticks;
        }
    }
    let months = span / (30 * 86_400);
    let last_resort = months / i64::try_from(most).unwrap_or(1) + 1;
    for step in MONTH_STEPS.into_iter().chain([last_resort]) {
        if !fits(months / step) {
            continue;
        }
        let ticks = month_ticks(from, to, step);
        if ticks.len() <= most {
            return ticks;
        }
    }
    Vec::new()
}

/// The first instants of every `step`-th month (counted from year 0)
/// within `from..=to`.
fn month_ticks(from: i64, to: i64, step: i64) -> Vec<i64> {
    let start = civil(from);
    let mut index =
        (start.year * 12 + i64::try_from(start.month).unwrap_or(1) - 1).div_euclid(step) * step;
    let mut ticks = Vec::new();
    loop {
        let t = month_start(index.div_euclid(12), index.rem_euclid(12) + 1);
        if t > to {
            return ticks;
        }
        if t >= from {
            ticks.push(t);
        }
        index += step;
    }
}

/// A time range (unix seconds) mapped as plotters maps an `i64` range,
/// whose labels fall on [`time_ticks`].
#[derive(Clone)]
pub struct TimeAxis {
    linear: RangedCoordi64,
    from: i64,
    to: i64,
}

impl TimeAxis {
    /// The axis over `from..to`.
    pub fn new(from: i64, to: i64) -> Self {
        Self {
            linear: (from..to).into(),
            from,
            to,
        }
    }
}

impl Ranged for TimeAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = i64;

    fn map(&self, value: &i64, limit: (i32, i32)) -> i32 {
        self.linear.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<i64> {
        time_ticks(self.from, self.to, hint.max_num_points())
    }

    fn range(&self) -> Range<i64> {
        self.from..self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use porthole_model::calendar::parse_instant;

    fn at(text: &str) -> i64 {
        parse_instant(text).expect(text)
    }

    fn labels(from: &str, to: &str, most: usize) -> Vec<String> {
        time_ticks(at(from), at(to), most)
            .into_iter()
            .map(porthole_model::calendar::format_instant)
            .collect()
    }

    #[test]
    fn a_day_ticks_on_whole_hours() {
        let ticks = labels("2026-12-03T21:06:40Z", "2026-12-04T21:06:40Z", 6);
        assert_eq!(
            ticks,
            [
                "2026-12-04T00:00:00Z",
                "2026-12-04T06:00:00Z",
                "2026-12-04T12:00:00Z",
                "2026-12-04T18:00:00Z"
            ]
        );
    }

    #[test]
    fn an_hour_ticks_on_round_minutes_and_a_week_on_midnights() {
        let hour = labels("2026-12-04T08:13:20Z", "2026-12-04T09:13:20Z", 6);
        assert_eq!(
            hour.first().map(String::as_str),
            Some("2026-12-04T08:20:00Z")
        );
        assert!(
            hour.iter()
                .all(|t| t.ends_with("0:00Z") || t.ends_with("5:00Z"))
        );
        let week = labels("2026-11-27T08:13:20Z", "2026-12-04T08:13:20Z", 6);
        assert!(week.iter().all(|t| t.ends_with("T00:00:00Z")), "{week:?}");
        assert!(week.len() <= 6 && week.len() >= 3, "{week:?}");
    }

    #[test]
    fn months_and_years_tick_on_their_first_day() {
        let year = labels("2025-12-04T08:00:00Z", "2026-12-04T08:00:00Z", 6);
        assert!(year.iter().all(|t| t.contains("-01T00:00:00Z")), "{year:?}");
        assert!(year.len() <= 6 && year.len() >= 3, "{year:?}");
        let decade = labels("2016-12-04T08:00:00Z", "2026-12-04T08:00:00Z", 6);
        assert!(
            decade.iter().all(|t| t.contains("-01-01T00:00:00Z")),
            "{decade:?}"
        );
    }

    #[test]
    fn ticks_stay_inside_the_range_and_within_the_count() {
        for (from, to) in [(0, 1), (100, 100_000), (0, 86_400 * 3_660), (-86_400, 5)] {
            let ticks = time_ticks(from, to, 6);
            assert!(
                ticks.iter().all(|t| (from..=to).contains(t)),
                "{from}..{to}: {ticks:?}"
            );
            assert!(ticks.len() <= 6, "{from}..{to}: {ticks:?}");
        }
    }
}
