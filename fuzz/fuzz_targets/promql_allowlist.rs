//! PromQL normalization, which the allowlist compares by.
//!
//! Properties: nothing panics; normalizing is idempotent (an expression in
//! its normal form is its own normal form, so an operator who pastes the
//! normal form into porthole.toml allows what they see); and an allowlist of
//! one expression finds that expression however it was written.
#![no_main]

use libfuzzer_sys::fuzz_target;
use porthole_config::prom::{Allowlist, allowlist::normalize};

fuzz_target!(|expr: &str| {
    let Ok(normal) = normalize(expr) else {
        return;
    };
    assert_eq!(
        normalize(&normal).as_deref(),
        Ok(normal.as_str()),
        "{expr:?} normalizes to {normal:?}, which does not"
    );
    let allowlist = Allowlist::new([expr]).expect("it parsed once");
    assert_eq!(allowlist.lookup(&normal), Some(expr.trim()));
});
