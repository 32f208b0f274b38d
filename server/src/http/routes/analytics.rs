//! `/api/v1/analytics/*` and `/api/v1/kpis`: the KPI API. Its JSON shapes
//! are kept compatible with the analytics service Porthole replaces, so
//! operators' scripts keep working.

use app::model::ErrorKind;
use std::collections::BTreeMap;

use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    http::admin_token::Admin,
    http::error::ApiError,
    http::extract::{ApiJson, ApiQuery, JSON_BODY_LIMIT},
    http::state::{AppState, KpiApi},
    kpi::{
        answers::{AnswerError, KpiQuestion, MAX_GROWTH_DAYS},
        capture::{CaptureError, CaptureReport},
    },
};

/// Routes of the KPI API (mounted under `/api`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/analytics/health", get(health))
        .route("/v1/analytics/latest", get(latest))
        .route("/v1/analytics/growth", get(growth))
        .route("/v1/analytics/monthly", get(monthly))
        .route("/v1/analytics/summary", get(summary))
        .route("/v1/analytics/export.csv", get(export_csv))
        .route("/v1/analytics/snapshot", post(snapshot))
        .route("/v1/kpis", post(push_kpis))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
}

#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    database_path: String,
    total_records: i64,
    latest_snapshot: Option<NaiveDate>,
    demo: bool,
}

async fn health(State(state): State<KpiApi>) -> Result<Json<Health>, ApiError> {
    let health = state.kpi.health().await?;
    Ok(Json(Health {
        status: "healthy",
        database_path: state.kpi.database_path().display().to_string(),
        total_records: health.total_records,
        latest_snapshot: health.latest_snapshot,
        demo: health.demo,
    }))
}

async fn latest(State(state): State<KpiApi>) -> Result<Response, ApiError> {
    answer(&state, KpiQuestion::Latest).await
}

#[derive(Debug, Deserialize)]
struct GrowthParams {
    days: Option<String>,
}

/// `days` as a whole number from 1 to 3660, 30 when absent.
fn parse_days(days: Option<&str>) -> Result<u32, ApiError> {
    let Some(text) = days else { return Ok(30) };
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=MAX_GROWTH_DAYS).contains(d))
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "days must be a whole number from 1 to {MAX_GROWTH_DAYS}, got {text:?}"
            ))
        })
}

async fn growth(
    State(state): State<KpiApi>,
    ApiQuery(params): ApiQuery<GrowthParams>,
) -> Result<Response, ApiError> {
    let days = parse_days(params.days.as_deref())?;
    answer(&state, KpiQuestion::Growth { days }).await
}

async fn monthly(State(state): State<KpiApi>) -> Result<Response, ApiError> {
    answer(&state, KpiQuestion::Monthly).await
}

async fn summary(State(state): State<KpiApi>) -> Result<Response, ApiError> {
    answer(&state, KpiQuestion::Summary).await
}

/// The cached JSON answer to `question` (see [`crate::kpi::answers`]).
async fn answer(state: &KpiApi, question: KpiQuestion) -> Result<Response, ApiError> {
    let body = state
        .kpi_answers
        .answer(question)
        .await
        .map_err(|error| match error {
            AnswerError::NothingRecorded => ApiError::NotFound(error.to_string()),
            AnswerError::Store(detail) => ApiError::Internal(detail),
        })?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn export_csv(State(state): State<KpiApi>) -> Result<Response, ApiError> {
    let mut csv = String::from("date,metric,value\n");
    for metric in state.known_metrics.iter() {
        for (day, value) in state.kpi.full_series(metric).await? {
            csv.push_str(&format!("{day},{metric},{value}\n"));
        }
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"porthole-kpis.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

/// Body of `POST /api/v1/kpis`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PushBody {
    date: String,
    metrics: BTreeMap<String, f64>,
}

#[derive(Debug, Serialize)]
struct PushAnswer {
    status: &'static str,
    date: NaiveDate,
    metrics: usize,
}

async fn push_kpis(
    State(state): State<KpiApi>,
    _admin: Admin,
    ApiJson(body): ApiJson<PushBody>,
) -> Result<Json<PushAnswer>, ApiError> {
    let date = NaiveDate::parse_from_str(body.date.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::BadRequest(format!("date must be YYYY-MM-DD, got {:?}", body.date))
    })?;
    if body.metrics.is_empty() {
        return Err(ApiError::BadRequest(
            "metrics is empty: send at least one KPI".to_owned(),
        ));
    }
    for (metric, value) in &body.metrics {
        if !state.known_metrics.contains(metric) {
            return Err(ApiError::BadRequest(format!(
                "unknown metric {metric:?}: known metrics are {}; add others under [kpi] metrics in porthole.toml",
                state.known_metrics.join(", ")
            )));
        }
        if !value.is_finite() {
            return Err(ApiError::BadRequest(format!(
                "{metric} must be a finite number"
            )));
        }
    }
    let count = body.metrics.len();
    state
        .kpi
        .record_day(date, body.metrics, Utc::now().naive_utc())
        .await?;
    Ok(Json(PushAnswer {
        status: "ok",
        date,
        metrics: count,
    }))
}

/// Takes a KPI snapshot now from the configured queries.
async fn snapshot(
    State(state): State<KpiApi>,
    _admin: Admin,
) -> Result<Json<CaptureReport>, ApiError> {
    state
        .kpi_capture
        .take(Utc::now())
        .await
        .map(Json)
        .map_err(|error| match error {
            CaptureError::NoSources => ApiError::BadRequest(error.to_string()),
            CaptureError::AllFailed(_) => ApiError::Proxy {
                status: StatusCode::BAD_GATEWAY,
                body: app::model::ErrorBody::new(ErrorKind::Unavailable, error.to_string()),
            },
            CaptureError::Store(error) => error.into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_bounded_whole_numbers() {
        assert_eq!(parse_days(None).ok(), Some(30));
        assert_eq!(parse_days(Some("1")).ok(), Some(1));
        assert_eq!(parse_days(Some("3660")).ok(), Some(3660));
        for bad in ["abc", "-1", "0", "100000", "3661", "1.5", ""] {
            let error = parse_days(Some(bad)).expect_err(bad);
            assert!(
                error.to_string().contains("from 1 to 3660"),
                "{bad}: {error}"
            );
        }
    }
}
