//! The time axis: ticks on round boundaries of the calendar (whole minutes,
//! hours, days, Mondays, months, years) as clocks in the viewer's zone read
//! them, never at the odd minutes a plain numeric axis picks (21:06, 02:40).
//! Ticks are found on the zone's clock readings and placed at the instants
//! clocks read them: a reading skipped when clocks go forward has no tick,
//! and one read twice when they turn back is ticked once.

use std::ops::Range;

use plotters::coord::{
    ranged1d::{DefaultFormatting, KeyPointHint, Ranged},
    types::RangedCoordi64,
};
use porthole_model::{
    calendar::{civil, month_start},
    zone::Zone,
};

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
/// round step of `zone`'s clock whose ticks fit.
pub fn time_ticks(from: i64, to: i64, most: usize, zone: &Zone) -> Vec<i64> {
    let mut ticks: Vec<i64> = round_readings(zone.wall(from), zone.wall(to), most)
        .into_iter()
        .filter_map(|wall| zone.instant(wall))
        .filter(|t| (from..=to).contains(t))
        .collect();
    ticks.dedup();
    ticks
}

/// Round readings of a clock within `from..=to` (wall seconds), at most
/// `most` of them, on the finest step whose ticks fit.
fn round_readings(from: i64, to: i64, most: usize) -> Vec<i64> {
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
/// whose labels fall on [`time_ticks`] in a zone.
#[derive(Clone)]
pub struct TimeAxis<'a> {
    linear: RangedCoordi64,
    from: i64,
    to: i64,
    zone: &'a Zone,
}

impl<'a> TimeAxis<'a> {
    /// The axis over `from..to`, ticked in `zone`.
    pub fn new(from: i64, to: i64, zone: &'a Zone) -> Self {
        Self {
            linear: (from..to).into(),
            from,
            to,
            zone,
        }
    }
}

impl Ranged for TimeAxis<'_> {
    type FormatOption = DefaultFormatting;
    type ValueType = i64;

    fn map(&self, value: &i64, limit: (i32, i32)) -> i32 {
        self.linear.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<i64> {
        time_ticks(self.from, self.to, hint.max_num_points(), self.zone)
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
        time_ticks(at(from), at(to), most, &Zone::utc())
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
            let ticks = time_ticks(from, to, 6, &Zone::utc());
            assert!(
                ticks.iter().all(|t| (from..=to).contains(t)),
                "{from}..{to}: {ticks:?}"
            );
            assert!(ticks.len() <= 6, "{from}..{to}: {ticks:?}");
        }
    }

    fn berlin(from: &str, to: &str) -> Zone {
        Zone::resolve("Europe/Berlin".parse().expect("known"), at(from), at(to))
    }

    /// Each tick as Berlin's clocks read it, with the axis label drawn.
    fn berlin_ticks(from: &str, to: &str, most: usize) -> Vec<(String, String)> {
        let zone = berlin(from, to);
        let span = at(to) - at(from);
        time_ticks(at(from), at(to), most, &zone)
            .into_iter()
            .map(|t| {
                (
                    zone.format_timestamp(t),
                    crate::format_time(t, span, &zone, &Default::default()),
                )
            })
            .collect()
    }

    #[test]
    fn a_day_when_clocks_go_forward_ticks_on_the_hours_clocks_show() {
        let ticks = berlin_ticks("2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", 8);
        let labels: Vec<&str> = ticks.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "15:00", "18:00", "21:00", "00:00", "03:00", "06:00", "09:00", "12:00"
            ],
            "{ticks:?}"
        );
        assert_eq!(ticks[3].0, "2026-03-29 00:00 CET");
        assert_eq!(ticks[4].0, "2026-03-29 03:00 CEST", "02:00 never happened");
    }

    #[test]
    fn an_hour_read_twice_when_clocks_turn_back_is_ticked_once() {
        let ticks = berlin_ticks("2026-10-24T22:30:00Z", "2026-10-25T03:30:00Z", 8);
        let full: Vec<&str> = ticks.iter().map(|(full, _)| full.as_str()).collect();
        assert_eq!(
            full,
            [
                "2026-10-25 01:00 CEST",
                "2026-10-25 02:00 CEST",
                "2026-10-25 03:00 CET",
                "2026-10-25 04:00 CET",
            ],
            "{ticks:?}"
        );
    }

    #[test]
    fn a_zone_half_an_hour_off_ticks_on_its_own_hours() {
        let zone = Zone::resolve(
            "Asia/Kolkata".parse().expect("known"),
            at("2026-06-01T00:00:00Z"),
            at("2026-06-02T00:00:00Z"),
        );
        let ticks = time_ticks(
            at("2026-06-01T00:00:00Z"),
            at("2026-06-02T00:00:00Z"),
            6,
            &zone,
        );
        assert!(!ticks.is_empty());
        for t in ticks {
            assert_eq!(zone.civil(t).minute, 0, "{}", zone.format_timestamp(t));
        }
    }
}
