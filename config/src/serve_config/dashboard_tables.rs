//! The `[[dashboard]]` and `[overview]` tables as written in porthole.toml,
//! before they are checked and resolved into dashboards (see
//! [`crate::dashboards`]).

use serde::Deserialize;

/// A dashboard defined in porthole.toml (`[[dashboard]]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DashboardConfig {
    /// Its id, in URLs: `/d/{id}`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// A line under the title.
    #[serde(default)]
    pub description: String,
    /// Whether anyone may view it [default: true]. A private dashboard opens
    /// only with a signed link (`porthole sign`).
    pub public: Option<bool>,
    /// The range shown when a link names none, e.g. "24h" [default: "30d"].
    pub range: Option<String>,
    /// How often it updates itself when a link does not say: "off", "10s",
    /// "30s", "1m" or "5m" [default: "off"].
    pub refresh: Option<String>,
    /// Its panels, in display order (`[[dashboard.panel]]`).
    #[serde(default, rename = "panel")]
    pub panels: Vec<PanelConfig>,
}

/// What a configured panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelKind {
    /// Any PromQL expression over time (`query`).
    Timeseries,
    /// Quantiles of a Prometheus histogram (`histogram`, `quantiles`).
    Latency,
    /// Per-second rate of a counter (`counter`).
    Rate,
    /// Share of `errors` in `counter`, in percent.
    ErrorRate,
    /// The upstream's active alerts.
    Alerts,
    /// Headline numbers: the latest value of `query` with its change over
    /// the range, or the KPI summary (`kpi = "summary"`).
    Stat,
    /// Total users with daily sign-ups, from the KPIs.
    Growth,
    /// Each service's status, uptime and last check.
    Status,
    /// Daily uptime of each service, in percent.
    Uptime,
    /// The monthly KPI table (`kpi = "monthly"`).
    Table,
}

/// The unit a configured panel's values are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitConfig {
    /// Plain numbers.
    Count,
    /// Milliseconds (latency panels convert from the histogram's seconds).
    Ms,
    /// Seconds.
    S,
    /// Per second.
    PerSecond,
    /// Percent.
    Percent,
}

/// A panel of a configured dashboard (`[[dashboard.panel]]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelConfig {
    /// Its id, unique within the dashboard.
    pub id: String,
    /// What it shows.
    pub kind: PanelKind,
    /// Its title.
    pub title: String,
    /// `timeseries`, `stat`: the PromQL expression; `$__rate_interval` is
    /// replaced by a window that suits the step.
    pub query: Option<String>,
    /// `stat`, `growth`, `table`: which KPI view it shows: "summary" (the
    /// key figures), "users" (growth) or "monthly" (the table).
    pub kpi: Option<String>,
    /// `latency`: the histogram's bucket series, e.g.
    /// `http_request_duration_seconds_bucket{job="api"}`.
    pub histogram: Option<String>,
    /// `latency`: the quantiles drawn [default: 0.5, 0.95, 0.99].
    pub quantiles: Option<Vec<f64>>,
    /// `rate`, `error_rate`: the counter of all requests.
    pub counter: Option<String>,
    /// `error_rate`: the counter of failed requests.
    pub errors: Option<String>,
    /// `latency`, `rate`, `error_rate`: one line per value of this label.
    pub by: Option<String>,
    /// `timeseries`: legend text per series; `{{label}}` is replaced by the
    /// series' label value.
    pub legend: Option<String>,
    /// The unit of the values.
    pub unit: Option<UnitConfig>,
    /// Values drawn as dashed lines across the chart (an SLO, a limit), in
    /// the panel's unit.
    pub thresholds: Option<Vec<f64>>,
    /// `full` (default) or `half` of a wide screen's row.
    #[serde(default)]
    pub width: porthole_model::wire::PanelWidth,
    /// Which way of change is good news: "higher", "lower" or "neither"
    /// [default: lower for latency and error_rate, else higher].
    pub better: Option<porthole_model::wire::Better>,
}

/// The built-in overview's headline figures from PromQL (`[overview]`);
/// `$__rate_interval` is replaced by a window that suits the step.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverviewConfig {
    /// Requests per second across services, e.g.
    /// `sum(rate(http_requests_total[$__rate_interval]))`.
    pub requests: Option<String>,
    /// Failed requests in percent of all.
    pub errors: Option<String>,
    /// p95 latency in seconds; from Porthole's own checks when unset.
    pub latency: Option<String>,
}
