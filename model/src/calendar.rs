//! UTC calendar arithmetic: unix seconds to calendar parts and back, and the
//! instants viewers type into links (`2026-11-01`, `2026-11-01T09:30`,
//! `2026-11-01T09:30:00Z` or unix seconds).
//!
//! Computed here rather than with a date library: these few conversions are
//! all the browser bundle needs, and its size is what users wait for.

/// The short English month names, January first.
pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A UTC time split into its calendar parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// The year (proleptic Gregorian; may be negative).
    pub year: i64,
    /// 1–12.
    pub month: usize,
    /// 1–31.
    pub day: i64,
    /// 0–23.
    pub hour: i64,
    /// 0–59.
    pub minute: i64,
}

/// Unix seconds → UTC calendar date and time (the proleptic Gregorian
/// calendar; H. Hinnant's days-to-civil algorithm).
pub fn civil(t: i64) -> Civil {
    let days = t.div_euclid(86_400);
    let seconds = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    Civil {
        year: yoe + era * 400 + i64::from(month <= 2),
        month: usize::try_from(month).unwrap_or(1),
        day,
        hour: seconds / 3_600,
        minute: seconds % 3_600 / 60,
    }
}

/// Unix seconds of the first instant of `month` (1–12) of `year`, UTC.
pub fn month_start(year: i64, month: i64) -> i64 {
    days_from_civil(year, month, 1) * 86_400
}

/// Days since 1970-01-01 of a calendar date (Hinnant's days-from-civil).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The month's short English name, 1 = "Jan".
pub fn month_name(month: usize) -> &'static str {
    MONTHS.get(month.wrapping_sub(1)).copied().unwrap_or("")
}

/// Reads an instant as links and date inputs give it, in UTC: unix
/// seconds, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` (what a browser's date-time
/// field sends) or `YYYY-MM-DDTHH:MM:SS`, each with an optional `Z`.
/// `None` when it is none of those or names no real date.
pub fn parse_instant(text: &str) -> Option<i64> {
    parse_instant_in(text, |wall| wall)
}

/// Like [`parse_instant`], reading a date and time without `Z` as what
/// clocks show in the viewer's zone: `instant_of` turns such a reading
/// ("wall" seconds, the reading taken as UTC) into its instant. Unix
/// seconds and times ending in `Z` are instants already.
pub fn parse_instant_in(text: &str, instant_of: impl Fn(i64) -> i64) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    if let Some(utc) = text.strip_suffix(['Z', 'z']) {
        return parse_reading(utc);
    }
    parse_reading(text).map(instant_of)
}

/// A calendar date and optional time, as unix seconds of that reading in
/// UTC.
fn parse_reading(text: &str) -> Option<i64> {
    let (date, time) = text.split_once(['T', 't', ' ']).unwrap_or((text, "00:00"));
    let number = |part: &str, digits: usize| {
        (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<i64>().ok())
            .flatten()
    };
    let mut date_parts = date.split('-');
    let year = number(date_parts.next()?, 4)?;
    let month = number(date_parts.next()?, 2)?;
    let day = number(date_parts.next()?, 2)?;
    let mut time_parts = time.split(':');
    let hour = number(time_parts.next()?, 2)?;
    let minute = number(time_parts.next()?, 2)?;
    let second = time_parts.next().map_or(Some(0), |s| number(s, 2))?;
    if date_parts.next().is_some() || time_parts.next().is_some() {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // Reject dates that roll over (Feb 30) by converting back.
    let back = civil(days * 86_400);
    if !(1..=12).contains(&month)
        || back.month != usize::try_from(month).ok()?
        || back.day != day
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// An instant as links carry it: `2026-11-01T09:30:00Z`.
pub fn format_instant(t: i64) -> String {
    let c = civil(t);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        t.rem_euclid(60)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_read_in_every_accepted_form() {
        let t = 1_793_525_400; // 2026-11-01T09:30:00Z
        for text in [
            "1793525400",
            "2026-11-01T09:30",
            "2026-11-01T09:30:00",
            "2026-11-01T09:30:00Z",
            " 2026-11-01 09:30 ",
        ] {
            assert_eq!(parse_instant(text), Some(t), "{text:?}");
        }
        assert_eq!(parse_instant("2026-11-01"), Some(t - 9 * 3_600 - 30 * 60));
        assert_eq!(format_instant(t), "2026-11-01T09:30:00Z");
        assert_eq!(parse_instant(&format_instant(t + 7)), Some(t + 7));
    }

    #[test]
    fn impossible_dates_and_other_text_are_refused() {
        for text in [
            "",
            "yesterday",
            "2026-02-30",
            "2026-13-01",
            "2026-11-01T24:00",
            "2026-11-01T09:60",
            "2026-1-01",
            "2026-11-01T09:30:00+02:00",
            "2026-11-01-05",
            "99999999999999999999",
        ] {
            assert_eq!(parse_instant(text), None, "{text:?}");
        }
    }

    #[test]
    fn days_round_trip_across_leap_years_and_eras() {
        for days in [-800_000, -1, 0, 59, 60, 11_016, 20_758, 800_000] {
            let c = civil(days * 86_400);
            let month = i64::try_from(c.month).unwrap_or(0);
            assert_eq!(days_from_civil(c.year, month, c.day), days);
        }
    }
}
