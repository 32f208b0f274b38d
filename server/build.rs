//! The commit the binary is built from, for `porthole --version` and
//! `/health` (`PORTHOLE_COMMIT`): `git rev-parse` when the source is a git
//! checkout, else the `PORTHOLE_COMMIT` the build was given (a release
//! bundle built from a tarball), else "unknown".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=PORTHOLE_COMMIT");
    // A new commit, or a checkout of another, changes these. Only those
    // that exist: cargo reruns a build script whose watched file is
    // missing on every build (a fresh clone has no `packed-refs`), and
    // with it recompiles the server and relinks every test binary.
    for path in ["../.git/HEAD", "../.git/packed-refs", "../.git/refs/heads"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let commit = git_commit()
        .or_else(|| std::env::var("PORTHOLE_COMMIT").ok())
        .filter(|commit| !commit.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=PORTHOLE_COMMIT={commit}");
    // Relative relocations packed (DT_RELR, glibc 2.36 and later): the
    // binary's `.rela.dyn` shrinks from 2.7 MB, all of it read at every
    // start and kept resident, to a few KB.
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    if target("CARGO_CFG_TARGET_OS") == "linux" && target("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    // The site a release binary carries (feature `embedded-site`): its
    // file names change with each build of the bundle.
    if std::env::var_os("CARGO_FEATURE_EMBEDDED_SITE").is_some() {
        for dir in [
            "../target/site",
            "../target/site/pkg",
            "../target/site/widget",
        ] {
            println!("cargo:rerun-if-changed={dir}");
        }
    }
}

/// The checkout's commit, abbreviated, with `-modified` when files differ
/// from it.
fn git_commit() -> Option<String> {
    let run = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let commit = run(&["rev-parse", "--short=12", "HEAD"])?;
    let modified = run(&["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|changes| !changes.is_empty());
    Some(if modified {
        format!("{commit}-modified")
    } else {
        commit
    })
}
