//! A plain, accessible table of formatted cells; cells that are instants
//! are printed in the viewer's zone.

use leptos::prelude::*;

use crate::calendar::parse_instant;

/// A table with a caption (for screen readers) and column headings.
#[component]
pub fn DataTable(
    /// What the table holds.
    caption: String,
    /// Column headings.
    columns: Vec<String>,
    /// Rows of cells.
    rows: Vec<Vec<String>>,
    /// Shown instead of the table when there are no rows.
    empty: String,
    /// The columns whose cells are instants (`2026-11-01T09:30:00Z`).
    #[prop(optional)]
    instants: Vec<usize>,
) -> impl IntoView {
    // The server's headings and words are said in the page's language.
    let words = crate::components::panel::PanelWords::current();
    if rows.is_empty() {
        let message = if empty.is_empty() {
            words.nothing_to_show
        } else {
            words.said(&empty)
        };
        return view! { <p class="panel-state empty">{message}</p> }.into_any();
    }
    let (zone, style) = (crate::page_view::page_zone(), crate::words::page_style());
    let columns: Vec<String> = columns.iter().map(|column| words.said(column)).collect();
    let cell = move |column: usize, text: String| {
        if instants.contains(&column)
            && let Some(t) = parse_instant(&text).filter(|_| text.ends_with('Z'))
        {
            style.timestamp(&zone, t)
        } else {
            // A number the server wrote in English is written the
            // page's way; other text may be one of the server's phrases.
            style
                .number_text(&text)
                .unwrap_or_else(|| words.said(&text))
        }
    };
    view! {
        <div class="table-scroll">
            <table class="data-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        {columns
                            .into_iter()
                            .map(|column| view! { <th scope="col">{column}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    {row
                                        .into_iter()
                                        .enumerate()
                                        .map(|(column, text)| view! { <td>{cell(column, text)}</td> })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
