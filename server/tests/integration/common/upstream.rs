//! Real upstreams for tests: VictoriaMetrics, Prometheus, Alertmanager and
//! nginx from Debian's packages, started on free loopback ports in temp
//! directories.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use super::loopback::{free_port, wait_ready};

/// A VictoriaMetrics single-node server.
pub struct VictoriaMetrics {
    child: Option<Child>,
    /// Its port on 127.0.0.1.
    pub port: u16,
    dir: PathBuf,
    extra_args: Vec<String>,
}

impl VictoriaMetrics {
    /// Starts a server storing under `dir`.
    pub async fn start(dir: &Path) -> Self {
        Self::start_with(dir, &[]).await
    }

    /// Starts a server storing under `dir`, with more flags.
    pub async fn start_with(dir: &Path, extra_args: &[&str]) -> Self {
        let mut vm = Self {
            child: None,
            port: free_port(),
            dir: dir.to_owned(),
            extra_args: extra_args.iter().map(|a| (*a).to_owned()).collect(),
        };
        vm.restart().await;
        vm
    }

    /// (Re)starts the server on the same port and storage.
    pub async fn restart(&mut self) {
        let child = Command::new("/usr/bin/victoria-metrics")
            .arg(format!("-httpListenAddr=127.0.0.1:{}", self.port))
            .arg(format!(
                "-storageDataPath={}",
                self.dir.join("vm").display()
            ))
            .arg("-retentionPeriod=100y")
            // Samples up to "now" are visible at once, as tests need.
            .arg("-search.latencyOffset=0s")
            .args(&self.extra_args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start /usr/bin/victoria-metrics (Debian package victoria-metrics)");
        self.child = Some(child);
        wait_ready(&format!("{}/health", self.url()), Duration::from_secs(20)).await;
    }

    /// Stops the server gracefully (SIGTERM), keeping its data.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let _ = child.wait();
        }
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Imports Prometheus text lines (`name{labels} value ts_ms`) and makes
    /// them queryable at once.
    pub async fn import(&self, lines: &str) {
        let client = reqwest::Client::new();
        let response = client
            .post(format!("{}/api/v1/import/prometheus", self.url()))
            .body(lines.to_owned())
            .send()
            .await
            .expect("import");
        assert!(
            response.status().is_success(),
            "import: {}",
            response.status()
        );
        let flushed = client
            .get(format!("{}/internal/force_flush", self.url()))
            .send()
            .await
            .expect("flush");
        assert!(flushed.status().is_success());
    }

    /// Requests VictoriaMetrics has served on `path`, from its own
    /// `/metrics`. Its counters lag by up to a second, so this waits until
    /// the value has held still for 1.5 s.
    pub async fn requests_served(&self, path: &str) -> u64 {
        let read = || async {
            let text = reqwest::get(format!("{}/metrics", self.url()))
                .await
                .expect("metrics")
                .text()
                .await
                .expect("metrics text");
            let prefix = format!("vm_http_requests_total{{path=\"{path}\"}} ");
            text.lines()
                .find_map(|line| line.strip_prefix(&prefix))
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(0)
        };
        let mut last = read().await;
        loop {
            tokio::time::sleep(Duration::from_millis(1_500)).await;
            let now = read().await;
            if now == last {
                return now;
            }
            last = now;
        }
    }
}

impl Drop for VictoriaMetrics {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A Prometheus server scraping one target every second, with one alert
/// rule that always fires.
pub struct Prometheus {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Prometheus {
    /// Starts Prometheus under `dir`, scraping `target` (`host:port`).
    pub async fn start(dir: &Path, target: SocketAddr) -> Self {
        let port = free_port();
        let rules = dir.join("rules.yml");
        std::fs::write(
            &rules,
            "groups:\n  - name: porthole-test\n    interval: 1s\n    rules:\n      - alert: AlwaysFiring\n        expr: vector(1)\n        for: 0s\n        labels: {severity: critical}\n        annotations: {summary: \"an alert that always fires\"}\n",
        )
        .expect("rules");
        let config = dir.join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global: {{scrape_interval: 1s, evaluation_interval: 1s}}\nrule_files: [{}]\nscrape_configs:\n  - job_name: app\n    static_configs: [{{targets: ['{target}']}}]\n",
                rules.display()
            ),
        )
        .expect("prometheus.yml");
        let child = Command::new("/usr/bin/prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("tsdb").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start /usr/bin/prometheus (Debian package prometheus)");
        let prometheus = Self { child, port };
        wait_ready(
            &format!("{}/-/ready", prometheus.url()),
            Duration::from_secs(30),
        )
        .await;
        prometheus
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An Alertmanager (Debian's `prometheus-alertmanager`) that delivers every
/// alert to one webhook at once, and its resolution a second later.
pub struct Alertmanager {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Alertmanager {
    /// Starts Alertmanager under `dir`, sending to `webhook` with `token` as
    /// its bearer credentials.
    pub async fn start(dir: &Path, webhook: &str, token: &str) -> Self {
        let port = free_port();
        let config = dir.join("alertmanager.yml");
        std::fs::write(
            &config,
            format!(
                "route:\n  receiver: porthole\n  group_by: [alertname]\n  group_wait: 0s\n  group_interval: 1s\n  repeat_interval: 1h\nreceivers:\n  - name: porthole\n    webhook_configs:\n      - url: '{webhook}'\n        send_resolved: true\n        http_config:\n          authorization:\n            credentials: '{token}'\n"
            ),
        )
        .expect("alertmanager.yml");
        let child = Command::new("/usr/bin/prometheus-alertmanager")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.path={}", dir.join("am").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            // One instance: no gossip with peers.
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "start /usr/bin/prometheus-alertmanager (Debian package prometheus-alertmanager)",
            );
        let alertmanager = Self { child, port };
        wait_ready(
            &format!("{}/-/ready", alertmanager.url()),
            Duration::from_secs(30),
        )
        .await;
        alertmanager
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Posts alerts through its API (v2), as Prometheus does.
    pub async fn post_alerts(&self, alerts: &serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/api/v2/alerts", self.url()))
            .json(alerts)
            .send()
            .await
            .expect("post alerts");
        assert!(
            response.status().is_success(),
            "alerts: {}",
            response.status()
        );
    }
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's nginx, one worker, serving the `http` configuration a test
/// writes for it.
pub struct Nginx {
    child: Child,
    port: u16,
}

impl Nginx {
    /// Starts nginx under `dir` with the `http` block's contents that
    /// `site` writes for a port (where nginx must listen), and waits until
    /// it answers `/health`.
    pub async fn start(dir: &Path, site: impl FnOnce(u16) -> String) -> Self {
        let port = free_port();
        std::fs::write(dir.join("site.conf"), site(port)).expect("site.conf");
        for temp in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            std::fs::create_dir_all(dir.join("temp").join(temp)).expect("temp dir");
        }
        let d = dir.display();
        std::fs::write(
            dir.join("nginx.conf"),
            format!(
                "user root;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
                 events {{ worker_connections 512; }}\n\
                 http {{\n  access_log off;\n  client_body_temp_path {d}/temp/body;\n  proxy_temp_path {d}/temp/proxy;\n  \
                 fastcgi_temp_path {d}/temp/fastcgi;\n  uwsgi_temp_path {d}/temp/uwsgi;\n  scgi_temp_path {d}/temp/scgi;\n  \
                 include {d}/site.conf;\n}}\n"
            ),
        )
        .expect("nginx.conf");
        let child = Command::new("/usr/sbin/nginx")
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start /usr/sbin/nginx (Debian package nginx)");
        let nginx = Self { child, port };
        wait_ready(&format!("{}/health", nginx.url()), Duration::from_secs(20)).await;
        nginx
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
