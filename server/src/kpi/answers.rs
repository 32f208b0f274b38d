//! The KPI API's answers as JSON bytes, cached by question, day and store
//! generation. After each committed write the questions asked before are
//! answered afresh *before the write returns*, so the first reader after a
//! write is served from memory like every later one, not by DuckDB.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
};

use bytes::Bytes;
use chrono::{Days, NaiveDate, Utc};
use futures::future::BoxFuture;
use serde::Serialize;

use super::{
    growth::{KpiValue, MetricSummary, growth_rows, monthly_rows, summarize},
    store::{AfterWrite, KpiStore},
};

/// The longest growth window the API answers, in days (ten years).
pub const MAX_GROWTH_DAYS: u32 = 3660;

/// The questions answered again after a write, at most: each costs a
/// DuckDB query while the writer waits.
const MAX_REFRESHED: usize = 16;

/// Bytes of JSON the cache keeps: ten years of daily growth rows are about
/// 250 KB, so this holds the common answers with room, and a stranger
/// asking every window cannot grow it further.
const CACHE_BYTES: u64 = 8 * 1024 * 1024;

/// One question of the KPI API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KpiQuestion {
    /// The latest day's values.
    Latest,
    /// Daily growth of total users over the last `days` days.
    Growth {
        /// The window, 1 to [`MAX_GROWTH_DAYS`].
        days: u32,
    },
    /// Total users month by month.
    Monthly,
    /// Each metric's latest value and its 7- and 30-day change.
    Summary,
}

/// Why a question has no answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AnswerError {
    /// Nothing is stored that the question could be answered from.
    #[error("no KPI has been recorded yet: push one with POST /api/v1/kpis")]
    NothingRecorded,
    /// The store failed; the detail is for logs.
    #[error("{0}")]
    Store(String),
}

type Key = (KpiQuestion, NaiveDate, u64);

/// The answers, shared by every request handler and the store's writers.
#[derive(Clone)]
pub struct KpiAnswers {
    store: KpiStore,
    known_metrics: Arc<Vec<String>>,
    cache: moka::future::Cache<Key, Bytes>,
}

impl std::fmt::Debug for KpiAnswers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KpiAnswers")
            .field("cached", &self.cache.entry_count())
            .finish()
    }
}

impl KpiAnswers {
    /// Answers over `store`, whose later writes refresh them before they
    /// return. `known_metrics` are the metrics a summary lists.
    pub fn new(store: &KpiStore, known_metrics: Arc<Vec<String>>) -> Arc<Self> {
        let answers = Arc::new(Self {
            store: store.clone(),
            known_metrics,
            cache: moka::future::Cache::builder()
                .weigher(|_, body: &Bytes| u32::try_from(body.len()).unwrap_or(u32::MAX))
                .max_capacity(CACHE_BYTES)
                // Answers relative to today are keyed by day; this only
                // bounds how long an unasked one stays.
                .time_to_live(std::time::Duration::from_secs(3600))
                .build(),
        });
        store.after_each_write(answers.clone());
        answers
    }

    /// The JSON answer to `question`, computed at most once per store
    /// generation and day however many ask at once.
    pub async fn answer(&self, question: KpiQuestion) -> Result<Bytes, AnswerError> {
        let key = (question, Utc::now().date_naive(), self.store.generation());
        self.cache
            .try_get_with(key, self.compute(question))
            .await
            .map_err(|error| (*error).clone())
    }

    async fn compute(&self, question: KpiQuestion) -> Result<Bytes, AnswerError> {
        let json = match question {
            KpiQuestion::Latest => serde_json::to_vec(&self.latest().await?),
            KpiQuestion::Growth { days } => serde_json::to_vec(&self.growth(days).await?),
            KpiQuestion::Monthly => serde_json::to_vec(&monthly_rows(
                &self.store.full_series("total_users").await.map_err(store)?,
            )),
            KpiQuestion::Summary => serde_json::to_vec(&self.summary().await?),
        };
        json.map(Bytes::from)
            .map_err(|e| AnswerError::Store(e.to_string()))
    }

    async fn latest(&self) -> Result<Latest, AnswerError> {
        let Some(mut day) = self.store.latest().await.map_err(store)? else {
            return Err(AnswerError::NothingRecorded);
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
    }

    async fn growth(&self, days: u32) -> Result<Vec<super::growth::GrowthRow>, AnswerError> {
        let today = Utc::now().date_naive();
        let first = today
            .checked_sub_days(Days::new(u64::from(days.max(1)) - 1))
            .unwrap_or(NaiveDate::MIN);
        let series = self
            .store
            .series("total_users", first, today)
            .await
            .map_err(store)?;
        Ok(growth_rows(&series))
    }

    async fn summary(&self) -> Result<Summary, AnswerError> {
        let health = self.store.health().await.map_err(store)?;
        let mut metrics = BTreeMap::new();
        if let Some(latest) = health.latest_snapshot {
            let first = latest
                .checked_sub_days(Days::new(30))
                .unwrap_or(NaiveDate::MIN);
            let recent = self.store.recent_all(first, latest).await.map_err(store)?;
            for metric in self.known_metrics.iter() {
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
    }

    /// The questions asked today, whatever the generation, at most
    /// [`MAX_REFRESHED`] of them (the fixed questions first).
    fn asked_today(&self) -> BTreeSet<KpiQuestion> {
        let today = Utc::now().date_naive();
        let mut asked: Vec<KpiQuestion> = self
            .cache
            .iter()
            .filter(|(key, _)| key.1 == today)
            .map(|(key, _)| key.0)
            .collect();
        asked.sort_unstable_by_key(|question| match question {
            KpiQuestion::Growth { days } => (1, *days),
            _ => (0, 0),
        });
        asked.dedup();
        asked.into_iter().take(MAX_REFRESHED).collect()
    }
}

impl AfterWrite for KpiAnswers {
    fn after_write(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            for question in self.asked_today() {
                // A failure is answered (and logged) when a reader asks.
                let _ = self.answer(question).await;
            }
        })
    }
}

fn store(error: crate::db::DbError) -> AnswerError {
    AnswerError::Store(error.to_string())
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

/// `summary`: each metric's latest value and its change over the 7 and 30
/// days before that value.
#[derive(Debug, Serialize)]
struct Summary {
    date: Option<NaiveDate>,
    demo: bool,
    metrics: BTreeMap<String, MetricSummary>,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::Utc;

    use super::*;
    use crate::db::Db;

    async fn store_with_users(dir: &std::path::Path) -> KpiStore {
        let store = KpiStore::new(Db::open(&dir.join("kpi.duckdb")).expect("db"));
        let today = Utc::now().date_naive();
        store
            .record_day(
                today,
                BTreeMap::from([("total_users".to_owned(), 10.0)]),
                Utc::now().naive_utc(),
            )
            .await
            .expect("write");
        store
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_answers_what_was_asked_before_it_returns() {
        let dir = tempfile::tempdir().expect("dir");
        let store = store_with_users(dir.path()).await;
        let answers = KpiAnswers::new(&store, Arc::new(vec!["total_users".to_owned()]));
        let before = answers.answer(KpiQuestion::Latest).await.expect("latest");
        assert!(String::from_utf8_lossy(&before).contains("\"total_users\":10"));
        answers
            .answer(KpiQuestion::Growth { days: 30 })
            .await
            .expect("growth");

        store
            .record_day(
                Utc::now().date_naive(),
                BTreeMap::from([("total_users".to_owned(), 12.0)]),
                Utc::now().naive_utc(),
            )
            .await
            .expect("write");

        // Both questions already stand answered for the new generation.
        let today = Utc::now().date_naive();
        let generation = store.generation();
        for question in [KpiQuestion::Latest, KpiQuestion::Growth { days: 30 }] {
            let cached = answers
                .cache
                .get(&(question, today, generation))
                .await
                .unwrap_or_else(|| panic!("{question:?} was not answered afresh"));
            assert!(
                String::from_utf8_lossy(&cached).contains("\"total_users\":12"),
                "{question:?}: {}",
                String::from_utf8_lossy(&cached)
            );
        }
        // A question never asked is not computed on a write.
        assert!(
            answers
                .cache
                .get(&(KpiQuestion::Monthly, today, generation))
                .await
                .is_none()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn refreshing_is_bounded_and_fixed_questions_come_first() {
        let dir = tempfile::tempdir().expect("dir");
        let store = store_with_users(dir.path()).await;
        let answers = KpiAnswers::new(&store, Arc::new(Vec::new()));
        for days in 1..=40 {
            answers
                .answer(KpiQuestion::Growth { days })
                .await
                .expect("growth");
        }
        answers.answer(KpiQuestion::Summary).await.expect("summary");
        answers.cache.run_pending_tasks().await;
        let asked = answers.asked_today();
        assert_eq!(asked.len(), MAX_REFRESHED);
        assert!(asked.contains(&KpiQuestion::Summary));
        assert!(asked.contains(&KpiQuestion::Growth { days: 1 }));
        assert!(!asked.contains(&KpiQuestion::Growth { days: 40 }));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_empty_store_has_no_latest_day() {
        let dir = tempfile::tempdir().expect("dir");
        let store = KpiStore::new(Db::open(&dir.path().join("kpi.duckdb")).expect("db"));
        let answers = KpiAnswers::new(&store, Arc::new(Vec::new()));
        assert!(matches!(
            answers.answer(KpiQuestion::Latest).await,
            Err(AnswerError::NothingRecorded)
        ));
        let growth = answers
            .answer(KpiQuestion::Growth { days: 7 })
            .await
            .expect("growth");
        assert_eq!(&growth[..], b"[]");
    }
}
