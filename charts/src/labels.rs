//! Label text: times (in the viewer's zone) and unit-aware values.
//!
//! Calendar arithmetic is in [`porthole_model::calendar`], zones in
//! [`porthole_model::zone`].

use porthole_model::{lang::Style, wire::Unit, zone::Zone};

/// A time label whose detail fits the span shown: hours for a day or less,
/// days for up to a year, months beyond, as clocks in `zone` read them and
/// the language writes them (`style`).
pub fn format_time(t: i64, span_seconds: i64, zone: &Zone, style: &Style) -> String {
    let c = zone.civil(t);
    if span_seconds <= 86_400 {
        format!("{:02}:{:02}", c.hour, c.minute)
    } else if span_seconds <= 366 * 86_400 {
        style.format(&style.day_month, &c)
    } else {
        style.format(&style.month_year, &c)
    }
}

/// A value label in the panel's unit, short enough for an axis, with the
/// language's separators: `1.2k`, `3M`, `250 ms` (`1,2k` in German).
pub fn format_value(v: f64, unit: Unit, style: &Style) -> String {
    let number = |v: f64| style.number(&trim_number(v));
    match unit {
        Unit::Count => format_count(v, style),
        Unit::Milliseconds if v.abs() >= 1000.0 => format!("{} s", number(v / 1000.0)),
        Unit::Milliseconds => format!("{} ms", number(v)),
        Unit::Seconds if v.abs() < 1.0 && v != 0.0 => format!("{} ms", number(v * 1000.0)),
        Unit::Seconds => format!("{} s", number(v)),
        Unit::PerSecond => format!("{}/s", format_count(v, style)),
        Unit::Percent => format!("{}%", number(v)),
    }
}

fn format_count(v: f64, style: &Style) -> String {
    let magnitude = v.abs();
    let (scaled, suffix) = if magnitude >= 1e9 {
        (v / 1e9, "G")
    } else if magnitude >= 1e6 {
        (v / 1e6, "M")
    } else if magnitude >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    format!("{}{suffix}", style.number(&trim_number(scaled)))
}

/// At most two decimals, without trailing zeros: `1.50` → `1.5`, `2.00` → `2`.
fn trim_number(v: f64) -> String {
    let text = two_decimals(v);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// `v` with two decimals, exactly as `format!("{v:.2}")` writes it, in
/// integer arithmetic: the browser's chart island formats values without
/// linking the standard library's float formatting (kilobytes of WASM).
/// NaN, the infinities and values beyond 9e13 take the standard path.
pub fn two_decimals(v: f64) -> String {
    match hundredths(v) {
        Some((negative, hundredths)) => format!(
            "{}{}.{:02}",
            if negative { "-" } else { "" },
            hundredths / 100,
            hundredths % 100
        ),
        None => format!("{v:.2}"),
    }
}

/// `|v|` in hundredths, rounded half to even on its exact binary value, and
/// its sign; `None` for NaN, the infinities and magnitudes of 9e13 or more.
fn hundredths(v: f64) -> Option<(bool, u64)> {
    const LIMIT: u128 = 9_000_000_000_000_000;
    let bits = v.to_bits();
    let negative = bits >> 63 == 1;
    let exponent = i32::try_from((bits >> 52) & 0x7ff).ok()?;
    let fraction = bits & ((1 << 52) - 1);
    if exponent == 0x7ff {
        return None;
    }
    // v = mantissa × 2^power, exactly.
    let (mantissa, power) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exponent - 1075)
    };
    let scaled = u128::from(mantissa) * 100;
    let rounded = if power >= 0 {
        if power > 10 {
            return None;
        }
        scaled << power
    } else {
        let shift = power.unsigned_abs();
        if shift >= 127 {
            // Far below a hundredth, and never a tie.
            0
        } else {
            let (whole, rest) = (scaled >> shift, scaled & ((1 << shift) - 1));
            let half = 1 << (shift - 1);
            if rest > half || (rest == half && whole % 2 == 1) {
                whole + 1
            } else {
                whole
            }
        }
    };
    (rounded < LIMIT)
        .then(|| u64::try_from(rounded).ok())
        .flatten()
        .map(|hundredths| (negative, hundredths))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_decimals_match_the_standard_formatting() {
        for v in [
            0.0,
            -0.0,
            0.004,
            -0.004,
            0.005,
            0.015,
            0.125,
            1.005,
            2.675,
            99.995,
            1234.5678,
            -1234.5678,
            1e-9,
            123_456_789.123,
            0.1 + 0.2,
            66.666_666,
            625.0,
            9.999,
            -0.001,
        ] {
            assert_eq!(two_decimals(v), format!("{v:.2}"), "{v:e}");
        }
        assert_eq!(two_decimals(f64::NAN), "NaN");
        assert_eq!(two_decimals(1e300), format!("{:.2}", 1e300));
        // A sweep of values around every tie of the first thousand hundredths.
        for k in 0..100_000 {
            let v = f64::from(k) / 1000.0 + 0.005;
            for v in [v, -v, v.next_up(), v.next_down()] {
                assert_eq!(two_decimals(v), format!("{v:.2}"), "{v:e}");
            }
        }
    }

    #[test]
    fn counts_get_suffixes() {
        assert_eq!(format_value(950.0, Unit::Count, &Style::default()), "950");
        assert_eq!(
            format_value(1_500.0, Unit::Count, &Style::default()),
            "1.5k"
        );
        assert_eq!(
            format_value(2_000_000.0, Unit::Count, &Style::default()),
            "2M"
        );
        assert_eq!(format_value(-0.001, Unit::Count, &Style::default()), "0");
    }

    #[test]
    fn durations_switch_to_seconds() {
        assert_eq!(
            format_value(412.0, Unit::Milliseconds, &Style::default()),
            "412 ms"
        );
        assert_eq!(
            format_value(1_250.0, Unit::Milliseconds, &Style::default()),
            "1.25 s"
        );
        assert_eq!(
            format_value(0.412, Unit::Seconds, &Style::default()),
            "412 ms"
        );
        assert_eq!(format_value(2.5, Unit::Seconds, &Style::default()), "2.5 s");
        assert_eq!(
            format_value(1_500.0, Unit::PerSecond, &Style::default()),
            "1.5k/s"
        );
    }

    #[test]
    fn percentages_keep_up_to_two_decimals() {
        assert_eq!(
            format_value(37.456, Unit::Percent, &Style::default()),
            "37.46%"
        );
    }

    #[test]
    fn calendar_dates_match_known_days() {
        let utc = Zone::utc();
        let format_timestamp = |t| utc.format_timestamp(t);
        let format_timestamp_in = |t, span| utc.format_timestamp_in(t, span);
        assert_eq!(format_timestamp(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_timestamp(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(format_timestamp(1_769_600_805), "2026-01-28 11:46 UTC");
        assert_eq!(format_timestamp(4_107_542_399), "2100-02-28 23:59 UTC");
        assert_eq!(format_timestamp(-1), "1969-12-31 23:59 UTC");
        assert_eq!(utc.format_clock(1_769_600_805), "11:46 UTC");
        assert_eq!(
            format_timestamp_in(1_769_600_805, 3_600),
            "2026-01-28 11:46:45 UTC"
        );
        assert_eq!(
            format_timestamp_in(1_769_600_805, 7 * 86_400),
            "2026-01-28 11:46 UTC"
        );
        // Every day of four years, against a running calendar.
        let (mut year, mut month, mut day) = (2024_i64, 1_usize, 1_i64);
        for n in 0..(4 * 366) {
            let t = 1_704_067_200 + n * 86_400 + 3_599;
            assert_eq!(
                format_timestamp(t),
                format!("{year}-{month:02}-{day:02} 00:59 UTC")
            );
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days_in_month = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ][month - 1];
            day += 1;
            if day > days_in_month {
                day = 1;
                month += 1;
                if month > 12 {
                    month = 1;
                    year += 1;
                }
            }
        }
    }

    #[test]
    fn time_labels_follow_the_span() {
        let t = 1_769_600_805; // 2026-01-28 11:46:45 UTC
        let utc = Zone::utc();
        assert_eq!(format_time(t, 3_600, &utc, &Style::default()), "11:46");
        assert_eq!(
            format_time(t, 30 * 86_400, &utc, &Style::default()),
            "Jan 28"
        );
        assert_eq!(
            format_time(t, 700 * 86_400, &utc, &Style::default()),
            "Jan 2026"
        );
    }

    #[test]
    fn values_and_dates_are_written_the_languages_way() {
        let german = Style {
            decimal: ',',
            group: '.',
            months: (1..=12).map(|m| format!("M{m}")).collect(),
            timestamp: "DD.MM.YYYY hh:mm".to_owned(),
            day_month: "D. MMM".to_owned(),
            month_year: "MMM YYYY".to_owned(),
        };
        assert_eq!(format_value(1_250.0, Unit::Milliseconds, &german), "1,25 s");
        assert_eq!(format_value(1_500.0, Unit::PerSecond, &german), "1,5k/s");
        assert_eq!(format_value(950.5, Unit::Count, &german), "950,5");
        assert_eq!(format_value(37.456, Unit::Percent, &german), "37,46%");
        let utc = Zone::utc();
        let t = 1_769_600_805;
        assert_eq!(format_time(t, 30 * 86_400, &utc, &german), "28. M1");
        assert_eq!(format_time(t, 700 * 86_400, &utc, &german), "M1 2026");
    }
}
