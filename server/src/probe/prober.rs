//! The prober: one task per service checks it at its interval (jittered, a
//! check never overlapping the previous one of the same service, at most
//! `max_concurrent` checks in flight), and one writer stores the results,
//! tracks incidents and rolls up daily aggregates.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use tokio::{
    sync::{Semaphore, mpsc},
    task::JoinSet,
};

use super::{
    check::{CheckResult, Checker},
    incidents::{Change, Streak},
    store::ProbeStore,
};
use crate::{
    config::{ProbeSettings, ServiceConfig},
    db::DbError,
    metrics::Metrics,
    notices::NoticeStore,
    webhooks::{Event, Outbox},
};

/// How often raw results are rolled into daily aggregates (and the status
/// page's daily bars and long uptimes move).
const ROLLUP_EVERY: Duration = Duration::from_secs(60);

/// Results waiting for the writer; checks wait when it falls this far behind.
const QUEUE: usize = 1024;

/// The running prober.
pub struct Prober {
    results: mpsc::Sender<CheckResult>,
    checks: Mutex<JoinSet<()>>,
    max_concurrent: usize,
}

impl std::fmt::Debug for Prober {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prober").finish_non_exhaustive()
    }
}

impl Prober {
    /// Starts checking `services` and storing what is found.
    pub async fn start(
        store: ProbeStore,
        notices: NoticeStore,
        events: Outbox,
        settings: &ProbeSettings,
        services: &[ServiceConfig],
        checker: Checker,
        metrics: Arc<Metrics>,
    ) -> Result<Self, DbError> {
        let streaks = store
            .open_incidents()
            .await?
            .into_iter()
            .map(|(service, started_at)| (service, Streak::resume(Some(started_at))))
            .collect();
        let (results, queue) = mpsc::channel(QUEUE);
        let names: HashMap<String, String> = services
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect();
        tokio::spawn(write(
            store,
            notices,
            (events, names),
            queue,
            streaks,
            settings.clone(),
            metrics,
        ));
        let prober = Self {
            results,
            checks: Mutex::new(JoinSet::new()),
            max_concurrent: settings.max_concurrent,
        };
        prober.check(services, checker);
        Ok(prober)
    }

    /// Replaces the services checked (after a configuration reload); checks
    /// in flight are dropped, history is kept.
    pub fn check(&self, services: &[ServiceConfig], checker: Checker) {
        let permits = Arc::new(Semaphore::new(self.max_concurrent.max(1)));
        let Ok(mut checks) = self.checks.lock() else {
            return;
        };
        checks.abort_all();
        for service in services {
            checks.spawn(check_forever(
                service.clone(),
                checker.clone(),
                permits.clone(),
                self.results.clone(),
            ));
        }
    }
}

impl Drop for Prober {
    fn drop(&mut self) {
        if let Ok(mut checks) = self.checks.lock() {
            checks.abort_all();
        }
    }
}

/// Checks one service until aborted. The first check comes within a few
/// seconds (jittered, so services do not all start at once); later ones
/// follow at the interval, each moved by up to ±10% so that checks of
/// services sharing a host spread out.
async fn check_forever(
    service: ServiceConfig,
    checker: Checker,
    permits: Arc<Semaphore>,
    results: mpsc::Sender<CheckResult>,
) {
    let first = service.interval.min(Duration::from_secs(5));
    tokio::time::sleep(first.mul_f64(fastrand::f64())).await;
    loop {
        let started = tokio::time::Instant::now();
        let result = {
            let Ok(_permit) = permits.acquire().await else {
                return;
            };
            checker.check(&service).await
        };
        if results.send(result).await.is_err() {
            return;
        }
        let next = service.interval.mul_f64(0.9 + 0.2 * fastrand::f64());
        tokio::time::sleep_until(started + next).await;
    }
}

/// Stores results as they come, with the incidents they open or close
/// (failures inside a maintenance window open none), and
/// rolls up daily aggregates every minute.
async fn write(
    store: ProbeStore,
    notices: NoticeStore,
    (events, names): (Outbox, HashMap<String, String>),
    mut queue: mpsc::Receiver<CheckResult>,
    mut streaks: HashMap<String, Streak>,
    settings: ProbeSettings,
    metrics: Arc<Metrics>,
) {
    let mut rollup = tokio::time::interval(ROLLUP_EVERY);
    rollup.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut batch = Vec::new();
    loop {
        tokio::select! {
            received = queue.recv_many(&mut batch, 256) => {
                if received == 0 {
                    return;
                }
                let results = std::mem::take(&mut batch);
                let mut changes = Vec::new();
                for result in &results {
                    metrics.record_probe(
                        settings.location.as_deref().unwrap_or_default(),
                        &result.service,
                        result.ok_here,
                        result.latency_ms,
                    );
                    // A failure inside a maintenance window is planned: it
                    // neither opens an incident nor breaks a streak of them.
                    if !result.ok && notices.under_maintenance(&result.service, result.at) {
                        continue;
                    }
                    let streak = streaks.entry(result.service.clone()).or_default();
                    if let Some(change) = streak.observe(result.ok, result.at, settings.incident_after) {
                        changes.push((result.service.clone(), change));
                    }
                }
                let told = changes.clone();
                if let Err(error) = store.record(results, changes).await {
                    tracing::error!(%error, "cannot store check results");
                    continue;
                }
                for (service, change) in &told {
                    let name = names.get(service).map_or(service.as_str(), String::as_str);
                    events.enqueue_or_log(&status_event(service, name, change)).await;
                }
            }
            _ = rollup.tick() => {
                if let Err(error) = store.rollup(Utc::now().naive_utc(), settings.retention).await {
                    tracing::error!(%error, "cannot roll up check results");
                }
            }
        }
    }
}

/// The webhook event of a service's incident opening or closing.
fn status_event(id: &str, name: &str, change: &Change) -> Event {
    match change {
        Change::Opened { started_at } => {
            Event::service(id, name, true, started_at.and_utc(), started_at.and_utc())
        }
        Change::Closed {
            started_at,
            ended_at,
        } => Event::service(id, name, false, started_at.and_utc(), ended_at.and_utc()),
    }
}
