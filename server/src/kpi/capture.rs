//! Daily KPI snapshots from PromQL instant queries: taken on demand
//! (`POST /api/v1/analytics/snapshot`), by a daily schedule, and at start
//! for every scheduled day missing from the store, up to `[kpi]
//! backfill_days` back (`porthole backfill` does the same on demand).
//!
//! A missing day is taken at its own scheduled instant (PromQL's `time=`),
//! so backfilling records what the value was then, not what it is now. Days
//! are read a batch at a time (as many as the upstream's `max_in_flight`
//! allows) and recorded oldest first, each in its own transaction, so an
//! interrupted backfill resumes where it stopped. Days before a KPI's
//! history begins upstream are remembered (`HistoryStart`) and not asked
//! again. Derived sign-up counts (`new_users_today/week/month`) are
//! computed from `total_users` when they have no query of their own. Errors
//! are `CaptureError`; the route turns them into API errors.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
    time::Duration,
};

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

use super::{KpiStore, store::HistoryStart};
use crate::{
    db::DbError,
    prom::{PromClient, result, time::format_seconds},
};

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

/// How far a backfill has come: days done of the days missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackfillProgress {
    /// Days read and recorded (or found empty upstream) so far.
    pub done: usize,
    /// Days that were missing when the backfill began.
    pub missing: usize,
}

/// What a backfill did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackfillReport {
    /// Days that were missing from the store.
    pub missing: usize,
    /// Days recorded.
    pub taken: usize,
    /// Days the upstream had no value for (before its history, or a gap).
    pub empty: usize,
}

/// Why one KPI could not be read for a day.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ReadFailure {
    /// The upstream answered, with no value at that instant.
    NoValue(String),
    /// The upstream could not answer, or answered with several series.
    Failed(String),
}

impl ReadFailure {
    fn reason(&self) -> &str {
        match self {
            Self::NoValue(reason) | Self::Failed(reason) => reason,
        }
    }
}

/// One scheduled instant's reads, before they are recorded.
#[derive(Debug)]
struct DayReads {
    at: DateTime<Utc>,
    values: BTreeMap<String, f64>,
    failed: BTreeMap<String, ReadFailure>,
}

/// Takes KPI snapshots from the configured queries.
#[derive(Debug, Clone)]
pub struct KpiCapture {
    store: KpiStore,
    client: Option<PromClient>,
    queries: Vec<(String, String)>,
    at: NaiveTime,
    backfill_days: u32,
}

impl KpiCapture {
    /// Snapshots of `queries` (KPI name, PromQL) through `client`, daily at
    /// `at` UTC, taking missing days up to `backfill_days` back.
    pub fn new(
        store: KpiStore,
        client: Option<PromClient>,
        queries: Vec<(String, String)>,
        at: NaiveTime,
        backfill_days: u32,
    ) -> Self {
        Self {
            store,
            client,
            queries,
            at,
            backfill_days,
        }
    }

    /// Whether any KPI has a query to snapshot.
    pub fn is_configured(&self) -> bool {
        self.client.is_some() && !self.queries.is_empty()
    }

    fn client(&self) -> Result<&PromClient, CaptureError> {
        self.client
            .as_ref()
            .filter(|_| !self.queries.is_empty())
            .ok_or(CaptureError::NoSources)
    }

    /// Reads every KPI as of `at` and records them for `at`'s day,
    /// replacing that day's earlier values.
    pub async fn take(&self, at: DateTime<Utc>) -> Result<CaptureReport, CaptureError> {
        let reads = self.read_day(self.client()?, at).await;
        self.record(reads).await
    }

    /// Every KPI's value at `at`, read concurrently.
    async fn read_day(&self, client: &PromClient, at: DateTime<Utc>) -> DayReads {
        let time = format_seconds(at.timestamp_millis());
        let reads = futures::future::join_all(self.queries.iter().map(|(name, expr)| {
            let time = time.as_str();
            async move { (name.clone(), read_value(client, expr, time).await) }
        }))
        .await;
        let mut values = BTreeMap::new();
        let mut failed = BTreeMap::new();
        for (name, read) in reads {
            match read {
                Ok(value) => {
                    values.insert(name, value);
                }
                Err(failure) => {
                    failed.insert(name, failure);
                }
            }
        }
        DayReads { at, values, failed }
    }

    /// Records a day's reads with the sign-up counts derived from them.
    async fn record(&self, reads: DayReads) -> Result<CaptureReport, CaptureError> {
        let DayReads {
            at,
            values: mut metrics,
            failed,
        } = reads;
        let failed: BTreeMap<String, String> = failed
            .into_iter()
            .map(|(name, failure)| (name, failure.reason().to_owned()))
            .collect();
        if metrics.is_empty() {
            let reasons: Vec<String> = failed.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            return Err(CaptureError::AllFailed(reasons.join("; ")));
        }
        for (kpi, reason) in &failed {
            tracing::warn!(%kpi, %reason, date = %at.date_naive(), "KPI snapshot query failed");
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

    /// The latest scheduled day at or before `now`.
    fn latest_due(&self, now: DateTime<Utc>) -> Option<NaiveDate> {
        let today = now.date_naive();
        if today.and_time(self.at).and_utc() <= now {
            Some(today)
        } else {
            today.pred_opt()
        }
    }

    /// The scheduled instants of the last `days` days up to `now` on which
    /// some KPI has no value stored, oldest first. A KPI's days before its
    /// known history start (for the same query) are not missing.
    pub async fn missing(
        &self,
        now: DateTime<Utc>,
        days: u32,
    ) -> Result<Vec<DateTime<Utc>>, DbError> {
        let Some(latest_due) = self.latest_due(now) else {
            return Ok(Vec::new());
        };
        let earliest = latest_due
            .checked_sub_days(Days::new(u64::from(days.max(1)) - 1))
            .unwrap_or(latest_due);
        let stored = self.store.days_stored(earliest, latest_due).await?;
        let starts = self.store.history_starts().await?;
        let nothing = BTreeSet::new();
        Ok(earliest
            .iter_days()
            .take_while(|day| *day <= latest_due)
            .filter(|day| {
                self.queries.iter().any(|(name, expr)| {
                    let begins = starts
                        .get(name)
                        .filter(|start| start.query == *expr)
                        .map_or(earliest, |start| start.first_day);
                    *day >= begins && !stored.get(name).unwrap_or(&nothing).contains(day)
                })
            })
            .map(|day| day.and_time(self.at).and_utc())
            .collect())
    }

    /// Takes every day missing in the last `days` up to `now`, oldest
    /// first, reading a batch of days at a time within the upstream's
    /// `max_in_flight`, and calls `progress` after each batch. Days the
    /// upstream has no value for are skipped; where that is the start of a
    /// KPI's history, it is remembered. An upstream error on a day leaves
    /// that day missing, to be taken by the next run, and is returned once
    /// every other day has been tried.
    pub async fn backfill(
        &self,
        now: DateTime<Utc>,
        days: u32,
        mut progress: impl FnMut(BackfillProgress),
    ) -> Result<BackfillReport, CaptureError> {
        let client = self.client()?;
        let missing = self.missing(now, days).await?;
        let batch = (client.max_in_flight() / self.queries.len().max(1)).max(1);
        let mut report = BackfillReport {
            missing: missing.len(),
            ..BackfillReport::default()
        };
        let mut history = HistoryScan::default();
        let mut upstream_error = None;
        for instants in missing.chunks(batch) {
            let reads =
                futures::future::join_all(instants.iter().map(|at| self.read_day(client, *at)))
                    .await;
            for reads in reads {
                history.scan(&reads);
                let day_failed = reads
                    .failed
                    .values()
                    .find(|f| matches!(f, ReadFailure::Failed(_)))
                    .cloned();
                match self.record(reads).await {
                    Ok(_) => report.taken += 1,
                    Err(CaptureError::AllFailed(reason)) => match day_failed {
                        Some(_) => upstream_error = Some(reason),
                        None => report.empty += 1,
                    },
                    Err(error) => return Err(error),
                }
            }
            progress(BackfillProgress {
                done: report.taken + report.empty,
                missing: report.missing,
            });
        }
        self.remember_history_starts(&history).await?;
        match upstream_error {
            Some(reason) => Err(CaptureError::AllFailed(reason)),
            None => Ok(report),
        }
    }

    /// Records, for each KPI whose first days in this run had no value
    /// upstream (and no error), where its history begins.
    async fn remember_history_starts(&self, history: &HistoryScan) -> Result<(), DbError> {
        for (name, expr) in &self.queries {
            let Some(first_day) = history.start_of(name) else {
                continue;
            };
            // Values stored before it (pushed, or imported) mean the
            // upstream's history is not where this KPI's begins.
            let stored_before = self
                .store
                .first_day(name)
                .await?
                .is_some_and(|day| day < first_day);
            if !stored_before {
                let start = HistoryStart {
                    first_day,
                    query: expr.clone(),
                };
                self.store.set_history_start(name, start).await?;
            }
        }
        Ok(())
    }

    /// Backfills the configured `backfill_days`, logging progress.
    pub async fn catch_up(&self, now: DateTime<Utc>) -> Result<BackfillReport, CaptureError> {
        let mut logged = std::time::Instant::now();
        let report = self
            .backfill(now, self.backfill_days, |p| {
                // A line every few seconds, and the last one.
                if p.done == p.missing || logged.elapsed() >= Duration::from_secs(2) {
                    logged = std::time::Instant::now();
                    tracing::info!(
                        done = p.done,
                        missing = p.missing,
                        "backfilling KPI snapshots"
                    );
                }
            })
            .await?;
        if report.missing > 0 {
            tracing::info!(
                taken = report.taken,
                empty_upstream = report.empty,
                "KPI snapshots are up to date"
            );
        }
        Ok(report)
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

/// Per KPI, across a backfill's days in date order: the first day with a
/// value, and whether every day before it had none (no errors).
#[derive(Debug, Default)]
struct HistoryScan {
    kpis: BTreeMap<String, KpiScan>,
}

#[derive(Debug, Default)]
struct KpiScan {
    first_value: Option<NaiveDate>,
    last_empty: Option<NaiveDate>,
    errored: bool,
}

impl HistoryScan {
    fn scan(&mut self, reads: &DayReads) {
        let day = reads.at.date_naive();
        for name in reads.values.keys() {
            let kpi = self.kpis.entry(name.clone()).or_default();
            kpi.first_value.get_or_insert(day);
        }
        for (name, failure) in &reads.failed {
            let kpi = self.kpis.entry(name.clone()).or_default();
            if kpi.first_value.is_some() {
                continue;
            }
            match failure {
                ReadFailure::NoValue(_) => kpi.last_empty = Some(day),
                ReadFailure::Failed(_) => kpi.errored = true,
            }
        }
    }

    /// Where `name`'s history begins, if this run found days before it
    /// empty: its first day with a value, or the day after the last one
    /// asked when none had a value.
    fn start_of(&self, name: &str) -> Option<NaiveDate> {
        let kpi = self.kpis.get(name)?;
        let last_empty = kpi.last_empty.filter(|_| !kpi.errored)?;
        kpi.first_value.or_else(|| last_empty.succ_opt())
    }
}

/// One KPI's value from an instant query: exactly one sample.
async fn read_value(client: &PromClient, expr: &str, time: &str) -> Result<f64, ReadFailure> {
    let body = client
        .post_form("/api/v1/query", &[("query", expr), ("time", time)])
        .await
        .map_err(|e| ReadFailure::Failed(e.to_string()))?;
    let samples = result::vector(&body).map_err(ReadFailure::Failed)?;
    match samples.as_slice() {
        [(_, Some(value))] => Ok(*value),
        [(_, None)] => Err(ReadFailure::NoValue(format!(
            "{expr} is not a finite number at that time"
        ))),
        [] => Err(ReadFailure::NoValue(format!(
            "{expr} returned no data at that time"
        ))),
        many => Err(ReadFailure::Failed(format!(
            "{expr} returned {} series; aggregate it to one, e.g. sum({expr})",
            many.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("time")
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    async fn snapshots(dir: &std::path::Path, at: NaiveTime, backfill_days: u32) -> KpiCapture {
        let store = KpiStore::new(Db::open(&dir.join("kpi.duckdb")).expect("db"));
        let client =
            PromClient::new("http://127.0.0.1:9", None, Duration::from_secs(1), 1).expect("client");
        KpiCapture::new(
            store,
            Some(client),
            vec![("total_users".into(), "users".into())],
            at,
            backfill_days,
        )
    }

    #[tokio::test]
    async fn with_nothing_stored_every_day_of_the_window_is_missing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let noon = NaiveTime::from_hms_opt(12, 0, 0).expect("noon");
        let s = snapshots(dir.path(), noon, 400).await;
        let missing = s
            .missing(at("2026-01-28T13:00:00Z"), 3)
            .await
            .expect("missing");
        assert_eq!(
            missing,
            [
                at("2026-01-26T12:00:00Z"),
                at("2026-01-27T12:00:00Z"),
                at("2026-01-28T12:00:00Z")
            ]
        );
        // Before today's time, today is not due yet.
        let missing = s
            .missing(at("2026-01-28T11:00:00Z"), 1)
            .await
            .expect("missing");
        assert_eq!(missing, [at("2026-01-27T12:00:00Z")]);
        let missing = s
            .missing(at("2026-01-28T13:00:00Z"), 400)
            .await
            .expect("missing");
        assert_eq!(missing.len(), 400);
        assert_eq!(missing.first(), Some(&at("2024-12-25T12:00:00Z")));
    }

    #[tokio::test]
    async fn stored_days_and_days_before_a_known_history_start_are_not_missing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = snapshots(dir.path(), NaiveTime::MIN, 400).await;
        s.store
            .record_day(
                day("2026-01-26"),
                [("total_users".to_owned(), 5.0)].into(),
                Utc::now().naive_utc(),
            )
            .await
            .expect("write");
        let missing = s
            .missing(at("2026-01-28T08:00:00Z"), 5)
            .await
            .expect("missing");
        assert_eq!(
            missing,
            [
                at("2026-01-24T00:00:00Z"),
                at("2026-01-25T00:00:00Z"),
                at("2026-01-27T00:00:00Z"),
                at("2026-01-28T00:00:00Z")
            ]
        );
        let start = |query: &str| HistoryStart {
            first_day: day("2026-01-25"),
            query: query.to_owned(),
        };
        s.store
            .set_history_start("total_users", start("users"))
            .await
            .expect("start");
        let missing = s
            .missing(at("2026-01-28T08:00:00Z"), 5)
            .await
            .expect("missing");
        assert_eq!(missing.first(), Some(&at("2026-01-25T00:00:00Z")));
        assert_eq!(missing.len(), 3);
        // Another query's history is asked afresh.
        s.store
            .set_history_start("total_users", start("sum(users)"))
            .await
            .expect("start");
        let missing = s
            .missing(at("2026-01-28T08:00:00Z"), 5)
            .await
            .expect("missing");
        assert_eq!(missing.len(), 4);
    }

    #[test]
    fn a_history_start_needs_empty_days_before_the_first_value_and_no_errors() {
        let reads = |d: &str, value: Option<f64>, failure: Option<ReadFailure>| DayReads {
            at: day(d).and_time(NaiveTime::MIN).and_utc(),
            values: value.map(|v| ("k".to_owned(), v)).into_iter().collect(),
            failed: failure.map(|f| ("k".to_owned(), f)).into_iter().collect(),
        };
        let empty = || Some(ReadFailure::NoValue("none".into()));
        let mut scan = HistoryScan::default();
        scan.scan(&reads("2026-01-01", None, empty()));
        scan.scan(&reads("2026-01-02", Some(1.0), None));
        scan.scan(&reads("2026-01-03", None, empty()));
        assert_eq!(scan.start_of("k"), Some(day("2026-01-02")));

        let mut scan = HistoryScan::default();
        scan.scan(&reads("2026-01-01", Some(1.0), None));
        assert_eq!(
            scan.start_of("k"),
            None,
            "history reaches the window's start"
        );

        let mut scan = HistoryScan::default();
        scan.scan(&reads("2026-01-01", None, empty()));
        scan.scan(&reads(
            "2026-01-02",
            None,
            Some(ReadFailure::Failed("down".into())),
        ));
        scan.scan(&reads("2026-01-03", Some(1.0), None));
        assert_eq!(scan.start_of("k"), None, "an error hides what was there");

        let mut scan = HistoryScan::default();
        scan.scan(&reads("2026-01-01", None, empty()));
        assert_eq!(scan.start_of("k"), Some(day("2026-01-02")));
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
            400,
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
