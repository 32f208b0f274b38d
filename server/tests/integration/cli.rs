//! `porthole check-config`: validates porthole.toml without serving, and
//! names the file, the place and the fix when something is wrong.

use std::process::Command;

fn check(config: &std::path::Path) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_porthole"))
        .arg("check-config")
        .arg("--config")
        .arg(config)
        .env_remove("PROMETHEUS_URL")
        .output()
        .expect("porthole runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_example_config_passes() {
    let example = crate::common::checkout::checkout_path("../porthole.example.toml");
    let (ok, log) = check(&example);
    assert!(ok, "{log}");
    assert!(
        log.contains("is valid: 3 dashboards, 18 panels, 5 services"),
        "{log}"
    );
}

#[test]
fn mistakes_fail_with_the_file_and_the_fix() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (toml, expected) in [
        (
            "[[dashboard]]\nid = \"api\"\ntitle = \"API\"\n[[dashboard.panel]]\nid = \"x\"\nkind = \"pie\"\ntitle = \"X\"\n",
            "pie",
        ),
        (
            "[[dashboard]]\nid = \"api\"\ntitle = \"API\"\n[[dashboard.panel]]\nid = \"x\"\nkind = \"latency\"\ntitle = \"X\"\n",
            "needs `histogram`",
        ),
        (
            "[prometheus]\nurl = \"http://127.0.0.1:9\"\nallow = [\"sum(\"]\n",
            "[prometheus] allow",
        ),
        ("[server]\nadress = \"x\"\n", "line 2"),
        (
            "[kpi]\nbackfill_days = 0\n",
            "from 1 (only the latest day) to 3660",
        ),
        (
            "[kpi]\nbackfill_days = 5000\n",
            "backfill_days = 5000 is out of range",
        ),
        (
            "[[dashboard]]\nid = \"api\"\ntitle = \"API\"\n[[dashboard.panel]]\nid = \"x\"\nkind = \"timeseries\"\ntitle = \"X\"\nquery = \"up\"\nbetter = \"up\"\n",
            "higher",
        ),
    ] {
        let path = dir.path().join("porthole.toml");
        std::fs::write(&path, toml).expect("write");
        let (ok, log) = check(&path);
        assert!(!ok, "{toml} is refused");
        assert!(log.contains(expected), "{toml}: {log}");
        assert!(
            log.contains(&path.display().to_string()),
            "names the file: {log}"
        );
    }
}

#[test]
fn sign_prints_a_link_the_server_accepts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("porthole.toml");
    std::fs::write(
        &config,
        "[[dashboard]]\nid = \"finance\"\ntitle = \"Finance\"\npublic = false\n[[dashboard.panel]]\nid = \"users\"\nkind = \"growth\"\ntitle = \"Users\"\n",
    )
    .expect("config");
    let key = "a signing key of at least thirty-two bytes";
    let sign = |key: Option<&str>, dashboard: &str| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_porthole"));
        command
            .args(["sign", "--dashboard", dashboard, "--ttl", "2h"])
            .args(["--base-url", "https://status.example.com/"])
            .arg("--config")
            .arg(&config)
            .env_remove("PROMETHEUS_URL")
            .env_remove("PORTHOLE_SIGNING_KEY");
        if let Some(key) = key {
            command.env("PORTHOLE_SIGNING_KEY", key);
        }
        let output = command.output().expect("porthole runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).trim().to_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, link, log) = sign(Some(key), "finance");
    assert!(ok, "{log}");
    let token = link
        .strip_prefix("https://status.example.com/d/finance?token=")
        .unwrap_or_else(|| panic!("a link to the dashboard: {link}"));
    assert!(
        !log.contains(token),
        "the token is printed once, not logged"
    );
    let now = chrono::Utc::now().timestamp();
    let key = porthole::signing::SigningKey::new(Some(key)).expect("key");
    let expires = key.verify("finance", Some(token), now).expect("valid now");
    assert!((now..=now + 2 * 3_600 + 5).contains(&expires), "{expires}");
    assert!(
        key.verify("finance", Some(token), now + 2 * 3_600 + 5)
            .is_err(),
        "it expires after the ttl"
    );

    let (ok, _, log) = sign(None, "finance");
    assert!(!ok && log.contains("set PORTHOLE_SIGNING_KEY"), "{log}");
    let (ok, _, log) = sign(Some("short"), "finance");
    assert!(!ok && log.contains("at least 32 characters"), "{log}");
    let (ok, _, log) = sign(Some("a signing key of at least thirty-two bytes"), "sales");
    assert!(
        !ok && log.contains("there is no dashboard \"sales\""),
        "{log}"
    );
}

#[test]
fn a_heartbeat_token_comes_from_the_environment_variable_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("porthole.toml");
    std::fs::write(
        &config,
        "[[service]]\nname = \"Nightly backup\"\nheartbeat = { token_env = \"BACKUP_BEAT_TOKEN\", grace = \"10m\" }\ninterval = \"1d\"\n",
    )
    .expect("config");
    let run = |token: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_porthole"));
        command
            .arg("check-config")
            .arg("--config")
            .arg(&config)
            .env_remove("PROMETHEUS_URL")
            .env_remove("BACKUP_BEAT_TOKEN");
        if let Some(token) = token {
            command.env("BACKUP_BEAT_TOKEN", token);
        }
        let output = command.output().expect("porthole runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, log) = run(Some("a-long-random-heartbeat-token"));
    assert!(ok, "{log}");
    assert!(
        !log.contains("a-long-random-heartbeat-token"),
        "never logged: {log}"
    );
    let (ok, log) = run(None);
    assert!(!ok);
    assert!(
        log.contains("BACKUP_BEAT_TOKEN") && log.contains("is not set"),
        "{log}"
    );
    let (ok, log) = run(Some("short"));
    assert!(!ok);
    assert!(log.contains("at least 16"), "{log}");
}

/// The checkout's commit, as `git rev-parse` abbreviates it.
fn checkout_commit() -> String {
    let output = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(crate::common::checkout::checkout_path(""))
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[test]
fn the_version_names_the_commit_it_was_built_from() {
    let output = Command::new(env!("CARGO_BIN_EXE_porthole"))
        .arg("--version")
        .output()
        .expect("porthole runs");
    assert!(output.status.success());
    let printed = String::from_utf8_lossy(&output.stdout);
    let expected = format!(
        "porthole {} (commit {}",
        env!("CARGO_PKG_VERSION"),
        checkout_commit()
    );
    assert!(
        printed.starts_with(&expected),
        "{printed:?}, expected {expected:?}…"
    );
}
