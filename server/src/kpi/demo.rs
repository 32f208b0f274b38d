//! Deterministic demo history of total users: the same day always has the
//! same value, on every machine, so pages, tests and screenshots agree.

use chrono::{Days, NaiveDate};

/// The first day of demo history.
pub const DEMO_START: NaiveDate = match NaiveDate::from_ymd_opt(2024, 1, 1) {
    Some(day) => day,
    None => panic!("a valid date"),
};

/// How much history a fresh install is seeded with.
pub const DEMO_DAYS: u64 = 730;

/// One demo day: the well-known KPIs' values at the end of `day`.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoDay {
    /// The day.
    pub day: NaiveDate,
    /// `(metric, value)` for each well-known KPI.
    pub metrics: [(&'static str, f64); 6],
}

/// Demo KPIs for each day from `first` to `last` (inclusive) that lies
/// within the demo history; days before it are skipped.
pub fn history(first: NaiveDate, last: NaiveDate) -> Vec<DemoDay> {
    let mut total = 5u64;
    let mut recent: std::collections::VecDeque<u64> = std::collections::VecDeque::new();
    let mut day = DEMO_START;
    let mut out = Vec::new();
    while day <= last {
        let new_today = new_users_on(day);
        total += new_today;
        recent.push_front(new_today);
        recent.truncate(30);
        if day >= first {
            let week: u64 = recent.iter().take(7).sum();
            let month: u64 = recent.iter().sum();
            out.push(DemoDay {
                day,
                metrics: [
                    ("total_users", total as f64),
                    ("verified_users", (total as f64 * 0.37).floor()),
                    ("new_users_today", new_today as f64),
                    ("new_users_week", week as f64),
                    ("new_users_month", month as f64),
                    ("total_db_size_bytes", (8_000_000 + total * 1_536) as f64),
                ],
            });
        }
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// Sign-ups on one day: a slowly rising trend, quieter weekends, and noise
/// that is random-looking but fixed per day.
fn new_users_on(day: NaiveDate) -> u64 {
    let index = (day - DEMO_START).num_days().max(0) as u64;
    let trend = 3.0 + 0.045 * index as f64;
    let weekday = day.format("%u").to_string();
    let weekly = if weekday == "6" || weekday == "7" {
        0.55
    } else {
        1.0
    };
    let noise = 0.6 + 0.8 * unit_noise(index);
    (trend * weekly * noise).round() as u64
}

/// A fixed pseudo-random number in [0, 1) for `n` (SplitMix64's finalizer).
fn unit_noise(n: u64) -> f64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn totals(first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, f64)> {
        history(first, last)
            .into_iter()
            .map(|d| (d.day, d.metrics[0].1))
            .collect()
    }

    #[test]
    fn history_is_the_same_every_time() {
        let a = history(day(2025, 1, 1), day(2025, 1, 31));
        assert_eq!(a, history(day(2025, 1, 1), day(2025, 1, 31)));
        assert_eq!(a.len(), 31);
    }

    #[test]
    fn totals_never_shrink_and_do_grow() {
        let history = totals(DEMO_START, day(2026, 1, 1));
        assert!(history.windows(2).all(|w| w[0].1 <= w[1].1));
        let first = history.first().expect("history").1;
        let last = history.last().expect("history").1;
        assert!(last > first * 100.0, "{first} → {last}");
    }

    #[test]
    fn weekly_and_monthly_sums_agree_with_daily_sign_ups() {
        let days = history(day(2025, 3, 1), day(2025, 3, 31));
        let daily: Vec<f64> = days.iter().map(|d| d.metrics[2].1).collect();
        let last = &days[30].metrics;
        assert_eq!(last[3].1, daily[24..].iter().sum::<f64>());
        assert_eq!(last[4].1, daily[1..].iter().sum::<f64>());
        assert!(last[1].1 < last[0].1, "fewer verified than total");
    }

    #[test]
    fn days_before_the_history_are_skipped() {
        let history = totals(day(2023, 12, 30), day(2024, 1, 2));
        assert_eq!(history.first().map(|(d, _)| *d), Some(DEMO_START));
        assert_eq!(history.len(), 2);
    }

    #[test]
    fn noise_stays_in_the_unit_interval() {
        assert!((0..10_000).map(unit_noise).all(|x| (0.0..1.0).contains(&x)));
    }
}
