//! The status report: what `/status`, `/api/status` and badges show, made
//! from the stored results and cached for a few seconds so that viewers
//! never multiply database work.

use std::{collections::HashMap, sync::Arc, time::Duration};

use app::model::{
    CertificateStatus, DayBar, HISTORY_PAGE_SIZE, HistoryEntry, HistoryPage, Incident,
    MAX_HISTORY_PAGES, NoticePage, OverallLevel, ServiceGroup, ServiceState, ServiceStatus,
    StatusReport, StatusSummary, UptimeFigure, UptimeRange,
};
use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta, Utc};

use super::{
    check::CheckResult,
    incidents::{ServiceIncident, merge},
    store::{DailyRow, ProbeStore, Tally, first_of},
};
use crate::{
    config::ServiceConfig,
    db::DbError,
    notices::{
        NoticeStore,
        store::StoredNotice,
        view::{NoticeView, ServiceNames, notices, view},
    },
};

/// Days of history bars.
pub const HISTORY_DAYS: u64 = 90;

/// Incidents listed at most.
const MAX_INCIDENTS: usize = 50;

/// How long one report serves every viewer.
const REPORT_TTL: Duration = Duration::from_secs(5);

/// Makes and caches status reports.
#[derive(Debug, Clone)]
pub struct StatusReports {
    store: ProbeStore,
    notices: NoticeStore,
    heartbeats: super::Heartbeats,
    cache: moka::future::Cache<(), Arc<StatusReport>>,
}

/// What the store holds that a report is made of.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// Each service's latest result.
    pub latest: HashMap<String, CheckResult>,
    /// Each service's checks of the last 24 hours.
    pub last_day: HashMap<String, Tally>,
    /// Each service's checks since midnight (UTC), from raw results: fresher
    /// than today's daily row, which is rolled up once a minute.
    pub today: HashMap<String, Tally>,
    /// Daily aggregates of the history shown.
    pub daily: Vec<DailyRow>,
    /// Incidents that touch the history shown.
    pub incidents: Vec<ServiceIncident>,
    /// Notices to show: unresolved and recent incidents, maintenance not
    /// over.
    pub notices: Vec<StoredNotice>,
}

impl StatusReports {
    /// Reports over check results in `store` and what operators wrote in
    /// `notices`.
    pub fn new(store: ProbeStore, notices: NoticeStore, heartbeats: super::Heartbeats) -> Self {
        Self {
            store,
            notices,
            heartbeats,
            cache: moka::future::Cache::builder()
                .max_capacity(1)
                .time_to_live(REPORT_TTL)
                .build(),
        }
    }

    /// The store reports are made from.
    pub fn store(&self) -> &ProbeStore {
        &self.store
    }

    /// The notices reports show.
    pub fn notices(&self) -> &NoticeStore {
        &self.notices
    }

    /// The heartbeats services sent.
    pub fn heartbeats(&self) -> &super::Heartbeats {
        &self.heartbeats
    }

    /// The report for `services` now; concurrent callers share one.
    pub async fn report(
        &self,
        services: Arc<Vec<ServiceConfig>>,
    ) -> Result<Arc<StatusReport>, Arc<DbError>> {
        let store = self.store.clone();
        let notices = self.notices.clone();
        self.cache
            .try_get_with((), async move {
                let now = Utc::now().naive_utc();
                let observed = observe(&store, &notices, now).await?;
                Ok(Arc::new(build(&services, now, observed)))
            })
            .await
    }

    /// Drops the cached report (the services changed).
    pub fn invalidate(&self) {
        self.cache.invalidate_all();
    }
}

async fn observe(
    store: &ProbeStore,
    notices: &NoticeStore,
    now: NaiveDateTime,
) -> Result<Observed, DbError> {
    let first = first_of(now.date(), HISTORY_DAYS);
    let first_instant = first.and_hms_opt(0, 0, 0).unwrap_or(now);
    Ok(Observed {
        latest: store.latest(),
        last_day: store.tally_since(now - TimeDelta::days(1)).await?,
        today: store
            .tally_since(now.date().and_hms_opt(0, 0, 0).unwrap_or(now))
            .await?,
        daily: store.daily_since(first).await?,
        incidents: store.incidents_since(first_instant).await?,
        notices: notices
            .current(now, now - TimeDelta::days(app::model::RECENT_DAYS))
            .await?,
    })
}

/// The report for `services` from what was observed, as of `now`.
pub fn build(services: &[ServiceConfig], now: NaiveDateTime, observed: Observed) -> StatusReport {
    let mut daily: HashMap<&str, HashMap<NaiveDate, &DailyRow>> = HashMap::new();
    for row in &observed.daily {
        daily
            .entry(row.service.as_str())
            .or_default()
            .insert(row.day, row);
    }
    let mut groups: Vec<ServiceGroup> = Vec::new();
    for service in services {
        let days = daily.get(service.id.as_str());
        let incidents: Vec<&ServiceIncident> = observed
            .incidents
            .iter()
            .filter(|i| i.service == service.id)
            .collect();
        let status = service_status(
            service,
            now,
            observed.latest.get(&service.id),
            observed.last_day.get(&service.id).copied(),
            observed.today.get(&service.id).copied().unwrap_or_default(),
            days,
            &incidents,
        );
        match groups.iter_mut().find(|g| g.name == service.group) {
            Some(group) => group.services.push(status),
            None => groups.push(ServiceGroup {
                name: service.group.clone(),
                services: vec![status],
            }),
        }
    }
    let notices = notices(&observed.notices, &ServiceNames::of(services), now);
    let now_ms = unix_ms(now);
    for service in groups.iter_mut().flat_map(|g| &mut g.services) {
        if notices
            .maintenance
            .iter()
            .any(|window| window.covers(&service.id, now_ms))
        {
            service.state = ServiceState::Maintenance;
        }
    }
    let states: Vec<ServiceState> = groups
        .iter()
        .flat_map(|g| g.services.iter().map(|s| s.state))
        .collect();
    let incidents = detected(observed.incidents, services, MAX_INCIDENTS);
    StatusReport {
        generated_at: unix_ms(now),
        summary: StatusSummary {
            level: OverallLevel::of(states.iter().copied()),
            up: states.iter().filter(|s| s.is_up()).count(),
            total: states.len(),
        },
        groups,
        incidents,
        notices,
    }
}

/// Detected incidents as visitors read them: overlapping ones merged, with
/// service names, newest first, at most `limit`.
fn detected(
    incidents: Vec<ServiceIncident>,
    services: &[ServiceConfig],
    limit: usize,
) -> Vec<Incident> {
    let names: HashMap<&str, &str> = services
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    merge(incidents)
        .into_iter()
        .take(limit)
        .map(|i| Incident {
            started_at: unix_ms(i.started_at),
            ended_at: i.ended_at.map(unix_ms),
            services: i
                .services
                .iter()
                .map(|id| {
                    names
                        .get(id.as_str())
                        .map_or_else(|| id.clone(), |n| (*n).to_owned())
                })
                .collect(),
        })
        .collect()
}

impl StatusReports {
    /// Page `page` (from 1) of the history: written notices and detected
    /// incidents in one timeline, newest first.
    pub async fn history(
        &self,
        services: &[ServiceConfig],
        page: u32,
    ) -> Result<HistoryPage, DbError> {
        let size = HISTORY_PAGE_SIZE;
        let page = page.clamp(1, MAX_HISTORY_PAGES);
        let wanted = size * page as usize + 1;
        let now = Utc::now().naive_utc();
        // Each source's newest `wanted` are enough to fill this page of both.
        let written = self
            .notices
            .history(now + TimeDelta::days(MAX_AHEAD_DAYS), 0, wanted as u64)
            .await?;
        let found = self.store.latest_incidents(wanted as u64).await?;
        let names = ServiceNames::of(services);
        let mut entries: Vec<HistoryEntry> = written
            .iter()
            .map(|notice| match view(notice, &names) {
                NoticeView::Incident(incident) => HistoryEntry::Reported(incident),
                NoticeView::Maintenance(window) => HistoryEntry::Maintenance(window),
            })
            .chain(
                detected(found, services, wanted)
                    .into_iter()
                    .map(HistoryEntry::Detected),
            )
            .collect();
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.started_at()));
        let skip = size * (page as usize - 1);
        let more = entries.len() > skip + size;
        Ok(HistoryPage {
            generated_at: unix_ms(now),
            page,
            more,
            entries: entries.into_iter().skip(skip).take(size).collect(),
        })
    }

    /// Notice `id`, whole, if there is one.
    pub async fn notice(
        &self,
        services: &[ServiceConfig],
        id: u64,
    ) -> Result<Option<NoticePage>, DbError> {
        let Some(notice) = self.notices.get(id).await? else {
            return Ok(None);
        };
        let entry = match view(&notice, &ServiceNames::of(services)) {
            NoticeView::Incident(incident) => HistoryEntry::Reported(incident),
            NoticeView::Maintenance(window) => HistoryEntry::Maintenance(window),
        };
        Ok(Some(NoticePage {
            generated_at: unix_ms(Utc::now().naive_utc()),
            entry,
        }))
    }
}

/// How far ahead maintenance may be announced and still listed, in days.
const MAX_AHEAD_DAYS: i64 = 3660;

fn service_status(
    service: &ServiceConfig,
    now: NaiveDateTime,
    latest: Option<&CheckResult>,
    last_day: Option<Tally>,
    today_so_far: Tally,
    days: Option<&HashMap<NaiveDate, &DailyRow>>,
    incidents: &[&ServiceIncident],
) -> ServiceStatus {
    // A result older than three intervals says nothing about now (Porthole
    // was down, or the service was just added back).
    let stale_after = TimeDelta::from_std(service.interval * 3).unwrap_or(TimeDelta::MAX);
    let latest = latest.filter(|r| now - r.at <= stale_after);
    let certificate = latest.and_then(|r| certificate_status(service, r, now));
    let state = match latest {
        None => ServiceState::NoData,
        Some(r) if !r.ok => ServiceState::Down,
        Some(r) if is_slow(service, r) => ServiceState::Slow,
        Some(_) if certificate.is_some_and(|c| c.expiring) => ServiceState::Slow,
        Some(_) => ServiceState::Up,
    };
    let today = now.date();
    let tally_days = |count: u64| {
        let first = first_of(today, count);
        days.into_iter()
            .flatten()
            .filter(|(day, _)| **day >= first && **day < today)
            .fold(today_so_far, |t, (_, row)| Tally {
                checks: t.checks + row.checks,
                ok_checks: t.ok_checks + row.ok_checks,
            })
    };
    let uptime = UptimeRange::ALL
        .into_iter()
        .map(|range| UptimeFigure {
            range,
            percent: match range {
                UptimeRange::Day => last_day.unwrap_or_default().percent(),
                other => tally_days(other.days()).percent(),
            },
        })
        .collect();
    let first = first_of(today, HISTORY_DAYS);
    let bars = (0..HISTORY_DAYS)
        .filter_map(|offset| first.checked_add_days(Days::new(offset)))
        .map(|day| DayBar {
            day: day.format("%Y-%m-%d").to_string(),
            uptime: if day == today {
                today_so_far.percent()
            } else {
                days.and_then(|d| d.get(&day)).and_then(|row| {
                    Tally {
                        checks: row.checks,
                        ok_checks: row.ok_checks,
                    }
                    .percent()
                })
            },
            incidents: incidents_on(incidents, day),
        })
        .collect();
    ServiceStatus {
        id: service.id.clone(),
        name: service.name.clone(),
        state,
        last_check: latest.map(|r| unix_ms(r.at)),
        latency_ms: latest.and_then(|r| r.latency_ms),
        latency_measured: service.http.is_some() || service.tcp.is_some() || service.tls.is_some(),
        error: latest.and_then(|r| r.error.clone()),
        certificate,
        locations: latest.map(|r| r.locations.clone()).unwrap_or_default(),
        uptime,
        days: bars,
    }
}

/// The certificate `result` read, judged against `service`'s warning
/// days.
fn certificate_status(
    service: &ServiceConfig,
    result: &CheckResult,
    now: NaiveDateTime,
) -> Option<CertificateStatus> {
    let tls = service.tls.as_ref()?;
    let expires_at = result.cert_expires_at?;
    let days_left = (expires_at - now).num_days();
    Some(CertificateStatus {
        expires_at: unix_ms(expires_at),
        days_left,
        expiring: days_left < i64::from(tls.warn_days),
    })
}

fn is_slow(service: &ServiceConfig, result: &CheckResult) -> bool {
    match (service.slow, result.latency_ms) {
        (Some(limit), Some(ms)) => ms > limit.as_secs_f64() * 1000.0,
        _ => false,
    }
}

fn incidents_on(incidents: &[&ServiceIncident], day: NaiveDate) -> u32 {
    let (Some(start), Some(end)) = (
        day.and_hms_opt(0, 0, 0),
        day.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)),
    ) else {
        return 0;
    };
    let touching = incidents
        .iter()
        .filter(|i| i.started_at < end && i.ended_at.is_none_or(|e| e >= start))
        .count();
    u32::try_from(touching).unwrap_or(u32::MAX)
}

/// Unix milliseconds of a UTC time.
pub fn unix_ms(at: NaiveDateTime) -> i64 {
    at.and_utc().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{HttpCheck, ServiceConfig};

    fn service(id: &str, group: &str) -> ServiceConfig {
        ServiceConfig {
            id: id.to_owned(),
            name: id.to_uppercase(),
            group: group.to_owned(),
            http: Some(HttpCheck {
                url: reqwest::Url::parse("http://127.0.0.1:1/").expect("url"),
                expect_status: None,
                expect_body: None,
            }),
            interval: Duration::from_secs(30),
            timeout: Duration::from_secs(5),
            slow: Some(Duration::from_millis(500)),
            ..Default::default()
        }
    }

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("time")
    }

    fn result(service: &str, at: NaiveDateTime, ok: bool, latency_ms: f64) -> CheckResult {
        CheckResult {
            service: service.to_owned(),
            at,
            ok,
            ok_here: ok,
            latency_ms: Some(latency_ms),
            http_status: Some(if ok { 200 } else { 503 }),
            error: (!ok).then(|| "status 503, expected a 2xx".to_owned()),
            cert_expires_at: None,
            locations: Vec::new(),
        }
    }

    fn day(service: &str, day: u32, checks: i64, ok_checks: i64) -> DailyRow {
        DailyRow {
            day: NaiveDate::from_ymd_opt(2026, 11, day).expect("day"),
            service: service.to_owned(),
            checks,
            ok_checks,
            latency_p50: None,
            latency_p95: None,
        }
    }

    #[test]
    fn uptime_counts_checks_and_skips_days_without_data() {
        let now = at(21, 12);
        let observed = Observed {
            latest: HashMap::from([("api".to_owned(), result("api", now, true, 40.0))]),
            last_day: HashMap::from([(
                "api".to_owned(),
                Tally {
                    checks: 200,
                    ok_checks: 150,
                },
            )]),
            // Today, half a day so far: partial days weigh by their checks.
            today: HashMap::from([(
                "api".to_owned(),
                Tally {
                    checks: 1440,
                    ok_checks: 1440,
                },
            )]),
            daily: vec![
                // Today's row lags the raw results; the raw ones count.
                day("api", 21, 10, 0),
                // A day with one check in two failing.
                day("api", 20, 2880, 1440),
                // 19th: Porthole was down all day; no row, no downtime.
                day("api", 14, 2880, 2880),
                // Outside the week.
                day("api", 1, 2880, 0),
            ],
            incidents: vec![],
            notices: vec![],
        };
        let report = build(&[service("api", "Core")], now, observed);
        let api = &report.groups[0].services[0];
        assert_eq!(api.uptime_over(UptimeRange::Day), Some(75.0));
        // Week: 21st, 20th and 15th..19th (14th is outside): (1440 + 1440) / (1440 + 2880).
        assert_eq!(
            api.uptime_over(UptimeRange::Week),
            Some(100.0 * 2880.0 / 4320.0)
        );
        // The 30 days ending 2026-11-21 start on 2026-10-23: every row counts.
        assert_eq!(
            api.uptime_over(UptimeRange::Month),
            Some(100.0 * (1440.0 + 1440.0 + 2880.0) / (1440.0 + 2880.0 + 2880.0 + 2880.0))
        );
        assert_eq!(api.days.len(), 90);
        let last = api.days.last().expect("today");
        assert_eq!(
            (last.day.as_str(), last.uptime),
            ("2026-11-21", Some(100.0))
        );
        let before = &api.days[api.days.len() - 3];
        assert_eq!(
            (before.day.as_str(), before.uptime),
            ("2026-11-19", None),
            "no data, not down"
        );
        assert_eq!(before.grade(), "none");
    }

    #[test]
    fn states_banner_and_incidents() {
        let now = at(21, 12);
        let stale = now - TimeDelta::minutes(10);
        let observed = Observed {
            latest: HashMap::from([
                ("api".to_owned(), result("api", now, true, 40.0)),
                ("web".to_owned(), result("web", now, true, 900.0)),
                ("db".to_owned(), result("db", now, false, 3.0)),
                ("old".to_owned(), result("old", stale, true, 1.0)),
            ]),
            incidents: vec![
                ServiceIncident {
                    service: "db".to_owned(),
                    started_at: at(20, 23),
                    ended_at: None,
                },
                ServiceIncident {
                    service: "api".to_owned(),
                    started_at: at(21, 1),
                    ended_at: Some(at(21, 2)),
                },
            ],
            ..Observed::default()
        };
        let services = [
            service("api", "Core"),
            service("web", "Edge"),
            service("db", "Core"),
            service("old", "Edge"),
        ];
        let report = build(&services, now, observed);
        assert_eq!(report.groups.len(), 2);
        assert_eq!(report.groups[0].name, "Core");
        let state = |id: &str| {
            report
                .groups
                .iter()
                .flat_map(|g| &g.services)
                .find(|s| s.id == id)
                .map(|s| s.state)
        };
        assert_eq!(state("api"), Some(ServiceState::Up));
        assert_eq!(state("web"), Some(ServiceState::Slow));
        assert_eq!(state("db"), Some(ServiceState::Down));
        assert_eq!(
            state("old"),
            Some(ServiceState::NoData),
            "stale results are no data"
        );
        assert_eq!(report.summary.up, 2);
        assert_eq!(report.summary.total, 4);
        assert_eq!(report.summary.level, OverallLevel::PartialOutage);
        assert_eq!(report.incidents.len(), 1, "overlapping incidents are one");
        assert_eq!(report.incidents[0].services, ["DB", "API"]);
        assert_eq!(report.incidents[0].ended_at, None);
        let db = report.groups[0]
            .services
            .iter()
            .find(|s| s.id == "db")
            .expect("db");
        let bars = &db.days[db.days.len() - 2..];
        assert_eq!(
            (bars[0].incidents, bars[1].incidents),
            (1, 1),
            "an incident spanning midnight touches both days"
        );
    }
}
