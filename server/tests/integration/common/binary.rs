//! The built `porthole` binary as a process, for what only a process shows:
//! signals, start-up errors, crash safety.

use std::{
    path::Path,
    process::{Command, Stdio},
};

/// `porthole serve` on 127.0.0.1:`port`, its data in `data_dir` and its site
/// in `data_dir/site`, without demo KPIs, logging warnings to a piped
/// stderr. Add flags or variables, then spawn.
pub fn serve_command(data_dir: &Path, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_porthole"));
    command
        .args(["serve", "--no-demo", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--site-root")
        .arg(data_dir.join("site"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Waits up to 30 s until the server at `base` answers `/health`.
pub async fn wait_healthy(base: &str) {
    super::loopback::wait_ready(
        &format!("{base}/health"),
        std::time::Duration::from_secs(30),
    )
    .await;
}
