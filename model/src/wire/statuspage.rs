//! The Statuspage-compatible API (`/api/v2/*.json`): Atlassian
//! Statuspage's public API, field for field, so that status widgets,
//! chat integrations and dashboards written for it read Porthole by
//! changing only the URL. Times are ISO 8601 in UTC; ids are strings.

use serde::{Deserialize, Serialize};

/// The page every answer names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// A stable id.
    pub id: String,
    /// The page's name.
    pub name: String,
    /// Where the status page is.
    pub url: String,
    /// Always `Etc/UTC`: every time is in UTC.
    pub time_zone: String,
    /// When the answer was made.
    pub updated_at: String,
}

/// The overall indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// `none`, `minor`, `major`, `critical` or `maintenance`.
    pub indicator: String,
    /// "All Systems Operational", "Partial System Outage", ….
    pub description: String,
}

/// A component: a service, or a group of services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// The service's id (a group's is `group-` and a number).
    pub id: String,
    /// Its name.
    pub name: String,
    /// `operational`, `degraded_performance`, `partial_outage`,
    /// `major_outage` or `under_maintenance`.
    pub status: String,
    /// When it was first listed (Porthole keeps no such time: the answer's).
    pub created_at: String,
    /// When its status was last known.
    pub updated_at: String,
    /// Its place, from 1.
    pub position: u32,
    /// Never set.
    pub description: Option<String>,
    /// Shown on the page.
    pub showcase: bool,
    /// Never set.
    pub start_date: Option<String>,
    /// The group it belongs to.
    pub group_id: Option<String>,
    /// The page's id.
    pub page_id: String,
    /// Whether it is a group.
    pub group: bool,
    /// Always false.
    pub only_show_if_degraded: bool,
    /// A group's components.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub components: Option<Vec<String>>,
}

/// One update of an incident's or a maintenance's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentUpdate {
    /// `{incident}-{n}`.
    pub id: String,
    /// The state it moved to.
    pub status: String,
    /// The message, as written (Markdown).
    pub body: String,
    /// The incident's id.
    pub incident_id: String,
    /// When it was posted.
    pub created_at: String,
    /// When it was posted.
    pub updated_at: String,
    /// When it was posted.
    pub display_at: String,
    /// Never set.
    pub affected_components: Option<Vec<String>>,
    /// Always true.
    pub deliver_notifications: bool,
    /// Never set.
    pub custom_tweet: Option<String>,
    /// Never set.
    pub tweet_id: Option<String>,
}

/// An incident, or a scheduled maintenance (which adds its window).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Its id.
    pub id: String,
    /// Its title.
    pub name: String,
    /// `investigating`, `identified`, `monitoring`, `resolved`; for
    /// maintenance `scheduled`, `in_progress`, `completed`.
    pub status: String,
    /// When it was opened or announced.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// When it was first monitored.
    pub monitoring_at: Option<String>,
    /// When it was resolved or completed.
    pub resolved_at: Option<String>,
    /// `none`, `minor`, `major`, `critical`; `maintenance` for maintenance.
    pub impact: String,
    /// Its page.
    pub shortlink: String,
    /// When it began.
    pub started_at: String,
    /// The page's id.
    pub page_id: String,
    /// Its timeline, newest first.
    pub incident_updates: Vec<IncidentUpdate>,
    /// The components it names.
    pub components: Vec<Component>,
    /// A maintenance's start.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scheduled_for: Option<String>,
    /// A maintenance's end.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scheduled_until: Option<String>,
}

/// `/api/v2/summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The page.
    pub page: Page,
    /// Every component.
    pub components: Vec<Component>,
    /// Unresolved incidents.
    pub incidents: Vec<Incident>,
    /// Maintenance announced or under way.
    pub scheduled_maintenances: Vec<Incident>,
    /// The overall indicator.
    pub status: Status,
}

/// `/api/v2/status.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusAnswer {
    /// The page.
    pub page: Page,
    /// The overall indicator.
    pub status: Status,
}

/// `/api/v2/components.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Components {
    /// The page.
    pub page: Page,
    /// Every component.
    pub components: Vec<Component>,
}

/// `/api/v2/incidents.json` and `incidents/unresolved.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incidents {
    /// The page.
    pub page: Page,
    /// The incidents.
    pub incidents: Vec<Incident>,
}

/// `/api/v2/scheduled-maintenances.json` (and `upcoming`, `active`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledMaintenances {
    /// The page.
    pub page: Page,
    /// The maintenance.
    pub scheduled_maintenances: Vec<Incident>,
}
