//! Prometheus' time and duration parameters, read the way Prometheus and
//! VictoriaMetrics read them, as whole milliseconds.
//!
//! Times: unix seconds with an optional fraction (`1700000000.5`), RFC 3339
//! (`2026-01-28T12:00:00Z`), `now`, or VictoriaMetrics' relative form
//! (`-1h` = an hour ago). Durations: PromQL durations (`1m30s`) or seconds
//! (`15`, `0.5`).

use std::time::Duration;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// Reads a time parameter; `now` anchors `now` and relative times.
pub fn parse_time(text: &str, now: Millis) -> Result<Millis, String> {
    let text = text.trim();
    if text == "now" {
        return Ok(now);
    }
    if let Some(ago) = text.strip_prefix('-')
        && let Ok(ago) = parse_duration(ago)
    {
        return Ok(now.saturating_sub(duration_millis(ago)));
    }
    if let Ok(seconds) = text.parse::<f64>()
        && seconds.is_finite()
    {
        return seconds_to_millis(seconds)
            .ok_or_else(|| format!("cannot parse {text:?} to a valid timestamp"));
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_millis())
        .map_err(|_| format!("cannot parse {text:?} to a valid timestamp"))
}

/// Reads a duration parameter: a PromQL duration or a number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        return if seconds.is_finite() && (0.0..=1e12).contains(&seconds) {
            Ok(Duration::from_secs_f64(seconds))
        } else {
            Err(format!("cannot parse {text:?} to a valid duration"))
        };
    }
    promql_parser::util::parse_duration(text)
        .map_err(|_| format!("cannot parse {text:?} to a valid duration"))
}

/// A duration in whole milliseconds, saturating.
pub fn duration_millis(duration: Duration) -> Millis {
    Millis::try_from(duration.as_millis()).unwrap_or(Millis::MAX)
}

/// Unix seconds → milliseconds, refusing times outside ±100,000 years.
fn seconds_to_millis(seconds: f64) -> Option<Millis> {
    const LIMIT: f64 = 3.2e15;
    let millis = (seconds * 1000.0).round();
    (millis.abs() < LIMIT).then_some(millis as Millis)
}

/// Milliseconds as the decimal seconds upstreams read: `1700000000.5`.
pub fn format_seconds(millis: Millis) -> String {
    let sign = if millis < 0 { "-" } else { "" };
    let abs = millis.unsigned_abs();
    match (abs / 1000, abs % 1000) {
        (seconds, 0) => format!("{sign}{seconds}"),
        (seconds, ms) => format!("{sign}{seconds}.{ms:03}"),
    }
}

/// The current time in milliseconds.
pub fn now_millis() -> Millis {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_769_601_600_000; // 2026-01-28T12:00:00Z

    #[test]
    fn times_in_every_form_prometheus_and_victoriametrics_accept() {
        assert_eq!(parse_time("1769601600", NOW), Ok(NOW));
        assert_eq!(parse_time("1769601600.25", NOW), Ok(NOW + 250));
        assert_eq!(parse_time("2026-01-28T12:00:00Z", NOW), Ok(NOW));
        assert_eq!(parse_time("2026-01-28T13:00:00+01:00", NOW), Ok(NOW));
        assert_eq!(parse_time("now", NOW), Ok(NOW));
        assert_eq!(parse_time("-1h", NOW), Ok(NOW - 3_600_000));
        assert_eq!(parse_time("-1.5", NOW), Ok(NOW - 1_500));
        for bad in [
            "",
            "yesterday",
            "NaN",
            "inf",
            "1e300",
            "2026-13-01T00:00:00Z",
        ] {
            assert!(parse_time(bad, NOW).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn durations_as_promql_or_seconds() {
        assert_eq!(parse_duration("15"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(
            parse_duration("400d"),
            Ok(Duration::from_secs(400 * 86_400))
        );
        for bad in ["", "-5", "abc", "5x", "NaN"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn seconds_are_written_without_float_noise() {
        assert_eq!(format_seconds(NOW), "1769601600");
        assert_eq!(format_seconds(NOW + 5), "1769601600.005");
        assert_eq!(format_seconds(-1_500), "-1.500");
    }
}
