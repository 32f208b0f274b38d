//! Daily KPI snapshots from PromQL instant queries: taken on demand
//! (`POST /api/v1/analytics/snapshot`), by a daily schedule, and at start
//! for every scheduled day missed while Porthole was down.
//!
//! A missed day is taken at its own scheduled instant (PromQL's `time=`),
//! so catching up records what the value was then, not what it is now.
//! Derived sign-up counts (`new_users_today/week/month`) are computed from
//! `total_users` when they have no query of their own. Errors are
//! `CaptureError`; the route turns them into API errors.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

use super::KpiStore;
use crate::{
    db::DbError,
    prom::{PromClient, result, time::format_seconds},
};

/// At most this many missed days are taken when catching up.
pub const MAX_CATCH_UP_DAYS: u64 = 31;

/// After a failed scheduled snapshot, try again this much later.
const RETRY_AFTER: Duration = Duration::from_secs(300);

/// Why a snapshot was not taken.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// No KPI has a query.
    #[error(
        "no KPI sources are configured: add PromQL queries under [kpi.queries] in porthole.toml, or push values with POST /api/v1/kpis"
    )]
    NoSources,
    /// Every query failed; nothing was recorded.
    #[error("no KPI could be read: {0}")]
    AllFailed(String),
    /// The store could not be read or written.
    #[error(transparent)]
    Store(#[from] DbError),
}

/// What one snapshot recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaptureReport {
    /// The day recorded.
    pub date: NaiveDate,
    /// When the values were read.
    pub taken_at: DateTime<Utc>,
    /// The values recorded.
    pub metrics: BTreeMap<String, f64>,
    /// KPIs that could not be read, with the reason.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub failed: BTreeMap<String, String>,
}

/// Takes KPI snapshots from the configured queries.
#[derive(Debug, Clone)]
pub struct KpiCapture {
    store: KpiStore,
    client: Option<PromClient>,
    queries: Vec<(String, String)>,
    at: NaiveTime,
}

impl KpiCapture {
    /// Snapshots of `queries` (KPI name, PromQL) through `client`, daily at `at` UTC.
    pub fn new(
        store: KpiStore,
        client: Option<PromClient>,
        queries: Vec<(String, String)>,
        at: NaiveTime,
    ) -> Self {
        Self {
            store,
            client,
            queries,
            at,
        }
    }

    /// Whether any KPI has a query to snapshot.
    pub fn is_configured(&self) -> bool {
        self.client.is_some() && !self.queries.is_empty()
    }

    /// Reads every KPI as of `at` and records them for `at`'s day,
    /// replacing that day's earlier values.
    pub async fn take(&self, at: DateTime<Utc>) -> Result<CaptureReport, CaptureError> {
        let client = self
            .client
            .as_ref()
            .filter(|_| !self.queries.is_empty())
            .ok_or(CaptureError::NoSources)?;
        let time = format_seconds(at.timestamp_millis());
        let reads = futures::future::join_all(self.queries.iter().map(|(name, expr)| {
            let time = time.clone();
            async move { (name.clone(), read_value(client, expr, &time).await) }
        }))
        .await;
        let mut metrics = BTreeMap::new();
        let mut failed = BTreeMap::new();
        for (name, read) in reads {
            match read {
                Ok(value) => {
                    metrics.insert(name, value);
                }
                Err(reason) => {
                    tracing::warn!(kpi = %name, %reason, "KPI snapshot query failed");
                    failed.insert(name, reason);
                }
            }
        }
        if metrics.is_empty() {
            let reasons: Vec<String> = failed.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            return Err(CaptureError::AllFailed(reasons.join("; ")));
        }
        let date = at.date_naive();
        self.add_derived(date, &mut metrics).await?;
        self.store
            .record_day(date, metrics.clone(), Utc::now().naive_utc())
            .await?;
        Ok(CaptureReport {
            date,
            taken_at: at,
            metrics,
            failed,
        })
    }

    /// New users today, this week and this month from `total_users`, for
    /// those without a query of their own.
    async fn add_derived(
        &self,
        day: NaiveDate,
        metrics: &mut BTreeMap<String, f64>,
    ) -> Result<(), DbError> {
        let Some(&total) = metrics.get("total_users") else {
            return Ok(());
        };
        let first = day.checked_sub_days(Days::new(31)).unwrap_or(day);
        let history = self.store.series("total_users", first, day).await?;
        for (name, days) in [
            ("new_users_today", 1),
            ("new_users_week", 7),
            ("new_users_month", 30),
        ] {
            if metrics.contains_key(name) || self.queries.iter().any(|(q, _)| q == name) {
                continue;
            }
            let then = day.checked_sub_days(Days::new(days));
            let earlier = history
                .iter()
                .rev()
                .find(|(d, _)| Some(*d) <= then)
                .map(|&(_, v)| v);
            if let Some(earlier) = earlier {
                metrics.insert(name.to_owned(), (total - earlier).max(0.0));
            }
        }
        Ok(())
    }

    /// The scheduled instants, up to `now`, that have no snapshot yet:
    /// every day since the last one stored (at most
    /// [`MAX_CATCH_UP_DAYS`]), or only the latest when none is stored.
    pub async fn missed(&self, now: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, DbError> {
        let today = now.date_naive();
        let latest_due = if today.and_time(self.at).and_utc() <= now {
            today
        } else {
            match today.pred_opt() {
                Some(day) => day,
                None => return Ok(Vec::new()),
            }
        };
        let earliest = latest_due
            .checked_sub_days(Days::new(MAX_CATCH_UP_DAYS - 1))
            .unwrap_or(latest_due);
        let last_taken = if self.store.is_demo().await? {
            None
        } else {
            // One query for every KPI; each series includes its last day
            // stored before `earliest`, if any.
            let recent = self.store.recent_all(earliest, latest_due).await?;
            self.queries
                .iter()
                .filter_map(|(name, _)| recent.get(name)?.last().map(|&(day, _)| day))
                .max()
        };
        let first_missing = match last_taken {
            Some(day) => day.succ_opt().unwrap_or(day),
            None => latest_due,
        };
        Ok(first_missing
            .max(earliest)
            .iter_days()
            .take_while(|day| *day <= latest_due)
            .map(|day| day.and_time(self.at).and_utc())
            .collect())
    }

    /// Takes every missed snapshot, oldest first; returns how many were taken.
    pub async fn catch_up(&self, now: DateTime<Utc>) -> Result<usize, CaptureError> {
        let missed = self.missed(now).await?;
        for at in &missed {
            let report = self.take(*at).await?;
            tracing::info!(date = %report.date, kpis = report.metrics.len(), "took KPI snapshot");
        }
        Ok(missed.len())
    }

    /// Runs forever: catches up at start, then takes each day's snapshot at
    /// its time, retrying a failed one every few minutes.
    pub async fn run_daily(self: Arc<Self>) {
        loop {
            let wait = match self.catch_up(Utc::now()).await {
                Ok(_) => self.until_next(Utc::now()),
                Err(error) => {
                    tracing::warn!(%error, "KPI snapshot failed; retrying in 5 minutes");
                    RETRY_AFTER
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// Time from `now` to the next scheduled instant.
    fn until_next(&self, now: DateTime<Utc>) -> Duration {
        let today = now.date_naive().and_time(self.at).and_utc();
        let next = if today > now {
            today
        } else {
            today + chrono::Duration::days(1)
        };
        (next - now).to_std().unwrap_or(Duration::from_secs(60))
    }
}

/// One KPI's value from an instant query: exactly one sample.
async fn read_value(client: &PromClient, expr: &str, time: &str) -> Result<f64, String> {
    let body = client
        .post_form("/api/v1/query", &[("query", expr), ("time", time)])
        .await
        .map_err(|e| e.to_string())?;
    let samples = result::vector(&body)?;
    match samples.as_slice() {
        [(_, Some(value))] => Ok(*value),
        [(_, None)] => Err(format!("{expr} is not a finite number at that time")),
        [] => Err(format!("{expr} returned no data at that time")),
        many => Err(format!(
            "{expr} returned {} series; aggregate it to one, e.g. sum({expr})",
            many.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("time")
    }

    async fn snapshots(dir: &std::path::Path, at: NaiveTime) -> KpiCapture {
        let store = KpiStore::new(Db::open(&dir.join("kpi.duckdb")).expect("db"));
        let client =
            PromClient::new("http://127.0.0.1:9", None, Duration::from_secs(1), 1).expect("client");
        KpiCapture::new(
            store,
            Some(client),
            vec![("total_users".into(), "users".into())],
            at,
        )
    }

    #[tokio::test]
    async fn with_nothing_stored_only_the_latest_due_day_is_missed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let noon = NaiveTime::from_hms_opt(12, 0, 0).expect("noon");
        let s = snapshots(dir.path(), noon).await;
        assert_eq!(
            s.missed(at("2026-01-28T13:00:00Z")).await.expect("missed"),
            [at("2026-01-28T12:00:00Z")]
        );
        assert_eq!(
            s.missed(at("2026-01-28T11:00:00Z")).await.expect("missed"),
            [at("2026-01-27T12:00:00Z")]
        );
    }

    #[tokio::test]
    async fn days_since_the_last_snapshot_are_missed_up_to_a_month() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = snapshots(dir.path(), NaiveTime::MIN).await;
        let day = |d: &str| d.parse::<NaiveDate>().expect("day");
        s.store
            .record_day(
                day("2026-01-25"),
                [("total_users".to_owned(), 5.0)].into(),
                Utc::now().naive_utc(),
            )
            .await
            .expect("write");
        let missed = s.missed(at("2026-01-28T08:00:00Z")).await.expect("missed");
        assert_eq!(
            missed,
            [
                at("2026-01-26T00:00:00Z"),
                at("2026-01-27T00:00:00Z"),
                at("2026-01-28T00:00:00Z")
            ]
        );
        let missed = s.missed(at("2026-06-28T08:00:00Z")).await.expect("missed");
        assert_eq!(missed.len() as u64, MAX_CATCH_UP_DAYS);
        assert_eq!(missed.last(), Some(&at("2026-06-28T00:00:00Z")));
    }

    #[test]
    fn the_next_run_is_today_or_tomorrow_at_the_time() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = KpiStore::new(Db::open(&dir.path().join("kpi.duckdb")).expect("db"));
        let s = KpiCapture::new(
            store,
            None,
            Vec::new(),
            NaiveTime::from_hms_opt(6, 30, 0).expect("time"),
        );
        assert_eq!(
            s.until_next(at("2026-01-28T06:00:00Z")),
            Duration::from_secs(1800)
        );
        assert_eq!(
            s.until_next(at("2026-01-28T06:30:00Z")),
            Duration::from_secs(86_400)
        );
    }
}
