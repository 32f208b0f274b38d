//! The status page's data (`/api/status`): services, their uptime and daily
//! history, and incidents.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use super::Notices;

/// Everything `/status` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    /// When this report was made (Unix ms).
    pub generated_at: i64,
    /// The banner.
    pub summary: StatusSummary,
    /// Services by group, in configuration order.
    pub groups: Vec<ServiceGroup>,
    /// Incidents detected from failed checks in the history shown, newest
    /// first.
    pub incidents: Vec<Incident>,
    /// What operators wrote: incidents and maintenance.
    #[serde(default)]
    pub notices: Notices,
}

/// The overall state and how many services are up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusSummary {
    /// The overall state.
    pub level: OverallLevel,
    /// Services whose latest check was healthy (slow ones included).
    pub up: usize,
    /// All services.
    pub total: usize,
}

/// The banner's state, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverallLevel {
    /// More than half of the checked services are down.
    MajorOutage,
    /// Some services are down.
    PartialOutage,
    /// All checked services are up, some slower than their limit.
    Degraded,
    /// Every checked service is up.
    Operational,
    /// No service has been checked yet.
    NoData,
}

impl OverallLevel {
    /// Every level.
    pub const ALL: [Self; 5] = [
        Self::MajorOutage,
        Self::PartialOutage,
        Self::Degraded,
        Self::Operational,
        Self::NoData,
    ];

    /// The banner's headline.
    pub fn headline(self) -> &'static str {
        match self {
            Self::MajorOutage => "Major outage",
            Self::PartialOutage => "Partial outage",
            Self::Degraded => "Degraded performance",
            Self::Operational => "All systems operational",
            Self::NoData => "No data yet",
        }
    }

    /// The state in CSS classes and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MajorOutage => "major_outage",
            Self::PartialOutage => "partial_outage",
            Self::Degraded => "degraded",
            Self::Operational => "operational",
            Self::NoData => "no_data",
        }
    }

    /// The banner for services in these states.
    pub fn of(states: impl IntoIterator<Item = ServiceState>) -> Self {
        let (mut up, mut slow, mut down) = (0_usize, 0_usize, 0_usize);
        for state in states {
            match state {
                ServiceState::Up => up += 1,
                ServiceState::Slow => slow += 1,
                ServiceState::Down => down += 1,
                // Planned: told by the maintenance notice, not the banner.
                ServiceState::Maintenance | ServiceState::NoData => {}
            }
        }
        let checked = up + slow + down;
        if checked == 0 {
            Self::NoData
        } else if down * 2 > checked {
            Self::MajorOutage
        } else if down > 0 {
            Self::PartialOutage
        } else if slow > 0 {
            Self::Degraded
        } else {
            Self::Operational
        }
    }
}

/// A group of services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceGroup {
    /// Its name.
    pub name: String,
    /// Its services.
    pub services: Vec<ServiceStatus>,
}

/// One service now and over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceStatus {
    /// Its id in URLs.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its latest check's verdict.
    pub state: ServiceState,
    /// When it was last checked (Unix ms).
    pub last_check: Option<i64>,
    /// The latest check's latency in ms.
    pub latency_ms: Option<f64>,
    /// Whether its checks measure a response time (an HTTP check); a
    /// service judged by an `up` selector alone has none to show.
    #[serde(default)]
    pub latency_measured: bool,
    /// Why the latest check failed.
    pub error: Option<String>,
    /// Its TLS certificate, when it has a TLS check whose latest run could
    /// read one.
    #[serde(default)]
    pub certificate: Option<CertificateStatus>,
    /// What each location's latest check found, when the service is
    /// judged by a quorum of locations; empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<LocationStatus>,
    /// Uptime over 24h, 7d, 30d and 90d.
    pub uptime: Vec<UptimeFigure>,
    /// One bar per day, oldest first, today last.
    pub days: Vec<DayBar>,
}

impl ServiceStatus {
    /// Uptime over `range`, if there is data.
    pub fn uptime_over(&self, range: UptimeRange) -> Option<f64> {
        self.uptime
            .iter()
            .find(|u| u.range == range)
            .and_then(|u| u.percent)
    }
}

/// One service's page (`/status/{service}`): its state and history, its
/// response times, and what happened to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicePage {
    /// When the page's data was read (Unix ms).
    pub generated_at: i64,
    /// The group it is listed under.
    pub group: String,
    /// The service now and over 90 days.
    pub service: ServiceStatus,
    /// Its p50 and p95 response times over the last 24 hours, from each
    /// check; `None` when its checks measure no response time.
    pub latency_day: Option<super::PanelData>,
    /// The same over the last 90 days, from daily aggregates.
    pub latency_quarter: Option<super::PanelData>,
    /// Its incidents (written and detected) and maintenance, newest first.
    pub history: Vec<super::HistoryEntry>,
}

/// One location's latest check of a service, as the metrics engine that
/// scrapes every location has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationStatus {
    /// The location's name (`[probes] location` of the Porthole there).
    pub name: String,
    /// Whether its check found the service healthy.
    pub up: bool,
    /// Its check's response time in ms, when it measured one.
    pub latency_ms: Option<f64>,
}

/// A service's TLS certificate as its latest check saw it; public, as
/// anyone connecting can see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateStatus {
    /// When it expires (Unix ms).
    pub expires_at: i64,
    /// Whole days left until then (rounded toward zero); negative once it
    /// has expired by a day or more.
    pub days_left: i64,
    /// Whether it expires within the service's `cert_warn_days`, which
    /// makes the service degraded.
    pub expiring: bool,
}

impl CertificateStatus {
    /// The certificate's state at `now` (Unix ms) in words: "expires in 45
    /// days", "expires within a day", "expired 3 days ago".
    pub fn describe(self, now: i64) -> String {
        const DAY_MS: i64 = 86_400_000;
        if self.expires_at <= now {
            return match (now - self.expires_at) / DAY_MS {
                0 => "expired less than a day ago".to_owned(),
                1 => "expired 1 day ago".to_owned(),
                days => format!("expired {days} days ago"),
            };
        }
        match (self.expires_at - now) / DAY_MS {
            0 => "expires within a day".to_owned(),
            1 => "expires in 1 day".to_owned(),
            days => format!("expires in {days} days"),
        }
    }
}

/// A service's latest verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    /// Healthy.
    Up,
    /// Healthy, but degraded: slower than its configured limit, or its
    /// certificate expires within its `cert_warn_days`. Written `slow`
    /// (its first meaning) in JSON, which clients already read.
    Slow,
    /// Failing.
    Down,
    /// In a scheduled maintenance window: its checks do not count.
    Maintenance,
    /// Not checked yet.
    NoData,
}

impl ServiceState {
    /// Every state.
    pub const ALL: [Self; 5] = [
        Self::Up,
        Self::Slow,
        Self::Down,
        Self::Maintenance,
        Self::NoData,
    ];

    /// The state in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Up => "Operational",
            Self::Slow => "Degraded",
            Self::Down => "Down",
            Self::Maintenance => "Under maintenance",
            Self::NoData => "No data",
        }
    }

    /// The state in CSS classes and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Slow => "slow",
            Self::Down => "down",
            Self::Maintenance => "maintenance",
            Self::NoData => "no_data",
        }
    }

    /// Whether the service answers (slowly or not).
    pub fn is_up(self) -> bool {
        matches!(self, Self::Up | Self::Slow)
    }
}

/// Uptime over one span.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UptimeFigure {
    /// The span.
    pub range: UptimeRange,
    /// Healthy checks in percent, `None` without data.
    pub percent: Option<f64>,
}

/// The spans uptime is reported over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum UptimeRange {
    /// The last 24 hours.
    Day,
    /// The last 7 days, today included.
    Week,
    /// The last 30 days, today included.
    Month,
    /// The last 90 days, today included.
    Quarter,
}

impl UptimeRange {
    /// Every span, shortest first.
    pub const ALL: [Self; 4] = [Self::Day, Self::Week, Self::Month, Self::Quarter];

    /// As written in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "24h",
            Self::Week => "7d",
            Self::Month => "30d",
            Self::Quarter => "90d",
        }
    }

    /// The span in days (24 hours for `Day`).
    pub fn days(self) -> u64 {
        match self {
            Self::Day => 1,
            Self::Week => 7,
            Self::Month => 30,
            Self::Quarter => 90,
        }
    }
}

impl fmt::Display for UptimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UptimeRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or_else(|| format!("unknown range {text:?}; use 24h, 7d, 30d or 90d"))
    }
}

impl TryFrom<String> for UptimeRange {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<UptimeRange> for String {
    fn from(range: UptimeRange) -> Self {
        range.as_str().to_owned()
    }
}

/// One day of a service's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayBar {
    /// The day, `YYYY-MM-DD` (UTC).
    pub day: String,
    /// Healthy checks in percent, `None` when nothing was checked.
    pub uptime: Option<f64>,
    /// Incidents of the service that touched the day.
    pub incidents: u32,
}

impl DayBar {
    /// The bar's colour class: how good the day was.
    pub fn grade(&self) -> &'static str {
        match self.uptime {
            None => "none",
            Some(u) if u >= 99.95 => "good",
            Some(u) if u >= 99.0 => "fair",
            Some(u) if u >= 95.0 => "poor",
            Some(_) => "bad",
        }
    }

    /// What hovering or focusing the bar says.
    pub fn describe(&self) -> String {
        let uptime = self
            .uptime
            .map_or_else(|| "no data".to_owned(), |u| format!("{} up", percent(u)));
        let incidents = match self.incidents {
            0 => "no incidents".to_owned(),
            1 => "1 incident".to_owned(),
            n => format!("{n} incidents"),
        };
        format!("{}: {uptime}, {incidents}", self.day)
    }
}

/// An incident: one or more services failing over a span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// The first failed check (Unix ms).
    pub started_at: i64,
    /// The first healthy check after (Unix ms), `None` while ongoing.
    pub ended_at: Option<i64>,
    /// The names of the services affected.
    pub services: Vec<String>,
}

/// A percentage as status pages print it: two decimals, never rounded up to
/// 100 (99.996% of checks is not "100%").
pub fn percent(value: f64) -> String {
    if value >= 100.0 {
        return "100%".to_owned();
    }
    let floored = (value * 100.0).floor() / 100.0;
    format!("{floored:.2}%")
}

/// A duration in words: "45s", "12m", "3h 20m", "2d 4h".
pub fn duration_words(ms: i64) -> String {
    let seconds = ms.max(0) / 1000;
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_follows_the_worst_state() {
        use ServiceState::*;
        assert_eq!(OverallLevel::of([Up, Up]), OverallLevel::Operational);
        assert_eq!(OverallLevel::of([Up, Slow]), OverallLevel::Degraded);
        assert_eq!(
            OverallLevel::of([Up, Up, Down]),
            OverallLevel::PartialOutage
        );
        assert_eq!(
            OverallLevel::of([Up, Down, Down]),
            OverallLevel::MajorOutage
        );
        assert_eq!(OverallLevel::of([NoData, NoData]), OverallLevel::NoData);
        assert_eq!(OverallLevel::of([NoData, Up]), OverallLevel::Operational);
    }

    #[test]
    fn percentages_never_round_up_to_a_perfect_record() {
        assert_eq!(percent(99.996), "99.99%");
        assert_eq!(percent(100.0), "100%");
        assert_eq!(percent(50.0), "50.00%");
    }

    #[test]
    fn durations_read_as_words() {
        assert_eq!(duration_words(45_000), "45s");
        assert_eq!(duration_words(12 * 60_000), "12m");
        assert_eq!(duration_words((3 * 60 + 20) * 60_000), "3h 20m");
        assert_eq!(duration_words((2 * 24 + 4) * 3_600_000), "2d 4h");
    }

    #[test]
    fn uptime_ranges_parse_from_urls() {
        assert_eq!("30d".parse(), Ok(UptimeRange::Month));
        assert!("31d".parse::<UptimeRange>().is_err());
    }
}
