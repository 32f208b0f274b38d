//! Files of the checkout the tests run in.

use std::path::PathBuf;

/// `relative` to the server crate's directory, as cargo (or nextest) names
/// it when it runs the tests. Not the path compiled in: a test binary
/// built in another checkout that shares the target directory would read
/// that checkout's files.
pub fn checkout_path(relative: &str) -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join(relative)
}
