//! One route component per file.

pub mod dashboard;
pub mod embed;
pub mod not_found;
pub mod snapshot;
pub mod status;
pub mod status_history;
pub mod status_incident;
pub mod status_service;

/// Stands in for an element in a message: a private-use character, which
/// no message or argument writes.
const ELEMENT: &str = "\u{E000}";

/// Message `id` in two parts, cut where its argument `at` stands: the
/// words before and after an element (a `<time>`) the page puts between
/// them, wherever the language places it. A message without the argument
/// is all before.
fn around(id: &str, at: &str) -> (String, String) {
    let text = crate::words::text(id, &[(at, crate::words::Arg::from(ELEMENT))]);
    match text.split_once(ELEMENT) {
        Some((before, after)) => (before.to_owned(), after.to_owned()),
        None => (text, String::new()),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::around;
    use crate::words::in_language;

    #[test]
    fn a_message_is_cut_where_its_element_goes() {
        let english = in_language("en", || around("status-updated", "time"));
        assert_eq!(
            english,
            (
                "Last updated ".to_owned(),
                " · refreshes every minute".to_owned()
            )
        );
        let german = in_language("de", || around("incident-opened", "time"));
        assert_eq!(german, ("Gemeldet am ".to_owned(), String::new()));
    }
}
