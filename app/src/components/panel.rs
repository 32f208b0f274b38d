//! A dashboard panel: loads its data for a range and shows it by kind. Its
//! chart is an island (hover readout, legend); under auto refresh the whole
//! panel is one ([`crate::live::LivePanel`]), redrawn from each frame.

use std::sync::Arc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    charts::{Zone, format_value},
    components::{
        chart_island::{ChartIsland, ChartWords},
        chart_lines::ChartLines,
        data_table::DataTable,
        fill,
        range_picker::span_label,
        stat_cards::StatCards,
        template,
    },
    live::LivePanel,
    model::{
        ErrorBody, PanelContent, PanelData, PanelQuery, PanelWidth, SnapshotPanel, Span, TimeRange,
    },
    panel_data::load_panel,
    signed_link::AccessToken,
};

/// The words a panel shows, in the page's language. Looked up on the
/// server; under auto refresh the browser redraws panels, and has no
/// message file, so the page carries them to it (`LiveDashboard`'s prop,
/// provided as context to its panels). Words with a value in them are
/// templates (`{time}`, see `components::fill`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelWords {
    /// The badge of a panel with made-up data: "Demo data".
    pub demo: String,
    /// The badge of a panel whose source stopped answering: "stale since
    /// {time}".
    pub stale_since: String,
    /// A chart with no values: "No data in this range.".
    pub no_data_in_range: String,
    /// A missing value: "no data".
    pub no_data: String,
    /// A chart's description: "{title}, {window}, now {latest}".
    pub summary: String,
    /// "View as table".
    pub view_as_table: String,
    /// "Download CSV".
    pub download_csv: String,
    /// Above a table view cut to its newest rows.
    pub newest_rows: String,
    /// The table view's time column: "Time".
    pub time: String,
    /// An empty table: "Nothing to show yet.".
    pub nothing_to_show: String,
    /// A stat card's change that is good news: "an improvement".
    pub better: String,
    /// A stat card's change that is bad news: "a worsening".
    pub worse: String,
    /// A stat card's change that is neither: "no better or worse".
    pub neutral: String,
    /// The names of the ranges, in the order of `TimeRange::ALL`.
    pub ranges: Vec<String>,
    /// A chart's own words.
    pub chart: ChartWords,
    /// The server's English phrases (`model::phrases`) and their words in
    /// the page's language; empty on English pages.
    pub phrases: Vec<(String, String)>,
}

impl PanelWords {
    /// The words in the page's language (server side: the browser has
    /// none to look up).
    pub fn lookup() -> Self {
        Self {
            demo: crate::tr!("panel-demo"),
            stale_since: template("panel-stale-since", &["time"]),
            no_data_in_range: crate::tr!("panel-no-data-in-range"),
            no_data: crate::tr!("panel-no-data"),
            summary: template("panel-summary", &["title", "window", "latest"]),
            view_as_table: crate::tr!("panel-view-as-table"),
            download_csv: crate::tr!("panel-download-csv"),
            newest_rows: crate::tr!("panel-newest-rows", count = TABLE_ROWS),
            time: crate::tr!("panel-time"),
            nothing_to_show: crate::tr!("data-table-empty"),
            better: crate::tr!("stat-cards-better"),
            worse: crate::tr!("stat-cards-worse"),
            neutral: crate::tr!("stat-cards-neutral"),
            ranges: TimeRange::ALL
                .iter()
                .map(|range| crate::words::named("range", range.as_str()))
                .collect(),
            chart: ChartWords::lookup(),
            phrases: crate::words::phrases(),
        }
    }

    /// `text` as the server wrote it, in the page's language when it is
    /// one of the server's phrases; as written otherwise (the operator's).
    pub fn said(&self, text: &str) -> String {
        self.phrases
            .iter()
            .find(|(english, _)| english == text)
            .map_or_else(|| text.to_owned(), |(_, said)| said.clone())
    }

    /// The words provided to the panels being rendered (in the browser,
    /// the page's), else those of the page's language.
    pub fn current() -> Self {
        use_context::<Self>().unwrap_or_else(Self::of_page_language)
    }

    /// [`lookup`](Self::lookup), once per language for the process: the
    /// words depend on nothing else, and looking two dozen messages up for
    /// every panel was a sixth of a dashboard's render.
    #[cfg(feature = "ssr")]
    fn of_page_language() -> Self {
        use std::{
            collections::HashMap,
            sync::{LazyLock, Mutex},
        };
        // One entry per language Porthole speaks: bounded by its message files.
        static BY_LANGUAGE: LazyLock<Mutex<HashMap<porthole_model::lang::Lang, PanelWords>>> =
            LazyLock::new(Mutex::default);
        let lang = crate::words::page_lang();
        let known = BY_LANGUAGE
            .lock()
            .ok()
            .and_then(|by_language| by_language.get(&lang).cloned());
        known.unwrap_or_else(|| {
            let words = Self::lookup();
            if let Ok(mut by_language) = BY_LANGUAGE.lock() {
                by_language.insert(lang, words.clone());
            }
            words
        })
    }

    /// In the browser, the page provides its words; none to look up.
    #[cfg(not(feature = "ssr"))]
    fn of_page_language() -> Self {
        Self::lookup()
    }

    /// The name of `range`: "last 7 days".
    pub fn range(&self, range: TimeRange) -> String {
        TimeRange::ALL
            .iter()
            .position(|known| *known == range)
            .and_then(|i| self.ranges.get(i))
            .cloned()
            .unwrap_or_default()
    }

    /// The window `data` shows: "last 7 days", or its fixed window in
    /// `zone`.
    fn window(&self, data: &PanelData, zone: &Zone) -> String {
        data.span
            .map_or_else(|| self.range(data.range), |span| span_label(zone, span))
    }
}

/// One panel, its data loaded on the server for the page. A failing panel
/// shows its own error; the page is unaffected. With `live`, auto refresh
/// redraws it from the frames the server pushes.
#[component]
pub fn Panel(
    /// The dashboard's id.
    dashboard: String,
    /// The panel's id.
    panel: String,
    /// The range to show.
    range: TimeRange,
    /// A fixed window shown instead of `range`, if the viewer picked one.
    span: Option<Span>,
    /// Its share of a wide screen.
    #[prop(optional)]
    width: PanelWidth,
    /// Whether auto refresh updates it.
    #[prop(optional)]
    live: bool,
    /// Its title, shown above an error (data carries it otherwise).
    #[prop(default = None)]
    title: Option<String>,
) -> impl IntoView {
    let query = PanelQuery {
        dashboard,
        panel: panel.clone(),
        range,
        span,
        token: AccessToken::current().0,
    };
    let data = Resource::new(move || query.clone(), load_panel);
    let id = panel.clone();
    view! {
        <section class="panel" data-panel=id data-width=width.as_str()>
            <Suspense fallback=|| view! { <p class="panel-state">{crate::tr!("panel-loading")}</p> }>
                {move || {
                    let panel = panel.clone();
                    let title = title.clone();
                    Suspend::new(async move {
                        let result = crate::render_once::loaded(data).await;
                        if live {
                            view! {
                                <LivePanel
                                    panel
                                    range
                                    zone=crate::page_view::zone_ahead(range.seconds())
                                >
                                    <PanelResult result title />
                                </LivePanel>
                            }
                                .into_any()
                        } else {
                            view! { <PanelResult result title /> }.into_any()
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// A panel's data, or why there is none.
#[component]
pub fn PanelResult(
    /// What loading the panel gave.
    result: Result<PanelData, ErrorBody>,
    /// The panel's title, for an error to stand under.
    #[prop(default = None)]
    title: Option<String>,
) -> impl IntoView {
    match result {
        Ok(data) => view! { <PanelBody data /> }.into_any(),
        Err(error) => view! { <PanelError error title /> }.into_any(),
    }
}

/// Marks panels as frozen (a snapshot): their data has no live source, so
/// they offer no CSV download of it.
#[derive(Debug, Clone, Copy)]
pub struct Frozen;

/// One panel of a snapshot: the data (or error) it had when taken.
#[component]
pub fn FrozenPanel(
    /// The panel as captured.
    panel: SnapshotPanel,
) -> impl IntoView {
    view! {
        <section class="panel" data-panel=panel.id data-width=panel.width.as_str()>
            {match panel.result {
                Ok(data) => view! { <PanelBody data /> }.into_any(),
                Err(error) => view! { <PanelError error title=None /> }.into_any(),
            }}
        </section>
    }
}

/// The panel's heading and its content.
#[component]
fn PanelBody(data: PanelData) -> impl IntoView {
    let words = PanelWords::current();
    let data = said_in_page_language(data, &words);
    let latest = match &data.content {
        PanelContent::Timeseries { unit, series, .. } => data.latest_value().map(|v| {
            // With several lines, say which one the headline number is,
            // set apart from it ("200: 22/s", not "200 22/s").
            let value = format_value(v, *unit, &crate::words::page_style());
            match series.as_slice() {
                [first, _, ..] => format!("{}: {value}", first.name),
                _ => value,
            }
        }),
        PanelContent::Stats { .. } | PanelContent::Table { .. } => None,
    };
    let header = view! {
        <header class="panel-header">
            <h2>{data.title.clone()}</h2>
            {data.demo.then(|| view! { <span class="badge demo">{words.demo.clone()}</span> })}
            {data
                .stale_since
                .map(|since| {
                    let time = crate::page_view::page_zone().format_clock(since);
                    view! {
                        <span class="badge stale" role="status">
                            {fill(&words.stale_since, &[("time", &time)])}
                        </span>
                    }
                })}
            {latest.clone().map(|latest| view! { <p class="panel-latest">{latest}</p> })}
        </header>
    };
    let content = match data.content.clone() {
        PanelContent::Timeseries { ref series, .. }
            if series
                .iter()
                .all(|s| s.points.iter().all(|p| p.v.is_none())) =>
        {
            view! { <p class="panel-state empty">{words.no_data_in_range.clone()}</p> }.into_any()
        }
        PanelContent::Timeseries { .. } => view! { <Chart data latest words /> }.into_any(),
        PanelContent::Stats { cards } => view! { <StatCards cards /> }.into_any(),
        PanelContent::Table {
            columns,
            rows,
            empty,
            instants,
        } => view! { <DataTable caption=data.title columns rows empty instants /> }.into_any(),
    };
    view! {
        {header}
        {content}
    }
}

/// `data` with the server's phrases among its title and line names said
/// in the page's language (the service page's chart titles, the KPI
/// lines); the operator's own titles and names stay as written.
fn said_in_page_language(mut data: PanelData, words: &PanelWords) -> PanelData {
    if words.phrases.is_empty() {
        return data;
    }
    data.title = words.said(&data.title);
    if let PanelContent::Timeseries { series, bars, .. } = &mut data.content {
        for line in series.iter_mut().chain(bars.iter_mut()) {
            line.name = words.said(&line.name);
        }
    }
    data
}

/// A time-series chart drawn with plotters (on the server for the page),
/// its legend and hover readout (an island), its values as a table, and a
/// CSV download.
#[component]
fn Chart(data: PanelData, latest: Option<String>, words: PanelWords) -> impl IntoView {
    let zone = crate::page_view::page_zone();
    let window = words.window(&data, &zone);
    let latest = latest.unwrap_or_else(|| words.no_data.clone());
    let summary = fill(
        &words.summary,
        &[
            ("title", &data.title),
            ("window", &window),
            ("latest", &latest),
        ],
    );
    // Drawn here on the server; in the browser (a panel redrawn by auto
    // refresh) the chart island draws it, with plotters loaded on first use.
    let Some(lines) = ChartLines::of(&data, &zone, &crate::words::page_style()) else {
        return ().into_any();
    };
    #[cfg(feature = "ssr")]
    let svg = match crate::components::drawn_charts::drawn(&lines) {
        Ok(svg) => svg,
        Err(error) => {
            return view! { <p class="panel-state error">{error}</p> }.into_any();
        }
    };
    #[cfg(not(feature = "ssr"))]
    let svg = Arc::<str>::from("");
    let csv = use_context::<Frozen>()
        .is_none()
        .then(|| data.csv_path())
        .flatten()
        .map(|csv| AccessToken::current().append(&csv));
    let range = data.range.as_str();
    let table = Arc::new(data.clone());
    view! {
        <ChartIsland
            lines
            readout_label=words.chart.readout.clone()
            legend_label=words.chart.legend.clone()
        >
            <figure class="chart" role="img" aria-label=summary data-range=range inner_html=svg></figure>
        </ChartIsland>
        <div class="panel-tools">
            <details class="as-table">
                <summary>{words.view_as_table.clone()}</summary>
                <SeriesTableView data=table words=words.clone() />
            </details>
            {csv
                .map(|csv| {
                    view! {
                        <a class="download" href=csv download="">
                            {words.download_csv.clone()}
                        </a>
                    }
                })}
        </div>
    }
    .into_any()
}

/// The most rows the table view shows (the newest ones).
const TABLE_ROWS: usize = 500;

/// A time-series panel's values as an accessible table.
#[component]
fn SeriesTableView(data: Arc<PanelData>, words: PanelWords) -> impl IntoView {
    let (Some(table), PanelContent::Timeseries { unit, .. }) = (data.series_table(), &data.content)
    else {
        return ().into_any();
    };
    let unit = *unit;
    let span = data.to - data.from;
    let zone = crate::page_view::page_zone();
    let style = crate::words::page_style();
    let skipped = table.rows.len().saturating_sub(TABLE_ROWS);
    let columns: Vec<String> = std::iter::once(words.time.clone())
        .chain(table.columns)
        .collect();
    let rows: Vec<Vec<String>> =
        table
            .rows
            .into_iter()
            .skip(skipped)
            .map(|(t, values)| {
                std::iter::once(style.timestamp_in(&zone, t, span))
                    .chain(values.into_iter().map(|v| {
                        v.map_or_else(|| "–".to_owned(), |v| format_value(v, unit, &style))
                    }))
                    .collect()
            })
            .collect();
    view! {
        {(skipped > 0).then(|| view! { <p class="panel-state">{words.newest_rows.clone()}</p> })}
        <DataTable caption=data.title.clone() columns rows empty=words.no_data_in_range.clone() />
    }
    .into_any()
}

/// A panel's own error: the rest of the page is unaffected. A panel that
/// does not exist (only an embed's link can name one) makes the page a 404.
/// A panel that needs a source this Porthole is not configured with says
/// so calmly, under its title: it is a setup step, not a fault.
#[component]
fn PanelError(error: ErrorBody, title: Option<String>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if error.error_type == crate::model::ErrorKind::NotFound
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let setup = error.error_type == crate::model::ErrorKind::NotConfigured;
    view! {
        {title.map(|title| view! { <header class="panel-header"><h2>{title}</h2></header> })}
        {if setup {
            view! { <p class="panel-state setup">{error.error}</p> }.into_any()
        } else {
            view! { <p class="panel-state error" role="alert">{error.error}</p> }.into_any()
        }}
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::words::in_language;

    #[test]
    fn a_charts_description_reads_as_before_in_english() {
        let words = in_language("en", PanelWords::lookup);
        let summary = fill(
            &words.summary,
            &[
                ("title", "Latency"),
                ("window", &words.range(TimeRange::Days7)),
                ("latest", &words.no_data),
            ],
        );
        assert_eq!(summary, "Latency, last 7 days, now no data");
        assert_eq!(
            fill(&words.stale_since, &[("time", "12:05 CEST")]),
            "stale since 12:05 CEST"
        );
        assert_eq!(words.newest_rows, "The newest 500 rows; the CSV has all.");
        let german = in_language("de", PanelWords::lookup);
        assert_eq!(german.range(TimeRange::Hour1), "letzte Stunde");
        assert_eq!(german.view_as_table, "Als Tabelle anzeigen");
    }

    #[test]
    fn words_kept_for_each_language_stay_in_it() {
        let german = in_language("de", PanelWords::current);
        let english = in_language("en", PanelWords::current);
        assert_eq!(german.view_as_table, "Als Tabelle anzeigen");
        assert_eq!(english.view_as_table, "View as table");
        // Asked again, each language gets its own words back.
        assert_eq!(in_language("de", PanelWords::current), german);
        assert_eq!(in_language("en", PanelWords::current), english);
        assert_eq!(english, in_language("en", PanelWords::lookup));
    }
}
