//! SIGHUP reloads porthole.toml in the running binary: new dashboards
//! appear, removed ones go, and an invalid file is refused while the
//! running configuration keeps serving.

use crate::common;

use std::{
    io::Read,
    process::{Child, Command},
    time::{Duration, Instant},
};

use common::{binary::serve_command, loopback::free_port};

struct Porthole(Child);

impl Drop for Porthole {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn dashboard(id: &str) -> String {
    format!("[[dashboard]]\nid = \"{id}\"\ntitle = \"Dashboard {id}\"\n")
}

async fn status(client: &reqwest::Client, url: &str) -> u16 {
    client
        .get(url)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

async fn wait_for(client: &reqwest::Client, url: &str, expected: u16) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while status(client, url).await != expected {
        assert!(Instant::now() < deadline, "{url} never answered {expected}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn hang_up(porthole: &Porthole) {
    let sent = Command::new("kill")
        .args(["-HUP", &porthole.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
}

#[tokio::test]
async fn sighup_applies_a_valid_config_and_refuses_an_invalid_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("porthole.toml");
    std::fs::write(&config, dashboard("first")).expect("config");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut porthole = Porthole(
        serve_command(dir.path(), port)
            .arg("--config")
            .arg(&config)
            .env("RUST_LOG", "info")
            .spawn()
            .expect("porthole starts"),
    );
    let client = reqwest::Client::new();
    wait_for(&client, &format!("{base}/api/dashboards/first"), 200).await;
    assert_eq!(
        status(&client, &format!("{base}/api/dashboards/second")).await,
        404
    );

    std::fs::write(&config, dashboard("second")).expect("config");
    hang_up(&porthole);
    wait_for(&client, &format!("{base}/api/dashboards/second"), 200).await;
    assert_eq!(
        status(&client, &format!("{base}/api/dashboards/first")).await,
        404
    );
    assert_eq!(
        status(&client, &format!("{base}/d/second")).await,
        200,
        "pages follow too"
    );

    std::fs::write(&config, "[[dashboard]]\nid = \"third\"\ntitle = \"T\"\n[[dashboard.panel]]\nid = \"x\"\nkind = \"pie\"\ntitle = \"X\"\n")
        .expect("config");
    hang_up(&porthole);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        status(&client, &format!("{base}/api/dashboards/second")).await,
        200,
        "the running config stays"
    );
    assert_eq!(
        status(&client, &format!("{base}/api/dashboards/third")).await,
        404
    );

    let _ = porthole.0.kill();
    let _ = porthole.0.wait();
    let mut log = String::new();
    if let Some(stderr) = porthole.0.stderr.as_mut() {
        stderr.read_to_string(&mut log).expect("log");
    }
    assert!(log.contains("configuration reloaded"), "{log}");
    assert!(
        log.contains("configuration reload refused") && log.contains("pie"),
        "{log}"
    );
}
