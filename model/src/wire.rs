//! Serde types shared by the server and the browser: what a panel asks for
//! (`TimeRange`) and what it gets back (`PanelData`, or an `ErrorBody`).
//!
//! These are the JSON shapes of `/api/panels/...`, so a change here is a change
//! of the public API.

mod notices;
pub mod phrases;
mod status;
pub mod statuspage;

pub use notices::*;
pub use status::*;

use std::{fmt, str::FromStr};

pub use crate::ErrorKind;
use crate::{Id, Route};
use serde::{Deserialize, Serialize};

/// A preset time range a viewer can pick, as it appears in URLs (`?range=30d`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum TimeRange {
    /// The last 15 minutes.
    Minutes15,
    /// The last hour.
    Hour1,
    /// The last 6 hours.
    Hours6,
    /// The last 24 hours.
    Hours24,
    /// The last 7 days.
    Days7,
    /// The last 30 days.
    #[default]
    Days30,
    /// The last 90 days.
    Days90,
    /// The last 365 days.
    Year1,
}

impl TimeRange {
    /// Every preset, shortest first.
    pub const ALL: [TimeRange; 8] = [
        TimeRange::Minutes15,
        TimeRange::Hour1,
        TimeRange::Hours6,
        TimeRange::Hours24,
        TimeRange::Days7,
        TimeRange::Days30,
        TimeRange::Days90,
        TimeRange::Year1,
    ];

    /// The ranges that suit daily data (KPIs): a week and longer.
    pub const DAILY: [TimeRange; 4] = [
        TimeRange::Days7,
        TimeRange::Days30,
        TimeRange::Days90,
        TimeRange::Year1,
    ];

    /// The form used in URLs and JSON, e.g. `"30d"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeRange::Minutes15 => "15m",
            TimeRange::Hour1 => "1h",
            TimeRange::Hours6 => "6h",
            TimeRange::Hours24 => "24h",
            TimeRange::Days7 => "7d",
            TimeRange::Days30 => "30d",
            TimeRange::Days90 => "90d",
            TimeRange::Year1 => "1y",
        }
    }

    /// How far back the range reaches, in seconds.
    pub fn seconds(self) -> i64 {
        const MINUTE: i64 = 60;
        const HOUR: i64 = 60 * MINUTE;
        const DAY: i64 = 24 * HOUR;
        match self {
            TimeRange::Minutes15 => 15 * MINUTE,
            TimeRange::Hour1 => HOUR,
            TimeRange::Hours6 => 6 * HOUR,
            TimeRange::Hours24 => DAY,
            TimeRange::Days7 => 7 * DAY,
            TimeRange::Days30 => 30 * DAY,
            TimeRange::Days90 => 90 * DAY,
            TimeRange::Year1 => 365 * DAY,
        }
    }

    /// A label for people, e.g. "last 30 days".
    pub fn label(self) -> &'static str {
        match self {
            TimeRange::Minutes15 => "last 15 minutes",
            TimeRange::Hour1 => "last hour",
            TimeRange::Hours6 => "last 6 hours",
            TimeRange::Hours24 => "last 24 hours",
            TimeRange::Days7 => "last 7 days",
            TimeRange::Days30 => "last 30 days",
            TimeRange::Days90 => "last 90 days",
            TimeRange::Year1 => "last year",
        }
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a `range` value was refused; its message is shown to the client as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown range {given:?}: expected one of 15m, 1h, 6h, 24h, 7d, 30d, 90d, 1y")]
pub struct UnknownRange {
    /// The value the client sent.
    pub given: String,
}

impl FromStr for TimeRange {
    type Err = UnknownRange;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TimeRange::ALL
            .into_iter()
            .find(|range| range.as_str() == s)
            .ok_or_else(|| UnknownRange {
                given: s.to_owned(),
            })
    }
}

impl TryFrom<String> for TimeRange {
    type Error = UnknownRange;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<TimeRange> for String {
    fn from(range: TimeRange) -> Self {
        range.as_str().to_owned()
    }
}

/// A fixed window a viewer picked (`?from=...&to=...`), shown instead of a
/// range that ends now. Unix seconds, `from` before `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Start, unix seconds.
    pub from: i64,
    /// End, unix seconds.
    pub to: i64,
}

/// Why a fixed window (`from`, `to`) was refused; its message says what is
/// wrong and what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// Only one end was given.
    #[error("a fixed window needs both from and to")]
    Incomplete,
    /// The ends are less than a minute apart (or the wrong way round).
    #[error("from must be at least a minute before to")]
    TooShort,
    /// The ends are more than [`Span::MAX_SECONDS`] apart.
    #[error("from and to may be at most 400 days apart")]
    TooLong,
    /// An end is not a time.
    #[error(
        "{key} {given:?} is not a time: use a date and time such as 2026-11-01T09:30 ({zone}) or unix seconds"
    )]
    NotATime {
        /// `from` or `to`.
        key: &'static str,
        /// What the client sent.
        given: String,
        /// The zone it was read in.
        zone: crate::zone::ZoneName,
    },
}

impl Span {
    /// The shortest window worth a chart.
    pub const MIN_SECONDS: i64 = 60;
    /// The longest window: a little over a year, as far as any range reaches.
    pub const MAX_SECONDS: i64 = 400 * 86_400;

    /// Reads `from` and `to` as links give them (see
    /// [`crate::calendar::parse_instant`]); the error says what is wrong and
    /// what is expected.
    pub fn parse(from: &str, to: &str) -> Result<Self, WindowError> {
        Self::parse_in(from, to, crate::zone::ZoneName::UTC)
    }

    /// Reads `from` and `to` as the viewer's links and date-time fields
    /// give them: a date and time without `Z` is what clocks show in
    /// `zone`.
    pub fn parse_in(
        from: &str,
        to: &str,
        zone: crate::zone::ZoneName,
    ) -> Result<Self, WindowError> {
        let instant = |key: &'static str, text: &str| {
            crate::calendar::parse_instant_in(text, |wall| crate::zone::instant_of(zone, wall))
                .ok_or_else(|| WindowError::NotATime {
                    key,
                    given: text.to_owned(),
                    zone,
                })
        };
        Self::new(instant("from", from)?, instant("to", to)?)
    }

    /// The window `from` and `to` name, if given: both or neither.
    pub fn from_pair(from: Option<&str>, to: Option<&str>) -> Result<Option<Self>, WindowError> {
        Self::from_pair_in(from, to, crate::zone::ZoneName::UTC)
    }

    /// Like [`Span::from_pair`], with readings in `zone` (see
    /// [`Span::parse_in`]).
    pub fn from_pair_in(
        from: Option<&str>,
        to: Option<&str>,
        zone: crate::zone::ZoneName,
    ) -> Result<Option<Self>, WindowError> {
        match (from, to) {
            (None, None) => Ok(None),
            (Some(from), Some(to)) => Self::parse_in(from, to, zone).map(Some),
            _ => Err(WindowError::Incomplete),
        }
    }

    /// A window from `from` to `to`, if it is one a chart can show.
    pub fn new(from: i64, to: i64) -> Result<Self, WindowError> {
        let seconds = to.saturating_sub(from);
        if seconds < Self::MIN_SECONDS {
            return Err(WindowError::TooShort);
        }
        if seconds > Self::MAX_SECONDS {
            return Err(WindowError::TooLong);
        }
        Ok(Self { from, to })
    }

    /// How long it is, in seconds.
    pub fn seconds(self) -> i64 {
        self.to - self.from
    }

    /// The query string that names it: `from=...&to=...`.
    pub fn query(self) -> String {
        format!(
            "from={}&to={}",
            crate::calendar::format_instant(self.from),
            crate::calendar::format_instant(self.to)
        )
    }

    /// A label for people, in the viewer's zone: `2026-11-01 09:30 CET –
    /// 2026-11-02 09:30 CET`.
    pub fn label(self, zone: &crate::zone::Zone) -> String {
        format!(
            "{} – {}",
            zone.format_timestamp(self.from),
            zone.format_timestamp(self.to)
        )
    }
}

/// What a pasted link shows (Open Graph, Twitter cards): a title, a line,
/// and a chart rendered as PNG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPreview {
    /// The page's title.
    pub title: String,
    /// A line about it.
    pub description: String,
    /// The path of the pictured chart's render, without its query, e.g.
    /// `/render/overview/users.png`.
    pub image: String,
    /// Whether the picture shows the window the link names (a live
    /// dashboard) rather than a fixed one (a snapshot).
    pub follows_window: bool,
}

impl LinkPreview {
    /// The picture's path: a 1200×630 PNG render, as link previews want
    /// it, for the page's window when the picture follows it.
    pub fn image_path(&self, window: &str) -> String {
        if self.follows_window {
            format!("{}?width=1200&height=630&{window}", self.image)
        } else {
            format!("{}?width=1200&height=630", self.image)
        }
    }
}

/// How often a dashboard updates itself while open.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub enum Refresh {
    /// Never: the page shows what it loaded.
    #[default]
    Off,
    /// Every 10 seconds.
    Seconds10,
    /// Every 30 seconds.
    Seconds30,
    /// Every minute.
    Minute1,
    /// Every 5 minutes.
    Minutes5,
}

impl Refresh {
    /// Every choice, in the order the picker offers them.
    pub const ALL: [Refresh; 5] = [
        Refresh::Off,
        Refresh::Seconds10,
        Refresh::Seconds30,
        Refresh::Minute1,
        Refresh::Minutes5,
    ];

    /// The form used in URLs and the picker.
    pub fn as_str(self) -> &'static str {
        match self {
            Refresh::Off => "off",
            Refresh::Seconds10 => "10s",
            Refresh::Seconds30 => "30s",
            Refresh::Minute1 => "1m",
            Refresh::Minutes5 => "5m",
        }
    }

    /// The picker's tooltip.
    pub fn label(self) -> &'static str {
        match self {
            Refresh::Off => "Do not update",
            Refresh::Seconds10 => "Update every 10 seconds",
            Refresh::Seconds30 => "Update every 30 seconds",
            Refresh::Minute1 => "Update every minute",
            Refresh::Minutes5 => "Update every 5 minutes",
        }
    }

    /// Seconds between updates; `None` when off.
    pub fn seconds(self) -> Option<u64> {
        match self {
            Refresh::Off => None,
            Refresh::Seconds10 => Some(10),
            Refresh::Seconds30 => Some(30),
            Refresh::Minute1 => Some(60),
            Refresh::Minutes5 => Some(300),
        }
    }
}

impl fmt::Display for Refresh {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a `refresh` value was refused; shown to the viewer as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown refresh {given:?}: expected off, 10s, 30s, 1m or 5m")]
pub struct UnknownRefresh {
    /// The value the viewer sent.
    pub given: String,
}

impl FromStr for Refresh {
    type Err = UnknownRefresh;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Refresh::ALL
            .into_iter()
            .find(|refresh| refresh.as_str() == s)
            .ok_or_else(|| UnknownRefresh {
                given: s.to_owned(),
            })
    }
}

impl TryFrom<String> for Refresh {
    type Error = UnknownRefresh;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Refresh> for String {
    fn from(refresh: Refresh) -> Self {
        refresh.as_str().to_owned()
    }
}

/// What a panel asks for: which panel, over which range.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PanelQuery {
    /// The dashboard's id.
    pub dashboard: String,
    /// The panel's id within the dashboard.
    pub panel: String,
    /// The time range to show.
    pub range: TimeRange,
    /// A fixed window shown instead of `range`, if the viewer picked one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The signed link's token of a private dashboard, passed on to the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl PanelQuery {
    /// The path of this panel's JSON API, e.g.
    /// `/api/panels/overview/users?range=30d`; `None` when the query does
    /// not name a panel by valid ids.
    pub fn api_path(&self) -> Option<String> {
        let route = panel_route(&self.dashboard, &self.panel, PanelFormat::Json)?;
        Some(crate::route::with_token(
            &route.href_with(&window_query(self.range, self.span)),
            self.token.as_deref(),
        ))
    }
}

/// The representations of a panel's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PanelFormat {
    Json,
    Csv,
}

/// The route of a panel's data, if both ids are valid.
fn panel_route(dashboard: &str, panel: &str, format: PanelFormat) -> Option<Route> {
    let (dashboard, panel) = (Id::new(dashboard)?, Id::new(panel)?);
    Some(match format {
        PanelFormat::Json => Route::PanelApi { dashboard, panel },
        PanelFormat::Csv => Route::PanelCsv { dashboard, panel },
    })
}

/// The query string of a window: `range=30d`, or `from=...&to=...` for a
/// fixed one.
pub fn window_query(range: TimeRange, span: Option<Span>) -> String {
    span.map_or_else(|| format!("range={range}"), Span::query)
}

/// What a page needs to lay a dashboard out; each panel loads its own data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardLayout {
    /// Id, in URLs.
    pub id: String,
    /// Title.
    pub title: String,
    /// A line under the title; may be empty.
    pub description: String,
    /// Panels in display order.
    pub panels: Vec<PanelInfo>,
    /// The ranges its range picker offers.
    pub ranges: Vec<TimeRange>,
    /// The range shown when the link names none.
    #[serde(default)]
    pub default_range: TimeRange,
    /// How often it updates itself when the link does not say.
    #[serde(default)]
    pub default_refresh: Refresh,
    /// The panel that pictures the dashboard (its first chart): in link
    /// previews, and the embed and image links of the Share dialog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart_panel: Option<String>,
    /// Whether visitors may take snapshots of it (`[sharing] public_snapshots`).
    #[serde(default)]
    pub snapshots: bool,
}

/// A dashboard view frozen at one moment: the data each panel showed then,
/// not the queries, so it reads the same whatever the sources do later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Its id, in `/s/{id}`.
    pub id: String,
    /// The dashboard it was taken of.
    pub dashboard: String,
    /// The dashboard's title then.
    pub title: String,
    /// The dashboard's description then; may be empty.
    #[serde(default)]
    pub description: String,
    /// When it was taken, unix seconds.
    pub taken_at: i64,
    /// When it stops being shown, unix seconds; `None`: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// Each panel as it was, in display order.
    pub panels: Vec<SnapshotPanel>,
}

/// One panel of a [`Snapshot`]: its data then, or the error it showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotPanel {
    /// The panel's id within the dashboard.
    pub id: String,
    /// Its share of a wide screen.
    #[serde(default)]
    pub width: PanelWidth,
    /// What it showed.
    pub result: Result<PanelData, ErrorBody>,
}

impl Snapshot {
    /// The panel that pictures it (the first chart with data), for link
    /// previews and its image.
    pub fn chart_panel(&self) -> Option<&PanelData> {
        self.panels.iter().find_map(|panel| match &panel.result {
            Ok(data) if matches!(data.content, PanelContent::Timeseries { .. }) => Some(data),
            _ => None,
        })
    }
}

/// One panel of a dashboard layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelInfo {
    /// Id within the dashboard.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind, as configured (`latency`, `growth`, ...), for styling.
    pub kind: String,
    /// How much of the dashboard's width it takes on wide screens.
    #[serde(default)]
    pub width: PanelWidth,
}

/// A panel's share of a wide screen; narrow screens stack every panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelWidth {
    /// The whole row.
    #[default]
    Full,
    /// Half a row, beside another half.
    Half,
}

impl PanelWidth {
    /// Its name in markup and config.
    pub fn as_str(self) -> &'static str {
        match self {
            PanelWidth::Full => "full",
            PanelWidth::Half => "half",
        }
    }
}

/// The unit of a series' values, which decides how the y axis is labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A plain count (users, requests): labelled with k/M suffixes.
    Count,
    /// Milliseconds.
    Milliseconds,
    /// Seconds.
    Seconds,
    /// A rate per second (requests/s): k/M suffixes and `/s`.
    PerSecond,
    /// A percentage, 0–100.
    Percent,
}

/// One sample: a time (unix seconds) and a value; `None` is a gap, drawn as a gap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Unix time in seconds.
    pub t: i64,
    /// The value, or `None` where there is no data.
    pub v: Option<f64>,
}

/// A named line on a chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The legend label.
    pub name: String,
    /// Samples in time order.
    pub points: Vec<Point>,
}

/// Everything a panel needs to draw itself for one time range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelData {
    /// The dashboard the panel belongs to.
    pub dashboard: String,
    /// The panel's id within the dashboard.
    pub panel: String,
    /// The panel's title, for people.
    pub title: String,
    /// The range the data covers.
    pub range: TimeRange,
    /// Start of the range, unix seconds.
    pub from: i64,
    /// End of the range, unix seconds.
    pub to: i64,
    /// Set when the viewer picked this fixed window rather than `range`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// True when the data is generated demo data rather than a real source.
    pub demo: bool,
    /// Set when the source failed and this is its last good data: when that
    /// data was fetched, unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_since: Option<i64>,
    /// What the panel shows; its `kind` field says which.
    #[serde(flatten)]
    pub content: PanelContent,
}

/// The kinds of panel content, tagged by `kind` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PanelContent {
    /// Lines over time, and optionally bars beneath them (e.g. daily sign-ups).
    Timeseries {
        /// The unit of every line's values.
        unit: Unit,
        /// The lines.
        series: Vec<Series>,
        /// Bars on their own scale under the lines, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bars: Option<Series>,
        /// Values drawn as dashed horizontal lines (e.g. an SLO).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        thresholds: Vec<f64>,
    },
    /// A row of headline numbers.
    Stats {
        /// The cards, in display order.
        cards: Vec<StatCard>,
    },
    /// A table of already formatted cells.
    Table {
        /// Column headings.
        columns: Vec<String>,
        /// Rows of cells, one per column.
        rows: Vec<Vec<String>>,
        /// What to say when there are no rows (e.g. "No active alerts").
        #[serde(default, skip_serializing_if = "String::is_empty")]
        empty: String,
        /// The columns whose cells are instants (`2026-11-01T09:30:00Z`,
        /// else a word such as "never"): pages print them in the viewer's
        /// zone.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        instants: Vec<usize>,
    },
}

/// The window shown, for people: `span` when the viewer picked one, else
/// `range` ("last 24 hours").
fn window_label(range: TimeRange, span: Option<Span>, zone: &crate::zone::Zone) -> String {
    span.map_or_else(|| range.label().to_owned(), |span| span.label(zone))
}

/// A panel's JSON read as a chart, and only as one: what a time-series
/// panel draws, decoded without the rest. [`PanelData`]'s flattened, tagged
/// content makes a decoder buffer the whole object before it can choose a
/// variant; this plain struct reads the fields in one pass and skips the
/// others (cards, rows…), which keeps that buffering machinery and the
/// other kinds' decoders out of the script widget's WASM. The same JSON as
/// [`PanelData`]: a test decodes one from the other.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChartData {
    /// The panel's title, for people.
    pub title: String,
    /// What the panel shows: a chart only for [`ChartKind::Timeseries`].
    pub kind: ChartKind,
    /// The range the data covers.
    pub range: TimeRange,
    /// Set when the viewer picked this fixed window rather than `range`.
    #[serde(default)]
    pub span: Option<Span>,
    /// Start of the range, unix seconds.
    pub from: i64,
    /// End of the range, unix seconds.
    pub to: i64,
    /// The unit of every line's values.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// The lines.
    #[serde(default)]
    pub series: Vec<Series>,
    /// Bars on their own scale under the lines, if any.
    #[serde(default)]
    pub bars: Option<Series>,
    /// Values drawn as dashed horizontal lines.
    #[serde(default)]
    pub thresholds: Vec<f64>,
}

/// A panel's `kind`, as [`ChartData`] reads it: a chart, or another kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// [`PanelContent::Timeseries`].
    Timeseries,
    /// Any other kind: not a chart.
    #[serde(other)]
    Other,
}

impl ChartData {
    /// The window shown, for people: "last 24 hours", or the fixed window
    /// in the viewer's `zone`.
    pub fn window_label(&self, zone: &crate::zone::Zone) -> String {
        window_label(self.range, self.span, zone)
    }
}

/// One headline number with its change over the previous period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatCard {
    /// What the number is, e.g. "Total users".
    pub label: String,
    /// The number, or `None` when there is no data.
    pub value: Option<f64>,
    /// Its unit.
    pub unit: Unit,
    /// Change against the previous period, in the same unit (percentage
    /// points for percentages); `None` when there is nothing to compare with.
    pub change: Option<f64>,
    /// What the change compares with, e.g. "vs 7 days ago".
    pub change_label: String,
    /// The value as words, shown instead of the number (e.g. "38 / 39").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A line under the value: where it comes from, or what to configure
    /// when there is none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Which way of change is good news (users: higher; errors, latency:
    /// lower), so that colours and words say what happened.
    #[serde(default)]
    pub better: Better,
}

impl StatCard {
    /// A card with no value yet, and a note that says why.
    pub fn missing(label: &str, unit: Unit, note: impl Into<String>) -> Self {
        Self {
            label: label.to_owned(),
            value: None,
            unit,
            change: None,
            change_label: String::new(),
            text: None,
            note: note.into(),
            better: Better::Higher,
        }
    }

    /// The card with `better` as its good direction.
    pub fn better(self, better: Better) -> Self {
        Self { better, ..self }
    }
}

/// Which way of change is good news for a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// More is better: users, requests, uptime.
    #[default]
    Higher,
    /// Less is better: errors, latency, cost.
    Lower,
    /// Neither: a change is only a change.
    Neither,
}

/// What a change means, by its sign and the figure's [`Better`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Good news.
    Good,
    /// Bad news.
    Bad,
    /// No change, or one that is neither.
    Neutral,
}

impl Better {
    /// What a change of `change` means.
    pub fn judge(self, change: f64) -> Verdict {
        let rose = change > 0.0;
        match self {
            _ if change == 0.0 || change.is_nan() => Verdict::Neutral,
            Better::Neither => Verdict::Neutral,
            Better::Higher if rose => Verdict::Good,
            Better::Lower if !rose => Verdict::Good,
            Better::Higher | Better::Lower => Verdict::Bad,
        }
    }
}

impl Verdict {
    /// Its CSS class and the words a screen reader hears.
    pub fn class_and_words(self) -> (&'static str, &'static str) {
        match self {
            Verdict::Good => ("good", "an improvement"),
            Verdict::Bad => ("bad", "a worsening"),
            Verdict::Neutral => ("neutral", "no better or worse"),
        }
    }
}

/// A time-series panel's values as rows: one per time, a column per line
/// (and one for the bars), `None` where a line has no value then.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesTable {
    /// Column names after the time column.
    pub columns: Vec<String>,
    /// `(unix seconds, one value per column)`, oldest first.
    pub rows: Vec<(i64, Vec<Option<f64>>)>,
}

impl PanelData {
    /// The path of this panel's CSV download, for the range shown.
    pub fn csv_path(&self) -> Option<String> {
        panel_route(&self.dashboard, &self.panel, PanelFormat::Csv)
            .map(|route| route.href_with(&window_query(self.range, self.span)))
    }

    /// A time-series panel's values as a table; `None` for other kinds.
    pub fn series_table(&self) -> Option<SeriesTable> {
        let PanelContent::Timeseries { series, bars, .. } = &self.content else {
            return None;
        };
        let all: Vec<&Series> = series.iter().chain(bars.as_ref()).collect();
        let mut rows: std::collections::BTreeMap<i64, Vec<Option<f64>>> = Default::default();
        for (column, line) in all.iter().enumerate() {
            for point in &line.points {
                rows.entry(point.t).or_insert_with(|| vec![None; all.len()])[column] = point.v;
            }
        }
        Some(SeriesTable {
            columns: all.iter().map(|s| s.name.clone()).collect(),
            rows: rows.into_iter().collect(),
        })
    }

    /// The window shown, for people: "last 24 hours", or the fixed window
    /// in the viewer's `zone`.
    pub fn window_label(&self, zone: &crate::zone::Zone) -> String {
        window_label(self.range, self.span, zone)
    }

    /// The latest non-empty value of a time series panel's first line.
    pub fn latest_value(&self) -> Option<f64> {
        match &self.content {
            PanelContent::Timeseries { series, .. } => series
                .first()
                .and_then(|series| series.points.iter().rev().find_map(|point| point.v)),
            PanelContent::Stats { .. } | PanelContent::Table { .. } => None,
        }
    }
}

/// The JSON body of every API error: `{"status":"error","errorType":"...","error":"..."}`.
///
/// The shape follows Prometheus' API so that one client can read errors from
/// every Porthole endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{error}")]
pub struct ErrorBody {
    /// Always `"error"`.
    pub status: String,
    /// A machine-readable kind, e.g. `bad_data` or `not_found`.
    pub error_type: ErrorKind,
    /// What went wrong and why, for people.
    pub error: String,
}

impl ErrorBody {
    /// An error body of the given kind and message.
    pub fn new(error_type: ErrorKind, error: impl Into<String>) -> Self {
        Self {
            status: "error".to_owned(),
            error_type,
            error: error.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_range_round_trips_through_its_url_form() {
        for range in TimeRange::ALL {
            assert_eq!(range.as_str().parse::<TimeRange>(), Ok(range));
        }
    }

    #[test]
    fn unknown_range_names_the_value_and_the_choices() {
        let err = "abc".parse::<TimeRange>().expect_err("abc is not a range");
        let message = err.to_string();
        assert!(message.contains("\"abc\""), "{message}");
        assert!(message.contains("30d"), "{message}");
    }

    #[test]
    fn ranges_are_serialized_as_their_url_form() {
        let json = serde_json::to_string(&TimeRange::Days7).expect("serializes");
        assert_eq!(json, "\"7d\"");
        let back: TimeRange = serde_json::from_str("\"1y\"").expect("deserializes");
        assert_eq!(back, TimeRange::Year1);
        assert!(serde_json::from_str::<TimeRange>("\"2w\"").is_err());
    }

    #[test]
    fn error_body_uses_prometheus_field_names() {
        let json =
            serde_json::to_value(ErrorBody::new(ErrorKind::BadData, "nope")).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"status": "error", "errorType": "bad_data", "error": "nope"})
        );
    }

    #[test]
    fn series_become_rows_by_time_with_gaps_left_empty() {
        let line = |name: &str, points: &[(i64, Option<f64>)]| Series {
            name: name.into(),
            points: points.iter().map(|&(t, v)| Point { t, v }).collect(),
        };
        let data = PanelData {
            dashboard: "d".into(),
            panel: "p".into(),
            title: "t".into(),
            range: TimeRange::Days7,
            from: 0,
            to: 3,
            span: None,
            demo: false,
            stale_since: None,
            content: PanelContent::Timeseries {
                unit: Unit::Count,
                series: vec![
                    line("a", &[(1, Some(1.0)), (2, None)]),
                    line("b", &[(2, Some(5.0)), (3, Some(6.0))]),
                ],
                bars: Some(line("new", &[(1, Some(9.0))])),
                thresholds: Vec::new(),
            },
        };
        let table = data.series_table().expect("a time series");
        assert_eq!(table.columns, ["a", "b", "new"]);
        assert_eq!(
            table.rows,
            vec![
                (1, vec![Some(1.0), None, Some(9.0)]),
                (2, vec![None, Some(5.0), None]),
                (3, vec![None, Some(6.0), None]),
            ]
        );
        assert_eq!(
            data.csv_path().as_deref(),
            Some("/api/panels/d/p/data.csv?range=7d")
        );
    }

    #[test]
    fn latest_value_skips_trailing_gaps() {
        let data = PanelData {
            dashboard: "d".into(),
            panel: "p".into(),
            title: "t".into(),
            range: TimeRange::Days7,
            from: 0,
            to: 3,
            span: None,
            demo: false,
            stale_since: None,
            content: PanelContent::Timeseries {
                unit: Unit::Count,
                series: vec![Series {
                    name: "s".into(),
                    points: vec![
                        Point { t: 1, v: Some(4.0) },
                        Point { t: 2, v: Some(5.0) },
                        Point { t: 3, v: None },
                    ],
                }],
                bars: None,
                thresholds: Vec::new(),
            },
        };
        assert_eq!(data.latest_value(), Some(5.0));
        let json = serde_json::to_value(&data).expect("serializes");
        assert_eq!(
            json["kind"], "timeseries",
            "content is flattened and tagged"
        );
        assert_eq!(json["unit"], "count");
        let back: PanelData = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, data);
    }

    #[test]
    fn chart_data_reads_what_panel_data_writes() {
        let timeseries = PanelData {
            dashboard: "overview".into(),
            panel: "latency".into(),
            title: "Latency".into(),
            range: TimeRange::Days7,
            from: 10,
            to: 20,
            span: None,
            demo: false,
            stale_since: Some(15),
            content: PanelContent::Timeseries {
                unit: Unit::Seconds,
                series: vec![Series {
                    name: "p95".into(),
                    points: vec![
                        Point {
                            t: 10,
                            v: Some(0.25),
                        },
                        Point { t: 20, v: None },
                    ],
                }],
                bars: Some(Series {
                    name: "requests".into(),
                    points: vec![],
                }),
                thresholds: vec![0.5],
            },
        };
        let json = serde_json::to_string(&timeseries).expect("serializes");
        let chart: ChartData = serde_json::from_str(&json).expect("decodes as a chart");
        let PanelContent::Timeseries {
            unit,
            series,
            bars,
            thresholds,
        } = &timeseries.content
        else {
            unreachable!("built as a time series")
        };
        assert_eq!(chart.kind, ChartKind::Timeseries);
        assert_eq!(chart.title, timeseries.title);
        assert_eq!((chart.from, chart.to), (timeseries.from, timeseries.to));
        let utc = crate::zone::Zone::utc();
        assert_eq!(chart.window_label(&utc), timeseries.window_label(&utc));
        assert_eq!(chart.unit, Some(*unit));
        assert_eq!(&chart.series, series);
        assert_eq!(&chart.bars, bars);
        assert_eq!(&chart.thresholds, thresholds);

        let stats = PanelData {
            content: PanelContent::Stats { cards: vec![] },
            ..timeseries
        };
        let json = serde_json::to_string(&stats).expect("serializes");
        let other: ChartData = serde_json::from_str(&json).expect("decodes as another kind");
        assert_eq!(other.kind, ChartKind::Other);
    }

    #[test]
    fn a_change_is_good_or_bad_by_which_way_is_better() {
        assert_eq!(Better::Higher.judge(5.0), Verdict::Good);
        assert_eq!(Better::Higher.judge(-5.0), Verdict::Bad);
        assert_eq!(Better::Lower.judge(5.0), Verdict::Bad, "latency rose");
        assert_eq!(Better::Lower.judge(-0.5), Verdict::Good, "errors fell");
        assert_eq!(Better::Neither.judge(3.0), Verdict::Neutral);
        assert_eq!(Better::Lower.judge(0.0), Verdict::Neutral);
        assert_eq!(Better::Higher.judge(f64::NAN), Verdict::Neutral);
    }
}
