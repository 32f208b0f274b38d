//! Time and duration parameters (`time`, `start`, `end`, `step`): any text
//! is a value or an error, never a panic, and what parses stays in range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use porthole_config::prom::time::{duration_millis, parse_duration, parse_time};

/// A fixed "now", so that a crash reproduces.
const NOW: i64 = 1_795_000_000_000;

fuzz_target!(|text: &str| {
    if let Ok(duration) = parse_duration(text) {
        assert!(
            duration_millis(duration) >= 0,
            "{text:?} gave a negative duration"
        );
    }
    if let Ok(time) = parse_time(text, NOW) {
        // ±100,000 years, the bound parse_time promises for unix seconds;
        // relative times saturate at i64::MIN instead of wrapping.
        assert!(
            time.unsigned_abs() < 3_200_000_000_000_000 || text.trim_start().starts_with('-'),
            "{text:?} gave {time}"
        );
    }
});
