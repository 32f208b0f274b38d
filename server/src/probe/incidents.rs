//! Incidents: a run of consecutive failed checks of one service opens one,
//! the next healthy check closes it. Overlapping incidents of several
//! services are shown as one, naming them all.

use chrono::NaiveDateTime;

/// One service's run of failures, fed check by check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Streak {
    failures: u32,
    first_failure: Option<NaiveDateTime>,
    open: Option<NaiveDateTime>,
}

/// What a check changed about a service's incidents.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// An incident began at the first failure of the run.
    Opened {
        /// Its start.
        started_at: NaiveDateTime,
    },
    /// The incident that began at `started_at` ended.
    Closed {
        /// Its start.
        started_at: NaiveDateTime,
        /// The first healthy check after it.
        ended_at: NaiveDateTime,
    },
}

impl Streak {
    /// A streak picking up an incident still open in the store (after a
    /// restart the next healthy check closes it).
    pub fn resume(open: Option<NaiveDateTime>) -> Self {
        Self {
            failures: 0,
            first_failure: open,
            open,
        }
    }

    /// Feeds one check; `threshold` failures in a row open an incident.
    pub fn observe(&mut self, ok: bool, at: NaiveDateTime, threshold: u32) -> Option<Change> {
        if ok {
            self.failures = 0;
            self.first_failure = None;
            return self.open.take().map(|started_at| Change::Closed {
                started_at,
                ended_at: at,
            });
        }
        self.failures = self.failures.saturating_add(1);
        let first = *self.first_failure.get_or_insert(at);
        if self.open.is_none() && self.failures >= threshold.max(1) {
            self.open = Some(first);
            return Some(Change::Opened { started_at: first });
        }
        None
    }
}

/// One service's incident as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIncident {
    /// The service's id.
    pub service: String,
    /// The first failed check.
    pub started_at: NaiveDateTime,
    /// The first healthy check after, or `None` while ongoing.
    pub ended_at: Option<NaiveDateTime>,
}

/// Incidents of one or more services that overlapped in time.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedIncident {
    /// The earliest start.
    pub started_at: NaiveDateTime,
    /// The latest end, or `None` while any is ongoing.
    pub ended_at: Option<NaiveDateTime>,
    /// The services' ids, in order of their starts, each once.
    pub services: Vec<String>,
}

/// Merges overlapping incidents; newest first.
pub fn merge(mut incidents: Vec<ServiceIncident>) -> Vec<MergedIncident> {
    incidents.sort_by_key(|i| i.started_at);
    let mut merged: Vec<MergedIncident> = Vec::new();
    for incident in incidents {
        match merged.last_mut() {
            Some(last) if overlaps(last.ended_at, incident.started_at) => {
                last.ended_at = match (last.ended_at, incident.ended_at) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                if !last.services.contains(&incident.service) {
                    last.services.push(incident.service);
                }
            }
            _ => merged.push(MergedIncident {
                started_at: incident.started_at,
                ended_at: incident.ended_at,
                services: vec![incident.service],
            }),
        }
    }
    merged.reverse();
    merged
}

fn overlaps(ended_at: Option<NaiveDateTime>, next_start: NaiveDateTime) -> bool {
    ended_at.is_none_or(|end| next_start <= end)
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeDelta};

    use super::*;

    fn t(minutes: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("date")
            + TimeDelta::minutes(minutes)
    }

    #[test]
    fn consecutive_failures_open_and_a_success_closes() {
        let mut streak = Streak::default();
        assert_eq!(
            streak.observe(false, t(0), 2),
            None,
            "one failure is a blip"
        );
        assert_eq!(
            streak.observe(true, t(1), 2),
            None,
            "blip over, nothing opened"
        );
        assert_eq!(streak.observe(false, t(2), 2), None);
        assert_eq!(
            streak.observe(false, t(3), 2),
            Some(Change::Opened { started_at: t(2) }),
            "the incident starts at the run's first failure"
        );
        assert_eq!(streak.observe(false, t(4), 2), None, "opened once");
        assert_eq!(
            streak.observe(true, t(5), 2),
            Some(Change::Closed {
                started_at: t(2),
                ended_at: t(5)
            })
        );
        assert_eq!(streak.observe(true, t(6), 2), None);
    }

    #[test]
    fn a_resumed_incident_closes_on_the_next_success() {
        let mut streak = Streak::resume(Some(t(0)));
        assert_eq!(streak.observe(false, t(10), 2), None);
        assert_eq!(
            streak.observe(true, t(11), 2),
            Some(Change::Closed {
                started_at: t(0),
                ended_at: t(11)
            })
        );
    }

    #[test]
    fn overlapping_incidents_merge_and_others_stay_apart() {
        let incident = |service: &str, start, end: Option<i64>| ServiceIncident {
            service: service.to_owned(),
            started_at: t(start),
            ended_at: end.map(t),
        };
        let merged = merge(vec![
            incident("db", 12, Some(20)),
            incident("api", 10, Some(15)),
            incident("api", 100, None),
            incident("web", 50, Some(60)),
        ]);
        assert_eq!(merged.len(), 3);
        assert_eq!(merged[0].services, ["api"]);
        assert_eq!(merged[0].ended_at, None, "ongoing, newest first");
        assert_eq!(merged[2].services, ["api", "db"]);
        assert_eq!(
            (merged[2].started_at, merged[2].ended_at),
            (t(10), Some(t(20)))
        );
    }
}
