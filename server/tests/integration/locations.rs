//! Probes from several places: three `porthole serve` processes, each in a
//! network namespace of its own with its own address and `[probes]
//! location`, check one service; a real VictoriaMetrics scrapes their
//! `/metrics`; a primary Porthole on loopback judges the service by a
//! quorum of two through it. One location is cut off from the service
//! (an unreachable route in its namespace), then a second.
//!
//! The namespaces, their veth pairs and addresses are made by the test
//! (root, as in CI) and removed when it ends.

use crate::common;

use std::{
    net::{Ipv4Addr, SocketAddr},
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use axum::{Router, routing::get as route};
use common::{
    TestApp,
    loopback::{free_port, refusing_port},
    upstream::VictoriaMetrics,
};
use serde_json::Value;

/// The port every prober listens on inside its namespace.
const PROBER_PORT: u16 = 9100;

/// One location: a network namespace joined to this one by a veth pair,
/// with a Porthole prober inside.
struct Location {
    name: String,
    namespace: String,
    /// Its prober's address, which VictoriaMetrics scrapes.
    prober: Ipv4Addr,
    /// The service's address as this location reaches it (on this side of
    /// its veth pair).
    service: Ipv4Addr,
    child: Option<Child>,
}

impl Location {
    /// Makes namespace `index` (1–3) of the subnet `10.{net}.{index}.0/24`.
    fn create(net: u8, index: u8) -> Self {
        let pid = std::process::id() % 100_000;
        let namespace = format!("porthole-{pid}-{index}");
        let (outside, inside) = (format!("ph{pid}o{index}"), format!("ph{pid}i{index}"));
        let address = |host: u8| Ipv4Addr::new(10, net, index, host);
        ip(&["netns", "add", &namespace]);
        let location = Self {
            name: format!("loc{index}"),
            namespace: namespace.clone(),
            prober: address(2),
            service: address(3),
            child: None,
        };
        ip(&[
            "link", "add", &outside, "type", "veth", "peer", "name", &inside, "netns", &namespace,
        ]);
        ip(&[
            "addr",
            "add",
            &format!("{}/24", address(1)),
            "dev",
            &outside,
        ]);
        ip(&[
            "addr",
            "add",
            &format!("{}/24", address(3)),
            "dev",
            &outside,
        ]);
        ip(&["link", "set", &outside, "up"]);
        ip(&[
            "-n",
            &namespace,
            "addr",
            "add",
            &format!("{}/24", address(2)),
            "dev",
            &inside,
        ]);
        ip(&["-n", &namespace, "link", "set", &inside, "up"]);
        ip(&["-n", &namespace, "link", "set", "lo", "up"]);
        location
    }

    /// Starts its prober, checking the service at `port`.
    fn start_prober(&mut self, dir: &Path, port: u16) {
        let data = dir.join(&self.name);
        std::fs::create_dir_all(&data).expect("data dir");
        let config = data.join("porthole.toml");
        std::fs::write(
            &config,
            format!(
                "[probes]\nlocation = \"{}\"\n\n[[service]]\nid = \"api\"\nname = \"API\"\n\
                 url = \"http://{}:{port}/health\"\ninterval = \"5s\"\ntimeout = \"2s\"\n",
                self.name, self.service
            ),
        )
        .expect("write config");
        let child = Command::new("ip")
            .args(["netns", "exec", &self.namespace])
            .arg(env!("CARGO_BIN_EXE_porthole"))
            .args(["serve", "--no-demo", "--addr"])
            .arg(format!("{}:{PROBER_PORT}", self.prober))
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .arg("--site-root")
            .arg(data.join("site"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a prober in its namespace");
        self.child = Some(child);
    }

    /// Cuts the location off from the service: its packets to the service's
    /// address have no route (scrapes, on another address, still pass).
    fn cut_off(&self) {
        ip(&[
            "-n",
            &self.namespace,
            "route",
            "add",
            "unreachable",
            &format!("{}/32", self.service),
        ]);
    }

    fn scrape_target(&self) -> String {
        format!("{}:{PROBER_PORT}", self.prober)
    }
}

impl Drop for Location {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        // Removing the namespace removes its end of the veth pair, and
        // with it this end and its addresses.
        let _ = Command::new("ip")
            .args(["netns", "delete", &self.namespace])
            .status();
    }
}

/// Runs `ip` with `args`; the test cannot go on without it.
fn ip(args: &[&str]) {
    let output = Command::new("ip")
        .args(args)
        .output()
        .expect("run ip (Debian package iproute2)");
    assert!(
        output.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The service: a health URL on each location's service address.
async fn serve_health(addresses: &[Ipv4Addr]) -> u16 {
    let port = free_port();
    for address in addresses {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from((*address, port)))
            .await
            .expect("listen on a location's service address");
        let app = Router::new().route("/health", route(|| async { "ok" }));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
    }
    port
}

/// VictoriaMetrics scraping `targets` every second.
async fn scraping_victoria(dir: &Path, targets: &[String]) -> VictoriaMetrics {
    let scrape = dir.join("scrape.yml");
    let targets: Vec<String> = targets.iter().map(|t| format!("\"{t}\"")).collect();
    std::fs::write(
        &scrape,
        format!(
            "scrape_configs:\n  - job_name: porthole\n    scrape_interval: 1s\n    static_configs:\n      - targets: [{}]\n",
            targets.join(", ")
        ),
    )
    .expect("write scrape config");
    VictoriaMetrics::start_with(dir, &[&format!("-promscrape.config={}", scrape.display())]).await
}

/// Polls `url` (JSON) until `done` holds, for up to a minute.
async fn until(url: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let client = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let answer: Option<Value> = match client.get(url).send().await {
            Ok(response) => response.json().await.ok(),
            Err(_) => None,
        };
        if let Some(answer) = answer {
            if done(&answer) {
                return answer;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{what}, still: {answer}"
            );
        } else {
            assert!(tokio::time::Instant::now() < deadline, "{what}: no answer");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Each location's `porthole_probe_up` for the service, as VictoriaMetrics
/// has it: (location, value).
fn up_by_location(answer: &Value) -> Vec<(String, String)> {
    let mut seen: Vec<(String, String)> = answer["data"]["result"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|sample| {
            (
                sample["metric"]["location"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
                sample["value"][1].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    seen.sort();
    seen
}

/// The body of `GET url`.
async fn text(url: &str) -> String {
    reqwest::get(url)
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect(url)
        .text()
        .await
        .expect(url)
}

fn api_of(status: &Value) -> Value {
    status["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|group| group["services"].as_array().cloned().unwrap_or_default())
        .find(|service| service["id"] == "api")
        .unwrap_or(Value::Null)
}

fn pair(location: &str, value: &str) -> (String, String) {
    (location.to_owned(), value.to_owned())
}

#[tokio::test]
async fn a_service_is_down_only_when_a_quorum_of_locations_sees_it_down() {
    let dir = tempfile::tempdir().expect("tempdir");
    let net = u8::try_from(100 + std::process::id() % 100).unwrap_or(100);
    let mut locations: Vec<Location> = (1..=3).map(|i| Location::create(net, i)).collect();
    let addresses: Vec<Ipv4Addr> = locations.iter().map(|l| l.service).collect();
    let port = serve_health(&addresses).await;
    for location in &mut locations {
        location.start_prober(dir.path(), port);
    }
    let targets: Vec<String> = locations.iter().map(Location::scrape_target).collect();
    let vm = scraping_victoria(dir.path(), &targets).await;
    let up_query = format!(
        "{}/api/v1/query?query=porthole_probe_up%7Bservice%3D%22api%22%7D",
        vm.url()
    );

    // The second location cannot reach the service; the others can. Each
    // exports what it sees, under its own location.
    locations[1].cut_off();
    until(&up_query, "every location's check, scraped", |answer| {
        up_by_location(answer) == [pair("loc1", "1"), pair("loc2", "0"), pair("loc3", "1")]
    })
    .await;

    // The primary's own check fails (nothing listens where it looks), yet
    // one location of three down is no quorum of two: the service is up.
    let (_refusing, refused) = refusing_port();
    let primary = TestApp::new(dir.path())
        .with_upstream(&vm.url())
        .with_config(&format!(
            "[probes]\npublic_details = true\n\n[[service]]\nid = \"api\"\nname = \"API\"\n\
             url = \"http://127.0.0.1:{refused}/health\"\ninterval = \"5s\"\ntimeout = \"2s\"\nquorum = 2\n"
        ))
        .serve()
        .await;
    let status_url = format!("{primary}/api/status");
    let status = until(&status_url, "the primary's first check", |status| {
        api_of(status)["last_check"].is_number()
    })
    .await;
    assert_eq!(api_of(&status)["state"], "up", "{status}");
    assert_eq!(api_of(&status)["error"], Value::Null, "{status}");

    // The primary exports its own view, unjudged, without a location.
    let metrics = text(&format!("{primary}/metrics")).await;
    assert!(
        metrics.contains("porthole_probe_up{service=\"api\",location=\"\"} 0"),
        "{metrics}"
    );

    // A second location loses the service: two of three is the quorum.
    locations[2].cut_off();
    let status = until(&status_url, "down by quorum", |status| {
        api_of(status)["state"] == "down"
    })
    .await;
    assert_eq!(
        api_of(&status)["error"],
        "down from 2 of 3 locations (loc2, loc3)",
        "{status}"
    );

    // The status API and the service's page show what each location sees.
    let locations: Vec<(String, bool, bool)> = api_of(&status)["locations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            (
                l["name"].as_str().unwrap_or("").to_owned(),
                l["up"] == true,
                l["latency_ms"].is_number(),
            )
        })
        .collect();
    assert_eq!(
        locations,
        [
            ("loc1".to_owned(), true, true),
            ("loc2".to_owned(), false, false),
            ("loc3".to_owned(), false, false),
        ],
        "{status}"
    );
    let page = text(&format!("{primary}/status/api")).await;
    assert!(page.contains("From each location"), "{page}");
    for row in [
        r#"<th scope="row">loc1</th><td><span class="state up">Up</span>"#,
        r#"<th scope="row">loc2</th><td><span class="state down">Down</span>"#,
    ] {
        assert!(page.contains(row), "{row} on the page: {page}");
    }
}
