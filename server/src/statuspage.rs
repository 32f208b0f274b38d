//! Porthole's status as Atlassian Statuspage's public API (v2) tells it:
//! services become components (and their groups group components), written
//! incidents become incidents, maintenance becomes scheduled maintenance.
//! The HTTP side is `http::routes::statuspage`.
//!
//! A component's status is the worse of what its checks say and what the
//! active incidents that name it say (their impact: minor is
//! `degraded_performance`, major `partial_outage`, critical
//! `major_outage`); a service in a maintenance window is
//! `under_maintenance`. A service not checked yet reads `operational`, as
//! Statuspage has no word for "unknown".

use app::model::{
    Impact, IncidentState, Maintenance, MaintenancePhase, OverallLevel, ServiceState, StatusReport,
    WrittenIncident,
    statuspage::{Component, Incident, IncidentUpdate, Page, Status, Summary},
};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat};

/// The id of Porthole's one page.
pub const PAGE_ID: &str = "porthole";

/// What the page is called and where it is.
#[derive(Debug, Clone)]
pub struct PageSite {
    /// Its name.
    pub name: String,
    /// Where visitors reach Porthole, if known: links are absolute then,
    /// relative otherwise.
    pub public_url: app::site::PublicUrl,
}

impl PageSite {
    /// `route`'s URL.
    fn url(&self, route: &porthole_model::Route) -> String {
        let path = route.href();
        self.public_url.absolute(&path).unwrap_or(path)
    }
}

/// A component status, best first; `under_maintenance` stands apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Health {
    Operational,
    Degraded,
    PartialOutage,
    MajorOutage,
}

impl Health {
    fn as_str(self) -> &'static str {
        match self {
            Self::Operational => "operational",
            Self::Degraded => "degraded_performance",
            Self::PartialOutage => "partial_outage",
            Self::MajorOutage => "major_outage",
        }
    }

    fn of_state(state: ServiceState) -> Self {
        match state {
            ServiceState::Slow => Self::Degraded,
            ServiceState::Down => Self::MajorOutage,
            ServiceState::Up | ServiceState::Maintenance | ServiceState::NoData => {
                Self::Operational
            }
        }
    }

    fn of_impact(impact: Impact) -> Self {
        match impact {
            Impact::None => Self::Operational,
            Impact::Minor => Self::Degraded,
            Impact::Major => Self::PartialOutage,
            Impact::Critical => Self::MajorOutage,
        }
    }
}

/// ISO 8601 in UTC, to the millisecond, of Unix ms.
fn iso(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// One status report read as Statuspage's API.
#[derive(Debug, Clone)]
pub struct StatuspageView {
    report: Arc<StatusReport>,
    site: PageSite,
    page: Page,
    components: Vec<Component>,
}

impl StatuspageView {
    /// `report` as the page `site`.
    pub fn new(report: Arc<StatusReport>, site: &PageSite) -> Self {
        let page = Page {
            id: PAGE_ID.to_owned(),
            name: site.name.clone(),
            url: site.url(&porthole_model::Route::Status),
            time_zone: "Etc/UTC".to_owned(),
            updated_at: iso(report.generated_at),
        };
        let components = components(&report, &page);
        Self {
            report,
            site: site.clone(),
            page,
            components,
        }
    }

    /// The page.
    pub fn page(&self) -> Page {
        self.page.clone()
    }

    /// Every component: each group, then its services.
    pub fn components(&self) -> Vec<Component> {
        self.components.clone()
    }

    /// The overall indicator: the worse of the checks' verdict and the
    /// active incidents' impact; maintenance when nothing is wrong and a
    /// window runs.
    pub fn status(&self) -> Status {
        let checks = match self.report.summary.level {
            OverallLevel::MajorOutage => Health::MajorOutage,
            OverallLevel::PartialOutage => Health::PartialOutage,
            OverallLevel::Degraded => Health::Degraded,
            OverallLevel::Operational | OverallLevel::NoData => Health::Operational,
        };
        let worst = self
            .report
            .notices
            .active
            .iter()
            .map(|incident| Health::of_impact(incident.impact))
            .fold(checks, Health::max);
        let in_maintenance =
            self.report.notices.maintenance.iter().any(|window| {
                window.phase(self.report.generated_at) == MaintenancePhase::InProgress
            });
        let (indicator, description) = match worst {
            Health::Operational if in_maintenance => ("maintenance", "Service Under Maintenance"),
            Health::Operational => ("none", "All Systems Operational"),
            Health::Degraded => ("minor", "Minor Service Outage"),
            Health::PartialOutage => ("major", "Partial System Outage"),
            Health::MajorOutage => ("critical", "Major System Outage"),
        };
        Status {
            indicator: indicator.to_owned(),
            description: description.to_owned(),
        }
    }

    /// The components `ids` name, in the page's order.
    fn named(&self, ids: &[&str]) -> Vec<Component> {
        self.components
            .iter()
            .filter(|c| !c.group && ids.contains(&c.id.as_str()))
            .cloned()
            .collect()
    }

    /// A written incident.
    pub fn incident(&self, incident: &WrittenIncident) -> Incident {
        let id = incident.id.to_string();
        let count = incident.updates.len();
        let updates = incident
            .updates
            .iter()
            .enumerate()
            .map(|(index, update)| IncidentUpdate {
                id: format!("{id}-{}", count - index),
                status: update.status.as_str().to_owned(),
                body: update.message.clone(),
                incident_id: id.clone(),
                created_at: iso(update.at),
                updated_at: iso(update.at),
                display_at: iso(update.at),
                affected_components: None,
                deliver_notifications: true,
                custom_tweet: None,
                tweet_id: None,
            })
            .collect();
        let monitoring_at = incident
            .updates
            .iter()
            .rev()
            .find(|update| update.status == IncidentState::Monitoring)
            .map(|update| iso(update.at));
        let services: Vec<&str> = incident.services.iter().map(|s| s.id.as_str()).collect();
        Incident {
            name: incident.title.clone(),
            status: incident.status.as_str().to_owned(),
            created_at: iso(incident.created_at),
            updated_at: iso(incident.updated_at),
            monitoring_at,
            resolved_at: incident.resolved_at.map(iso),
            impact: incident.impact.as_str().to_owned(),
            shortlink: self.notice_url(incident.id),
            started_at: iso(incident.created_at),
            page_id: PAGE_ID.to_owned(),
            incident_updates: updates,
            components: self.named(&services),
            scheduled_for: None,
            scheduled_until: None,
            id,
        }
    }

    /// A maintenance window, as it stands at the report's time.
    pub fn maintenance(&self, window: &Maintenance) -> Incident {
        let id = window.id.to_string();
        let status = match window.phase(self.report.generated_at) {
            MaintenancePhase::Scheduled => "scheduled",
            MaintenancePhase::InProgress => "in_progress",
            MaintenancePhase::Completed => "completed",
        };
        let services: Vec<&str> = window.services.iter().map(|s| s.id.as_str()).collect();
        Incident {
            name: window.title.clone(),
            status: status.to_owned(),
            created_at: iso(window.created_at),
            updated_at: iso(window.updated_at),
            monitoring_at: None,
            resolved_at: (status == "completed").then(|| iso(window.ends_at)),
            impact: "maintenance".to_owned(),
            shortlink: self.notice_url(window.id),
            started_at: iso(window.starts_at),
            page_id: PAGE_ID.to_owned(),
            incident_updates: vec![IncidentUpdate {
                id: format!("{id}-1"),
                status: status.to_owned(),
                body: window.message.clone(),
                incident_id: id.clone(),
                created_at: iso(window.created_at),
                updated_at: iso(window.updated_at),
                display_at: iso(window.created_at),
                affected_components: None,
                deliver_notifications: true,
                custom_tweet: None,
                tweet_id: None,
            }],
            components: self.named(&services),
            scheduled_for: Some(iso(window.starts_at)),
            scheduled_until: Some(iso(window.ends_at)),
            id,
        }
    }

    /// `/api/v2/summary.json`: components, unresolved incidents, and
    /// maintenance announced or under way.
    pub fn summary(&self) -> Summary {
        Summary {
            page: self.page(),
            components: self.components(),
            incidents: self.unresolved(),
            scheduled_maintenances: self
                .maintenance_where(|phase| phase != MaintenancePhase::Completed),
            status: self.status(),
        }
    }

    /// The incidents not yet resolved, newest first.
    pub fn unresolved(&self) -> Vec<Incident> {
        self.report
            .notices
            .active
            .iter()
            .map(|incident| self.incident(incident))
            .collect()
    }

    /// The maintenance not over whose phase passes `keep`, soonest first.
    pub fn maintenance_where(&self, keep: impl Fn(MaintenancePhase) -> bool) -> Vec<Incident> {
        self.report
            .notices
            .maintenance
            .iter()
            .filter(|window| keep(window.phase(self.report.generated_at)))
            .map(|window| self.maintenance(window))
            .collect()
    }

    /// A notice's page, beside the status page.
    fn notice_url(&self, id: u64) -> String {
        self.site.url(&porthole_model::Route::StatusIncident {
            id: porthole_model::NoticeId::new(id),
        })
    }
}

/// Each group of `report` as a group component followed by its services.
fn components(report: &StatusReport, page: &Page) -> Vec<Component> {
    let updated_at = iso(report.generated_at);
    let component = |id: String, name: &str, status: &str, position: u32| Component {
        id,
        name: name.to_owned(),
        status: status.to_owned(),
        created_at: updated_at.clone(),
        updated_at: updated_at.clone(),
        position,
        description: None,
        showcase: true,
        start_date: None,
        group_id: None,
        page_id: page.id.clone(),
        group: false,
        only_show_if_degraded: false,
        components: None,
    };
    let mut all = Vec::new();
    let mut position = 0;
    for (index, group) in report.groups.iter().enumerate() {
        let group_id = format!("group-{}", index + 1);
        position += 1;
        let group_at = all.len();
        all.push(Component {
            group: true,
            components: Some(group.services.iter().map(|s| s.id.clone()).collect()),
            ..component(group_id.clone(), &group.name, "operational", position)
        });
        let mut statuses = Vec::new();
        for service in &group.services {
            position += 1;
            let status = service_status(report, &service.id, service.state);
            statuses.push(status);
            all.push(Component {
                group_id: Some(group_id.clone()),
                ..component(service.id.clone(), &service.name, status, position)
            });
        }
        all[group_at].status = group_status(&statuses).to_owned();
    }
    all
}

/// A service's component status.
fn service_status(report: &StatusReport, id: &str, state: ServiceState) -> &'static str {
    let worst = report
        .notices
        .active
        .iter()
        .filter(|incident| incident.services.iter().any(|s| s.id == id))
        .map(|incident| Health::of_impact(incident.impact))
        .fold(Health::of_state(state), Health::max);
    if worst == Health::Operational && state == ServiceState::Maintenance {
        "under_maintenance"
    } else {
        worst.as_str()
    }
}

/// A group's status: its worst service's; under maintenance when all are.
fn group_status(statuses: &[&'static str]) -> &'static str {
    if !statuses.is_empty() && statuses.iter().all(|s| *s == "under_maintenance") {
        return "under_maintenance";
    }
    [Health::MajorOutage, Health::PartialOutage, Health::Degraded]
        .into_iter()
        .find(|health| statuses.contains(&health.as_str()))
        .unwrap_or(Health::Operational)
        .as_str()
}
