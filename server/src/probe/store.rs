//! Check results in DuckDB: raw results (kept for the configured retention),
//! daily aggregates per service (kept forever) and incidents (kept forever).
//!
//! Uptime is counted in checks: a day's uptime is its healthy checks over
//! its checks. While Porthole itself is down nothing is checked, so that
//! time is "no data" and never downtime.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::Duration,
};

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};
use duckdb::{OptionalExt, params};

use super::{
    check::CheckResult,
    incidents::{Change, ServiceIncident},
};
use crate::db::{Db, DbError};

/// One service's day.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyRow {
    /// The day (UTC).
    pub day: NaiveDate,
    /// The service's id.
    pub service: String,
    /// Checks made that day.
    pub checks: i64,
    /// Healthy checks among them.
    pub ok_checks: i64,
    /// Median latency of the day's answers, in ms.
    pub latency_p50: Option<f64>,
    /// 95th percentile latency of the day's answers, in ms.
    pub latency_p95: Option<f64>,
}

/// Checks and healthy checks of one service over a span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Checks made.
    pub checks: i64,
    /// Healthy checks.
    pub ok_checks: i64,
}

impl Tally {
    /// Healthy checks in percent, `None` without data.
    pub fn percent(self) -> Option<f64> {
        (self.checks > 0).then(|| 100.0 * self.ok_checks as f64 / self.checks as f64)
    }
}

/// One latency sample of a time bucket, for latency charts.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyPoint {
    /// The service's id.
    pub service: String,
    /// The bucket's start.
    pub at: NaiveDateTime,
    /// The bucket's 95th percentile latency in ms.
    pub p95_ms: f64,
}

/// The condition a raw result must meet to count for uptime: healthy, or
/// outside every maintenance window of its service (the `notices` tables'
/// `maintenance_windows` view). A literal, so queries are built with
/// `concat!`.
macro_rules! counted {
    () => {
        "(ok OR NOT EXISTS (SELECT 1 FROM maintenance_windows w
             WHERE w.service = probe_results.service
               AND probe_results.checked_at >= w.starts_at
               AND probe_results.checked_at < w.ends_at))"
    };
}

/// Probe storage over the shared database; cheap to clone.
#[derive(Debug, Clone)]
pub struct ProbeStore {
    db: Db,
    /// Each service's latest result, kept in memory: the status page needs
    /// it on every render and it changes with every check.
    latest: Arc<RwLock<HashMap<String, CheckResult>>>,
}

impl ProbeStore {
    /// A store over `db` (already migrated).
    pub fn new(db: Db) -> Self {
        Self {
            db,
            latest: Arc::default(),
        }
    }

    /// Loads each service's latest result of the day before `now` (at start,
    /// so the status page knows the last verdicts before the first check).
    pub async fn load_latest(&self, now: NaiveDateTime) -> Result<(), DbError> {
        let since = now - TimeDelta::days(1);
        let loaded = self
            .db
            .query(
                "SELECT service, max(checked_at), arg_max(ok, checked_at), arg_max(latency_ms, checked_at),
                        arg_max(http_status, checked_at), arg_max(error, checked_at),
                        arg_max(cert_expires_at, checked_at)
                 FROM probe_results WHERE checked_at >= ? GROUP BY service",
                [since],
                |row| {
                    let ok = row.get(2)?;
                    Ok(CheckResult {
                        service: row.get(0)?,
                        at: row.get(1)?,
                        ok,
                        ok_here: ok,
                        latency_ms: row.get(3)?,
                        http_status: row
                            .get::<_, Option<i32>>(4)?
                            .and_then(|s| u16::try_from(s).ok()),
                        error: row.get(5)?,
                        cert_expires_at: row.get(6)?,
                        locations: Vec::new(),
                    })
                },
            )
            .await?;
        if let Ok(mut latest) = self.latest.write() {
            for result in loaded {
                latest.entry(result.service.clone()).or_insert(result);
            }
        }
        Ok(())
    }

    /// Each service's latest result.
    pub fn latest(&self) -> HashMap<String, CheckResult> {
        self.latest
            .read()
            .map(|latest| latest.clone())
            .unwrap_or_default()
    }

    /// Writes results and the incident changes they caused, in one
    /// transaction.
    pub async fn record(
        &self,
        results: Vec<CheckResult>,
        changes: Vec<(String, Change)>,
    ) -> Result<(), DbError> {
        let written = results.clone();
        self.db
            .run(move |connection| {
                let tx = connection.transaction()?;
                {
                    let mut appender = tx.appender("probe_results")?;
                    for r in &results {
                        appender.append_row(params![
                            r.at,
                            r.service,
                            r.ok,
                            r.latency_ms,
                            r.http_status.map(i32::from),
                            r.error,
                            r.cert_expires_at
                        ])?;
                    }
                    appender.flush()?;
                }
                for (service, change) in &changes {
                    match change {
                        Change::Opened { started_at } => tx.execute(
                            "INSERT OR REPLACE INTO probe_incidents VALUES (?, ?, NULL)",
                            params![service, started_at],
                        )?,
                        Change::Closed {
                            started_at,
                            ended_at,
                        } => tx.execute(
                            "UPDATE probe_incidents SET ended_at = ? WHERE service = ? AND started_at = ?",
                            params![ended_at, service, started_at],
                        )?,
                    };
                }
                tx.commit()?;
                Ok(())
            })
            .await?;
        if let Ok(mut latest) = self.latest.write() {
            for result in written {
                latest.insert(result.service.clone(), result);
            }
        }
        Ok(())
    }

    /// Incidents still open, by service.
    pub async fn open_incidents(&self) -> Result<HashMap<String, NaiveDateTime>, DbError> {
        let open = self
            .db
            .query(
                "SELECT service, max(started_at) FROM probe_incidents
                 WHERE ended_at IS NULL GROUP BY service",
                duckdb::params_from_iter(std::iter::empty::<i32>()),
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .await?;
        Ok(open.into_iter().collect())
    }

    /// Rolls raw results into daily aggregates (the last rolled day again,
    /// as it may have been partial, and every day since), then drops raw
    /// results older than `retention` whose days are rolled up.
    pub async fn rollup(&self, now: NaiveDateTime, retention: Duration) -> Result<(), DbError> {
        let cutoff = now - TimeDelta::from_std(retention).unwrap_or(TimeDelta::days(30));
        self.db
            .run(move |connection| {
                let tx = connection.transaction()?;
                let last: Option<NaiveDate> = tx
                    .query_row("SELECT max(day) FROM probe_daily", [], |row| row.get(0))
                    .optional()?
                    .flatten();
                let from = last
                    .and_then(|day| day.and_hms_opt(0, 0, 0))
                    .unwrap_or(NaiveDateTime::MIN);
                tx.execute(
                    concat!(
                    r#"INSERT OR REPLACE INTO probe_daily
                     SELECT CAST(checked_at AS DATE), service, count(*), count(*) FILTER (WHERE ok),
                            quantile_cont(latency_ms, 0.5), quantile_cont(latency_ms, 0.95)
                     FROM probe_results WHERE checked_at >= ? AND "#,
                    counted!(),
                    r#" GROUP BY ALL"#
                    ),
                    [from],
                )?;
                tx.execute(
                    "DELETE FROM probe_results
                     WHERE checked_at < ? AND CAST(checked_at AS DATE) < (SELECT max(day) FROM probe_daily)",
                    [cutoff],
                )?;
                tx.commit()?;
                Ok(())
            })
            .await
    }

    /// Daily aggregates of every service from `first` on. The days from
    /// the last rolled-up one on (it may have been partial, and today is
    /// never whole) are aggregated from raw results as asked, so today's
    /// checks count before any rollup has seen them.
    pub async fn daily_since(&self, first: NaiveDate) -> Result<Vec<DailyRow>, DbError> {
        self.db
            .query(
                concat!(
                    r#"WITH rolled AS (
                     SELECT coalesce(max(day), DATE '0001-01-01') AS last FROM probe_daily)
                 SELECT day, service, checks, ok_checks, latency_p50, latency_p95
                 FROM probe_daily, rolled WHERE day >= ?1 AND day < rolled.last
                 UNION ALL
                 SELECT CAST(checked_at AS DATE), service, count(*), count(*) FILTER (WHERE ok),
                        quantile_cont(latency_ms, 0.5), quantile_cont(latency_ms, 0.95)
                 FROM probe_results, rolled
                 WHERE checked_at >= CAST(greatest(?1, rolled.last) AS TIMESTAMP) AND "#,
                    counted!(),
                    r#"
                 GROUP BY ALL
                 ORDER BY 1"#
                ),
                [first],
                |row| {
                    Ok(DailyRow {
                        day: row.get(0)?,
                        service: row.get(1)?,
                        checks: row.get(2)?,
                        ok_checks: row.get(3)?,
                        latency_p50: row.get(4)?,
                        latency_p95: row.get(5)?,
                    })
                },
            )
            .await
    }

    /// Each service's checks since `since`, from raw results.
    pub async fn tally_since(
        &self,
        since: NaiveDateTime,
    ) -> Result<HashMap<String, Tally>, DbError> {
        let tallies = self
            .db
            .query(
                concat!(
                    "SELECT service, count(*), count(*) FILTER (WHERE ok)
                     FROM probe_results WHERE checked_at >= ? AND ",
                    counted!(),
                    " GROUP BY service"
                ),
                [since],
                |row| {
                    Ok((
                        row.get(0)?,
                        Tally {
                            checks: row.get(1)?,
                            ok_checks: row.get(2)?,
                        },
                    ))
                },
            )
            .await?;
        Ok(tallies.into_iter().collect())
    }

    /// Incidents that were ongoing at or began after `since`.
    pub async fn incidents_since(
        &self,
        since: NaiveDateTime,
    ) -> Result<Vec<ServiceIncident>, DbError> {
        self.db
            .query(
                "SELECT service, started_at, ended_at FROM probe_incidents
                 WHERE ended_at IS NULL OR ended_at >= ? ORDER BY started_at",
                [since],
                |row| {
                    Ok(ServiceIncident {
                        service: row.get(0)?,
                        started_at: row.get(1)?,
                        ended_at: row.get(2)?,
                    })
                },
            )
            .await
    }

    /// The newest `limit` incidents of any service, oldest first (as
    /// `incidents::merge` takes them).
    pub async fn latest_incidents(&self, limit: u64) -> Result<Vec<ServiceIncident>, DbError> {
        self.db
            .query(
                "SELECT * FROM (SELECT service, started_at, ended_at FROM probe_incidents
                 ORDER BY started_at DESC LIMIT ?) ORDER BY started_at",
                [i64::try_from(limit).unwrap_or(i64::MAX)],
                |row| {
                    Ok(ServiceIncident {
                        service: row.get(0)?,
                        started_at: row.get(1)?,
                        ended_at: row.get(2)?,
                    })
                },
            )
            .await
    }

    /// The `q` quantile of every answer's latency since `since`, in ms.
    pub async fn latency_quantile_since(
        &self,
        since: NaiveDateTime,
        q: f64,
    ) -> Result<Option<f64>, DbError> {
        self.db
            .run(move |connection| {
                Ok(connection.query_row(
                    "SELECT quantile_cont(latency_ms, ?) FROM probe_results WHERE checked_at >= ?",
                    params![q, since],
                    |row| row.get(0),
                )?)
            })
            .await
    }

    /// p95 latency per service in buckets of `bucket` over [`from`, `to`],
    /// from raw results.
    pub async fn latency_p95(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        bucket: Duration,
    ) -> Result<Vec<LatencyPoint>, DbError> {
        let bucket_ms = i64::try_from(bucket.as_millis())
            .unwrap_or(i64::MAX)
            .max(1000);
        self.db
            .run(move |connection| {
                let mut statement = connection.prepare(
                    "SELECT service,
                            make_timestamp(CAST(floor(epoch_ms(checked_at) / ?) * ? AS BIGINT) * 1000) AS bucket,
                            quantile_cont(latency_ms, 0.95)
                     FROM probe_results
                     WHERE checked_at >= ? AND checked_at <= ? AND latency_ms IS NOT NULL
                     GROUP BY ALL ORDER BY bucket",
                )?;
                let rows = statement.query_map(params![bucket_ms, bucket_ms, from, to], |row| {
                    Ok(LatencyPoint {
                        service: row.get(0)?,
                        at: row.get(1)?,
                        p95_ms: row.get(2)?,
                    })
                })?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }
}

impl ProbeStore {
    /// One service's p50 and p95 latency in buckets of `bucket` over
    /// [`from`, `to`], from raw results: (bucket start, p50, p95).
    pub async fn service_latency(
        &self,
        service: &str,
        from: NaiveDateTime,
        to: NaiveDateTime,
        bucket: Duration,
    ) -> Result<Vec<(NaiveDateTime, f64, f64)>, DbError> {
        let bucket_ms = i64::try_from(bucket.as_millis())
            .unwrap_or(i64::MAX)
            .max(1000);
        let service = service.to_owned();
        self.db
            .run(move |connection| {
                let mut statement = connection.prepare(
                    "SELECT make_timestamp(CAST(floor(epoch_ms(checked_at) / ?) * ? AS BIGINT) * 1000) AS bucket,
                            quantile_cont(latency_ms, 0.5), quantile_cont(latency_ms, 0.95)
                     FROM probe_results
                     WHERE service = ? AND checked_at >= ? AND checked_at <= ? AND latency_ms IS NOT NULL
                     GROUP BY bucket ORDER BY bucket",
                )?;
                let rows = statement
                    .query_map(params![bucket_ms, bucket_ms, service, from, to], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                    })?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }
}

/// The first day of the `days` days ending with `today`.
pub fn first_of(today: NaiveDate, days: u64) -> NaiveDate {
    today
        .checked_sub_days(Days::new(days.saturating_sub(1)))
        .unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .and_then(|d| d.and_hms_opt(hour, minute, 0))
            .expect("time")
    }

    fn result(at: NaiveDateTime, ok: bool, latency_ms: f64) -> CheckResult {
        CheckResult {
            service: "api".to_owned(),
            at,
            ok,
            ok_here: ok,
            latency_ms: Some(latency_ms),
            http_status: Some(200),
            error: None,
            cert_expires_at: None,
            locations: Vec::new(),
        }
    }

    #[tokio::test]
    async fn rollup_aggregates_days_and_retention_keeps_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ProbeStore::new(Db::open(&dir.path().join("p.duckdb")).expect("db"));
        // The 1st: four checks, one failed; the 2nd: two checks (a partial
        // day: Porthole started late); the 3rd: nothing (Porthole down).
        let results = vec![
            result(at(1, 0, 0), true, 10.0),
            result(at(1, 6, 0), true, 20.0),
            result(at(1, 12, 0), false, 30.0),
            result(at(1, 18, 0), true, 40.0),
            result(at(2, 22, 0), true, 50.0),
            result(at(2, 23, 0), true, 60.0),
            result(at(4, 1, 0), true, 70.0),
        ];
        store.record(results, vec![]).await.expect("record");
        store
            .rollup(at(4, 2, 0), Duration::from_secs(86_400))
            .await
            .expect("rollup");
        let days = store
            .daily_since(NaiveDate::from_ymd_opt(2026, 11, 1).expect("day"))
            .await
            .expect("daily");
        let summary: Vec<(u32, i64, i64)> = days
            .iter()
            .map(|d| (chrono::Datelike::day(&d.day), d.checks, d.ok_checks))
            .collect();
        assert_eq!(
            summary,
            [(1, 4, 3), (2, 2, 2), (4, 1, 1)],
            "no row for the 3rd"
        );
        assert_eq!(days[0].latency_p50, Some(25.0));
        // Raw results older than a day are gone, their days are not.
        let tally = store.tally_since(at(1, 0, 0)).await.expect("tally");
        assert_eq!(
            tally["api"],
            Tally {
                checks: 1,
                ok_checks: 1
            }
        );
        // Rolling up again (today grew) replaces today's row only.
        store
            .record(vec![result(at(4, 1, 30), false, 80.0)], vec![])
            .await
            .expect("record");
        store
            .rollup(at(4, 2, 0), Duration::from_secs(86_400))
            .await
            .expect("rollup");
        let days = store
            .daily_since(NaiveDate::from_ymd_opt(2026, 11, 1).expect("day"))
            .await
            .expect("daily");
        assert_eq!(days.len(), 3);
        assert_eq!((days[2].checks, days[2].ok_checks), (2, 1));
        // A check not rolled up yet counts at once.
        store
            .record(vec![result(at(4, 1, 45), true, 90.0)], vec![])
            .await
            .expect("record");
        let days = store
            .daily_since(NaiveDate::from_ymd_opt(2026, 11, 1).expect("day"))
            .await
            .expect("daily");
        assert_eq!(
            (days[2].checks, days[2].ok_checks),
            (3, 2),
            "before its rollup"
        );
        assert_eq!(days[2].latency_p95, Some(89.0));
        assert_eq!((days[0].checks, days[0].ok_checks), (4, 3), "kept forever");
    }

    #[tokio::test]
    async fn incidents_and_latest_results_survive_a_restart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.duckdb");
        {
            let store = ProbeStore::new(Db::open(&path).expect("db"));
            store
                .record(
                    vec![result(at(1, 0, 0), false, 5.0)],
                    vec![(
                        "api".to_owned(),
                        Change::Opened {
                            started_at: at(1, 0, 0),
                        },
                    )],
                )
                .await
                .expect("record");
        }
        let store = ProbeStore::new(Db::open(&path).expect("db"));
        store.load_latest(at(1, 1, 0)).await.expect("load");
        assert!(!store.latest()["api"].ok);
        let open = store.open_incidents().await.expect("open");
        assert_eq!(open["api"], at(1, 0, 0));
        store
            .record(
                vec![result(at(1, 2, 0), true, 5.0)],
                vec![(
                    "api".to_owned(),
                    Change::Closed {
                        started_at: at(1, 0, 0),
                        ended_at: at(1, 2, 0),
                    },
                )],
            )
            .await
            .expect("record");
        assert!(store.open_incidents().await.expect("open").is_empty());
        let incidents = store.incidents_since(at(1, 0, 0)).await.expect("incidents");
        assert_eq!(incidents[0].ended_at, Some(at(1, 2, 0)));
    }
}
