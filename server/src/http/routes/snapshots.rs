//! `/api/snapshots`: take a snapshot of a dashboard view (`POST`), read
//! one (`GET /api/snapshots/{id}`) and revoke one (`DELETE`, admin).
//!
//! Taking one needs the admin token unless `[sharing] public_snapshots`
//! is on, and then each address is rate limited. A private dashboard also
//! needs its signed link's token. The Share dialog posts a plain form and
//! is sent to the snapshot's page; API clients post JSON and get `201`.

use app::model::{PanelQuery, Snapshot, SnapshotPanel, Span, TimeRange};
use axum::{
    Form, Json, Router,
    extract::{DefaultBodyLimit, FromRequest, Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::{
    http::admin_token::{Admin, MaybeAdmin},
    http::error::ApiError,
    http::extract::ApiPath,
    http::limits,
    http::public_url::PublicUrl,
    http::state::AppState,
    panels::Admission,
    views::{Lookup, ViewStore, new_id},
};

/// The longest a visitor's snapshot is kept (30 days), whatever it asks.
const VISITOR_KEPT_SECONDS: i64 = 30 * 86_400;

/// The most unexpired snapshots kept before visitors may take no more.
const VISITOR_CAP: u64 = 10_000;

/// The longest a snapshot may be kept before it expires.
const LONGEST_KEPT: std::time::Duration = std::time::Duration::from_secs(400 * 86_400);

/// The snapshot routes, under `/api`. Taking snapshots is rate limited
/// per address.
pub fn router(state: &AppState) -> Router<AppState> {
    let limiter = state.limiter(state.limits.snapshots);
    Router::new()
        .route(
            "/snapshots",
            post(create).route_layer(middleware::from_fn_with_state(limiter, limits::limit)),
        )
        .route("/snapshots/{id}", get(show).delete(revoke))
        .layer(DefaultBodyLimit::max(crate::http::extract::JSON_BODY_LIMIT))
}

/// What to take a snapshot of: a dashboard and its window.
#[derive(Debug, Deserialize)]
struct NewSnapshot {
    dashboard: String,
    #[serde(default)]
    range: TimeRange,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    /// A private dashboard's signed-link token.
    #[serde(default)]
    token: Option<String>,
    /// How long it is kept (`7d`, `12h`); empty or absent: until revoked.
    #[serde(default)]
    expires_in: Option<String>,
}

/// The answer to an API client.
#[derive(Debug, Serialize)]
struct Created {
    id: String,
    url: String,
    expires_at: Option<i64>,
}

/// A form from the Share dialog, or JSON from an API client.
enum Posted {
    Form(NewSnapshot),
    Json(NewSnapshot),
}

impl FromRequest<AppState> for Posted {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let is_form = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if is_form {
            Form::<NewSnapshot>::from_request(request, state)
                .await
                .map(|Form(new)| Posted::Form(new))
                .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))
        } else {
            let crate::http::extract::ApiJson(new) =
                crate::http::extract::ApiJson::<NewSnapshot>::from_request(request, state).await?;
            Ok(Posted::Json(new))
        }
    }
}

async fn create(
    State(state): State<AppState>,
    MaybeAdmin(admin): MaybeAdmin,
    PublicUrl(site): PublicUrl,
    posted: Posted,
) -> Result<Response, ApiError> {
    let (new, from_form) = match posted {
        Posted::Form(new) => (new, true),
        Posted::Json(new) => (new, false),
    };
    let now = Utc::now();
    let (admission, latest_expiry) = admit(&state, admin, &new, now.timestamp())?;
    let span = Span::from_pair(new.from.as_deref(), new.to.as_deref())
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let expires_at = bounded_expiry(
        expiry(new.expires_in.as_deref(), now.timestamp())?,
        latest_expiry,
    );
    if !admin {
        within_visitor_cap(&state).await?;
    }
    let snapshot = capture(&state, &new.dashboard, new.range, span, now, &admission).await?;
    let snapshot = Snapshot {
        id: new_id().map_err(|e| ApiError::Internal(format!("no randomness for an id: {e}")))?,
        expires_at,
        ..snapshot
    };
    if let Err(error) = state.views.insert(&snapshot).await {
        tracing::error!(%error, dashboard = %snapshot.dashboard, "cannot store a snapshot; nothing was saved");
        return Err(ApiError::Unavailable(
            "the snapshot could not be stored, and nothing was saved: try again".to_owned(),
        ));
    }
    tracing::info!(dashboard = %snapshot.dashboard, "snapshot taken");
    let path = snapshot_route(&snapshot.id)?.href();
    if from_form {
        return Ok(Redirect::to(&path).into_response());
    }
    let url = site.map_or_else(|| path.clone(), |site| format!("{site}{path}"));
    let mut response = (
        StatusCode::CREATED,
        Json(Created {
            id: snapshot.id,
            url: url.clone(),
            expires_at,
        }),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&url) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The page of the snapshot `id`.
fn snapshot_route(id: &str) -> Result<porthole_model::Route, ApiError> {
    porthole_model::SnapshotId::new(id)
        .map(|id| porthole_model::Route::Snapshot { id })
        .ok_or_else(|| ApiError::Internal(format!("a new snapshot id is malformed: {id:?}")))
}

/// Whether this request may take a snapshot of `new.dashboard`: what it
/// may read, and the latest the snapshot may live (a visitor's within
/// [`VISITOR_KEPT_SECONDS`], and never past the signed link it was taken through).
fn admit(
    state: &AppState,
    admin: bool,
    new: &NewSnapshot,
    now: i64,
) -> Result<(Admission, Option<i64>), ApiError> {
    if admin {
        return Ok((Admission::Operator, None));
    }
    if !state.public_snapshots {
        return Err(ApiError::Unauthorized(
            "taking snapshots needs the admin token (`Authorization: Bearer <token>`), unless [sharing] public_snapshots = true".to_owned(),
        ));
    }
    let visitor_limit = now.saturating_add(VISITOR_KEPT_SECONDS);
    let public = state
        .panels()
        .dashboard(&new.dashboard)
        .map(|dashboard| dashboard.public)
        .ok_or_else(|| ApiError::NotFound(format!("there is no dashboard {:?}", new.dashboard)))?;
    if public {
        return Ok((Admission::Public, Some(visitor_limit)));
    }
    let link_expires = state
        .signing_key
        .verify(&new.dashboard, new.token.as_deref(), now)
        .map_err(|error| ApiError::Forbidden(error.to_string()))?;
    Ok((
        Admission::Signed(new.dashboard.clone()),
        Some(link_expires.min(visitor_limit)),
    ))
}

/// The expiry asked for, brought forward to `latest` when there is one.
fn bounded_expiry(asked: Option<i64>, latest: Option<i64>) -> Option<i64> {
    match (asked, latest) {
        (Some(asked), Some(latest)) => Some(asked.min(latest)),
        (asked, latest) => asked.or(latest),
    }
}

/// Refuses a visitor's snapshot once [`VISITOR_CAP`] unexpired ones are
/// kept: per-address limits alone let many addresses fill the database.
async fn within_visitor_cap(state: &AppState) -> Result<(), ApiError> {
    let kept = state
        .views
        .count_live(Utc::now().timestamp())
        .await
        .map_err(|error| {
            tracing::error!(%error, "cannot count snapshots");
            ApiError::Unavailable("snapshots cannot be taken right now; try again".to_owned())
        })?;
    if kept >= VISITOR_CAP {
        tracing::warn!(
            kept,
            cap = VISITOR_CAP,
            "visitor snapshots refused: the cap is reached"
        );
        return Err(ApiError::TooManyRequests(
            "this server keeps as many snapshots as it may; try again once older ones expire"
                .to_owned(),
        ));
    }
    Ok(())
}

/// When a snapshot kept for `expires_in` from `now` expires.
fn expiry(expires_in: Option<&str>, now: i64) -> Result<Option<i64>, ApiError> {
    let Some(text) = expires_in.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let kept = crate::prom::time::parse_duration(text)
        .ok()
        .filter(|d| (std::time::Duration::from_secs(60)..=LONGEST_KEPT).contains(d))
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "expires_in {text:?} is not a duration from 1m to 400d, such as 7d or 12h"
            ))
        })?;
    Ok(Some(now.saturating_add(
        i64::try_from(kept.as_secs()).unwrap_or(i64::MAX),
    )))
}

/// Every panel of `dashboard` as shown now, errors included.
async fn capture(
    state: &AppState,
    dashboard: &str,
    range: TimeRange,
    span: Option<Span>,
    now: chrono::DateTime<Utc>,
    admission: &Admission,
) -> Result<Snapshot, ApiError> {
    let layout = state.panels().layout(dashboard, admission)?;
    let panels = state.panels();
    let results = futures::future::join_all(layout.panels.iter().map(|panel| {
        let query = PanelQuery {
            dashboard: layout.id.clone(),
            panel: panel.id.clone(),
            range,
            span,
            token: None,
        };
        let panels = panels.clone();
        async move { panels.panel_at(&query, now, admission).await }
    }))
    .await;
    Ok(Snapshot {
        id: String::new(),
        dashboard: layout.id,
        title: layout.title,
        description: layout.description,
        taken_at: now.timestamp(),
        expires_at: None,
        panels: layout
            .panels
            .into_iter()
            .zip(results)
            .map(|(panel, result)| SnapshotPanel {
                id: panel.id,
                width: panel.width,
                result,
            })
            .collect(),
    })
}

/// The snapshot `id`, for pages and renders: 404 unknown, 410 gone.
pub async fn find(views: &ViewStore, id: &str) -> Result<Snapshot, ApiError> {
    match views.get(id, Utc::now().timestamp()).await? {
        Ok(snapshot) => Ok(snapshot),
        Err(Lookup::NotFound) => Err(ApiError::NotFound(format!("there is no snapshot {id:?}"))),
        Err(Lookup::Gone) => Err(ApiError::Gone(
            "this snapshot expired or was revoked".to_owned(),
        )),
    }
}

async fn show(
    State(views): State<ViewStore>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let snapshot = find(&views, &id).await?;
    // Its data never changes; a minute bounds how long a revoked one lingers
    // in caches.
    Ok((
        [(
            header::CACHE_CONTROL,
            crate::http::cache_headers::public(60),
        )],
        Json(snapshot),
    )
        .into_response())
}

async fn revoke(
    State(views): State<ViewStore>,
    _admin: Admin,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    if views.revoke(&id, Utc::now().timestamp()).await? {
        tracing::info!("snapshot revoked");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("there is no snapshot {id:?}")))
    }
}
