//! Dashboards: the built-in overview and those defined in porthole.toml,
//! each panel resolved to where its data comes from.
//!
//! Prometheus-backed panels are PromQL templates: `$__rate_interval` becomes
//! a window that suits the step (at least four scrapes, at least one step),
//! as operators know it from Grafana. Steps come from a fixed ladder, so the
//! set of expressions panels can run is finite and goes on the proxy's
//! allowlist whole. Validation errors are plain messages that name the
//! dashboard, the panel and the fix; config wraps them with the file's path.

use std::time::Duration;

use porthole_model::wire::{
    Better, DashboardLayout, PanelInfo, PanelWidth, Refresh, TimeRange, Unit,
};

use porthole_model::is_url_id;

use crate::serve_config::dashboard_tables::{
    DashboardConfig, OverviewConfig, PanelConfig, PanelKind, UnitConfig,
};

/// The built-in dashboard served at `/`.
pub use porthole_model::OVERVIEW;

/// Steps range panels use, shortest first: the shortest one at least
/// 1/[`TARGET_POINTS`] of the range.
pub const STEP_LADDER: [u64; 14] = [
    15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400,
];

/// About as many points as a chart has pixel columns to spare.
const TARGET_POINTS: u64 = 300;

/// The placeholder for a rate window in PromQL templates.
pub const RATE_INTERVAL: &str = "$__rate_interval";

/// Where a panel's data comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Feed {
    /// Headline KPI numbers.
    KpiStats,
    /// Total users with daily sign-ups.
    KpiUsers,
    /// The monthly growth table.
    KpiMonthly,
    /// Lines from PromQL range queries.
    Prom(PromChart),
    /// Active alerts from the upstream.
    Alerts,
    /// The overview's top row: services up, request rate, error rate and
    /// p95 latency.
    Headline(Headline),
    /// p95 latency of each service, from Porthole's checks.
    ProbeLatency,
    /// Each service's status, uptime and last check.
    ServiceTable,
    /// Each service's daily uptime in percent.
    Uptime,
    /// The latest value of a PromQL chart over the range, as a card.
    Stat(PromChart),
}

/// The overview's headline figures from PromQL (`[overview]`), each a
/// one-line chart whose latest value is shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headline {
    /// Requests per second.
    pub requests: Option<PromChart>,
    /// Failed requests in percent.
    pub errors: Option<PromChart>,
    /// p95 latency in ms (the expression gives seconds); from the checks
    /// when unset.
    pub latency: Option<PromChart>,
}

impl Headline {
    fn charts(&self) -> impl Iterator<Item = &PromChart> {
        [&self.requests, &self.errors, &self.latency]
            .into_iter()
            .flatten()
    }
}

/// A chart of PromQL range queries.
#[derive(Debug, Clone, PartialEq)]
pub struct PromChart {
    /// One template per line.
    pub lines: Vec<PromLine>,
    /// The unit shown.
    pub unit: Unit,
    /// Factor applied to every value (seconds → milliseconds).
    pub scale: f64,
    /// Values drawn as dashed lines, in the panel's unit.
    pub thresholds: Vec<f64>,
    /// Which way of change is good news for its figures.
    pub better: Better,
}

/// One PromQL template and how its series are named.
#[derive(Debug, Clone, PartialEq)]
pub struct PromLine {
    /// The expression, possibly with `$__rate_interval`.
    pub template: String,
    /// Legend text; `{{label}}` is replaced by label values. Without it,
    /// series are named by their labels.
    pub legend: Option<String>,
}

/// A panel: id, title, kind and source.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelDef {
    /// Unique within its dashboard.
    pub id: String,
    /// Shown above it.
    pub title: String,
    /// The kind, as configured (`latency`, `growth`, ...).
    pub kind: &'static str,
    /// Its share of a wide screen.
    pub width: PanelWidth,
    /// Where its data comes from.
    pub feed: Feed,
}

/// A dashboard and its panels in display order.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardDef {
    /// Id, in URLs.
    pub id: String,
    /// Title.
    pub title: String,
    /// A line under the title.
    pub description: String,
    /// The range shown when a link names none.
    pub default_range: TimeRange,
    /// How often it updates itself when a link does not say.
    pub default_refresh: Refresh,
    /// Whether anyone may view it; private ones need a signed link.
    pub public: bool,
    /// Panels.
    pub panels: Vec<PanelDef>,
}

impl DashboardDef {
    /// The panel `id`.
    pub fn panel(&self, id: &str) -> Option<&PanelDef> {
        self.panels.iter().find(|p| p.id == id)
    }

    /// The panel that pictures the dashboard in link previews: its first
    /// chart.
    pub fn preview_panel(&self) -> Option<&PanelDef> {
        self.panels.iter().find(|p| {
            matches!(
                p.feed,
                Feed::Prom(_) | Feed::KpiUsers | Feed::ProbeLatency | Feed::Uptime
            )
        })
    }

    /// Whether every panel shows daily data (KPIs), which needs no range
    /// shorter than a week.
    fn is_daily(&self) -> bool {
        self.panels.iter().all(|p| {
            matches!(
                p.feed,
                Feed::KpiStats
                    | Feed::KpiUsers
                    | Feed::KpiMonthly
                    | Feed::ServiceTable
                    | Feed::Uptime
            )
        })
    }

    /// The ranges its picker offers.
    fn ranges(&self) -> &'static [TimeRange] {
        if self.is_daily() {
            &TimeRange::DAILY
        } else {
            &TimeRange::ALL
        }
    }

    /// What the page needs to lay the dashboard out.
    pub fn layout(&self) -> DashboardLayout {
        DashboardLayout {
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            panels: self
                .panels
                .iter()
                .map(|p| PanelInfo {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    kind: p.kind.to_owned(),
                    width: p.width,
                })
                .collect(),
            ranges: self.ranges().to_vec(),
            default_range: self.default_range,
            default_refresh: self.default_refresh,
            chart_panel: self.preview_panel().map(|p| p.id.clone()),
            // The server's sharing settings say; see `AppState::layout`.
            snapshots: false,
        }
    }
}

/// A dashboard definition that cannot be served: what is wrong (naming the
/// dashboard, panel and fix), and where, for the config to point at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DashboardError {
    /// Position in `[[dashboard]]` of the dashboard at fault; `None` for
    /// `[overview]`.
    pub dashboard: Option<usize>,
    /// Position in its `[[dashboard.panel]]`, when a panel is at fault.
    pub panel: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Every dashboard Porthole serves.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboards {
    list: Vec<DashboardDef>,
}

impl Default for Dashboards {
    /// The built-in overview alone, with its default headline figures.
    fn default() -> Self {
        // Those run no configured PromQL, so nothing can be refused; the
        // test `default_is_the_builtin_overview` pins it.
        Self::new(&[]).unwrap_or(Self { list: Vec::new() })
    }
}

impl Dashboards {
    /// The built-in overview plus `configured` (a configured `overview`
    /// replaces the built-in one).
    pub fn new(configured: &[DashboardConfig]) -> Result<Self, DashboardError> {
        Self::with_overview(configured, &OverviewConfig::default())
    }

    /// The configured dashboards, and the built-in overview (its headline
    /// figures from `overview`) unless one of them replaces it.
    pub fn with_overview(
        configured: &[DashboardConfig],
        overview: &OverviewConfig,
    ) -> Result<Self, DashboardError> {
        let mut list = Vec::new();
        if !configured.iter().any(|d| d.id == OVERVIEW) {
            list.push(
                builtin_overview(overview).map_err(|message| DashboardError {
                    dashboard: None,
                    panel: None,
                    message,
                })?,
            );
        }
        for (index, dashboard) in configured.iter().enumerate() {
            let fault = |panel, message| DashboardError {
                dashboard: Some(index),
                panel,
                message,
            };
            if !is_url_id(&dashboard.id) {
                return Err(fault(
                    None,
                    format!(
                        "dashboard id {:?}: use lowercase letters, digits, - and _ (at most 64)",
                        dashboard.id
                    ),
                ));
            }
            if list.iter().any(|d: &DashboardDef| d.id == dashboard.id) {
                return Err(fault(
                    None,
                    format!(
                        "dashboard id {:?} is used twice; ids must be unique",
                        dashboard.id
                    ),
                ));
            }
            list.push(dashboard_def(dashboard).map_err(|(panel, message)| fault(panel, message))?);
        }
        Ok(Self { list })
    }

    /// How many dashboards there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none (never: the overview is built in).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many panels all dashboards hold.
    pub fn panel_count(&self) -> usize {
        self.list.iter().map(|d| d.panels.len()).sum()
    }

    /// Whether `id` is a dashboard that may be viewed without a signed
    /// link. An unknown id is not: access fails closed.
    pub fn is_public(&self, id: &str) -> bool {
        self.get(id).is_some_and(|d| d.public)
    }

    /// Every dashboard, the overview first unless a configured one replaces it.
    pub fn iter(&self) -> impl Iterator<Item = &DashboardDef> {
        self.list.iter()
    }

    /// The dashboard `id`.
    pub fn get(&self, id: &str) -> Option<&DashboardDef> {
        self.list.iter().find(|d| d.id == id)
    }

    /// Every PromQL expression a panel of a *public* dashboard can run, for
    /// every step: what the public query API allows besides `[prometheus]
    /// allow`. A private dashboard's expressions run through its panels
    /// only, which are behind its signed link.
    pub fn public_prom_expressions(&self, scrape_interval: Duration) -> Vec<String> {
        let mut exprs: Vec<String> = self
            .list
            .iter()
            .filter(|d| d.public)
            .flat_map(|d| &d.panels)
            .flat_map(|p| match &p.feed {
                Feed::Prom(chart) | Feed::Stat(chart) => vec![chart],
                Feed::Headline(headline) => headline.charts().collect(),
                _ => Vec::new(),
            })
            .flat_map(|chart| &chart.lines)
            .flat_map(|line| {
                STEP_LADDER.iter().map(move |&step| {
                    expand(&line.template, Duration::from_secs(step), scrape_interval)
                })
            })
            .collect();
        exprs.sort();
        exprs.dedup();
        exprs
    }
}

/// The step for a range of `range_seconds`: the shortest ladder step giving
/// at most [`TARGET_POINTS`] points.
pub fn step_for(range_seconds: i64) -> Duration {
    let wanted = u64::try_from(range_seconds).unwrap_or(0) / TARGET_POINTS;
    let step = STEP_LADDER
        .iter()
        .copied()
        .find(|&s| s >= wanted)
        .unwrap_or(STEP_LADDER[STEP_LADDER.len() - 1]);
    Duration::from_secs(step)
}

/// A template with `$__rate_interval` replaced for `step`.
pub fn expand(template: &str, step: Duration, scrape_interval: Duration) -> String {
    if !template.contains(RATE_INTERVAL) {
        return template.to_owned();
    }
    let window = step.max(scrape_interval * 4).as_secs().max(1);
    template.replace(RATE_INTERVAL, &format!("{window}s"))
}

/// The overview operators know from their Grafana: headline figures,
/// growth, latency and status of each service, alerts, then the KPIs.
fn builtin_overview(config: &OverviewConfig) -> Result<DashboardDef, String> {
    let panel = |id: &str, title: &str, kind: &'static str, width, feed| PanelDef {
        id: id.to_owned(),
        title: title.to_owned(),
        kind,
        width,
        feed,
    };
    let figure = |key: &str, template: &Option<String>, unit: Unit, scale: f64| {
        template
            .as_ref()
            .map(|template| {
                validate_template(template)
                    .map_err(|e| format!("[overview] {key}: {e}"))
                    .map(|()| PromChart {
                        lines: vec![PromLine {
                            template: template.trim().to_owned(),
                            legend: None,
                        }],
                        unit,
                        scale,
                        thresholds: Vec::new(),
                        // Requests are better higher; errors and latency lower.
                        better: if key == "requests" {
                            Better::Higher
                        } else {
                            Better::Lower
                        },
                    })
            })
            .transpose()
    };
    let headline = Headline {
        requests: figure("requests", &config.requests, Unit::PerSecond, 1.0)?,
        errors: figure("errors", &config.errors, Unit::Percent, 1.0)?,
        latency: figure("latency", &config.latency, Unit::Milliseconds, 1000.0)?,
    };
    use PanelWidth::{Full, Half};
    Ok(DashboardDef {
        id: OVERVIEW.to_owned(),
        title: "Overview".to_owned(),
        description: String::new(),
        default_range: TimeRange::default(),
        default_refresh: Refresh::Off,
        public: true,
        panels: vec![
            panel(
                "health",
                "At a glance",
                "stat",
                Full,
                Feed::Headline(headline),
            ),
            panel("users", "Total users", "growth", Full, Feed::KpiUsers),
            panel(
                "latency",
                "p95 latency per service",
                "latency",
                Half,
                Feed::ProbeLatency,
            ),
            panel("services", "Services", "status", Half, Feed::ServiceTable),
            panel("alerts", "Active alerts", "alerts", Full, Feed::Alerts),
            panel("stats", "Key figures", "stat", Full, Feed::KpiStats),
            panel("monthly", "Monthly growth", "table", Full, Feed::KpiMonthly),
        ],
    })
}

/// A dashboard's definition, or what is wrong with it and which panel (by
/// position) is at fault.
fn dashboard_def(config: &DashboardConfig) -> Result<DashboardDef, (Option<usize>, String)> {
    let mut panels: Vec<PanelDef> = Vec::new();
    for (index, panel) in config.panels.iter().enumerate() {
        let at = format!("dashboard {:?}, panel {:?}", config.id, panel.id);
        let fault = |message: &str| (Some(index), format!("{at}: {message}"));
        if !is_url_id(&panel.id) {
            return Err(fault("use lowercase letters, digits, - and _ in panel ids"));
        }
        if panels.iter().any(|p| p.id == panel.id) {
            return Err(fault("the panel id is used twice in this dashboard"));
        }
        let def = panel_def(panel).map_err(|e| fault(&e))?;
        panels.push(def);
    }
    dashboard_defaults(config, panels).map_err(|message| (None, message))
}

/// The dashboard with its default range and refresh, checked.
fn dashboard_defaults(
    config: &DashboardConfig,
    panels: Vec<PanelDef>,
) -> Result<DashboardDef, String> {
    let mut dashboard = DashboardDef {
        id: config.id.clone(),
        title: config.title.clone(),
        description: config.description.clone(),
        default_range: TimeRange::default(),
        default_refresh: Refresh::Off,
        public: config.public.unwrap_or(true),
        panels,
    };
    let at = format!("dashboard {:?}", config.id);
    if let Some(range) = &config.range {
        let range: TimeRange = range.parse().map_err(|e| format!("{at}: range: {e}"))?;
        if !dashboard.ranges().contains(&range) {
            return Err(format!(
                "{at}: range {range} is not offered for its panels; use one of {}",
                dashboard
                    .ranges()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        dashboard.default_range = range;
    }
    if let Some(refresh) = &config.refresh {
        dashboard.default_refresh = refresh.parse().map_err(|e| format!("{at}: refresh: {e}"))?;
    }
    Ok(dashboard)
}

fn panel_def(config: &PanelConfig) -> Result<PanelDef, String> {
    check_keys(config)?;
    let feed = match config.kind {
        PanelKind::Alerts => Feed::Alerts,
        PanelKind::Status => Feed::ServiceTable,
        PanelKind::Uptime => Feed::Uptime,
        PanelKind::Growth => kpi_feed(config, KpiView::Users, &[KpiView::Users])?,
        PanelKind::Table => kpi_feed(config, KpiView::Monthly, &[KpiView::Monthly])?,
        PanelKind::Stat if config.query.is_some() => Feed::Stat(prom_chart(config)?),
        PanelKind::Stat => kpi_feed(config, KpiView::Summary, &[KpiView::Summary])?,
        PanelKind::Timeseries | PanelKind::Latency | PanelKind::Rate | PanelKind::ErrorRate => {
            Feed::Prom(prom_chart(config)?)
        }
    };
    Ok(PanelDef {
        id: config.id.clone(),
        title: config.title.clone(),
        kind: kind_name(config.kind),
        width: config.width,
        feed,
    })
}

/// The keys each panel kind takes (besides id, kind, title and width).
fn keys_of(kind: PanelKind) -> &'static [&'static str] {
    match kind {
        PanelKind::Timeseries => &["query", "legend", "unit", "thresholds"],
        PanelKind::Latency => &["histogram", "quantiles", "by", "unit", "thresholds"],
        PanelKind::Rate => &["counter", "by", "thresholds"],
        PanelKind::ErrorRate => &["counter", "errors", "by", "thresholds"],
        PanelKind::Stat => &["query", "kpi", "unit"],
        PanelKind::Growth | PanelKind::Table => &["kpi"],
        PanelKind::Alerts | PanelKind::Status | PanelKind::Uptime => &[],
    }
}

/// Refuses keys the panel's kind does not read, so a typo'd kind or a
/// misplaced key is not silently ignored.
fn check_keys(config: &PanelConfig) -> Result<(), String> {
    let set = [
        ("query", config.query.is_some()),
        ("kpi", config.kpi.is_some()),
        ("histogram", config.histogram.is_some()),
        ("quantiles", config.quantiles.is_some()),
        ("counter", config.counter.is_some()),
        ("errors", config.errors.is_some()),
        ("by", config.by.is_some()),
        ("legend", config.legend.is_some()),
        ("unit", config.unit.is_some()),
        ("thresholds", config.thresholds.is_some()),
    ];
    let allowed = keys_of(config.kind);
    let Some((key, _)) = set
        .iter()
        .find(|(key, is_set)| *is_set && !allowed.contains(key))
    else {
        return Ok(());
    };
    let takes = if allowed.is_empty() {
        "it takes only id, kind, title and width".to_owned()
    } else {
        format!("it takes {}", allowed.join(", "))
    };
    Err(format!(
        "`{key}` does not apply to {}; {takes}",
        a_panel(config.kind)
    ))
}

/// The KPI views a panel can show (`kpi = "..."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KpiView {
    Summary,
    Users,
    Monthly,
}

impl KpiView {
    const ALL: [KpiView; 3] = [KpiView::Summary, KpiView::Users, KpiView::Monthly];

    fn name(self) -> &'static str {
        match self {
            KpiView::Summary => "summary",
            KpiView::Users => "users",
            KpiView::Monthly => "monthly",
        }
    }

    fn feed(self) -> Feed {
        match self {
            KpiView::Summary => Feed::KpiStats,
            KpiView::Users => Feed::KpiUsers,
            KpiView::Monthly => Feed::KpiMonthly,
        }
    }
}

/// The KPI view `kpi` names (`default` when unset), if the kind shows it.
fn kpi_feed(config: &PanelConfig, default: KpiView, fits: &[KpiView]) -> Result<Feed, String> {
    let Some(name) = config.kpi.as_deref() else {
        return Ok(default.feed());
    };
    let quoted = |views: &[KpiView]| {
        views
            .iter()
            .map(|v| format!("{:?}", v.name()))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let view = KpiView::ALL
        .into_iter()
        .find(|v| v.name() == name.trim())
        .ok_or_else(|| {
            format!(
                "unknown KPI reference {name:?}: use {}",
                quoted(&KpiView::ALL)
            )
        })?;
    if !fits.contains(&view) {
        return Err(format!(
            "{} cannot show kpi = {:?}; use {}",
            a_panel(config.kind),
            view.name(),
            quoted(fits)
        ));
    }
    Ok(view.feed())
}

/// The PromQL lines, unit and thresholds of a chart panel, checked.
fn prom_chart(config: &PanelConfig) -> Result<PromChart, String> {
    let required = |value: &Option<String>, key: &str| -> Result<String, String> {
        value
            .clone()
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| format!("{} needs `{key}`", a_panel(config.kind)))
    };
    let by = config
        .by
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty());
    let grouping = by.map_or_else(String::new, |label| format!(" by ({label})"));
    let by_legend =
        |fallback: &str| Some(by.map_or_else(|| fallback.to_owned(), |b| format!("{{{{{b}}}}}")));
    let (lines, unit, scale) = match config.kind {
        PanelKind::Timeseries | PanelKind::Stat => (
            vec![PromLine {
                template: required(&config.query, "query")?,
                legend: config.legend.clone(),
            }],
            unit(config.unit.unwrap_or(UnitConfig::Count)),
            1.0,
        ),
        PanelKind::Latency => {
            let histogram = required(&config.histogram, "histogram")?;
            let quantiles = config
                .quantiles
                .clone()
                .unwrap_or_else(|| vec![0.5, 0.95, 0.99]);
            if quantiles.is_empty() || quantiles.iter().any(|q| !(*q > 0.0 && *q < 1.0)) {
                return Err("quantiles must be between 0 and 1, e.g. [0.5, 0.95, 0.99]".to_owned());
            }
            let (unit, scale) = match config.unit.unwrap_or(UnitConfig::Ms) {
                UnitConfig::Ms => (Unit::Milliseconds, 1000.0),
                UnitConfig::S => (Unit::Seconds, 1.0),
                other => {
                    return Err(format!(
                        "unit {other:?} does not fit latency; use \"ms\" or \"s\""
                    ));
                }
            };
            let lines = quantiles
                .iter()
                .map(|q| {
                    let name = format!("p{}", trim_float(q * 100.0));
                    PromLine {
                        template: format!(
                            "histogram_quantile({q}, sum by (le{}) (rate({histogram}[{RATE_INTERVAL}])))",
                            by.map_or_else(String::new, |b| format!(", {b}"))
                        ),
                        legend: Some(by.map_or(name.clone(), |b| format!("{{{{{b}}}}} {name}"))),
                    }
                })
                .collect();
            (lines, unit, scale)
        }
        PanelKind::Rate => (
            vec![PromLine {
                template: format!(
                    "sum{grouping} (rate({}[{RATE_INTERVAL}]))",
                    required(&config.counter, "counter")?
                ),
                legend: by_legend("per second"),
            }],
            Unit::PerSecond,
            1.0,
        ),
        PanelKind::ErrorRate => (
            vec![PromLine {
                template: format!(
                    "100 * sum{grouping} (rate({}[{RATE_INTERVAL}])) / sum{grouping} (rate({}[{RATE_INTERVAL}]))",
                    required(&config.errors, "errors")?,
                    required(&config.counter, "counter")?
                ),
                legend: by_legend("errors"),
            }],
            Unit::Percent,
            1.0,
        ),
        PanelKind::Alerts
        | PanelKind::Growth
        | PanelKind::Status
        | PanelKind::Uptime
        | PanelKind::Table => {
            return Err(format!("{} is not drawn from PromQL", a_panel(config.kind)));
        }
    };
    for line in &lines {
        validate_template(&line.template)?;
    }
    let thresholds = config.thresholds.clone().unwrap_or_default();
    if thresholds.iter().any(|v| !v.is_finite()) {
        return Err("thresholds must be numbers, e.g. [500, 1000]".to_owned());
    }
    let better = config.better.unwrap_or(match config.kind {
        PanelKind::Latency | PanelKind::ErrorRate => Better::Lower,
        _ => Better::Higher,
    });
    Ok(PromChart {
        lines,
        unit,
        scale,
        thresholds,
        better,
    })
}

/// Checks that a PromQL template parses (with `$__rate_interval` filled in).
fn validate_template(template: &str) -> Result<(), String> {
    let expr = expand(template, Duration::from_secs(60), Duration::from_secs(15));
    crate::prom::allowlist::normalize(&expr)
        .map(|_| ())
        .map_err(|e| format!("{e}; check the PromQL"))
}

fn kind_name(kind: PanelKind) -> &'static str {
    match kind {
        PanelKind::Timeseries => "timeseries",
        PanelKind::Latency => "latency",
        PanelKind::Rate => "rate",
        PanelKind::ErrorRate => "error_rate",
        PanelKind::Alerts => "alerts",
        PanelKind::Stat => "stat",
        PanelKind::Growth => "growth",
        PanelKind::Status => "status",
        PanelKind::Uptime => "uptime",
        PanelKind::Table => "table",
    }
}

/// "a stat panel", "an alerts panel".
fn a_panel(kind: PanelKind) -> String {
    let name = kind_name(kind);
    let article = if name.starts_with(['a', 'e', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name} panel")
}

fn unit(config: UnitConfig) -> Unit {
    match config {
        UnitConfig::Count => Unit::Count,
        UnitConfig::Ms => Unit::Milliseconds,
        UnitConfig::S => Unit::Seconds,
        UnitConfig::PerSecond => Unit::PerSecond,
        UnitConfig::Percent => Unit::Percent,
    }
}

/// `95.0` → `95`, `99.9` → `99.9`.
fn trim_float(v: f64) -> String {
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> Result<Dashboards, String> {
        #[derive(serde::Deserialize)]
        struct File {
            dashboard: Vec<DashboardConfig>,
        }
        let file: File = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        Dashboards::new(&file.dashboard).map_err(|e| e.to_string())
    }

    #[test]
    fn default_is_the_builtin_overview() {
        let dashboards = Dashboards::default();
        assert_eq!(dashboards.len(), 1);
        assert!(dashboards.is_public(OVERVIEW));
    }

    const API: &str = r#"
        [[dashboard]]
        id = "api"
        title = "API"
        [[dashboard.panel]]
        id = "latency"
        kind = "latency"
        title = "Latency"
        histogram = 'http_request_duration_seconds_bucket{job="api"}'
        [[dashboard.panel]]
        id = "errors"
        kind = "error_rate"
        title = "Errors"
        counter = "http_requests_total"
        errors = 'http_requests_total{code=~"5.."}'
        by = "service"
        width = "half"
    "#;

    #[test]
    fn latency_panels_draw_three_quantiles_in_ms() {
        let dashboards = parse(API).expect("valid");
        assert!(dashboards.get(OVERVIEW).is_some(), "the overview stays");
        let panel = dashboards
            .get("api")
            .and_then(|d| d.panel("latency"))
            .expect("panel");
        let Feed::Prom(PromChart {
            lines, unit, scale, ..
        }) = &panel.feed
        else {
            panic!("prom panel")
        };
        assert_eq!((*unit, *scale), (Unit::Milliseconds, 1000.0));
        let legends: Vec<_> = lines.iter().filter_map(|l| l.legend.clone()).collect();
        assert_eq!(legends, ["p50", "p95", "p99"]);
        assert_eq!(
            expand(
                &lines[1].template,
                Duration::from_secs(15),
                Duration::from_secs(15)
            ),
            r#"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[60s])))"#
        );
    }

    #[test]
    fn the_overview_is_laid_out_as_operators_expect() {
        let dashboards = parse(API).expect("valid");
        let overview = dashboards.get(OVERVIEW).expect("overview").layout();
        // Latency per service has minutes of detail: every range fits.
        assert_eq!(overview.ranges, TimeRange::ALL);
        let panels: Vec<(&str, &str)> = overview
            .panels
            .iter()
            .map(|p| (p.id.as_str(), p.kind.as_str()))
            .collect();
        assert_eq!(
            panels,
            [
                ("health", "stat"),
                ("users", "growth"),
                ("latency", "latency"),
                ("services", "status"),
                ("alerts", "alerts"),
                ("stats", "stat"),
                ("monthly", "table")
            ]
        );
        let api = dashboards.get("api").expect("api").layout();
        assert_eq!(api.ranges, TimeRange::ALL);
        assert_eq!(
            api.panels
                .iter()
                .map(|p| p.kind.as_str())
                .collect::<Vec<_>>(),
            ["latency", "error_rate"]
        );
    }

    #[test]
    fn default_ranges_and_refresh_are_checked() {
        let with = |keys: &str| {
            parse(&format!(
                "[[dashboard]]\nid = \"a\"\ntitle = \"A\"\n{keys}\n[[dashboard.panel]]\nid = \"p\"\ntitle = \"P\"\nkind = \"timeseries\"\nquery = \"up\"\n"
            ))
        };
        let dashboards = with("range = \"24h\"\nrefresh = \"30s\"").expect("valid");
        let layout = dashboards.get("a").expect("a").layout();
        assert_eq!(layout.default_range, TimeRange::Hours24);
        assert_eq!(layout.default_refresh, Refresh::Seconds30);
        let error = with("range = \"2w\"").expect_err("unknown range");
        assert!(error.contains("dashboard \"a\": range"), "{error}");
        let error = with("refresh = \"1s\"").expect_err("unknown refresh");
        assert!(error.contains("refresh"), "{error}");
    }

    #[test]
    fn thresholds_belong_to_charts() {
        let with = |kind_keys: &str| {
            parse(&format!(
                "[[dashboard]]\nid = \"a\"\ntitle = \"A\"\n[[dashboard.panel]]\nid = \"p\"\ntitle = \"P\"\n{kind_keys}\nthresholds = [500]\n"
            ))
        };
        let dashboards = with("kind = \"latency\"\nhistogram = \"h_bucket\"").expect("valid");
        let panel = dashboards
            .get("a")
            .and_then(|d| d.panel("p"))
            .expect("panel");
        assert!(matches!(&panel.feed, Feed::Prom(chart) if chart.thresholds == [500.0]));
        let error = with("kind = \"alerts\"").expect_err("not a chart");
        assert!(
            error.contains("`thresholds` does not apply to an alerts panel; it takes only"),
            "{error}"
        );
    }

    #[test]
    fn rate_windows_cover_four_scrapes_and_one_step() {
        let scrape = Duration::from_secs(15);
        assert_eq!(
            expand("rate(x[$__rate_interval])", Duration::from_secs(15), scrape),
            "rate(x[60s])"
        );
        assert_eq!(
            expand(
                "rate(x[$__rate_interval])",
                Duration::from_secs(300),
                scrape
            ),
            "rate(x[300s])"
        );
        assert_eq!(expand("up", Duration::from_secs(300), scrape), "up");
    }

    #[test]
    fn steps_give_at_most_300_points_per_preset_range() {
        for (range, step) in [
            (900_i64, 15_u64),
            (3_600, 15),
            (86_400, 300),
            (7 * 86_400, 3_600),
            (365 * 86_400, 86_400),
        ] {
            assert_eq!(step_for(range), Duration::from_secs(step), "range {range}");
            assert!(range.unsigned_abs() / step <= 300 || step == 86_400);
        }
    }

    #[test]
    fn the_allowlist_holds_every_step_variant() {
        let dashboards = parse(API).expect("valid");
        let exprs = dashboards.public_prom_expressions(Duration::from_secs(15));
        for step in STEP_LADDER {
            let step = Duration::from_secs(step);
            let expected = expand(
                r#"histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[$__rate_interval])))"#,
                step,
                Duration::from_secs(15),
            );
            assert!(exprs.contains(&expected), "{expected}");
        }
    }

    #[test]
    fn mistakes_name_the_dashboard_panel_and_fix() {
        let missing = parse("[[dashboard]]\nid = \"a\"\ntitle = \"A\"\n[[dashboard.panel]]\nid = \"p\"\nkind = \"latency\"\ntitle = \"P\"\n").expect_err("no histogram");
        assert!(
            missing.contains("\"a\"") && missing.contains("\"p\"") && missing.contains("histogram"),
            "{missing}"
        );
        let bad_promql = parse("[[dashboard]]\nid = \"a\"\ntitle = \"A\"\n[[dashboard.panel]]\nid = \"p\"\nkind = \"timeseries\"\ntitle = \"P\"\nquery = \"sum(rate(x[5m])\"\n").expect_err("bad PromQL");
        assert!(bad_promql.contains("PromQL"), "{bad_promql}");
        let twice = parse(
            "[[dashboard]]\nid = \"a\"\ntitle = \"A\"\n[[dashboard]]\nid = \"a\"\ntitle = \"B\"\n",
        )
        .expect_err("duplicate");
        assert!(twice.contains("twice"), "{twice}");
        let kind = parse("[[dashboard]]\nid = \"a\"\ntitle = \"A\"\n[[dashboard.panel]]\nid = \"p\"\nkind = \"pie\"\ntitle = \"P\"\n").expect_err("unknown kind");
        assert!(kind.contains("pie"), "{kind}");
        let unit = parse("[[dashboard]]\nid = \"a\"\ntitle = \"A\"\n[[dashboard.panel]]\nid = \"p\"\nkind = \"latency\"\ntitle = \"P\"\nhistogram = \"h_bucket\"\nunit = \"percent\"\n").expect_err("bad unit");
        assert!(unit.contains("ms"), "{unit}");
    }
}
