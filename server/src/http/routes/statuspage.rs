//! The Statuspage-compatible API under `/api/v2` (see `crate::statuspage`):
//! the same answers as Atlassian Statuspage's public API, so widgets and
//! integrations written for it work by changing only the URL. Readable
//! from other origins like every JSON API.

use app::model::MaintenancePhase;
use axum::{
    Json, Router,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Serialize;

use app::model::statuspage::{Components, Incidents, ScheduledMaintenances, StatusAnswer};

use super::status::report;
use crate::{
    http::{
        cache_headers,
        error::ApiError,
        public_url::PublicUrl,
        state::{AppState, StatusApi},
    },
    notices::{
        store::NoticeKind,
        view::{NoticeView, ServiceNames, view},
    },
    statuspage::{PageSite, StatuspageView},
};

/// Incidents and maintenance listed by the full lists, newest first.
const LIST_LIMIT: u64 = 50;

/// How long clients may keep an answer, in seconds (as `/api/status`).
const MAX_AGE: u64 = 5;

/// The `/api/v2` routes, relative to `/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v2/summary.json", get(summary))
        .route("/v2/status.json", get(status))
        .route("/v2/components.json", get(components))
        .route("/v2/incidents.json", get(incidents))
        .route("/v2/incidents/unresolved.json", get(unresolved))
        .route("/v2/scheduled-maintenances.json", get(maintenances))
        .route("/v2/scheduled-maintenances/upcoming.json", get(upcoming))
        .route("/v2/scheduled-maintenances/active.json", get(active))
}

fn answer(body: impl Serialize) -> Response {
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, cache_headers::public(MAX_AGE));
    response
}

/// The status page, for the answers' `page`: named by the operator's
/// brand.
fn site(state: &StatusApi, public_url: Option<String>) -> PageSite {
    PageSite {
        name: state.brand.brand().title.clone(),
        public_url: app::site::PublicUrl(public_url),
    }
}

/// The status report now, read as Statuspage's API for this request.
async fn page_view(
    state: &StatusApi,
    public_url: Option<String>,
) -> Result<StatuspageView, ApiError> {
    Ok(StatuspageView::new(
        report(state).await?,
        &site(state, public_url),
    ))
}

async fn summary(
    State(state): State<StatusApi>,
    PublicUrl(public_url): PublicUrl,
) -> Result<Response, ApiError> {
    Ok(answer(page_view(&state, public_url).await?.summary()))
}

async fn status(
    State(state): State<StatusApi>,
    PublicUrl(public_url): PublicUrl,
) -> Result<Response, ApiError> {
    let page = page_view(&state, public_url).await?;
    Ok(answer(StatusAnswer {
        page: page.page(),
        status: page.status(),
    }))
}

async fn components(
    State(state): State<StatusApi>,
    PublicUrl(public_url): PublicUrl,
) -> Result<Response, ApiError> {
    let page = page_view(&state, public_url).await?;
    Ok(answer(Components {
        page: page.page(),
        components: page.components(),
    }))
}

/// The newest notices of `kind`, as visitors read them.
async fn latest(state: &StatusApi, kind: NoticeKind) -> Result<Vec<NoticeView>, ApiError> {
    let names = ServiceNames::of(&state.sources.services());
    let stored = state.status.notices().latest(kind, LIST_LIMIT).await?;
    Ok(stored.iter().map(|notice| view(notice, &names)).collect())
}

async fn incidents(
    State(state): State<StatusApi>,
    PublicUrl(public_url): PublicUrl,
) -> Result<Response, ApiError> {
    let page = page_view(&state, public_url).await?;
    let incidents = latest(&state, NoticeKind::Incident)
        .await?
        .iter()
        .filter_map(|notice| match notice {
            NoticeView::Incident(incident) => Some(page.incident(incident)),
            NoticeView::Maintenance(_) => None,
        })
        .collect();
    Ok(answer(Incidents {
        page: page.page(),
        incidents,
    }))
}

async fn unresolved(
    State(state): State<StatusApi>,
    PublicUrl(public_url): PublicUrl,
) -> Result<Response, ApiError> {
    let page = page_view(&state, public_url).await?;
    Ok(answer(Incidents {
        page: page.page(),
        incidents: page.unresolved(),
    }))
}

async fn maintenances(
    State(state): State<StatusApi>,
    PublicUrl(public_url): PublicUrl,
) -> Result<Response, ApiError> {
    let page = page_view(&state, public_url).await?;
    let scheduled_maintenances = latest(&state, NoticeKind::Maintenance)
        .await?
        .iter()
        .filter_map(|notice| match notice {
            NoticeView::Maintenance(window) => Some(page.maintenance(window)),
            NoticeView::Incident(_) => None,
        })
        .collect();
    Ok(answer(ScheduledMaintenances {
        page: page.page(),
        scheduled_maintenances,
    }))
}

async fn in_phase(
    state: &StatusApi,
    public_url: Option<String>,
    phase: MaintenancePhase,
) -> Result<Response, ApiError> {
    let page = page_view(state, public_url).await?;
    Ok(answer(ScheduledMaintenances {
        page: page.page(),
        scheduled_maintenances: page.maintenance_where(|p| p == phase),
    }))
}

async fn upcoming(
    State(state): State<StatusApi>,
    PublicUrl(public_url): PublicUrl,
) -> Result<Response, ApiError> {
    in_phase(&state, public_url, MaintenancePhase::Scheduled).await
}

async fn active(
    State(state): State<StatusApi>,
    PublicUrl(public_url): PublicUrl,
) -> Result<Response, ApiError> {
    in_phase(&state, public_url, MaintenancePhase::InProgress).await
}
