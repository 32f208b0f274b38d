//! What operators send to write notices, and the checks each passes before
//! anything is stored: known services, bounded texts, states that only move
//! forward, windows that end after they begin.

use std::collections::HashSet;

use app::model::{Impact, IncidentState, Reporter};
use chrono::{DateTime, NaiveDateTime, TimeDelta};
use serde::Deserialize;

use super::{
    markdown::MAX_MESSAGE_BYTES,
    store::{NoticeKind, StoredNotice, StoredUpdate},
};

/// The longest title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// The most services one notice may name.
pub const MAX_SERVICES: usize = 100;

/// The most updates one incident's timeline holds.
pub const MAX_UPDATES: usize = 200;

/// The longest maintenance window, in days.
pub const MAX_WINDOW_DAYS: i64 = 31;

/// Why a request was refused; nothing was changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    /// A field is malformed or past a limit (400).
    #[error("{0}")]
    Invalid(String),
    /// The request contradicts the stored notice (409).
    #[error("{0}")]
    Conflict(String),
    /// A message is longer than allowed (413).
    #[error("the message is {0} bytes; at most {MAX_MESSAGE_BYTES} are accepted")]
    TooLong(usize),
}

/// `POST /api/v1/incidents`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewIncident {
    /// Its title.
    pub title: String,
    /// How bad it is (default `minor`).
    #[serde(default)]
    pub impact: Option<Impact>,
    /// The ids of the services affected.
    #[serde(default)]
    pub services: Vec<String>,
    /// Its first state (default `investigating`).
    #[serde(default)]
    pub status: Option<IncidentState>,
    /// The first update's message, Markdown.
    pub message: String,
}

/// `POST /api/v1/incidents/{id}/updates`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUpdate {
    /// The state from now on: the same or a later one.
    pub status: IncidentState,
    /// What changed, Markdown.
    pub message: String,
}

/// `POST /api/v1/incidents/{id}/resolve`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// The closing message (default: "This incident has been resolved.").
    #[serde(default)]
    pub message: Option<String>,
}

/// `PATCH /api/v1/incidents/{id}` and `PATCH /api/v1/maintenance/{id}`:
/// only the fields given change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// A new title.
    pub title: Option<String>,
    /// A new impact (incidents).
    pub impact: Option<Impact>,
    /// New services.
    pub services: Option<Vec<String>>,
    /// A new start (maintenance), RFC 3339.
    pub starts_at: Option<String>,
    /// A new end (maintenance), RFC 3339.
    pub ends_at: Option<String>,
    /// A new message (maintenance).
    pub message: Option<String>,
}

/// `POST /api/v1/maintenance`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMaintenance {
    /// Its title.
    pub title: String,
    /// The services it takes down.
    pub services: Vec<String>,
    /// When it begins, RFC 3339 (`2026-12-06T02:00:00Z`).
    pub starts_at: String,
    /// When it ends, RFC 3339.
    pub ends_at: String,
    /// What visitors should know, Markdown.
    #[serde(default)]
    pub message: String,
}

/// Checks requests against the services configured now.
#[derive(Debug, Clone, Copy)]
pub struct Checker<'a> {
    /// The ids of the configured services.
    pub services: &'a [String],
    /// The time of the request.
    pub now: NaiveDateTime,
}

impl Checker<'_> {
    /// The incident `request` opens, by `reporter`.
    pub fn new_incident(
        &self,
        request: NewIncident,
        reporter: Reporter,
        alert_key: Option<String>,
    ) -> Result<StoredNotice, Refusal> {
        let status = request.status.unwrap_or(IncidentState::Investigating);
        Ok(StoredNotice {
            id: 0,
            kind: NoticeKind::Incident,
            title: title(&request.title)?,
            impact: request.impact.unwrap_or(Impact::Minor),
            reporter,
            alert_key,
            services: self.services(&request.services)?,
            created_at: self.now,
            updated_at: self.now,
            resolved_at: (status == IncidentState::Resolved).then_some(self.now),
            starts_at: None,
            ends_at: None,
            updates: vec![StoredUpdate {
                at: self.now,
                status,
                message: message(&request.message, true)?,
            }],
        })
    }

    /// Adds `update` to `incident`'s timeline.
    pub fn update(&self, incident: &mut StoredNotice, update: NewUpdate) -> Result<(), Refusal> {
        let current = incident.status();
        if incident.kind != NoticeKind::Incident {
            return Err(Refusal::Conflict(
                "this is a maintenance window; change it with PATCH /api/v1/maintenance/{id}"
                    .to_owned(),
            ));
        }
        if current == IncidentState::Resolved {
            return Err(Refusal::Conflict(
                "this incident is resolved; open a new one if the problem is back".to_owned(),
            ));
        }
        if update.status < current {
            return Err(Refusal::Conflict(format!(
                "the incident is already {current}; an update may keep its state or move it on (investigating → identified → monitoring → resolved), not back to {}",
                update.status
            )));
        }
        if incident.updates.len() >= MAX_UPDATES {
            return Err(Refusal::Conflict(format!(
                "this incident has {MAX_UPDATES} updates, the most one holds; open a new one"
            )));
        }
        incident.updates.push(StoredUpdate {
            at: self.now,
            status: update.status,
            message: message(&update.message, true)?,
        });
        incident.updated_at = self.now;
        if update.status == IncidentState::Resolved {
            incident.resolved_at = Some(self.now);
        }
        Ok(())
    }

    /// Resolves `incident`.
    pub fn resolve(
        &self,
        incident: &mut StoredNotice,
        resolution: Resolution,
    ) -> Result<(), Refusal> {
        let message = resolution
            .message
            .unwrap_or_else(|| "This incident has been resolved.".to_owned());
        self.update(
            incident,
            NewUpdate {
                status: IncidentState::Resolved,
                message,
            },
        )
    }

    /// Applies `edit` to `notice`.
    pub fn edit(&self, notice: &mut StoredNotice, edit: Edit) -> Result<(), Refusal> {
        let maintenance = notice.kind == NoticeKind::Maintenance;
        if !maintenance
            && (edit.starts_at.is_some() || edit.ends_at.is_some() || edit.message.is_some())
        {
            return Err(Refusal::Invalid(
                "an incident has no window or message to edit; post an update instead".to_owned(),
            ));
        }
        if maintenance && edit.impact.is_some() {
            return Err(Refusal::Invalid(
                "a maintenance window has no impact".to_owned(),
            ));
        }
        if let Some(new) = &edit.title {
            notice.title = title(new)?;
        }
        if let Some(impact) = edit.impact {
            notice.impact = impact;
        }
        if let Some(services) = &edit.services {
            notice.services = self.services(services)?;
        }
        if maintenance {
            let starts = edit
                .starts_at
                .as_deref()
                .map(|t| instant("starts_at", t))
                .transpose()?;
            let ends = edit
                .ends_at
                .as_deref()
                .map(|t| instant("ends_at", t))
                .transpose()?;
            let (starts, ends) = (starts.or(notice.starts_at), ends.or(notice.ends_at));
            let (Some(starts), Some(ends)) = (starts, ends) else {
                return Err(Refusal::Invalid(
                    "the window has no start or end".to_owned(),
                ));
            };
            window(starts, ends)?;
            notice.starts_at = Some(starts);
            notice.ends_at = Some(ends);
            if let (Some(text), Some(first)) = (&edit.message, notice.updates.first_mut()) {
                first.message = message(text, false)?;
            }
        }
        notice.updated_at = self.now;
        Ok(())
    }

    /// The maintenance `request` announces.
    pub fn new_maintenance(&self, request: NewMaintenance) -> Result<StoredNotice, Refusal> {
        let starts = instant("starts_at", &request.starts_at)?;
        let ends = instant("ends_at", &request.ends_at)?;
        window(starts, ends)?;
        let services = self.services(&request.services)?;
        if services.is_empty() {
            return Err(Refusal::Invalid(
                "name the services the maintenance takes down in \"services\"".to_owned(),
            ));
        }
        Ok(StoredNotice {
            id: 0,
            kind: NoticeKind::Maintenance,
            title: title(&request.title)?,
            impact: Impact::None,
            reporter: Reporter::Operator,
            alert_key: None,
            services,
            created_at: self.now,
            updated_at: self.now,
            resolved_at: None,
            starts_at: Some(starts),
            ends_at: Some(ends),
            updates: vec![StoredUpdate {
                at: self.now,
                status: IncidentState::Identified,
                message: message(&request.message, false)?,
            }],
        })
    }

    /// `ids`, each a configured service, once each, in the order given.
    fn services(&self, ids: &[String]) -> Result<Vec<String>, Refusal> {
        if ids.len() > MAX_SERVICES {
            return Err(Refusal::Invalid(format!(
                "{} services named; at most {MAX_SERVICES}",
                ids.len()
            )));
        }
        let mut seen = HashSet::new();
        let mut kept = Vec::new();
        for id in ids {
            if !self.services.contains(id) {
                let known = self.services.join(", ");
                // The id is echoed only in its debug form, cut short.
                let shown: String = id.chars().take(64).collect();
                return Err(Refusal::Invalid(format!(
                    "unknown service {shown:?}; the configured ones are: {known}"
                )));
            }
            if seen.insert(id.as_str()) {
                kept.push(id.clone());
            }
        }
        Ok(kept)
    }
}

fn title(text: &str) -> Result<String, Refusal> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Refusal::Invalid("the title is empty".to_owned()));
    }
    let chars = text.chars().count();
    if chars > MAX_TITLE_CHARS {
        return Err(Refusal::Invalid(format!(
            "the title has {chars} characters; at most {MAX_TITLE_CHARS}"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(Refusal::Invalid(
            "the title holds control characters (a line break?); keep it to one line".to_owned(),
        ));
    }
    Ok(text.to_owned())
}

fn message(text: &str, required: bool) -> Result<String, Refusal> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(Refusal::TooLong(text.len()));
    }
    let text = text.trim();
    if required && text.is_empty() {
        return Err(Refusal::Invalid(
            "the message is empty; say what visitors should know".to_owned(),
        ));
    }
    Ok(text.to_owned())
}

fn instant(field: &str, text: &str) -> Result<NaiveDateTime, Refusal> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.naive_utc())
        .map_err(|error| {
            let shown: String = text.chars().take(40).collect();
            Refusal::Invalid(format!(
                "{field} {shown:?} is not an RFC 3339 time ({error}); write e.g. 2026-12-06T02:00:00Z"
            ))
        })
}

fn window(starts: NaiveDateTime, ends: NaiveDateTime) -> Result<(), Refusal> {
    if ends <= starts {
        return Err(Refusal::Invalid(
            "ends_at must be after starts_at".to_owned(),
        ));
    }
    if ends - starts > TimeDelta::days(MAX_WINDOW_DAYS) {
        return Err(Refusal::Invalid(format!(
            "a maintenance window lasts at most {MAX_WINDOW_DAYS} days"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker(services: &[String]) -> Checker<'_> {
        Checker {
            services,
            now: DateTime::from_timestamp(1_800_000_000, 0)
                .map(|t| t.naive_utc())
                .unwrap_or_default(),
        }
    }

    fn opened(checker: &Checker<'_>) -> StoredNotice {
        checker
            .new_incident(
                NewIncident {
                    title: "Slow logins".to_owned(),
                    impact: Some(Impact::Major),
                    services: vec!["api".to_owned(), "api".to_owned()],
                    status: None,
                    message: "We are investigating.".to_owned(),
                },
                Reporter::Operator,
                None,
            )
            .expect("valid")
    }

    #[test]
    fn states_move_forward_and_a_resolved_incident_takes_no_more() {
        let services = vec!["api".to_owned()];
        let checker = checker(&services);
        let mut incident = opened(&checker);
        assert_eq!(incident.services, ["api"], "named once");
        let update = |status| NewUpdate {
            status,
            message: "More.".to_owned(),
        };
        checker
            .update(&mut incident, update(IncidentState::Monitoring))
            .expect("forward");
        let refused = checker
            .update(&mut incident, update(IncidentState::Identified))
            .expect_err("back");
        assert!(
            matches!(refused, Refusal::Conflict(ref m) if m.contains("already monitoring")),
            "{refused}"
        );
        assert_eq!(
            incident.updates.len(),
            2,
            "the refused update changed nothing"
        );
        checker
            .resolve(&mut incident, Resolution::default())
            .expect("resolves");
        assert_eq!(incident.resolved_at, Some(checker.now));
        assert!(matches!(
            checker.update(&mut incident, update(IncidentState::Resolved)),
            Err(Refusal::Conflict(_))
        ));
    }

    #[test]
    fn unknown_services_long_texts_and_bad_windows_are_refused() {
        let services = vec!["api".to_owned()];
        let checker = checker(&services);
        let request = |services: Vec<String>, message: String| NewIncident {
            title: "t".to_owned(),
            impact: None,
            services,
            status: None,
            message,
        };
        let unknown = checker
            .new_incident(
                request(vec!["dB".to_owned()], "m".to_owned()),
                Reporter::Operator,
                None,
            )
            .expect_err("unknown");
        assert!(
            unknown.to_string().contains("unknown service \"dB\""),
            "{unknown}"
        );
        let long = "x".repeat(MAX_MESSAGE_BYTES + 1);
        assert_eq!(
            checker.new_incident(request(vec![], long), Reporter::Operator, None),
            Err(Refusal::TooLong(MAX_MESSAGE_BYTES + 1))
        );
        let maintenance = |starts: &str, ends: &str| NewMaintenance {
            title: "Upgrade".to_owned(),
            services: vec!["api".to_owned()],
            starts_at: starts.to_owned(),
            ends_at: ends.to_owned(),
            message: String::new(),
        };
        for (starts, ends, why) in [
            (
                "2026-12-06T03:00:00Z",
                "2026-12-06T02:00:00Z",
                "after starts_at",
            ),
            ("Sunday 2am", "2026-12-06T02:00:00Z", "RFC 3339"),
            (
                "2026-12-06T02:00:00Z",
                "2027-02-06T02:00:00Z",
                "at most 31 days",
            ),
        ] {
            let refused = checker
                .new_maintenance(maintenance(starts, ends))
                .expect_err(why);
            assert!(refused.to_string().contains(why), "{refused}");
        }
        let window = checker
            .new_maintenance(maintenance(
                "2026-12-06T02:00:00+01:00",
                "2026-12-06T03:00:00Z",
            ))
            .expect("valid");
        assert_eq!(
            window.starts_at.map(|t| t.to_string()).as_deref(),
            Some("2026-12-06 01:00:00"),
            "offsets are read as UTC"
        );
    }
}
