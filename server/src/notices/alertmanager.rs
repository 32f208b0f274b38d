//! Incidents from Alertmanager: its webhook payload (version 4) read, each
//! alert matched to the services whose `alerts` labels it carries, and
//! applied to the notice store. A firing alert opens one incident per
//! fingerprint; the same alert firing again changes nothing; its
//! `resolved` resolves that incident. Alerts about no configured service
//! are counted and left alone.

use std::collections::BTreeMap;

use app::model::{Impact, IncidentState, Reporter};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{
    NoticeStore,
    markdown::MAX_MESSAGE_BYTES,
    requests::{Checker, NewIncident, Refusal, Resolution},
    store::ChangeError,
    store::StoredNotice,
};
use crate::{config::ServiceConfig, db::DbError};

/// The most alerts one delivery may carry.
pub const MAX_ALERTS: usize = 1000;

/// The longest title taken from an alert, in characters.
const MAX_TITLE_CHARS: usize = 200;

/// Alertmanager's webhook payload, as far as Porthole reads it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    /// The payload's version; Porthole reads version 4.
    pub version: String,
    /// The alerts of the group.
    pub alerts: Vec<Alert>,
}

/// One alert of a payload.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// `firing` or `resolved`.
    pub status: AlertStatus,
    /// Its labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Its annotations (`summary` and `description` are read).
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// Alertmanager's id of the alert: the same for every notification of
    /// it.
    pub fingerprint: String,
}

/// Whether an alert fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// It fires.
    Firing,
    /// It stopped.
    Resolved,
}

/// What a delivery did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outcome {
    /// Incidents opened.
    pub opened: usize,
    /// Incidents resolved.
    pub resolved: usize,
    /// Alerts whose incident already stood as they say.
    pub unchanged: usize,
    /// Alerts about no configured service.
    pub ignored: usize,
    /// The incidents opened (`true`) or resolved (`false`), as stored.
    #[serde(skip)]
    pub changed: Vec<(StoredNotice, bool)>,
}

/// Why a delivery was not applied.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The payload is not one Porthole reads (400).
    #[error("{0}")]
    Invalid(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Checks what a payload must be before anything is applied: all of it or
/// none.
pub fn check(payload: &Payload) -> Result<(), DeliveryError> {
    if payload.version != "4" {
        return Err(DeliveryError::Invalid(format!(
            "webhook payload version {:?} is not read; Alertmanager sends version \"4\"",
            payload.version.chars().take(16).collect::<String>()
        )));
    }
    if payload.alerts.len() > MAX_ALERTS {
        return Err(DeliveryError::Invalid(format!(
            "{} alerts in one delivery; at most {MAX_ALERTS} (set max_alerts in Alertmanager's webhook_config)",
            payload.alerts.len()
        )));
    }
    if let Some(alert) = payload
        .alerts
        .iter()
        .find(|a| a.fingerprint.is_empty() || a.fingerprint.len() > 64)
    {
        return Err(DeliveryError::Invalid(format!(
            "alert {:?} has no usable fingerprint (1 to 64 characters)",
            alert.labels.get("alertname").map_or("", String::as_str)
        )));
    }
    Ok(())
}

/// The incident's impact from the alert's `severity` label: `critical`,
/// `major` (also `error`, `high`), `minor` (also `warning`), `none` (also
/// `info`); any other or none is major.
fn impact(labels: &BTreeMap<String, String>) -> Impact {
    match labels
        .get("severity")
        .map(|s| s.to_ascii_lowercase())
        .as_deref()
    {
        Some("critical") => Impact::Critical,
        Some("warning" | "minor") => Impact::Minor,
        Some("info" | "none") => Impact::None,
        _ => Impact::Major,
    }
}

fn truncated(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// What an operator would have written for `alert`.
fn incident_request(alert: &Alert, services: Vec<String>) -> NewIncident {
    let name = alert
        .labels
        .get("alertname")
        .map_or("Alert", String::as_str);
    let title = alert
        .annotations
        .get("summary")
        .filter(|s| !s.trim().is_empty())
        .map_or(name, String::as_str);
    let message = alert
        .annotations
        .get("description")
        .or_else(|| alert.annotations.get("summary"))
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| format!("Alertmanager reports `{name}` firing."));
    // Cut on a character boundary below the store's limit.
    let mut message = message;
    while message.len() > MAX_MESSAGE_BYTES {
        message.pop();
    }
    NewIncident {
        title: truncated(title.trim(), MAX_TITLE_CHARS),
        impact: Some(impact(&alert.labels)),
        services,
        status: Some(IncidentState::Investigating),
        message,
    }
}

/// Applies `payload` (already [`check`]ed) for `services` at `now`.
pub async fn apply(
    store: &NoticeStore,
    services: &[ServiceConfig],
    payload: Payload,
    now: NaiveDateTime,
) -> Result<Outcome, DeliveryError> {
    // One delivery at a time: the same fingerprint in two deliveries opens
    // one incident.
    let _one_delivery = store.one_alert_delivery_at_a_time().await;
    let ids: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
    let mut outcome = Outcome::default();
    for alert in payload.alerts {
        let matched: Vec<String> = services
            .iter()
            .filter(|s| s.matches_alert(&alert.labels))
            .map(|s| s.id.clone())
            .collect();
        let open = store.open_for_alert(&alert.fingerprint).await?;
        match (alert.status, open) {
            (AlertStatus::Firing, Some(_)) => outcome.unchanged += 1,
            (AlertStatus::Firing, None) if matched.is_empty() => outcome.ignored += 1,
            (AlertStatus::Firing, None) => {
                let checker = Checker {
                    services: &ids,
                    now,
                };
                let notice = checker
                    .new_incident(
                        incident_request(&alert, matched),
                        Reporter::Alertmanager,
                        Some(alert.fingerprint.clone()),
                    )
                    .map_err(|refusal| DeliveryError::Invalid(refusal.to_string()))?;
                let id = store.insert(notice.clone()).await?;
                outcome.opened += 1;
                outcome.changed.push((StoredNotice { id, ..notice }, true));
            }
            (AlertStatus::Resolved, Some(incident)) => {
                let ids = ids.clone();
                let name = alert
                    .labels
                    .get("alertname")
                    .cloned()
                    .unwrap_or_else(|| "the alert".to_owned());
                let resolved = store
                    .modify(incident.id, move |notice| {
                        Checker {
                            services: &ids,
                            now,
                        }
                        .resolve(
                            notice,
                            Resolution {
                                message: Some(format!("Alertmanager reports `{name}` resolved.")),
                            },
                        )
                    })
                    .await;
                match resolved {
                    Ok(notice) => {
                        outcome.resolved += 1;
                        outcome.changed.push((notice, false));
                    }
                    // Resolved by an operator meanwhile, or deleted.
                    Err(ChangeError::NotFound | ChangeError::Refused(Refusal::Conflict(_))) => {
                        outcome.unchanged += 1;
                    }
                    Err(ChangeError::Refused(refusal)) => {
                        return Err(DeliveryError::Invalid(refusal.to_string()));
                    }
                    Err(ChangeError::Db(error)) => return Err(error.into()),
                }
            }
            (AlertStatus::Resolved, None) if matched.is_empty() => outcome.ignored += 1,
            (AlertStatus::Resolved, None) => outcome.unchanged += 1,
        }
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn severity_sets_the_impact() {
        assert_eq!(
            impact(&labels(&[("severity", "critical")])),
            Impact::Critical
        );
        assert_eq!(impact(&labels(&[("severity", "Warning")])), Impact::Minor);
        assert_eq!(impact(&labels(&[("severity", "info")])), Impact::None);
        assert_eq!(impact(&labels(&[])), Impact::Major);
    }

    #[test]
    fn an_alert_reads_as_an_incident() {
        let alert = Alert {
            status: AlertStatus::Firing,
            labels: labels(&[("alertname", "HighErrorRate"), ("severity", "warning")]),
            annotations: labels(&[
                ("summary", "Errors above 5%"),
                ("description", "5xx **up**"),
            ]),
            fingerprint: "abc".to_owned(),
        };
        let request = incident_request(&alert, vec!["api".to_owned()]);
        assert_eq!(request.title, "Errors above 5%");
        assert_eq!(request.message, "5xx **up**");
        assert_eq!(request.impact, Some(Impact::Minor));
        let bare = Alert {
            annotations: BTreeMap::new(),
            ..alert
        };
        let request = incident_request(&bare, vec![]);
        assert_eq!(request.title, "HighErrorRate");
        assert!(request.message.contains("`HighErrorRate` firing"));
    }

    #[test]
    fn payloads_of_another_version_or_size_are_refused() {
        let alert = |fingerprint: &str| Alert {
            status: AlertStatus::Firing,
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            fingerprint: fingerprint.to_owned(),
        };
        let payload = |version: &str, alerts: Vec<Alert>| Payload {
            version: version.to_owned(),
            alerts,
        };
        assert!(check(&payload("4", vec![alert("a")])).is_ok());
        assert!(check(&payload("3", vec![alert("a")])).is_err());
        assert!(check(&payload("4", vec![alert("")])).is_err());
        assert!(check(&payload("4", vec![alert("a"); MAX_ALERTS + 1])).is_err());
    }
}
