//! The notices API under `/api/v1`: incidents (`/incidents`, with
//! `/{id}/updates` and `/{id}/resolve`) and scheduled maintenance
//! (`/maintenance`). Reading is public, as `/status` shows the same;
//! writing needs the admin token. Every refusal is a JSON error that says
//! what and why, and changes nothing.

use app::model::{Maintenance, Reporter, WrittenIncident};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::Utc;
use porthole_model::NoticeId;
use serde::{Serialize, de::DeserializeOwned};

use crate::{
    http::{
        admin_token::Admin,
        error::ApiError,
        extract::{ApiJson, ApiPath, JSON_BODY_LIMIT},
        state::StatusApi,
    },
    notices::{
        alertmanager::{self as alerts, DeliveryError, Payload},
        requests::{Checker, Edit, NewIncident, NewMaintenance, NewUpdate, Refusal, Resolution},
        store::{ChangeError, NoticeKind, StoredNotice},
        view::{NoticeView, ServiceNames, view},
    },
    webhooks::Event,
};

/// Notices listed by `GET` at most.
const LIST_LIMIT: u64 = 100;

/// The notices routes, relative to `/api`.
pub fn router() -> Router<crate::http::state::AppState> {
    Router::new()
        .route("/v1/incidents", get(list_incidents).post(open_incident))
        .route(
            "/v1/incidents/{id}",
            get(incident).patch(edit_incident).delete(delete_incident),
        )
        .route("/v1/incidents/{id}/updates", post(add_update))
        .route("/v1/incidents/{id}/resolve", post(resolve))
        .route("/v1/maintenance", get(list_maintenance).post(announce))
        .route(
            "/v1/maintenance/{id}",
            get(maintenance)
                .patch(edit_maintenance)
                .delete(delete_maintenance),
        )
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        // Alertmanager groups many alerts into one delivery.
        .route(
            "/v1/alertmanager",
            post(alertmanager).layer(DefaultBodyLimit::max(ALERTMANAGER_BODY_LIMIT)),
        )
}

/// The largest Alertmanager delivery accepted.
const ALERTMANAGER_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// `POST /api/v1/alertmanager`: Alertmanager's webhook (see
/// `notices::alertmanager`), with the admin token as its bearer
/// credentials.
async fn alertmanager(
    _: Admin,
    State(state): State<StatusApi>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let payload: Payload = serde_json::from_slice(&body).map_err(|error| {
        ApiError::BadRequest(format!(
            "the body is not an Alertmanager webhook payload: {error}"
        ))
    })?;
    alerts::check(&payload)?;
    let services = state.sources.services();
    let outcome = alerts::apply(
        state.status.notices(),
        &services,
        payload,
        Utc::now().naive_utc(),
    )
    .await?;
    if !outcome.changed.is_empty() {
        state.status.invalidate();
    }
    let names = names(&state);
    for (notice, created) in &outcome.changed {
        state
            .events
            .enqueue_or_log(&event_of(&view(notice, &names), *created))
            .await;
    }
    Ok(Json(outcome).into_response())
}

impl From<DeliveryError> for ApiError {
    fn from(error: DeliveryError) -> Self {
        match error {
            DeliveryError::Invalid(message) => ApiError::BadRequest(message),
            DeliveryError::Db(error) => error.into(),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Invalid(message) => ApiError::BadRequest(message),
            Refusal::Conflict(message) => ApiError::Conflict(message),
            too_long @ Refusal::TooLong(_) => ApiError::PayloadTooLarge(too_long.to_string()),
        }
    }
}

impl From<ChangeError<Refusal>> for ApiError {
    fn from(error: ChangeError<Refusal>) -> Self {
        match error {
            ChangeError::NotFound => not_found(),
            ChangeError::Refused(refusal) => refusal.into(),
            ChangeError::Db(error) => error.into(),
        }
    }
}

fn not_found() -> ApiError {
    ApiError::NotFound("no incident or maintenance has this id".to_owned())
}

/// The id in a path, in its one spelling; any other is nothing.
fn notice_id(text: &str) -> Result<u64, ApiError> {
    NoticeId::parse(text)
        .map(NoticeId::get)
        .ok_or_else(not_found)
}

/// What the configured services are, as requests are checked against.
fn service_ids(state: &StatusApi) -> Vec<String> {
    state
        .sources
        .services()
        .iter()
        .map(|s| s.id.clone())
        .collect()
}

fn names(state: &StatusApi) -> ServiceNames {
    ServiceNames::of(&state.sources.services())
}

/// A JSON body that may be left out (`{}` then).
fn optional_body<T: DeserializeOwned + Default>(body: &Bytes) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|error| ApiError::BadRequest(format!("the request body is not valid: {error}")))
}

#[derive(Serialize)]
struct IncidentList {
    incidents: Vec<WrittenIncident>,
}

#[derive(Serialize)]
struct MaintenanceList {
    maintenance: Vec<Maintenance>,
}

async fn listed(state: &StatusApi, kind: NoticeKind) -> Result<Vec<NoticeView>, ApiError> {
    let names = names(state);
    let stored = state.status.notices().latest(kind, LIST_LIMIT).await?;
    Ok(stored.iter().map(|n| view(n, &names)).collect())
}

async fn list_incidents(State(state): State<StatusApi>) -> Result<Response, ApiError> {
    let incidents = listed(&state, NoticeKind::Incident)
        .await?
        .into_iter()
        .filter_map(|v| match v {
            NoticeView::Incident(incident) => Some(incident),
            NoticeView::Maintenance(_) => None,
        })
        .collect();
    Ok(Json(IncidentList { incidents }).into_response())
}

async fn list_maintenance(State(state): State<StatusApi>) -> Result<Response, ApiError> {
    let maintenance = listed(&state, NoticeKind::Maintenance)
        .await?
        .into_iter()
        .filter_map(|v| match v {
            NoticeView::Maintenance(window) => Some(window),
            NoticeView::Incident(_) => None,
        })
        .collect();
    Ok(Json(MaintenanceList { maintenance }).into_response())
}

/// Notice `id` of `kind`, as visitors read it.
async fn found(state: &StatusApi, id: &str, kind: NoticeKind) -> Result<StoredNotice, ApiError> {
    let id = notice_id(id)?;
    state
        .status
        .notices()
        .get(id)
        .await?
        .filter(|n| n.kind == kind)
        .ok_or_else(not_found)
}

/// The answer for a written notice: its view; the status report is made
/// afresh so `/status` shows it at once, and webhooks are told.
async fn written(state: &StatusApi, status: StatusCode, notice: &StoredNotice) -> Response {
    written_as(state, status, notice, false).await
}

/// [`written`], saying whether the notice was just `created`.
async fn written_as(
    state: &StatusApi,
    status: StatusCode,
    notice: &StoredNotice,
    created: bool,
) -> Response {
    state.status.invalidate();
    let shown = view(notice, &names(state));
    state
        .events
        .enqueue_or_log(&event_of(&shown, created))
        .await;
    respond(status, shown)
}

/// The webhook event of a notice just written (`created`: it is new).
pub fn event_of(notice: &NoticeView, created: bool) -> Event {
    match notice {
        NoticeView::Incident(incident) => Event::incident(incident, created),
        NoticeView::Maintenance(window) => Event::maintenance_scheduled(window),
    }
}

/// `notice` as visitors read it.
fn answer(state: &StatusApi, status: StatusCode, notice: &StoredNotice) -> Response {
    respond(status, view(notice, &names(state)))
}

fn respond(status: StatusCode, notice: NoticeView) -> Response {
    match notice {
        NoticeView::Incident(incident) => (status, Json(incident)).into_response(),
        NoticeView::Maintenance(window) => (status, Json(window)).into_response(),
    }
}

async fn incident(
    State(state): State<StatusApi>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let notice = found(&state, &id, NoticeKind::Incident).await?;
    Ok(answer(&state, StatusCode::OK, &notice))
}

async fn maintenance(
    State(state): State<StatusApi>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let notice = found(&state, &id, NoticeKind::Maintenance).await?;
    Ok(answer(&state, StatusCode::OK, &notice))
}

async fn open_incident(
    _: Admin,
    State(state): State<StatusApi>,
    ApiJson(request): ApiJson<NewIncident>,
) -> Result<Response, ApiError> {
    let services = service_ids(&state);
    let checker = Checker {
        services: &services,
        now: Utc::now().naive_utc(),
    };
    let notice = checker.new_incident(request, Reporter::Operator, None)?;
    let id = state.status.notices().insert(notice.clone()).await?;
    Ok(written_as(
        &state,
        StatusCode::CREATED,
        &StoredNotice { id, ..notice },
        true,
    )
    .await)
}

async fn announce(
    _: Admin,
    State(state): State<StatusApi>,
    ApiJson(request): ApiJson<NewMaintenance>,
) -> Result<Response, ApiError> {
    let services = service_ids(&state);
    let checker = Checker {
        services: &services,
        now: Utc::now().naive_utc(),
    };
    let notice = checker.new_maintenance(request)?;
    let id = state.status.notices().insert(notice.clone()).await?;
    Ok(written_as(
        &state,
        StatusCode::CREATED,
        &StoredNotice { id, ..notice },
        true,
    )
    .await)
}

/// Applies `change` to notice `id` of `kind`, checked against the services
/// configured now.
async fn change(
    state: &StatusApi,
    id: &str,
    kind: NoticeKind,
    change: impl FnOnce(&Checker<'_>, &mut StoredNotice) -> Result<(), Refusal> + Send + 'static,
) -> Result<StoredNotice, ApiError> {
    let id = notice_id(id)?;
    let services = service_ids(state);
    let now = Utc::now().naive_utc();
    let changed = state
        .status
        .notices()
        .modify(id, move |notice| {
            if notice.kind != kind {
                return Err(Refusal::Invalid(match kind {
                    NoticeKind::Incident => {
                        "this id is a maintenance window; use /api/v1/maintenance/{id}".to_owned()
                    }
                    NoticeKind::Maintenance => {
                        "this id is an incident; use /api/v1/incidents/{id}".to_owned()
                    }
                }));
            }
            change(
                &Checker {
                    services: &services,
                    now,
                },
                notice,
            )
        })
        .await?;
    Ok(changed)
}

async fn add_update(
    _: Admin,
    State(state): State<StatusApi>,
    ApiPath(id): ApiPath<String>,
    ApiJson(update): ApiJson<NewUpdate>,
) -> Result<Response, ApiError> {
    let notice = change(&state, &id, NoticeKind::Incident, move |checker, notice| {
        checker.update(notice, update)
    })
    .await?;
    Ok(written(&state, StatusCode::CREATED, &notice).await)
}

async fn resolve(
    _: Admin,
    State(state): State<StatusApi>,
    ApiPath(id): ApiPath<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let resolution: Resolution = optional_body(&body)?;
    let notice = change(&state, &id, NoticeKind::Incident, move |checker, notice| {
        checker.resolve(notice, resolution)
    })
    .await?;
    Ok(written(&state, StatusCode::OK, &notice).await)
}

async fn edit_incident(
    _: Admin,
    State(state): State<StatusApi>,
    ApiPath(id): ApiPath<String>,
    ApiJson(edit): ApiJson<Edit>,
) -> Result<Response, ApiError> {
    let notice = change(&state, &id, NoticeKind::Incident, move |checker, notice| {
        checker.edit(notice, edit)
    })
    .await?;
    Ok(written(&state, StatusCode::OK, &notice).await)
}

async fn edit_maintenance(
    _: Admin,
    State(state): State<StatusApi>,
    ApiPath(id): ApiPath<String>,
    ApiJson(edit): ApiJson<Edit>,
) -> Result<Response, ApiError> {
    let notice = change(
        &state,
        &id,
        NoticeKind::Maintenance,
        move |checker, notice| checker.edit(notice, edit),
    )
    .await?;
    Ok(written(&state, StatusCode::OK, &notice).await)
}

async fn delete_incident(
    admin: Admin,
    State(state): State<StatusApi>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    delete(admin, &state, &id, NoticeKind::Incident).await
}

async fn delete_maintenance(
    admin: Admin,
    State(state): State<StatusApi>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    delete(admin, &state, &id, NoticeKind::Maintenance).await
}

async fn delete(
    _: Admin,
    state: &StatusApi,
    id: &str,
    kind: NoticeKind,
) -> Result<StatusCode, ApiError> {
    let notice = found(state, id, kind).await?;
    if !state.status.notices().delete(notice.id).await? {
        return Err(not_found());
    }
    state.status.invalidate();
    Ok(StatusCode::NO_CONTENT)
}
