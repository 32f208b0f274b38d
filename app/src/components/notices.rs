//! What operators wrote, as `/status` and its incident and history pages
//! show it: active incidents with their latest update, maintenance ahead or
//! under way, and timelines. Messages arrive rendered and sanitized by the
//! server (Markdown without raw HTML), so they are set as inner HTML.

use leptos::prelude::*;
use porthole_model::{NoticeId, Route};

use crate::{
    calendar::format_instant,
    model::{HistoryEntry, Incident, Maintenance, MaintenancePhase, NoticeUpdate, WrittenIncident},
    words::named,
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

/// "Major impact · Public API, Website", as one text, in the page's
/// language (the services' names as the operator wrote them).
pub fn impact_and_services(incident: &WrittenIncident) -> String {
    let impact = named("impact", incident.impact.as_str());
    if incident.services.is_empty() {
        impact
    } else {
        format!("{impact} · {}", incident.service_names())
    }
}

/// A duration (in ms) in brief, in the page's language: "45s", "12m",
/// "3h 20m", "2d 4h" in English (what `model::duration_words` writes).
pub fn duration(ms: i64) -> String {
    let seconds = ms.max(0) / 1000;
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => crate::tr!("notices-duration-seconds", seconds = seconds),
        (0, 0, m) => crate::tr!("notices-duration-minutes", minutes = m),
        (0, h, m) => crate::tr!("notices-duration-hours", hours = h, minutes = m),
        (d, h, _) => crate::tr!("notices-duration-days", days = d, hours = h),
    }
}

/// A time in the viewer's zone, with its instant for machines.
fn time(ms: i64) -> impl IntoView {
    let seconds = ms.div_euclid(1000);
    view! {
        <time datetime=format_instant(seconds)>{crate::page_view::timestamp(seconds)}</time>
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
            <section class="active-incidents" aria-label=crate::tr!("notices-active-label")>
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
        let heading = crate::tr!("notices-maintenance-heading");
        let label = heading.clone();
        view! {
            <section class="maintenance-list" aria-label=label>
                <h2>{heading}</h2>
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
        MaintenancePhase::Scheduled => crate::tr!("notices-scheduled-for"),
        MaintenancePhase::InProgress => crate::tr!("notices-in-progress-since"),
        MaintenancePhase::Completed => crate::tr!("notices-took-place"),
    };
    // The space before the window's start, which a message cannot end in.
    let when = format!("{when} ");
    view! {
        <article class=format!("maintenance {}", phase.as_str())>
            <h3>
                <a href=notice_href(window.id)>{window.title.clone()}</a>
            </h3>
            <p class="notice-meta">
                <span class=format!("tag {}", phase.as_str())>
                    {named("maintenance-state", phase.as_str())}
                </span>
                " " {window.service_names()}
            </p>
            <p class="window">
                {when} {time(window.starts_at)} " – " {time(window.ends_at)}
                {format!(" ({})", duration(window.ends_at - window.starts_at))}
            </p>
            <div class="notice-body" inner_html=window.html.clone()></div>
            <p class="window-note">{crate::tr!("notices-window-note")}</p>
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
                <strong>{named("incident-state", update.status.as_str())}</strong>
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
        crate::model::Reporter::Operator => crate::tr!("notices-reported"),
        crate::model::Reporter::Alertmanager => crate::tr!("notices-reported-by-alert"),
    };
    let span = match incident.resolved_at {
        Some(end) => crate::tr!(
            "notices-resolved-after",
            duration = duration(end - incident.created_at)
        ),
        None => named("incident-state", incident.status.as_str()),
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
    let lasted = duration(end - incident.started_at);
    let span = match incident.ended_at {
        Some(_) => crate::tr!("notices-lasted", duration = lasted),
        None => crate::tr!("notices-ongoing-for", duration = lasted),
    };
    let failing = crate::tr!("notices-failing", services = incident.services.join(", "));
    view! {
        <li class="history-item detected" class:ongoing=incident.ended_at.is_none()>
            <h3>{failing}</h3>
            <p class="notice-meta">
                <span class="tag detected">{crate::tr!("notices-detected")}</span>
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
    #[prop(into)]
    empty: String,
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::duration;
    use crate::{model::duration_words, words::in_language};

    #[test]
    fn durations_read_as_the_model_wrote_them_in_english() {
        for ms in [0, 45_000, 12 * 60_000, 200 * 60_000, 52 * 3_600_000, -5] {
            assert_eq!(in_language("en", || duration(ms)), duration_words(ms));
        }
        assert_eq!(
            in_language("de", || duration(200 * 60_000)),
            "3 Std. 20 Min."
        );
    }
}
