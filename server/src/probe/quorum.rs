//! A service judged from several locations. Every Porthole exports its own
//! checks as `porthole_probe_up` and `porthole_probe_duration_seconds`,
//! labelled with `service` and `location`; the metrics engine that scrapes
//! them all tells what each location sees, and a service with `quorum = N`
//! is down only when at least N locations see it down.

use std::collections::BTreeMap;

use app::model::LocationStatus;

use crate::prom::{PromClient, result};

/// The name a location without `[probes] location` goes by.
const UNNAMED: &str = "unnamed";

/// The most locations read for one service, as many as a quorum may ask
/// for: a stranger cannot grow them, but a mislabelled scrape could.
const MAX_LOCATIONS: usize = crate::config::MAX_QUORUM as usize;

/// The PromQL of every location's latest check of `service`: its `up` and
/// its response time. The id is a URL id (`[a-z0-9_-]`), so it needs no
/// escaping inside the quotes.
fn selector(service: &str) -> String {
    format!(
        "{{__name__=~\"porthole_probe_up|porthole_probe_duration_seconds\",service=\"{service}\"}}"
    )
}

/// Reads what every location's latest check of `service` found, by name.
pub async fn seen(prom: &PromClient, service: &str) -> Result<Vec<LocationStatus>, String> {
    let selector = selector(service);
    let body = prom
        .post_form("/api/v1/query", &[("query", selector.as_str())])
        .await
        .map_err(|e| format!("cannot read the locations' checks: {e}"))?;
    let samples =
        result::vector(&body).map_err(|e| format!("cannot read the locations' checks: {e}"))?;
    let mut by_name: BTreeMap<String, LocationStatus> = BTreeMap::new();
    for (labels, value) in samples {
        let name = location_of(&labels);
        if !by_name.contains_key(&name) && by_name.len() == MAX_LOCATIONS {
            continue;
        }
        let location = by_name.entry(name.clone()).or_insert(LocationStatus {
            name,
            up: false,
            latency_ms: None,
        });
        match labels.get("__name__").map(String::as_str) {
            Some("porthole_probe_up") => location.up = value == Some(1.0),
            _ => location.latency_ms = value.map(|seconds| seconds * 1000.0),
        }
    }
    // A location that sees the service down has no response time to show,
    // whatever its last measured one was.
    Ok(by_name
        .into_values()
        .map(|location| LocationStatus {
            latency_ms: location.latency_ms.filter(|_| location.up),
            ..location
        })
        .collect())
}

/// A series' location, as people read it.
fn location_of(labels: &result::Labels) -> String {
    labels
        .get("location")
        .filter(|name| !name.is_empty())
        .map_or_else(|| UNNAMED.to_owned(), Clone::clone)
}

/// Why the service is down by a quorum of `quorum` among `locations`
/// ("down from 2 of 3 locations (ams, fra)"); `None` while fewer see it
/// down.
pub fn down_by_quorum(quorum: u32, locations: &[LocationStatus]) -> Option<String> {
    let down: Vec<&str> = locations
        .iter()
        .filter(|location| !location.up)
        .map(|location| location.name.as_str())
        .collect();
    (!down.is_empty() && down.len() >= usize::try_from(quorum).unwrap_or(usize::MAX)).then(|| {
        format!(
            "down from {} of {} locations ({})",
            down.len(),
            locations.len(),
            down.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(states: &[(&str, bool)]) -> Vec<LocationStatus> {
        states
            .iter()
            .map(|(name, up)| LocationStatus {
                name: (*name).to_owned(),
                up: *up,
                latency_ms: up.then_some(20.0),
            })
            .collect()
    }

    #[test]
    fn down_only_when_the_quorum_sees_it_down() {
        let one_down = seen(&[("ams", false), ("fra", true), ("nyc", true)]);
        assert_eq!(
            down_by_quorum(2, &one_down),
            None,
            "one of three is no quorum of two"
        );
        assert_eq!(
            down_by_quorum(1, &one_down).as_deref(),
            Some("down from 1 of 3 locations (ams)")
        );
        let two_down = seen(&[("ams", false), ("fra", false), ("nyc", true)]);
        assert_eq!(
            down_by_quorum(2, &two_down).as_deref(),
            Some("down from 2 of 3 locations (ams, fra)")
        );
        assert_eq!(down_by_quorum(1, &[]), None);
    }

    #[test]
    fn the_selector_reads_both_metrics_of_one_service() {
        assert_eq!(
            selector("api"),
            r#"{__name__=~"porthole_probe_up|porthole_probe_duration_seconds",service="api"}"#
        );
    }
}
