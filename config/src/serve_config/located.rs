//! Places in the config file: byte offsets turned into "line L, column C",
//! and the table of a dashboard or panel found again by its position, so
//! that every semantic error points at the text to fix.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// The config file's text, for pointing at places in it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Located<'a> {
    /// The file's text.
    pub text: &'a str,
}

impl Located<'_> {
    /// "line L, column C" of a value's span (both counted from 1).
    pub fn at(&self, span: Range<usize>) -> String {
        let before = self.text.get(..span.start).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}, column {column}")
    }

    /// Where the `dashboard`-th `[[dashboard]]` (or its `panel`-th
    /// `[[dashboard.panel]]`) names itself: the span of its `id` value, else
    /// of the table. `None` for `[overview]` when it is not in the file.
    pub fn dashboard(
        &self,
        dashboard: Option<usize>,
        panel: Option<usize>,
    ) -> Option<Range<usize>> {
        let root = DeTable::parse(self.text).ok()?;
        let Some(dashboard) = dashboard else {
            return root.get_ref().get("overview").map(|v| v.span());
        };
        let mut table = nth_table(root.get_ref(), "dashboard", dashboard)?;
        if let Some(panel) = panel {
            table = nth_table(table.get_ref().as_table()?, "panel", panel)?;
        }
        let id = table.get_ref().as_table()?.get("id");
        Some(id.map_or_else(|| table.span(), |id| id.span()))
    }
}

/// The `index`-th table of the array of tables `key` in `table`.
fn nth_table<'a, 'i>(
    table: &'a DeTable<'i>,
    key: &str,
    index: usize,
) -> Option<&'a toml::Spanned<DeValue<'i>>> {
    match table.get(key)?.get_ref() {
        DeValue::Array(items) => items.get(index),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashboards_and_panels_are_found_by_position() {
        let text = "[[dashboard]]\nid = \"a\"\n\n[[dashboard]]\nid = \"b\"\n[[dashboard.panel]]\nid = \"p\"\n[[dashboard.panel]]\nid = \"q\"\n";
        let located = Located { text };
        let at = |dashboard, panel| located.dashboard(dashboard, panel).map(|s| located.at(s));
        assert_eq!(at(Some(0), None).as_deref(), Some("line 2, column 6"));
        assert_eq!(at(Some(1), None).as_deref(), Some("line 5, column 6"));
        assert_eq!(at(Some(1), Some(1)).as_deref(), Some("line 9, column 6"));
        assert_eq!(at(Some(2), None), None);
        assert_eq!(at(None, None), None, "no [overview] in the file");
    }
}
