//! What operators wrote, as `/status` and its incident and history pages
//! show it: active incidents with their latest update, maintenance ahead or
//! under way, and timelines. Messages arrive rendered and sanitized by the
//! server (Markdown without raw HTML), so they are set as inner HTML.

use leptos::prelude::*;
use porthole_model::{NoticeId, Route};

use crate::{
    calendar::format_instant,
    model::{
        HistoryEntry, Incident, Maintenance, MaintenancePhase, NoticeUpdate, WrittenIncident,
        duration_words,
    },
};

/// The page of notice `id`.
fn notice_href(id: u64) -> String {
    crate::page_view::carry(
        &Route::StatusIncident {
            id: NoticeId::new(id),
        }
        .href(),
    )
}

/// "Major impact · Public API, Website", as one text.
pub fn impact_and_services(incident: &WrittenIncident) -> String {
    if incident.services.is_empty() {
        incident.impact.label().to_owned()
    } else {
        format!("{} · {}", incident.impact.label(), incident.service_names())
    }
}

/// A time in the viewer's zone, with its instant for machines.
fn time(ms: i64) -> impl IntoView {
    let seconds = ms.div_euclid(1000);
    view! {
        <time datetime=format_instant(seconds)>
            {crate::page_view::page_zone().format_timestamp(seconds)}
        </time>
    }
}

/// The incidents not yet resolved, each with its latest update, above the
/// banner: what visitors came to read.
#[component]
pub fn ActiveIncidents(
    /// The unresolved incidents, newest first.
    incidents: Vec<WrittenIncident>,
) -> impl IntoView {
    (!incidents.is_empty()).then(|| {
        view! {
            <section class="active-incidents" aria-label="Active incidents">
                {incidents
                    .into_iter()
                    .map(|incident| {
                        let latest = incident.latest().cloned();
                        view! {
                            <article class=format!("active-incident impact-{}", incident.impact.as_str())>
                                <h2>
                                    <a href=notice_href(incident.id)>{incident.title.clone()}</a>
                                </h2>
                                <p class="notice-meta">
                                    {impact_and_services(&incident)}
                                </p>
                                {latest.map(|update| view! { <Update update /> })}
                            </article>
                        }
                    })
                    .collect_view()}
            </section>
        }
    })
}

/// Maintenance under way, then announced, soonest first.
#[component]
pub fn UpcomingMaintenance(
    /// The windows, soonest first.
    windows: Vec<Maintenance>,
    /// The time the page was made (Unix ms).
    now: i64,
) -> impl IntoView {
    (!windows.is_empty()).then(|| {
        view! {
            <section class="maintenance-list" aria-label="Scheduled maintenance">
                <h2>"Scheduled maintenance"</h2>
                {windows
                    .into_iter()
                    .map(|window| view! { <MaintenanceCard window now /> })
                    .collect_view()}
            </section>
        }
    })
}

/// One maintenance window: when, what, where it stands.
#[component]
pub fn MaintenanceCard(
    /// The window.
    window: Maintenance,
    /// The time the page was made (Unix ms).
    now: i64,
) -> impl IntoView {
    let phase = window.phase(now);
    let when = match phase {
        MaintenancePhase::Scheduled => "Scheduled for ",
        MaintenancePhase::InProgress => "Under maintenance since ",
        MaintenancePhase::Completed => "Took place ",
    };
    view! {
        <article class=format!("maintenance {}", phase.as_str())>
            <h3>
                <a href=notice_href(window.id)>{window.title.clone()}</a>
            </h3>
            <p class="notice-meta">
                <span class=format!("tag {}", phase.as_str())>{phase.label()}</span>
                " " {window.service_names()}
            </p>
            <p class="window">
                {when} {time(window.starts_at)} " – " {time(window.ends_at)}
                {format!(" ({})", duration_words(window.ends_at - window.starts_at))}
            </p>
            <div class="notice-body" inner_html=window.html.clone()></div>
            <p class="window-note">
                "Checks of these services during the window do not count against uptime."
            </p>
        </article>
    }
}

/// One update of a timeline.
#[component]
pub fn Update(
    /// The update.
    update: NoticeUpdate,
) -> impl IntoView {
    view! {
        <div class=format!("update {}", update.status.as_str())>
            <p class="update-head">
                <strong>{update.status.label()}</strong>
                " · "
                {time(update.at)}
            </p>
            <div class="notice-body" inner_html=update.html></div>
        </div>
    }
}

/// An incident's whole timeline, newest first.
#[component]
pub fn Timeline(
    /// The updates, newest first.
    updates: Vec<NoticeUpdate>,
) -> impl IntoView {
    view! {
        <ol class="timeline">
            {updates
                .into_iter()
                .map(|update| view! { <li><Update update /></li> })
                .collect_view()}
        </ol>
    }
}

/// One entry of a list of incidents and maintenance, marked for what it
/// is: reported by an operator (or Alertmanager), detected by checks, or
/// maintenance.
#[component]
pub fn HistoryItem(
    /// The entry.
    entry: HistoryEntry,
    /// The time the page was made (Unix ms).
    now: i64,
) -> impl IntoView {
    match entry {
        HistoryEntry::Reported(incident) => view! { <ReportedItem incident /> }.into_any(),
        HistoryEntry::Detected(incident) => view! { <DetectedItem incident now /> }.into_any(),
        HistoryEntry::Maintenance(window) => view! {
            <li class="history-item">
                <MaintenanceCard window now />
            </li>
        }
        .into_any(),
    }
}

#[component]
fn ReportedItem(incident: WrittenIncident) -> impl IntoView {
    let reporter = match incident.reporter {
        crate::model::Reporter::Operator => "Reported",
        crate::model::Reporter::Alertmanager => "Reported by an alert",
    };
    let span = match incident.resolved_at {
        Some(end) => format!(
            "resolved after {}",
            duration_words(end - incident.created_at)
        ),
        None => incident.status.label().to_owned(),
    };
    let latest = incident.latest().cloned();
    view! {
        <li class=format!("history-item reported impact-{}", incident.impact.as_str())>
            <h3>
                <a href=notice_href(incident.id)>{incident.title.clone()}</a>
            </h3>
            <p class="notice-meta">
                <span class="tag reported">{reporter}</span>
                " " {impact_and_services(&incident)}
            </p>
            <p class="window">{time(incident.created_at)} " · " {span}</p>
            {latest.map(|update| view! { <Update update /> })}
        </li>
    }
}

#[component]
fn DetectedItem(incident: Incident, now: i64) -> impl IntoView {
    let end = incident.ended_at.unwrap_or(now);
    let span = match incident.ended_at {
        Some(_) => format!("lasted {}", duration_words(end - incident.started_at)),
        None => format!("ongoing for {}", duration_words(end - incident.started_at)),
    };
    view! {
        <li class="history-item detected" class:ongoing=incident.ended_at.is_none()>
            <h3>{format!("{} failing", incident.services.join(", "))}</h3>
            <p class="notice-meta">
                <span class="tag detected">"Detected by checks"</span>
            </p>
            <p class="window">{time(incident.started_at)} " · " {span}</p>
        </li>
    }
}

/// A list of entries, newest first, or what to say when there are none.
#[component]
pub fn History(
    /// The entries, newest first.
    entries: Vec<HistoryEntry>,
    /// The time the page was made (Unix ms).
    now: i64,
    /// What to say when there are none.
    empty: &'static str,
) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="panel-state">{empty}</p> }.into_any();
    }
    view! {
        <ol class="history">
            {entries
                .into_iter()
                .map(|entry| view! { <HistoryItem entry now /> })
                .collect_view()}
        </ol>
    }
    .into_any()
}
