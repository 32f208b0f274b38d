//! Query strings and form bodies, as the proxy and the pages read them.
//!
//! The input is a URL query and a form body split at the first newline.
//! Properties: nothing panics; a range query that is accepted runs forwards
//! with a positive step, and so does an accepted metadata window; a page's view state survives its own link (what a
//! viewer shares is what the next viewer sees).
#![no_main]

use libfuzzer_sys::fuzz_target;
use porthole_config::prom::params::{InstantQuery, MetadataQuery, Params, RangeQuery};
use porthole_model::view_state::ViewState;

const NOW: i64 = 1_795_000_000_000;

fuzz_target!(|data: &[u8]| {
    let (query, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    if let Ok(params) = Params::from_encoded([query, body]) {
        let _ = InstantQuery::from_params(&params, NOW);
        if let Ok(range) = RangeQuery::from_params(&params, NOW) {
            assert!(range.start <= range.end && range.step > 0, "{range:?}");
        }
        if let Ok(metadata) = MetadataQuery::from_params(&params, NOW) {
            assert!(metadata.start <= metadata.end, "{metadata:?}");
        }
    }

    let pairs: Vec<(String, String)> = form_urlencoded::parse(query).into_owned().collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let (view, _messages) = ViewState::from_query(get);
    let href = view.href("/");
    let shared: Vec<(String, String)> =
        form_urlencoded::parse(href.trim_start_matches("/?").as_bytes())
            .into_owned()
            .collect();
    let get = |name: &str| {
        shared
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let (reread, messages) = ViewState::from_query(get);
    assert!(messages.is_empty(), "{href} reads with {messages:?}");
    assert_eq!(reread, view, "{href} does not read back");
});
