//! `porthole incident` against a running server, as an operator types it:
//! open, update, list and resolve an incident, each reaching `/status`; and
//! what the server refuses, printed as it said it, with a failing exit.

use crate::common;

use std::process::Command;

use common::{
    TestApp,
    fixtures::{ADMIN_TOKEN, quiet_service},
};

/// Runs `porthole incident ARGS` against `base`; its success and output.
fn incident(base: &str, token: Option<&str>, args: &[&str]) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_porthole"));
    command
        .arg("incident")
        .args(args)
        .args(["--server", base])
        .env_remove("PORTHOLE_ADMIN_TOKEN")
        .env("RUST_LOG", "error");
    if let Some(token) = token {
        command.env("PORTHOLE_ADMIN_TOKEN", token);
    }
    let output = command.output().expect("run porthole incident");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn status_page(base: &str) -> String {
    reqwest::get(format!("{base}/status"))
        .await
        .expect("status")
        .text()
        .await
        .expect("page")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_runs_an_incident_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = TestApp::new(dir.path())
        .with_admin_token(ADMIN_TOKEN)
        .configure(|config| config.services = vec![quiet_service("api", "Public API", "Core")])
        .serve()
        .await;
    // The command blocks; the server runs on this test's runtime.
    let run = |token: Option<&'static str>, args: &[&str]| {
        let base = base.clone();
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            incident(&base, token, &args)
        })
    };

    let (ok, out, err) = run(
        Some(ADMIN_TOKEN),
        &[
            "open",
            "--title",
            "Slow logins",
            "--impact",
            "major",
            "--service",
            "api",
            "--message",
            "Looking into it.",
        ],
    )
    .await
    .expect("join");
    assert!(ok, "{err}");
    assert!(
        out.starts_with('#') && out.contains("[investigating] major · Slow logins (api)"),
        "{out}"
    );
    let id: String = out[1..].chars().take_while(char::is_ascii_digit).collect();
    assert!(status_page(&base).await.contains("Slow logins"));

    let (ok, out, err) = run(
        Some(ADMIN_TOKEN),
        &[
            "update",
            &id,
            "--status",
            "monitoring",
            "--message",
            "A fix is **out**.",
        ],
    )
    .await
    .expect("join");
    assert!(ok, "{err}");
    assert!(out.contains("[monitoring]"), "{out}");
    assert!(
        status_page(&base)
            .await
            .contains("A fix is <strong>out</strong>.")
    );

    // Backwards is refused by the server, and the command says why.
    let (ok, _, err) = run(
        Some(ADMIN_TOKEN),
        &[
            "update",
            &id,
            "--status",
            "investigating",
            "--message",
            "Again?",
        ],
    )
    .await
    .expect("join");
    assert!(!ok);
    assert!(err.contains("409"), "{err}");

    let (ok, out, _) = run(Some(ADMIN_TOKEN), &["list"]).await.expect("join");
    assert!(ok);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains(&format!("#{id} [monitoring]")), "{out}");

    let (ok, out, err) = run(Some(ADMIN_TOKEN), &["resolve", &id])
        .await
        .expect("join");
    assert!(ok, "{err}");
    assert!(out.contains("[resolved]"), "{out}");

    // Without the token, or naming a service there is not: refused, nothing written.
    let (ok, _, err) = run(None, &["list"]).await.expect("join");
    assert!(!ok);
    assert!(err.contains("PORTHOLE_ADMIN_TOKEN"), "{err}");
    let (ok, _, err) = run(
        Some(ADMIN_TOKEN),
        &[
            "open",
            "--title",
            "X",
            "--service",
            "nope",
            "--message",
            "m",
        ],
    )
    .await
    .expect("join");
    assert!(!ok);
    assert!(err.contains("400") && err.contains("nope"), "{err}");
    let (_, out, _) = run(Some(ADMIN_TOKEN), &["list"]).await.expect("join");
    assert_eq!(out.lines().count(), 1, "{out}");
}
