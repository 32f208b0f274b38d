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
use chrono::{Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    http::admin_token::Admin,
    http::error::ApiError,
    http::extract::{ApiJson, ApiQuery, JSON_BODY_LIMIT},
    http::state::{AppState, KpiApi},
    kpi::{
        capture::{CaptureError, CaptureReport},
        growth::{
            GrowthRow, KpiValue, MetricSummary, MonthRow, growth_rows, monthly_rows, summarize,
        },
    },
};

const MAX_DAYS: u32 = 3660;

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

/// `latest`: the well-known KPIs first, in their documented order, then any
/// other KPI recorded that day.
#[derive(Debug, Serialize)]
struct Latest {
    date: NaiveDate,
    total_users: Option<KpiValue>,
    verified_users: Option<KpiValue>,
    new_users_today: Option<KpiValue>,
    new_users_week: Option<KpiValue>,
    new_users_month: Option<KpiValue>,
    total_db_size_bytes: Option<KpiValue>,
    recorded_at: String,
    #[serde(flatten)]
    others: BTreeMap<String, KpiValue>,
}

async fn latest(State(state): State<KpiApi>) -> Result<Response, ApiError> {
    cached(&state, "latest".to_owned(), async {
        let Some(mut day) = state.kpi.latest().await? else {
            return Err(ApiError::NotFound(
                "no KPI has been recorded yet: push one with POST /api/v1/kpis".to_owned(),
            ));
        };
        let mut take = |metric: &str| day.metrics.remove(metric).map(KpiValue);
        Ok(Latest {
            date: day.day,
            total_users: take("total_users"),
            verified_users: take("verified_users"),
            new_users_today: take("new_users_today"),
            new_users_week: take("new_users_week"),
            new_users_month: take("new_users_month"),
            total_db_size_bytes: take("total_db_size_bytes"),
            recorded_at: day.recorded_at.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
            others: day
                .metrics
                .into_iter()
                .map(|(k, v)| (k, KpiValue(v)))
                .collect(),
        })
    })
    .await
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
        .filter(|d| (1..=MAX_DAYS).contains(d))
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "days must be a whole number from 1 to {MAX_DAYS}, got {text:?}"
            ))
        })
}

async fn growth(
    State(state): State<KpiApi>,
    ApiQuery(params): ApiQuery<GrowthParams>,
) -> Result<Response, ApiError> {
    let days = parse_days(params.days.as_deref())?;
    cached(&state, format!("growth?days={days}"), async {
        let today = Utc::now().date_naive();
        let first = today
            .checked_sub_days(Days::new(u64::from(days) - 1))
            .unwrap_or(NaiveDate::MIN);
        let series = state.kpi.series("total_users", first, today).await?;
        Ok::<Vec<GrowthRow>, ApiError>(growth_rows(&series))
    })
    .await
}

async fn monthly(State(state): State<KpiApi>) -> Result<Response, ApiError> {
    cached(&state, "monthly".to_owned(), async {
        let series = state.kpi.full_series("total_users").await?;
        Ok::<Vec<MonthRow>, ApiError>(monthly_rows(&series))
    })
    .await
}

/// `summary`: each metric's latest value and its change over the 7 and 30
/// days before that value.
#[derive(Debug, Serialize)]
struct Summary {
    date: Option<NaiveDate>,
    demo: bool,
    metrics: BTreeMap<String, MetricSummary>,
}

async fn summary(State(state): State<KpiApi>) -> Result<Response, ApiError> {
    let key = "summary".to_owned();
    cached(&state, key, async {
        let health = state.kpi.health().await?;
        let mut metrics = BTreeMap::new();
        if let Some(latest) = health.latest_snapshot {
            let first = latest
                .checked_sub_days(Days::new(30))
                .unwrap_or(NaiveDate::MIN);
            let recent = state.kpi.recent_all(first, latest).await?;
            for metric in state.known_metrics.iter() {
                if let Some(summary) = recent.get(metric).and_then(|s| summarize(s)) {
                    metrics.insert(metric.clone(), summary);
                }
            }
        }
        Ok(Summary {
            date: health.latest_snapshot,
            demo: health.demo,
            metrics,
        })
    })
    .await
}

/// Answers `key` from the answer cache, computing it once per KPI write
/// (and per day, for answers relative to today) however many ask.
async fn cached<T, F>(state: &KpiApi, key: String, compute: F) -> Result<Response, ApiError>
where
    T: Serialize,
    F: Future<Output = Result<T, ApiError>>,
{
    let key = (key, Utc::now().date_naive(), state.kpi.generation());
    let body = state
        .kpi_answers
        .try_get_with(key, async {
            let value = compute.await?;
            serde_json::to_vec(&value)
                .map(bytes::Bytes::from)
                .map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await
        .map_err(|error| (*error).clone())?;
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
