//! Porthole's own metrics: request count and latency, exported at `/metrics`
//! in the Prometheus/OpenMetrics text format.

use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};

/// Labels of one request: the route pattern (never the raw path, so scanners
/// cannot grow the label set), method and status code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

/// Labels of one upstream request: the API path and whether it succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct UpstreamLabels {
    path: String,
    outcome: &'static str,
}

/// Labels of one proxied query: how the cache answered it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct CacheLabels {
    result: &'static str,
}

/// Labels of one probed service: which, and from where (`[probes]
/// location`), so that a metrics engine scraping several Portholes can
/// judge it by a quorum of locations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ServiceLabels {
    service: String,
    location: String,
}

/// The registry and the metrics Porthole records about itself.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RequestLabels, Histogram>,
    upstream: Family<UpstreamLabels, Counter>,
    cache: Family<CacheLabels, Counter>,
    live_frames: Counter,
    probe_up: Family<ServiceLabels, Gauge>,
    probe_duration: Family<ServiceLabels, Gauge<f64, std::sync::atomic::AtomicU64>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry with Porthole's metrics registered.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("porthole");
        let requests = Family::<RequestLabels, Counter>::default();
        // Buckets from 0.5 ms to 10 s: SSR and cached API answers sit at the
        // low end, upstream queries at the high end.
        let durations = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                10.0,
            ])
        });
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route, method and status",
            durations.clone(),
        );
        let upstream = Family::<UpstreamLabels, Counter>::default();
        registry.register(
            "upstream_requests",
            "Requests Porthole sent to the Prometheus-compatible upstream, by API path and outcome",
            upstream.clone(),
        );
        let cache = Family::<CacheLabels, Counter>::default();
        registry.register(
            "query_cache_answers",
            "Upstream queries answered, by cache result: hit, miss (fetched) or stale (upstream failed)",
            cache.clone(),
        );
        let live_frames = Counter::default();
        registry.register(
            "live_frames",
            "Auto-refresh frames computed (each sent to every viewer of its dashboard and range)",
            live_frames.clone(),
        );
        let probe_up = Family::<ServiceLabels, Gauge>::default();
        registry.register(
            "probe_up",
            "Whether the service's latest check was healthy (1) or not (0)",
            probe_up.clone(),
        );
        let probe_duration =
            Family::<ServiceLabels, Gauge<f64, std::sync::atomic::AtomicU64>>::default();
        registry.register(
            "probe_duration_seconds",
            "How long the service's latest check took to answer",
            probe_duration.clone(),
        );
        Self {
            registry,
            probe_up,
            probe_duration,
            requests,
            durations,
            upstream,
            cache,
            live_frames,
        }
    }

    /// Counts one request to the upstream.
    pub fn count_upstream(&self, path: &str, ok: bool) {
        let outcome = if ok { "ok" } else { "error" };
        self.upstream
            .get_or_create(&UpstreamLabels {
                path: path.to_owned(),
                outcome,
            })
            .inc();
    }

    /// Counts one auto-refresh frame computed.
    pub fn count_live_frame(&self) {
        self.live_frames.inc();
    }

    /// Counts one query answered by the cache layer.
    pub fn count_cache(&self, result: &'static str) {
        self.cache.get_or_create(&CacheLabels { result }).inc();
    }

    /// Records a service's latest check from `location`.
    pub fn record_probe(&self, location: &str, service: &str, ok: bool, latency_ms: Option<f64>) {
        let labels = ServiceLabels {
            service: service.to_owned(),
            location: location.to_owned(),
        };
        self.probe_up.get_or_create(&labels).set(i64::from(ok));
        self.probe_duration
            .get_or_create(&labels)
            .set(latency_ms.unwrap_or(f64::NAN) / 1000.0);
    }

    /// Counts one answered request: its route pattern (never the raw path),
    /// method label and status, and how long it took.
    pub fn record_request(&self, route: String, method: &'static str, status: u16, seconds: f64) {
        let labels = RequestLabels {
            route,
            method: method.to_owned(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.durations.get_or_create(&labels).observe(seconds);
    }

    /// The metrics in the OpenMetrics text format.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        encode(&mut text, &self.registry)?;
        Ok(text)
    }
}
