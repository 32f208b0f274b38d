//! What operators write for visitors of `/status`: incidents with a
//! timeline of updates, and scheduled maintenance. (Incidents that Porthole
//! detects from failed checks are `Incident`, in `status.rs`.)

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// How badly an incident affects its services, mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Worth telling, nothing is broken.
    None,
    /// Some visitors notice.
    Minor,
    /// Many visitors are affected.
    Major,
    /// The service is unusable.
    Critical,
}

impl Impact {
    /// Every impact, mildest first.
    pub const ALL: [Self; 4] = [Self::None, Self::Minor, Self::Major, Self::Critical];

    /// As written in JSON and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Minor => "minor",
            Self::Major => "major",
            Self::Critical => "critical",
        }
    }

    /// In words, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "No impact",
            Self::Minor => "Minor impact",
            Self::Major => "Major impact",
            Self::Critical => "Critical impact",
        }
    }
}

impl FromStr for Impact {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|impact| impact.as_str() == text)
            .ok_or_else(|| format!("unknown impact {text:?}; use none, minor, major or critical"))
    }
}

/// Where an incident stands, in the order it moves through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    /// The cause is being looked for.
    Investigating,
    /// The cause is known; a fix is under way.
    Identified,
    /// A fix is out and being watched.
    Monitoring,
    /// Over.
    Resolved,
}

impl IncidentState {
    /// Every state, in order.
    pub const ALL: [Self; 4] = [
        Self::Investigating,
        Self::Identified,
        Self::Monitoring,
        Self::Resolved,
    ];

    /// As written in JSON and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Investigating => "investigating",
            Self::Identified => "identified",
            Self::Monitoring => "monitoring",
            Self::Resolved => "resolved",
        }
    }

    /// In words, for pages and feeds.
    pub fn label(self) -> &'static str {
        match self {
            Self::Investigating => "Investigating",
            Self::Identified => "Identified",
            Self::Monitoring => "Monitoring",
            Self::Resolved => "Resolved",
        }
    }
}

impl fmt::Display for IncidentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IncidentState {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "unknown status {text:?}; use investigating, identified, monitoring or resolved"
                )
            })
    }
}

/// Who opened an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reporter {
    /// An operator, through the admin API or `porthole incident`.
    Operator,
    /// An Alertmanager alert (`POST /api/v1/alertmanager`).
    Alertmanager,
}

/// One entry of an incident's or a maintenance's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeUpdate {
    /// When it was posted (Unix ms).
    pub at: i64,
    /// The incident's state from then on.
    pub status: IncidentState,
    /// What the operator wrote, as Markdown.
    pub message: String,
    /// The message rendered: Markdown without raw HTML, links marked
    /// `rel="nofollow noopener"`.
    pub html: String,
}

/// A service a notice names, with the name visitors know it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRef {
    /// Its id (`[[service]]`'s).
    pub id: String,
    /// Its name.
    pub name: String,
}

/// An incident an operator (or Alertmanager) wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WrittenIncident {
    /// Its id in URLs (`/status/incidents/{id}`).
    pub id: u64,
    /// Its title.
    pub title: String,
    /// How bad it is.
    pub impact: Impact,
    /// The services affected.
    pub services: Vec<ServiceRef>,
    /// Who opened it.
    pub reporter: Reporter,
    /// Its latest state.
    pub status: IncidentState,
    /// When it was opened (Unix ms).
    pub created_at: i64,
    /// When it last changed (Unix ms).
    pub updated_at: i64,
    /// When it was resolved (Unix ms).
    pub resolved_at: Option<i64>,
    /// Its timeline, newest first.
    pub updates: Vec<NoticeUpdate>,
}

impl WrittenIncident {
    /// Its newest update.
    pub fn latest(&self) -> Option<&NoticeUpdate> {
        self.updates.first()
    }

    /// The names of its services, joined for reading.
    pub fn service_names(&self) -> String {
        join_names(&self.services)
    }
}

/// Where a maintenance window stands at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaintenancePhase {
    /// Announced, not begun.
    Scheduled,
    /// Under way.
    InProgress,
    /// Over.
    Completed,
}

impl MaintenancePhase {
    /// Every phase.
    pub const ALL: [Self; 3] = [Self::Scheduled, Self::InProgress, Self::Completed];

    /// As written in JSON and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
        }
    }

    /// In words, for pages and feeds.
    pub fn label(self) -> &'static str {
        match self {
            Self::Scheduled => "Scheduled",
            Self::InProgress => "Under maintenance",
            Self::Completed => "Completed",
        }
    }
}

/// Scheduled maintenance: announced ahead, shown while it runs, then kept.
/// Checks of its services inside `[starts_at, ends_at)` open no incident and
/// do not count for uptime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Maintenance {
    /// Its id in URLs (`/status/incidents/{id}`, shared with incidents).
    pub id: u64,
    /// Its title.
    pub title: String,
    /// The services it takes down.
    pub services: Vec<ServiceRef>,
    /// When it begins (Unix ms).
    pub starts_at: i64,
    /// When it ends (Unix ms).
    pub ends_at: i64,
    /// When it was announced (Unix ms).
    pub created_at: i64,
    /// When it last changed (Unix ms).
    pub updated_at: i64,
    /// What the operator wrote, as Markdown.
    pub message: String,
    /// The message rendered, as in [`NoticeUpdate::html`].
    pub html: String,
}

impl Maintenance {
    /// Where it stands at `now` (Unix ms).
    pub fn phase(&self, now: i64) -> MaintenancePhase {
        if now < self.starts_at {
            MaintenancePhase::Scheduled
        } else if now < self.ends_at {
            MaintenancePhase::InProgress
        } else {
            MaintenancePhase::Completed
        }
    }

    /// Whether it covers service `id` at `now` (Unix ms).
    pub fn covers(&self, id: &str, now: i64) -> bool {
        self.phase(now) == MaintenancePhase::InProgress && self.services.iter().any(|s| s.id == id)
    }

    /// The names of its services, joined for reading.
    pub fn service_names(&self) -> String {
        join_names(&self.services)
    }
}

/// What operators wrote that `/status` shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Notices {
    /// Incidents not yet resolved, newest first.
    pub active: Vec<WrittenIncident>,
    /// Maintenance under way or announced, soonest first.
    pub maintenance: Vec<Maintenance>,
    /// Incidents resolved in the last [`RECENT_DAYS`] days, newest first.
    pub recent: Vec<WrittenIncident>,
}

/// Days of resolved incidents `/status` lists.
pub const RECENT_DAYS: i64 = 14;

/// One entry of the status history: either kind of incident, or a
/// maintenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryEntry {
    /// Written by an operator or opened by Alertmanager.
    Reported(WrittenIncident),
    /// Detected from failed checks.
    Detected(super::Incident),
    /// Scheduled maintenance.
    Maintenance(Maintenance),
}

impl HistoryEntry {
    /// When it began (Unix ms), for ordering.
    pub fn started_at(&self) -> i64 {
        match self {
            Self::Reported(incident) => incident.created_at,
            Self::Detected(incident) => incident.started_at,
            Self::Maintenance(maintenance) => maintenance.starts_at,
        }
    }
}

/// `/status/incidents/{id}`: one notice, whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticePage {
    /// When the page was made (Unix ms).
    pub generated_at: i64,
    /// The incident or maintenance.
    pub entry: HistoryEntry,
}

/// Entries on one page of `/status/history`.
pub const HISTORY_PAGE_SIZE: usize = 20;

/// The most pages `/status/history` goes back.
pub const MAX_HISTORY_PAGES: u32 = 500;

/// A page of `/status/history`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPage {
    /// When the page was made (Unix ms).
    pub generated_at: i64,
    /// The page's number, from 1.
    pub page: u32,
    /// Whether an older page follows.
    pub more: bool,
    /// Its entries, newest first.
    pub entries: Vec<HistoryEntry>,
}

fn join_names(services: &[ServiceRef]) -> String {
    services
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_impacts_read_back_and_say_what_is_expected() {
        for state in IncidentState::ALL {
            assert_eq!(state.as_str().parse(), Ok(state));
        }
        for impact in Impact::ALL {
            assert_eq!(impact.as_str().parse(), Ok(impact));
        }
        let error = "fixed".parse::<IncidentState>().expect_err("unknown");
        assert!(error.contains("investigating, identified"), "{error}");
        assert!("Major".parse::<Impact>().is_err(), "names are lower case");
        assert!(IncidentState::Investigating < IncidentState::Resolved);
    }

    #[test]
    fn maintenance_runs_from_its_start_to_before_its_end() {
        let window = Maintenance {
            id: 1,
            title: "Database upgrade".to_owned(),
            services: vec![ServiceRef {
                id: "db".to_owned(),
                name: "Database".to_owned(),
            }],
            starts_at: 1_000,
            ends_at: 2_000,
            created_at: 0,
            updated_at: 0,
            message: String::new(),
            html: String::new(),
        };
        assert_eq!(window.phase(999), MaintenancePhase::Scheduled);
        assert_eq!(window.phase(1_000), MaintenancePhase::InProgress);
        assert_eq!(window.phase(2_000), MaintenancePhase::Completed);
        assert!(window.covers("db", 1_500));
        assert!(!window.covers("api", 1_500));
        assert!(!window.covers("db", 2_500));
    }
}
