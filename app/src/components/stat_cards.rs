//! A row of headline numbers, each with its change and an arrow.

use leptos::prelude::*;

use crate::{
    charts::format_value,
    components::panel::PanelWords,
    model::{StatCard, Verdict},
};

/// The cards of a stats panel.
#[component]
pub fn StatCards(
    /// The cards, in display order.
    cards: Vec<StatCard>,
) -> impl IntoView {
    // The panel's words (the browser redraws cards under auto refresh).
    let words = PanelWords::current();
    view! {
        <ul class="stat-cards">
            {cards
                .into_iter()
                .map(|card| view! { <Card card words=words.clone() /> })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Card(card: StatCard, words: PanelWords) -> impl IntoView {
    let value = card.text.clone().unwrap_or_else(|| {
        card.value.map_or_else(
            || words.no_data.clone(),
            |v| format_value(v, card.unit, &crate::words::page_style()),
        )
    });
    let note = (!card.note.is_empty())
        .then(|| view! { <p class="stat-note">{words.said(&card.note)}</p> });
    let change = card.change.map(|change| {
        // Decide the arrow on the value as shown: a change that rounds to
        // zero is "flat", not a red arrow next to "0".
        let change = (change * 100.0).round() / 100.0;
        // The arrow says which way it moved; the colour, whether that is
        // good news for this figure (a falling error rate is).
        let (arrow, sign) = if change > 0.0 {
            ("▲", "+")
        } else if change < 0.0 {
            ("▼", "")
        } else {
            ("▶", "±")
        };
        let judged = card.better.judge(change);
        let (verdict, _) = judged.class_and_words();
        let heard = match judged {
            Verdict::Good => &words.better,
            Verdict::Bad => &words.worse,
            Verdict::Neutral => &words.neutral,
        };
        let text = format!(
            "{sign}{} {}",
            format_value(change, card.unit, &crate::words::page_style()),
            words.said(&card.change_label)
        );
        view! {
            <p class=format!("change {verdict}")>
                <span aria-hidden="true">{arrow}</span>
                " "
                {text}
                <span class="visually-hidden">{format!(", {heard}")}</span>
            </p>
        }
    });
    view! {
        <li class="stat-card">
            <p class="stat-label">{words.said(&card.label)}</p>
            <p class="stat-value">{value}</p>
            {change}
            {note}
        </li>
    }
}
