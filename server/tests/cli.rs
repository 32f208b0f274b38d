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
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../porthole.example.toml");
    let (ok, log) = check(&example);
    assert!(ok, "{log}");
    assert!(
        log.contains("is valid: 3 dashboards, 18 panels, 2 services"),
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
