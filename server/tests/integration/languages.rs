//! The viewer's language (`?lang=`) through the pages people open: a
//! first visit sent to the language its browser prefers, pages in German
//! with their numbers and dates written the German way, links that keep
//! the language, chart images, and the spellings a stranger might send.

use crate::common;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::{
    Answer, TestApp,
    fixtures::ADMIN_TOKEN,
    get,
    html::{chart_svg, svg_texts},
    open_incident, send,
};

/// `GET uri` from a browser whose languages are `accepted`.
async fn get_accepting(app: &axum::Router, uri: &str, accepted: &str) -> Answer {
    let request = Request::get(uri)
        .header(header::ACCEPT_LANGUAGE, accepted)
        .body(Body::empty())
        .expect("request");
    send(app, request).await
}

/// The text of every `<text>` element in the page's first chart figure.
fn chart_labels(html: &str) -> Vec<String> {
    svg_texts(chart_svg(html))
        .into_iter()
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_first_visit_is_sent_to_the_language_its_browser_prefers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::new(dir.path()).with_demo_kpis().router().await;
    for (uri, accepted, location) in [
        ("/status", "de-DE,de;q=0.9,en;q=0.8", "/status?lang=de"),
        ("/", "fr-CH, fr;q=0.9, de;q=0.5", "/?lang=de"),
        (
            "/status/history?page=1&theme=dark",
            "de-AT",
            "/status/history?page=1&theme=dark&lang=de",
        ),
        (
            "/embed/overview/users",
            "DE",
            "/embed/overview/users?lang=de",
        ),
    ] {
        let answer = get_accepting(&app, uri, accepted).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{uri} {accepted}");
        assert_eq!(answer.header(header::LOCATION), location);
        assert_eq!(answer.header(header::VARY), "accept-language");
        assert_eq!(answer.header(header::CACHE_CONTROL), "private, no-store");
    }
    // English, or nothing Porthole speaks: the page itself, in English,
    // marked as chosen by the browser's languages.
    for accepted in ["en-GB,en;q=0.9", "fr-FR, es;q=0.5", "de;q=0", "", "*;;;,"] {
        let answer = get_accepting(&app, "/status", accepted).await;
        assert_eq!(answer.status, StatusCode::OK, "{accepted:?}");
        assert_eq!(answer.header(header::CONTENT_LANGUAGE), "en");
        assert!(
            answer
                .headers
                .get_all(header::VARY)
                .iter()
                .any(|v| v == "accept-language"),
            "{accepted:?}: {:?}",
            answer.headers
        );
        assert!(answer.body.contains(r#"<html lang="en""#));
    }
    // A link that names its language is answered in it, whatever the
    // browser prefers, and does not vary by it.
    let english = get_accepting(&app, "/status?lang=en", "de").await;
    assert_eq!(english.status, StatusCode::OK);
    assert_eq!(english.header(header::CONTENT_LANGUAGE), "en");
    assert!(
        !english
            .headers
            .get_all(header::VARY)
            .iter()
            .any(|v| v == "accept-language")
    );
    // Machine formats never negotiate.
    let api = get_accepting(&app, "/api/status", "de").await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.header(header::CONTENT_LANGUAGE), "");
}

#[tokio::test]
async fn the_status_pages_speak_german_and_their_links_keep_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (app, _) = TestApp::new(dir.path())
        .with_admin_token(ADMIN_TOKEN)
        .router_and_state()
        .await;
    let id = open_incident(&app).await;

    let page = get(&app, "/status?lang=de").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.header(header::CONTENT_LANGUAGE), "de");
    assert!(page.body.contains(r#"<html lang="de""#));
    assert!(page.body.contains("Wird untersucht"), "{}", page.body);
    assert!(page.body.contains("Geringe Auswirkung"), "{}", page.body);
    assert!(!page.body.contains("Investigating"), "{}", page.body);
    // Times are written the German way: 06.12.2026 08:30 UTC.
    let german_time = regex_like_german_timestamp(&page.body);
    assert!(german_time, "a German timestamp: {}", page.body);
    for link in [
        format!(r#"href="/status/incidents/{id}?lang=de""#),
        r#"href="/status/history?lang=de""#.to_owned(),
        r#"href="/?lang=de""#.to_owned(),
    ] {
        assert!(page.body.contains(&link), "{link}");
    }
    // The language picker offers the same page in English, named in
    // English, and names German in German.
    assert!(
        page.body.contains(r#"href="/status?lang=en""#),
        "{}",
        page.body
    );
    assert!(page.body.contains("English"));
    assert!(page.body.contains("Deutsch"));

    let incident = get(&app, &format!("/status/incidents/{id}?lang=de")).await;
    assert_eq!(incident.status, StatusCode::OK, "{}", incident.body);
    assert!(incident.body.contains("Wird untersucht"));
    assert!(incident.body.contains(r#"<html lang="de""#));
    let history = get(&app, "/status/history?lang=de").await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.body.contains(r#"<html lang="de""#));
}

/// The text of every table cell (`<td>`) of the page's first chart's
/// table view that is not a time.
fn table_cells(html: &str) -> Vec<String> {
    let start = html.find("<figure").expect("a chart figure");
    html[start..]
        .split("<td>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</td>"))
        .map(|(cell, _)| cell.to_owned())
        .filter(|cell| !cell.contains(':'))
        .collect()
}

/// Whether `html` holds a time written `DD.MM.YYYY hh:mm`.
fn regex_like_german_timestamp(html: &str) -> bool {
    html.as_bytes().windows(16).any(|w| {
        let digit = |i: usize| w[i].is_ascii_digit();
        digit(0)
            && digit(1)
            && w[2] == b'.'
            && digit(3)
            && digit(4)
            && w[5] == b'.'
            && (6..10).all(digit)
            && w[10] == b' '
            && digit(11)
            && digit(12)
            && w[13] == b':'
            && digit(14)
            && digit(15)
    })
}

#[tokio::test]
async fn a_dashboard_in_german_writes_numbers_and_dates_the_german_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::new(dir.path()).with_demo_kpis().router().await;
    let english = get(&app, "/?range=90d").await;
    let german = get(&app, "/?range=90d&lang=de").await;
    assert_eq!(german.status, StatusCode::OK, "{}", german.body);
    let months = ["Sept.", "Okt.", "Nov.", "Dez."];
    let labels = chart_labels(&german.body);
    assert!(
        labels
            .iter()
            .any(|label| months.iter().any(|month| label.ends_with(month)) && label.contains(". ")),
        "German day and month on the time axis (\"7. Okt.\"): {labels:?}"
    );
    let english_labels = chart_labels(&english.body);
    assert!(
        english_labels
            .iter()
            .any(|label| ["Sep ", "Oct ", "Nov ", "Dec "]
                .iter()
                .any(|month| label.starts_with(month))),
        "{english_labels:?}"
    );
    // The table view's values: a decimal comma in German where English
    // has a point ("25.2k", "25,2k"), the same values otherwise.
    let english_cells = table_cells(&english.body);
    let german_cells = table_cells(&german.body);
    let with_fraction: Vec<usize> = english_cells
        .iter()
        .enumerate()
        .filter(|(_, cell)| {
            cell.split_once('.').is_some_and(|(whole, fraction)| {
                whole.ends_with(|c: char| c.is_ascii_digit())
                    && fraction.starts_with(|c: char| c.is_ascii_digit())
            })
        })
        .map(|(i, _)| i)
        .collect();
    assert!(!with_fraction.is_empty(), "{english_cells:?}");
    for i in with_fraction {
        assert_eq!(
            german_cells.get(i).map(String::as_str),
            Some(english_cells[i].replace('.', ",").as_str()),
            "cell {i}"
        );
    }
    assert!(regex_like_german_timestamp(&german.body), "the table view");
    // The view links and the range picker's form keep the language.
    assert!(
        german.body.contains(r#"href="/?range=7d&amp;lang=de""#),
        "{}",
        german.body
    );
    assert!(
        german
            .body
            .contains(r#"<input type="hidden" name="lang" value="de""#),
        "the range form sends the language again"
    );
}

#[tokio::test]
async fn languages_are_read_in_one_spelling_and_others_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::new(dir.path()).with_demo_kpis().router().await;
    let upper = get(&app, "/status?lang=DE").await;
    assert_eq!(upper.status, StatusCode::OK);
    assert!(upper.body.contains(r#"<html lang="de""#));
    assert_eq!(upper.header(header::CONTENT_LANGUAGE), "de");
    for refused in [
        "fr",
        "xx",
        "..%2Fde",
        "%3Cscript%3E",
        "de%00",
        "de-DE-x-very-long-tag",
    ] {
        let page = get(&app, &format!("/status?lang={refused}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{refused}");
        assert!(page.body.contains("unknown language"), "{refused}");
        assert!(page.body.contains(r#"<html lang="en""#), "{refused}");
        assert!(!page.body.contains("<script>"), "{refused}");
    }
    let image = get(&app, "/render/overview/users.svg?range=90d&lang=de").await;
    assert_eq!(image.status, StatusCode::OK);
    assert!(
        ["Sept.", "Okt.", "Nov.", "Dez."]
            .iter()
            .any(|month| image.body.contains(month)),
        "{}",
        image.body
    );
    let refused = get(&app, "/render/overview/users.svg?lang=klingon").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("unknown language"),
        "{}",
        refused.body
    );
}
