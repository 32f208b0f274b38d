//! A plain, accessible table of formatted cells.

use leptos::prelude::*;

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
) -> impl IntoView {
    if rows.is_empty() {
        let message = if empty.is_empty() {
            "Nothing to show yet.".to_owned()
        } else {
            empty
        };
        return view! { <p class="panel-state empty">{message}</p> }.into_any();
    }
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
                                    {row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}
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
