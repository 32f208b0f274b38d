//! Reusable views that pages are built from.

pub mod chart_hover;
pub mod chart_island;
pub mod chart_lines;
pub mod data_table;
#[cfg(feature = "ssr")]
pub mod drawn_charts;
pub mod feeds;
pub mod language_picker;
pub mod notices;
pub mod panel;
pub mod range_picker;
pub mod refused;
pub mod share;
pub mod stat_cards;
pub mod top_bar;
pub mod uptime_bars;
pub mod zone_picker;

/// Message `id` with each of `names` left as a `{name}` placeholder: the
/// words of an island that puts a value of its own into them in the
/// browser, where no message file is (see [`fill`]). The language still
/// decides where the value goes.
pub(crate) fn template(id: &str, names: &[&str]) -> String {
    let args: Vec<(&str, crate::words::Arg)> = names
        .iter()
        .map(|name| (*name, crate::words::Arg::from(format!("{{{name}}}"))))
        .collect();
    crate::words::text(id, &args)
}

/// `template` (from [`template`]) with its `{name}` placeholders replaced
/// by the values of `values`, in one pass: a value that itself reads like
/// a placeholder (a panel titled "{window}") is kept as it is.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, value)| (close, *value))
        });
        match value {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn placeholders_are_filled_once_and_unknown_ones_kept() {
        assert_eq!(
            fill(
                "{title}, {window}, now {latest}",
                &[
                    ("title", "{window}"),
                    ("window", "last hour"),
                    ("latest", "3")
                ]
            ),
            "{window}, last hour, now 3"
        );
        assert_eq!(fill("{other} {", &[("zone", "UTC")]), "{other} {");
    }
}
