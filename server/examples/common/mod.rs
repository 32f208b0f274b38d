//! What every benchmark example shares: its budget rows for the one report
//! `make bench` prints (scripts/bench.sh), judged against the limits of
//! ARCHITECTURE.md's budget table.

use std::io::Write;

/// A budget of ARCHITECTURE.md's table: whether the limit is a ceiling or a
/// floor, and the limit.
struct Budget {
    at_least: bool,
    limit: f64,
}

/// The budget `id` from ARCHITECTURE.md (`| \`id\` | budget | at most | 2 |`),
/// if the table has it.
fn budget_of(id: &str) -> Option<Budget> {
    let path = std::env::var_os("PORTHOLE_BUDGET_TABLE").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ARCHITECTURE.md"),
        std::path::PathBuf::from,
    );
    let table = std::fs::read_to_string(path).ok()?;
    let wanted = format!("`{id}`");
    table.lines().find_map(|line| {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, first, _, bound, limit, ..] = cells.as_slice() else {
            return None;
        };
        let at_least = match *bound {
            "at least" => true,
            "at most" => false,
            _ => return None,
        };
        (*first == wanted).then_some(())?;
        Some(Budget {
            at_least,
            limit: limit.parse().ok()?,
        })
    })
}

/// Records `measure` (shown as `value`, judged by `number`) against the
/// budget `id` of ARCHITECTURE.md: appended as a tab-separated line (id,
/// measure, value, target, PASS/FAIL) to the file named by
/// `PORTHOLE_BENCH_BUDGETS`, which scripts/bench.sh gathers into one table.
/// An unknown budget or a number that is not finite is a FAIL. Without the
/// variable (an example run by hand), nothing is written.
pub fn budget(id: &str, measure: &str, value: &str, number: f64) {
    let Some(path) = std::env::var_os("PORTHOLE_BENCH_BUDGETS") else {
        return;
    };
    let (target, met) = match budget_of(id) {
        Some(Budget { at_least, limit }) => (
            format!("{} {limit}", if at_least { "at least" } else { "at most" }),
            number.is_finite()
                && if at_least {
                    number >= limit
                } else {
                    number <= limit
                },
        ),
        None => ("no such budget in ARCHITECTURE.md".to_owned(), false),
    };
    let line = format!(
        "{id}\t{measure}\t{value}\t{target}\t{}\n",
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
