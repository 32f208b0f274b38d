//! The viewer's time zone (`?tz=`) through the pages and renders people
//! open: dashboards with a window across a change of the clocks, the status
//! pages, an incident, and chart images; links that keep the zone, and the
//! spellings a stranger might send.

use crate::common;

use axum::http::StatusCode;
use common::{
    TestApp,
    fixtures::ADMIN_TOKEN,
    get,
    html::{chart_svg, svg_texts},
    open_incident,
};

#[tokio::test]
async fn a_dashboard_across_a_change_of_the_clocks_reads_in_the_viewers_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::new(dir.path()).with_demo_kpis().router().await;
    // The night Berlin's clocks went forward, as Berlin's date-time fields
    // send it.
    let page = get(
        &app,
        "/?from=2026-03-28T12:00&to=2026-03-29T12:00&tz=Europe/Berlin",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let figure = chart_svg(&page.body);
    assert!(
        figure.contains("2026-03-28 12:00 CET – 2026-03-29 12:00 CEST"),
        "the window is Berlin's, each end with its own offset: {figure}"
    );
    let labels = svg_texts(figure);
    assert!(labels.contains(&"00:00"), "midnight in Berlin: {labels:?}");
    assert!(
        !labels.contains(&"02:00"),
        "02:00 never happened that night: {labels:?}"
    );
    // The table view prints each point in Berlin's time, with its zone.
    assert!(
        page.body.contains("2026-03-29 01:00:00 CET"),
        "a daily point at 00:00 UTC: {}",
        page.body
    );
    assert!(page.body.contains("Times in Europe/Berlin"));
    // Links keep the zone; the range picker's form sends it again.
    assert!(
        page.body
            .contains(r#"href="/?range=7d&amp;tz=Europe/Berlin""#),
        "range links keep the zone"
    );
    assert!(
        page.body
            .contains(r#"<input type="hidden" name="tz" value="Europe/Berlin""#)
    );
    assert!(page.body.contains("From (Europe/Berlin)"));
    assert!(
        page.body.contains(r#"value="2026-03-28T12:00""#),
        "the form shows the window as Berlin's clocks read it"
    );
    assert!(
        page.body.contains(r#"class="zone-utc""#),
        "a way back to UTC"
    );
}

#[tokio::test]
async fn zone_names_are_read_as_the_database_spells_them_and_others_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::new(dir.path()).with_demo_kpis().router().await;
    let lower = get(&app, "/?range=7d&tz=america/new_york").await;
    assert_eq!(lower.status, StatusCode::OK);
    assert!(lower.body.contains("Times in America/New_York"));
    assert!(
        lower
            .body
            .contains(r#"href="/?range=30d&amp;tz=America/New_York""#)
    );
    let plus = get(&app, "/?range=7d&tz=Etc%2FGMT%2B5").await;
    assert!(plus.body.contains("Times in Etc/GMT+5"));
    assert!(
        plus.body.contains("tz=Etc/GMT%2B5"),
        "+ survives the round trip"
    );

    for refused in [
        "Mars%2FOlympus",
        "..%2F..%2Fetc%2Fpasswd",
        "Europe%2FBerlin%00",
        "%3Cscript%3E",
        "Europe%2F%2FBerlin",
    ] {
        let page = get(&app, &format!("/?range=7d&tz={refused}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{refused}");
        assert!(page.body.contains("unknown time zone"), "{refused}");
        assert!(page.body.contains("Times in UTC"), "{refused}");
        assert!(!page.body.contains("<script>"), "{refused}");
    }
}

#[tokio::test]
async fn status_pages_and_incidents_print_times_in_the_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (app, _) = TestApp::new(dir.path())
        .with_admin_token(ADMIN_TOKEN)
        .router_and_state()
        .await;
    let id = open_incident(&app).await;

    let utc = get(&app, "/status").await.body;
    assert!(utc.contains("Times in UTC"));
    let tokyo = get(&app, "/status?tz=Asia/Tokyo").await;
    assert_eq!(tokyo.status, StatusCode::OK);
    assert!(tokyo.body.contains("Times in Asia/Tokyo"));
    assert!(
        tokyo.body.contains(" JST</time>"),
        "the incident's times are Tokyo's: {}",
        tokyo.body
    );
    // Links to the other pages keep the zone (and the theme).
    for link in [
        format!(r#"href="/status/incidents/{id}?tz=Asia/Tokyo""#),
        r#"href="/status/history?tz=Asia/Tokyo""#.to_owned(),
        r#"href="/?tz=Asia/Tokyo""#.to_owned(),
    ] {
        assert!(tokyo.body.contains(&link), "{link}");
    }
    let dark = get(&app, "/status?tz=Asia/Tokyo&theme=dark").await.body;
    assert!(dark.contains(r#"href="/status/history?theme=dark&amp;tz=Asia/Tokyo""#));
    let incident = get(&app, &format!("/status/incidents/{id}?tz=Asia/Tokyo")).await;
    assert_eq!(incident.status, StatusCode::OK, "{}", incident.body);
    assert!(incident.body.contains(" JST</time>"), "{}", incident.body);
    let history = get(&app, "/status/history?tz=Asia/Tokyo").await;
    assert!(history.body.contains(" JST</time>"), "{}", history.body);
}

#[tokio::test]
async fn chart_images_take_the_zone_and_refuse_unknown_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::new(dir.path()).with_demo_kpis().router().await;
    let utc = get(&app, "/render/overview/users.svg?range=24h").await;
    assert_eq!(utc.status, StatusCode::OK, "{}", utc.body);
    let kolkata = get(&app, "/render/overview/users.svg?range=24h&tz=Asia/Kolkata").await;
    assert_eq!(kolkata.status, StatusCode::OK);
    let minutes: Vec<&str> = svg_texts(&kolkata.body)
        .into_iter()
        .filter(|text| text.len() == 5 && text.as_bytes()[2] == b':')
        .collect();
    assert!(!minutes.is_empty(), "{}", kolkata.body);
    assert!(
        minutes.iter().all(|label| label.ends_with(":00")),
        "ticks on Kolkata's whole hours, not UTC's half past: {minutes:?}"
    );
    let refused = get(&app, "/render/overview/users.svg?tz=Mars/Base").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("unknown time zone"),
        "{}",
        refused.body
    );
}
