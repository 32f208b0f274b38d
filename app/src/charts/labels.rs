//! Axis label text: times and unit-aware values.

use chrono::DateTime;

use crate::model::Unit;

/// A time label whose detail fits the span shown: hours for a day or less,
/// days for up to a year, months beyond. Times are UTC.
pub fn format_time(t: i64, span_seconds: i64) -> String {
    let Some(time) = DateTime::from_timestamp(t, 0) else {
        return String::new();
    };
    let pattern = if span_seconds <= 86_400 {
        "%H:%M"
    } else if span_seconds <= 366 * 86_400 {
        "%b %-d"
    } else {
        "%b %Y"
    };
    time.format(pattern).to_string()
}

/// A full UTC timestamp for tables: `2026-01-28 12:00 UTC`.
pub fn format_timestamp(t: i64) -> String {
    DateTime::from_timestamp(t, 0).map_or_else(String::new, |time| {
        time.format("%Y-%m-%d %H:%M UTC").to_string()
    })
}

/// A value label in the panel's unit, short enough for an axis: `1.2k`, `3M`, `250 ms`.
pub fn format_value(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Count => format_count(v),
        Unit::Milliseconds if v.abs() >= 1000.0 => format!("{} s", trim_number(v / 1000.0)),
        Unit::Milliseconds => format!("{} ms", trim_number(v)),
        Unit::Seconds if v.abs() < 1.0 && v != 0.0 => format!("{} ms", trim_number(v * 1000.0)),
        Unit::Seconds => format!("{} s", trim_number(v)),
        Unit::PerSecond => format!("{}/s", format_count(v)),
        Unit::Percent => format!("{}%", trim_number(v)),
    }
}

fn format_count(v: f64) -> String {
    let magnitude = v.abs();
    if magnitude >= 1e9 {
        format!("{}G", trim_number(v / 1e9))
    } else if magnitude >= 1e6 {
        format!("{}M", trim_number(v / 1e6))
    } else if magnitude >= 1e3 {
        format!("{}k", trim_number(v / 1e3))
    } else {
        trim_number(v)
    }
}

/// At most two decimals, without trailing zeros: `1.50` → `1.5`, `2.00` → `2`.
fn trim_number(v: f64) -> String {
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_suffixes() {
        assert_eq!(format_value(950.0, Unit::Count), "950");
        assert_eq!(format_value(1_500.0, Unit::Count), "1.5k");
        assert_eq!(format_value(2_000_000.0, Unit::Count), "2M");
        assert_eq!(format_value(-0.001, Unit::Count), "0");
    }

    #[test]
    fn durations_switch_to_seconds() {
        assert_eq!(format_value(412.0, Unit::Milliseconds), "412 ms");
        assert_eq!(format_value(1_250.0, Unit::Milliseconds), "1.25 s");
        assert_eq!(format_value(0.412, Unit::Seconds), "412 ms");
        assert_eq!(format_value(2.5, Unit::Seconds), "2.5 s");
        assert_eq!(format_value(1_500.0, Unit::PerSecond), "1.5k/s");
    }

    #[test]
    fn percentages_keep_up_to_two_decimals() {
        assert_eq!(format_value(37.456, Unit::Percent), "37.46%");
    }

    #[test]
    fn time_labels_follow_the_span() {
        let t = 1_769_600_805; // 2026-01-28 11:46:45 UTC
        assert_eq!(format_time(t, 3_600), "11:46");
        assert_eq!(format_time(t, 30 * 86_400), "Jan 28");
        assert_eq!(format_time(t, 700 * 86_400), "Jan 2026");
    }
}
