//! Words the server writes into panel data in English, each with the
//! message pages say it with in the viewer's language: stat card labels and
//! what their change compares with, table headings and the service page's
//! chart titles. The JSON APIs keep the English; a page looks its words up
//! by that English ([`message_of`]), so text the operator wrote (panel
//! titles, series names from PromQL) passes through as written.

/// A phrase: its message id and its English, as the server writes it.
pub type Phrase = (&'static str, &'static str);

macro_rules! phrases {
    ($($name:ident = $id:literal, $english:literal;)*) => {
        $(
            #[doc = concat!("\"", $english, "\"")]
            pub const $name: Phrase = ($id, $english);
        )*
        /// Every phrase.
        pub const ALL: &[Phrase] = &[$($name),*];
    };
}

phrases! {
    TOTAL_USERS = "phrase-total-users", "Total users";
    VERIFIED = "phrase-verified", "Verified";
    NEW_THIS_WEEK = "phrase-new-this-week", "New this week";
    NEW_THIS_MONTH = "phrase-new-this-month", "New this month";
    VS_7_DAYS_AGO = "phrase-vs-7-days-ago", "vs 7 days ago";
    PTS_VS_7_DAYS_AGO = "phrase-pts-vs-7-days-ago", "pts vs 7 days ago";
    VS_WEEK_BEFORE = "phrase-vs-week-before", "vs the week before";
    VS_MONTH_BEFORE = "phrase-vs-month-before", "vs the month before";
    VS_1_HOUR_AGO = "phrase-vs-1-hour-ago", "vs 1 hour ago";
    VS_WINDOW_START = "phrase-vs-window-start", "vs the window's start";
    VS_RANGE_START = "phrase-vs-range-start", "vs the range's start";
    LATEST = "phrase-latest", "Latest";
    SERVICES_UP = "phrase-services-up", "Services up";
    P95_LATENCY = "phrase-p95-latency", "p95 latency";
    REQUEST_RATE = "phrase-request-rate", "Request rate";
    ERROR_RATE = "phrase-error-rate", "Error rate";
    CHECKS_LAST_HOUR = "phrase-checks-last-hour", "Porthole's checks, last hour";
    TOTAL_USERS_LINE = "phrase-total-users-line", "total users";
    NEW_USERS_LINE = "phrase-new-users-line", "new users";
    SERVICE = "phrase-service", "Service";
    STATUS = "phrase-status", "Status";
    UPTIME_24H = "phrase-uptime-24h", "Uptime 24h";
    UPTIME_30D = "phrase-uptime-30d", "Uptime 30d";
    LAST_CHECK = "phrase-last-check", "Last check";
    NO_DATA = "phrase-no-data", "no data";
    NEVER = "phrase-never", "never";
    ALERT = "phrase-alert", "Alert";
    SEVERITY = "phrase-severity", "Severity";
    STATE = "phrase-state", "State";
    ACTIVE_SINCE = "phrase-active-since", "Active since";
    SUMMARY = "phrase-summary", "Summary";
    NO_ACTIVE_ALERTS = "phrase-no-active-alerts", "No active alerts.";
    LATENCY_24H = "phrase-latency-24h", "Response time, last 24 hours";
    LATENCY_90D = "phrase-latency-90d", "Response time, last 90 days";
    OPERATIONAL = "phrase-operational", "Operational";
    DEGRADED = "phrase-degraded", "Degraded";
    DOWN = "phrase-down", "Down";
    UNDER_MAINTENANCE = "phrase-under-maintenance", "Under maintenance";
    ALL_OPERATIONAL = "phrase-all-operational", "All systems operational";
    PARTIAL_OUTAGE = "phrase-partial-outage", "Partial outage";
    MAJOR_OUTAGE = "phrase-major-outage", "Major outage";
    DEGRADED_PERFORMANCE = "phrase-degraded-performance", "Degraded performance";
    NO_DATA_YET = "phrase-no-data-yet", "No data yet";
    STATE_NO_DATA = "phrase-state-no-data", "No data";
    MONTH = "phrase-month", "Month";
    NEW_USERS = "phrase-new-users", "New users";
    GROWTH = "phrase-growth", "Growth";
    CHECKS_NOT_RUNNING = "phrase-checks-not-running", "service checks are not running";
}

/// The message of `english`, when it is a phrase the server writes.
pub fn message_of(english: &str) -> Option<&'static str> {
    ALL.iter()
        .find(|(_, text)| *text == english)
        .map(|(id, _)| *id)
}

/// The English of a phrase.
pub const fn english(phrase: Phrase) -> &'static str {
    phrase.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_phrase_is_found_by_its_english_and_ids_are_unique() {
        for (id, text) in ALL {
            assert_eq!(message_of(text), Some(*id), "{text}");
            assert_eq!(
                ALL.iter().filter(|(other, _)| other == id).count(),
                1,
                "{id}"
            );
        }
        assert_eq!(message_of("My own panel"), None);
    }
}
