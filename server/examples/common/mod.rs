//! What every benchmark example shares: its budget rows for the one report
//! `make bench` prints (scripts/bench.sh).

use std::io::Write;

/// Records a measure against a DESIGN.md budget: appended as a tab-separated
/// line (measure, value, target, PASS/FAIL) to the file named by
/// `PORTHOLE_BENCH_BUDGETS`, which scripts/bench.sh gathers into one table.
/// Without the variable (an example run by hand), nothing is written.
pub fn budget(measure: &str, value: &str, target: &str, met: bool) {
    let Some(path) = std::env::var_os("PORTHOLE_BENCH_BUDGETS") else {
        return;
    };
    let line = format!(
        "{measure}\t{value}\t{target}\t{}\n",
        if met { "PASS" } else { "FAIL" }
    );
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(line.as_bytes()));
    if let Err(error) = written {
        eprintln!(
            "cannot record a budget row in {}: {error}",
            path.to_string_lossy()
        );
    }
}
