//! KPI storage in DuckDB: one row per day and metric, kept forever.
//!
//! Writes are idempotent per day and metric (taking a day again replaces its
//! values). Demo data is marked in `porthole_meta` and removed by the first
//! real write, in the same transaction.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{
        Arc, Mutex, Weak,
        atomic::{AtomicU64, Ordering},
    },
};

use chrono::{Days, NaiveDate, NaiveDateTime};
use duckdb::{Connection, OptionalExt, params};

use super::demo;
use crate::db::{Db, DbError};

/// `porthole_meta` keys of [`HistoryStart`]s: this prefix, then the metric.
const HISTORY_START_KEY: &str = "kpi_history_start:";

/// Where a KPI's history begins upstream, as a backfill found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryStart {
    /// The first day the query had a value.
    pub first_day: NaiveDate,
    /// The PromQL that was asked; another query's history is asked afresh.
    pub query: String,
}

/// The KPIs every Porthole knows, as kept by the analytics API it replaces.
pub const WELL_KNOWN: [&str; 6] = [
    "total_users",
    "verified_users",
    "new_users_today",
    "new_users_week",
    "new_users_month",
    "total_db_size_bytes",
];

/// The metrics the API accepts: the well-known set plus configured ones.
pub fn known_metrics(configured: &[String]) -> Vec<String> {
    let mut known: Vec<String> = WELL_KNOWN.iter().map(|m| (*m).to_owned()).collect();
    for metric in configured {
        if !known.contains(metric) {
            known.push(metric.clone());
        }
    }
    known
}

const DEMO_KEY: &str = "demo";

/// What `/api/v1/analytics/health` reports about the store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreHealth {
    /// Number of days with at least one KPI.
    pub total_records: i64,
    /// The latest day with a KPI.
    pub latest_snapshot: Option<NaiveDate>,
    /// Whether the store holds generated demo data.
    pub demo: bool,
}

/// The latest day's values and when they were recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestDay {
    /// The day.
    pub day: NaiveDate,
    /// When the day's values were last written.
    pub recorded_at: NaiveDateTime,
    /// Each metric's value that day.
    pub metrics: BTreeMap<String, f64>,
}

/// Work a write waits for once committed, before it returns: answers read
/// from the store are made afresh here, so no reader after the write pays
/// for them.
pub trait AfterWrite: Send + Sync {
    /// Runs after each committed write, with the new generation in place.
    fn after_write(&self) -> futures::future::BoxFuture<'_, ()>;
}

/// The KPI store over the shared database.
#[derive(Clone)]
pub struct KpiStore {
    db: Db,
    /// Bumped after every committed write, so caches of what was read can
    /// key on it and never serve data older than the last write.
    generation: Arc<AtomicU64>,
    /// What each write waits for (weak: it holds the store itself).
    after_write: Arc<Mutex<Option<Weak<dyn AfterWrite>>>>,
}

impl std::fmt::Debug for KpiStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KpiStore")
            .field("db", &self.db)
            .field("generation", &self.generation())
            .finish()
    }
}

impl KpiStore {
    /// A store over `db` (already migrated).
    pub fn new(db: Db) -> Self {
        Self {
            db,
            generation: Arc::default(),
            after_write: Arc::default(),
        }
    }

    /// Has every later write wait for `work` before it returns, in place
    /// of what an earlier call set.
    pub fn after_each_write(&self, work: Arc<dyn AfterWrite>) {
        if let Ok(mut slot) = self.after_write.lock() {
            *slot = Some(Arc::downgrade(&work));
        }
    }

    /// Changes whenever stored KPIs change.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    async fn written(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        let work = match self.after_write.lock() {
            Ok(slot) => slot.as_ref().and_then(Weak::upgrade),
            Err(_) => None,
        };
        if let Some(work) = work {
            work.after_write().await;
        }
    }

    /// Loads a KPI CSV file (see [`super::transfer::import_csv`]) off the
    /// async runtime; readers see the new values at once.
    pub async fn import_csv(
        &self,
        path: std::path::PathBuf,
        known: Vec<String>,
    ) -> Result<usize, super::transfer::ImportError> {
        let db = self.db.clone();
        let loaded =
            tokio::task::spawn_blocking(move || super::transfer::import_csv(&db, &path, &known))
                .await
                .map_err(|e| super::transfer::ImportError::Db(DbError::Task(e)))??;
        self.written().await;
        Ok(loaded)
    }

    /// The database the store lives in (shared with the probe store).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The database file's path.
    pub fn database_path(&self) -> &std::path::Path {
        self.db.path()
    }

    /// Seeds demo history ending `today` when the store holds no KPI at all.
    /// Returns whether it seeded.
    pub async fn seed_demo_if_empty(&self, today: NaiveDate) -> Result<bool, DbError> {
        let seeded = self
            .db
            .run(move |connection| {
                let tx = connection.transaction()?;
                let rows: i64 = tx.query_row("SELECT count(*) FROM kpi_daily", [], |r| r.get(0))?;
                if rows > 0 {
                    return Ok(false);
                }
                let first = today
                    .checked_sub_days(Days::new(demo::DEMO_DAYS - 1))
                    .unwrap_or(today);
                let recorded_at = today.and_hms_opt(0, 0, 0).unwrap_or_default();
                {
                    let mut appender = tx.appender("kpi_daily")?;
                    for day in demo::history(first, today) {
                        for (metric, value) in day.metrics {
                            appender.append_row(params![day.day, metric, value, recorded_at])?;
                        }
                    }
                    appender.flush()?;
                }
                tx.execute(
                    "INSERT OR REPLACE INTO porthole_meta VALUES (?, 'true')",
                    [DEMO_KEY],
                )?;
                tx.commit()?;
                Ok(true)
            })
            .await?;
        self.written().await;
        Ok(seeded)
    }

    /// Writes `metrics` for `day`, replacing that day's earlier values of the
    /// same metrics; the first real write removes demo data. Acknowledged
    /// only once committed.
    pub async fn record_day(
        &self,
        day: NaiveDate,
        metrics: BTreeMap<String, f64>,
        recorded_at: NaiveDateTime,
    ) -> Result<(), DbError> {
        self.db
            .run(move |connection| {
                let tx = connection.transaction()?;
                if is_demo(&tx)? {
                    tx.execute_batch("DELETE FROM kpi_daily")?;
                    tx.execute("DELETE FROM porthole_meta WHERE key = ?", [DEMO_KEY])?;
                }
                {
                    let mut insert =
                        tx.prepare("INSERT OR REPLACE INTO kpi_daily VALUES (?, ?, ?, ?)")?;
                    for (metric, value) in &metrics {
                        insert.execute(params![day, metric, value, recorded_at])?;
                    }
                }
                tx.commit()?;
                Ok(())
            })
            .await?;
        self.written().await;
        Ok(())
    }

    /// Days stored, latest day and demo flag.
    pub async fn health(&self) -> Result<StoreHealth, DbError> {
        self.db
            .run(|connection| {
                let (total_records, latest_snapshot) = connection.query_row(
                    "SELECT count(DISTINCT day), max(day) FROM kpi_daily",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                Ok(StoreHealth {
                    total_records,
                    latest_snapshot,
                    demo: is_demo(connection)?,
                })
            })
            .await
    }

    /// Whether the store holds demo data.
    pub async fn is_demo(&self) -> Result<bool, DbError> {
        self.db.run(|connection| Ok(is_demo(connection)?)).await
    }

    /// The latest day's values, or `None` when nothing is stored.
    pub async fn latest(&self) -> Result<Option<LatestDay>, DbError> {
        self.db
            .run(|connection| {
                let latest: Option<(NaiveDate, NaiveDateTime)> = connection
                    .query_row(
                        "SELECT day, max(recorded_at) FROM kpi_daily
                         WHERE day = (SELECT max(day) FROM kpi_daily) GROUP BY day",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let Some((day, recorded_at)) = latest else {
                    return Ok(None);
                };
                let mut statement =
                    connection.prepare("SELECT metric, value FROM kpi_daily WHERE day = ?")?;
                let metrics = statement
                    .query_map([day], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                Ok(Some(LatestDay {
                    day,
                    recorded_at,
                    metrics,
                }))
            })
            .await
    }

    /// `metric`'s daily values from `first` to `last` (inclusive), in day order.
    pub async fn series(
        &self,
        metric: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<(NaiveDate, f64)>, DbError> {
        self.daily_values(
            "SELECT day, value FROM kpi_daily
             WHERE metric = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day",
            metric,
            first,
            last,
        )
        .await
    }

    /// `metric`'s daily values up to `last`, starting from the last stored
    /// day on or before `first` (so a value "as of" `first` is included even
    /// across a gap), in day order.
    pub async fn series_from_value_at(
        &self,
        metric: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<(NaiveDate, f64)>, DbError> {
        self.daily_values(
            "SELECT day, value FROM kpi_daily
             WHERE metric = ?1 AND day <= ?3 AND day >= coalesce(
                 (SELECT max(day) FROM kpi_daily WHERE metric = ?1 AND day <= ?2), ?2)
             ORDER BY day",
            metric,
            first,
            last,
        )
        .await
    }

    /// Runs a `(day, value)` query taking `?1` metric, `?2` first and `?3` last day.
    async fn daily_values(
        &self,
        sql: &'static str,
        metric: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<(NaiveDate, f64)>, DbError> {
        let metric = metric.to_owned();
        self.db
            .run(move |connection| {
                let mut statement = connection.prepare_cached(sql)?;
                let rows = statement
                    .query_map(params![metric, first, last], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                Ok(rows)
            })
            .await
    }

    /// Every metric's daily values up to `last`, each starting from its last
    /// stored day on or before `first`, in one query: metric → values in
    /// day order.
    pub async fn recent_all(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<BTreeMap<String, Vec<(NaiveDate, f64)>>, DbError> {
        self.db
            .run(move |connection| {
                let mut statement = connection.prepare_cached(
                    "WITH anchor AS (
                         SELECT metric, max(day) AS day FROM kpi_daily WHERE day <= ?1 GROUP BY metric)
                     SELECT k.metric, k.day, k.value
                     FROM kpi_daily k LEFT JOIN anchor a ON a.metric = k.metric
                     WHERE k.day <= ?2 AND k.day >= coalesce(a.day, ?1)
                     ORDER BY k.metric, k.day",
                )?;
                let mut by_metric: BTreeMap<String, Vec<(NaiveDate, f64)>> = BTreeMap::new();
                let rows = statement.query_map(params![first, last], |r| {
                    Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
                })?;
                for row in rows {
                    let (metric, day, value) = row?;
                    by_metric.entry(metric).or_default().push((day, value));
                }
                Ok(by_metric)
            })
            .await
    }

    /// The days from `first` to `last` (inclusive) that hold a value, per
    /// metric; demo data counts as nothing stored.
    pub async fn days_stored(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<BTreeMap<String, BTreeSet<NaiveDate>>, DbError> {
        self.db
            .run(move |connection| {
                let mut days: BTreeMap<String, BTreeSet<NaiveDate>> = BTreeMap::new();
                if is_demo(connection)? {
                    return Ok(days);
                }
                let mut statement = connection.prepare_cached(
                    "SELECT metric, day FROM kpi_daily WHERE day BETWEEN ?1 AND ?2",
                )?;
                let rows = statement.query_map(params![first, last], |r| {
                    Ok((r.get::<_, String>(0)?, r.get(1)?))
                })?;
                for row in rows {
                    let (metric, day) = row?;
                    days.entry(metric).or_default().insert(day);
                }
                Ok(days)
            })
            .await
    }

    /// Where each KPI's history begins upstream, as a backfill found it:
    /// metric → (first day with a value, the query that was asked). Days
    /// before it had no value there and are not asked again for that query.
    pub async fn history_starts(&self) -> Result<BTreeMap<String, HistoryStart>, DbError> {
        self.db
            .run(|connection| {
                let mut statement = connection.prepare_cached(
                    "SELECT key, value FROM porthole_meta WHERE starts_with(key, ?)",
                )?;
                let rows = statement.query_map([HISTORY_START_KEY], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?;
                let mut starts = BTreeMap::new();
                for row in rows {
                    let (key, value) = row?;
                    let metric = key.trim_start_matches(HISTORY_START_KEY);
                    // Written by `set_history_start` only: a row that does not
                    // read back is ignored, and that history is asked again.
                    let Some((day, query)) = value.split_once(' ') else {
                        continue;
                    };
                    if let Ok(first_day) = day.parse() {
                        starts.insert(
                            metric.to_owned(),
                            HistoryStart {
                                first_day,
                                query: query.to_owned(),
                            },
                        );
                    }
                }
                Ok(starts)
            })
            .await
    }

    /// Records where `metric`'s history begins upstream for `start.query`.
    pub async fn set_history_start(
        &self,
        metric: &str,
        start: HistoryStart,
    ) -> Result<(), DbError> {
        let key = format!("{HISTORY_START_KEY}{metric}");
        let value = format!("{} {}", start.first_day, start.query);
        self.db
            .run(move |connection| {
                connection.execute(
                    "INSERT OR REPLACE INTO porthole_meta VALUES (?, ?)",
                    params![key, value],
                )?;
                Ok(())
            })
            .await
    }

    /// The first day `metric` has a value stored, if any.
    pub async fn first_day(&self, metric: &str) -> Result<Option<NaiveDate>, DbError> {
        let metric = metric.to_owned();
        self.db
            .run(move |connection| {
                Ok(connection.query_row(
                    "SELECT min(day) FROM kpi_daily WHERE metric = ?",
                    [metric],
                    |r| r.get(0),
                )?)
            })
            .await
    }

    /// Every stored value of `metric`, in day order.
    pub async fn full_series(&self, metric: &str) -> Result<Vec<(NaiveDate, f64)>, DbError> {
        self.series(metric, NaiveDate::MIN, NaiveDate::MAX).await
    }
}

fn is_demo(connection: &Connection) -> Result<bool, duckdb::Error> {
    let flag: Option<String> = connection
        .query_row(
            "SELECT value FROM porthole_meta WHERE key = ?",
            [DEMO_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(flag.as_deref() == Some("true"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn store() -> (tempfile::TempDir, KpiStore) {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(&dir.path().join("kpi.duckdb")).expect("db");
        (dir, KpiStore::new(db))
    }

    fn metrics(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[tokio::test]
    async fn writing_a_day_again_replaces_it() {
        let (_dir, store) = store();
        let at = day("2026-01-28").and_hms_opt(11, 46, 45).expect("time");
        store
            .record_day(day("2026-01-28"), metrics(&[("total_users", 8.0)]), at)
            .await
            .expect("write");
        store
            .record_day(
                day("2026-01-28"),
                metrics(&[("total_users", 9.0), ("verified_users", 1.0)]),
                at,
            )
            .await
            .expect("write again");
        let series = store.full_series("total_users").await.expect("series");
        assert_eq!(series, vec![(day("2026-01-28"), 9.0)]);
        let health = store.health().await.expect("health");
        assert_eq!(health.total_records, 1);
        assert_eq!(health.latest_snapshot, Some(day("2026-01-28")));
    }

    #[tokio::test]
    async fn demo_seeds_once_and_the_first_real_write_replaces_it() {
        let (_dir, store) = store();
        assert!(
            store
                .seed_demo_if_empty(day("2026-01-28"))
                .await
                .expect("seed")
        );
        assert!(
            !store
                .seed_demo_if_empty(day("2026-01-28"))
                .await
                .expect("no reseed")
        );
        let health = store.health().await.expect("health");
        assert!(health.demo);
        assert_eq!(health.total_records, demo::DEMO_DAYS as i64);

        let at = day("2026-01-29").and_hms_opt(0, 0, 0).expect("time");
        store
            .record_day(day("2026-01-29"), metrics(&[("total_users", 3.0)]), at)
            .await
            .expect("real write");
        let health = store.health().await.expect("health");
        assert!(!health.demo);
        assert_eq!(health.total_records, 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readers_see_whole_days_while_days_are_written() {
        let (_dir, store) = store();
        let first = day("2026-01-01");
        let writer = {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..150u64 {
                    let at = first.and_hms_opt(0, 0, 0).expect("time");
                    let values =
                        metrics(&[("total_users", i as f64), ("verified_users", i as f64)]);
                    store
                        .record_day(first + Days::new(i), values, at)
                        .await
                        .expect("write");
                }
            })
        };
        let mut reads = 0;
        while !writer.is_finished() {
            // Both metrics of a day are written in one transaction: a reader
            // sees both or neither, never half a day.
            if let Some(latest) = store.latest().await.expect("read while writing") {
                assert_eq!(latest.metrics.len(), 2, "half a day visible: {latest:?}");
            }
            reads += 1;
        }
        writer.await.expect("writer");
        assert!(reads > 10, "only {reads} reads overlapped the writes");
        assert_eq!(store.health().await.expect("health").total_records, 150);
    }

    #[tokio::test]
    async fn latest_holds_every_metric_of_the_last_day() {
        let (_dir, store) = store();
        assert_eq!(store.latest().await.expect("latest"), None);
        let at = day("2026-01-28").and_hms_opt(11, 46, 45).expect("time");
        store
            .record_day(day("2026-01-27"), metrics(&[("total_users", 8.0)]), at)
            .await
            .expect("write");
        store
            .record_day(
                day("2026-01-28"),
                metrics(&[("total_users", 9.0), ("verified_users", 1.0)]),
                at,
            )
            .await
            .expect("write");
        let latest = store.latest().await.expect("latest").expect("a day");
        assert_eq!(latest.day, day("2026-01-28"));
        assert_eq!(latest.recorded_at, at);
        assert_eq!(
            latest.metrics,
            metrics(&[("total_users", 9.0), ("verified_users", 1.0)])
        );
    }
}
