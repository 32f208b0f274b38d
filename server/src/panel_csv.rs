//! A panel's data as CSV (RFC 4180), for the per-panel download.
//!
//! Text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
//! first) get a leading `'`: labels come from upstream series, and a public
//! download must not carry formulas into someone's spreadsheet.

use std::fmt::Write;

use app::model::{PanelContent, PanelData};
use chrono::DateTime;

/// The CSV of what the panel shows.
pub fn to_csv(data: &PanelData) -> String {
    let mut out = String::new();
    match &data.content {
        PanelContent::Timeseries { .. } => {
            if let Some(table) = data.series_table() {
                let header = std::iter::once("time".to_owned()).chain(table.columns);
                line(&mut out, header.map(|c| text(&c)));
                for (t, values) in table.rows {
                    let time = DateTime::from_timestamp(t, 0)
                        .map_or_else(|| t.to_string(), |time| time.to_rfc3339());
                    let values = values
                        .into_iter()
                        .map(|v| v.map_or_else(String::new, |v| v.to_string()));
                    line(&mut out, std::iter::once(time).chain(values));
                }
            }
        }
        PanelContent::Stats { cards } => {
            line(
                &mut out,
                ["label", "value", "unit", "change", "change_label"].map(str::to_owned),
            );
            for card in cards {
                let number = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
                line(
                    &mut out,
                    [
                        text(&card.label),
                        number(card.value),
                        format!("{:?}", card.unit).to_lowercase(),
                        number(card.change),
                        text(&card.change_label),
                    ],
                );
            }
        }
        PanelContent::Table { columns, rows, .. } => {
            line(&mut out, columns.iter().map(|c| text(c)));
            for row in rows {
                line(&mut out, row.iter().map(|c| text(c)));
            }
        }
    }
    out
}

/// One CSV record; fields are quoted when they need it.
fn line(out: &mut String, fields: impl IntoIterator<Item = String>) {
    let fields: Vec<String> = fields.into_iter().map(|f| quote(&f)).collect();
    let _ = writeln!(out, "{}", fields.join(","));
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// A text cell, defused if a spreadsheet would read it as a formula (the
/// characters OWASP lists, tab and carriage return included).
fn text(cell: &str) -> String {
    let is_number = cell.parse::<f64>().is_ok();
    if !is_number && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use app::model::{Point, Series, TimeRange, Unit};

    use super::*;

    fn panel(content: PanelContent) -> PanelData {
        PanelData {
            dashboard: "api".into(),
            panel: "latency".into(),
            title: "Latency".into(),
            range: TimeRange::Hour1,
            from: 0,
            to: 120,
            span: None,
            demo: false,
            stale_since: None,
            content,
        }
    }

    #[test]
    fn time_series_have_a_time_column_and_one_per_line() {
        let line = |name: &str, v: [Option<f64>; 2]| Series {
            name: name.into(),
            points: vec![Point { t: 0, v: v[0] }, Point { t: 60, v: v[1] }],
        };
        let csv = to_csv(&panel(PanelContent::Timeseries {
            unit: Unit::Milliseconds,
            series: vec![
                line("p50", [Some(1.5), None]),
                line("{code=\"500\", x}", [Some(2.0), Some(3.0)]),
            ],
            bars: None,
            thresholds: Vec::new(),
        }));
        assert_eq!(
            csv,
            "time,p50,\"{code=\"\"500\"\", x}\"\n1970-01-01T00:00:00+00:00,1.5,2\n1970-01-01T00:01:00+00:00,,3\n"
        );
    }

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        let csv = to_csv(&panel(PanelContent::Table {
            columns: vec!["alert".into(), "value".into()],
            rows: vec![
                vec!["=HYPERLINK(\"x\")".into(), "-5".into()],
                vec!["@sum".into(), "+1".into()],
                vec!["\t=1+2".into(), "\r=3".into()],
            ],
            empty: String::new(),
            instants: Vec::new(),
        }));
        assert_eq!(
            csv,
            "alert,value\n\"'=HYPERLINK(\"\"x\"\")\",-5\n'@sum,+1\n'\t=1+2,\"'\r=3\"\n"
        );
    }
}
