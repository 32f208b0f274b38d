//! What webhooks are told: an event's type, its one key (the same
//! happening always makes the same key, so it is sent once however often
//! it is noticed) and its data, as the body `{"type","timestamp","data"}`.

use app::model::{Maintenance, WrittenIncident};
use chrono::{DateTime, SecondsFormat, Utc};
use porthole_config::EventGroup;
use serde_json::{Value, json};

/// One happening, for every webhook that wants its group.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `incident.created`, `maintenance.started`, `service.down`, ….
    pub kind: &'static str,
    /// Which `events` it belongs to.
    pub group: EventGroup,
    /// The same for the same happening.
    pub key: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What it is about.
    pub data: Value,
}

fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl Event {
    /// An incident opened, moved on, edited or resolved: which one is told
    /// by its state and timeline.
    pub fn incident(incident: &WrittenIncident, created: bool) -> Self {
        let kind = if created {
            "incident.created"
        } else if incident.resolved_at.is_some() {
            "incident.resolved"
        } else {
            "incident.updated"
        };
        Self {
            kind,
            group: EventGroup::Incident,
            key: format!("{kind}:{}:{}", incident.id, incident.updated_at),
            at: instant(incident.updated_at),
            data: json!({ "incident": incident }),
        }
    }

    /// Maintenance announced or changed.
    pub fn maintenance_scheduled(window: &Maintenance) -> Self {
        Self::maintenance("maintenance.scheduled", window, window.updated_at)
    }

    /// Maintenance began.
    pub fn maintenance_started(window: &Maintenance) -> Self {
        Self::maintenance("maintenance.started", window, window.starts_at)
    }

    /// Maintenance ended.
    pub fn maintenance_completed(window: &Maintenance) -> Self {
        Self::maintenance("maintenance.completed", window, window.ends_at)
    }

    fn maintenance(kind: &'static str, window: &Maintenance, at: i64) -> Self {
        Self {
            kind,
            group: EventGroup::Maintenance,
            key: format!("{kind}:{}:{at}", window.id),
            at: instant(at),
            data: json!({ "maintenance": window }),
        }
    }

    /// A service's checks began failing (`down`) at `started_at`, or
    /// recovered from the failure that began then.
    pub fn service(
        id: &str,
        name: &str,
        down: bool,
        started_at: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Self {
        let kind = if down { "service.down" } else { "service.up" };
        Self {
            kind,
            group: EventGroup::Status,
            key: format!("{kind}:{id}:{}", started_at.timestamp_millis()),
            at,
            data: json!({
                "service": { "id": id, "name": name },
                "state": if down { "down" } else { "up" },
                "since": started_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            }),
        }
    }

    /// The body every webhook of it receives.
    pub fn body(&self) -> String {
        json!({
            "type": self.kind,
            "timestamp": self.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            "data": self.data,
        })
        .to_string()
    }
}
