//! Stored notices as visitors read them: service names instead of ids, and
//! messages rendered to safe HTML.

use std::collections::HashMap;

use app::model::{Maintenance, NoticeUpdate, Notices, RECENT_DAYS, ServiceRef, WrittenIncident};
use chrono::{NaiveDateTime, TimeDelta};

use super::{
    markdown,
    store::{NoticeKind, StoredNotice},
};
use crate::config::ServiceConfig;

/// Service names by id, for what notices name.
#[derive(Debug, Clone, Default)]
pub struct ServiceNames(HashMap<String, String>);

impl ServiceNames {
    /// The names of `services`.
    pub fn of(services: &[ServiceConfig]) -> Self {
        Self(
            services
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect(),
        )
    }

    /// A reference to service `id`; a service no longer configured keeps
    /// its id as its name.
    fn reference(&self, id: &str) -> ServiceRef {
        ServiceRef {
            id: id.to_owned(),
            name: self.0.get(id).cloned().unwrap_or_else(|| id.to_owned()),
        }
    }
}

/// Unix milliseconds of a UTC time.
pub fn millis(at: NaiveDateTime) -> i64 {
    at.and_utc().timestamp_millis()
}

/// One of either kind, as visitors read it.
#[derive(Debug, Clone, PartialEq)]
pub enum NoticeView {
    /// An incident.
    Incident(WrittenIncident),
    /// A maintenance window.
    Maintenance(Maintenance),
}

/// `notice` as visitors read it.
pub fn view(notice: &StoredNotice, names: &ServiceNames) -> NoticeView {
    let services = notice
        .services
        .iter()
        .map(|id| names.reference(id))
        .collect();
    match notice.kind {
        NoticeKind::Incident => NoticeView::Incident(WrittenIncident {
            id: notice.id,
            title: notice.title.clone(),
            impact: notice.impact,
            services,
            reporter: notice.reporter,
            status: notice.status(),
            created_at: millis(notice.created_at),
            updated_at: millis(notice.updated_at),
            resolved_at: notice.resolved_at.map(millis),
            updates: notice
                .updates
                .iter()
                .rev()
                .map(|update| NoticeUpdate {
                    at: millis(update.at),
                    status: update.status,
                    html: markdown::to_html(&update.message),
                    message: update.message.clone(),
                })
                .collect(),
        }),
        NoticeKind::Maintenance => {
            let message = notice
                .updates
                .first()
                .map(|u| u.message.clone())
                .unwrap_or_default();
            NoticeView::Maintenance(Maintenance {
                id: notice.id,
                title: notice.title.clone(),
                services,
                starts_at: notice.starts_at.map_or(0, millis),
                ends_at: notice.ends_at.map_or(0, millis),
                created_at: millis(notice.created_at),
                updated_at: millis(notice.updated_at),
                html: markdown::to_html(&message),
                message,
            })
        }
    }
}

/// What `/status` shows of `current` (from `NoticeStore::current`) at `now`.
pub fn notices(current: &[StoredNotice], names: &ServiceNames, now: NaiveDateTime) -> Notices {
    let mut shown = Notices::default();
    let recent_since = millis(now - TimeDelta::days(RECENT_DAYS));
    for notice in current {
        match view(notice, names) {
            NoticeView::Incident(incident) if incident.resolved_at.is_none() => {
                shown.active.push(incident);
            }
            NoticeView::Incident(incident) => {
                if incident.resolved_at.is_some_and(|t| t >= recent_since) {
                    shown.recent.push(incident);
                }
            }
            NoticeView::Maintenance(window) => {
                if window.ends_at > millis(now) {
                    shown.maintenance.push(window);
                }
            }
        }
    }
    shown.maintenance.sort_by_key(|w| (w.starts_at, w.id));
    shown
}
