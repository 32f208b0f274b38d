//! The viewer's language: its tag as links carry it (`?lang=de`), and the
//! conventions pages and charts write numbers and dates in ([`Style`]).
//!
//! The words themselves are looked up on the server (`porthole-i18n`,
//! through the `locales` feature); the browser gets a page's [`Style`]
//! with the island that needs it, so its readouts match the server's.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{calendar::Civil, inline_text::InlineText, zone::Zone};

/// The longest language tag accepted (`de`, `pt-BR`, `zh-Hant-TW`).
pub const MAX_LANG_TAG: usize = 15;

/// A language Porthole speaks, by its tag. Stored inline so that a view
/// stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lang(InlineText<MAX_LANG_TAG>);

impl Lang {
    /// English, what pages are in when no language is asked for.
    pub const ENGLISH: Lang = Lang(InlineText::constant("en"));

    /// The tag as written in links and in `<html lang>`.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The `lang=…` a link carries.
    pub fn query_pair(&self) -> String {
        format!("lang={}", self.as_str())
    }

    /// Whether `text` has the shape of a language tag: letters, digits and
    /// `-`, starting with two or three letters.
    fn well_formed(text: &str) -> bool {
        let primary = text.split('-').next().unwrap_or_default();
        (2..=MAX_LANG_TAG).contains(&text.len())
            && (2..=3).contains(&primary.len())
            && primary.bytes().all(|b| b.is_ascii_alphabetic())
            && text
                .split('-')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
    }
}

impl Default for Lang {
    fn default() -> Self {
        Self::ENGLISH
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({:?})", self.as_str())
    }
}

/// A page's URL (`path` and `query`, as the browser has them) in `lang`:
/// its `lang` replaced, the rest of the query kept as it was.
pub fn with_lang(path: &str, query: &str, lang: Lang) -> String {
    crate::link::with_pair(path, query, "lang", Some(&lang.query_pair()))
}

/// Why a `lang` value was refused; shown to the viewer as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {given:?}: expected one of {known}")]
pub struct UnknownLang {
    /// The value the viewer sent.
    pub given: String,
    /// The tags Porthole speaks, comma separated.
    pub known: String,
}

impl FromStr for Lang {
    type Err = UnknownLang;

    /// Reads a tag. With the `locales` feature Porthole must speak the
    /// language, and the tag is kept in the spelling of its message files
    /// (`DE` is `de`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownLang {
            given: text.chars().take(MAX_LANG_TAG * 2).collect(),
            known: known_tags(),
        };
        if !Self::well_formed(text) {
            return Err(unknown());
        }
        let canonical = canonical_tag(text).ok_or_else(unknown)?;
        InlineText::new(&canonical).map(Lang).ok_or_else(unknown)
    }
}

#[cfg(feature = "locales")]
fn canonical_tag(text: &str) -> Option<String> {
    porthole_i18n::find(text).map(str::to_owned)
}

#[cfg(feature = "locales")]
fn known_tags() -> String {
    porthole_i18n::languages().collect::<Vec<_>>().join(", ")
}

/// Without the message files (the browser), a well-formed tag is taken as
/// written: the server has already checked the tags it links to.
#[cfg(not(feature = "locales"))]
fn canonical_tag(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[cfg(not(feature = "locales"))]
fn known_tags() -> String {
    "en".to_owned()
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How a language writes numbers and dates: what the server reads from
/// its message files and ICU, and hands to islands that format in the
/// browser. Patterns use `YYYY`, `MM`, `DD`, `D`, `MMM` (the short month
/// name), `hh` and `mm`; everything else is written as it is.
///
/// On the wire (island props) a style is one string, its parts joined by
/// [`Style::SEPARATOR`]: a struct an island deserializes costs the browser's
/// first load a parser of its own, and a string's is there already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    /// Before a fraction: `.` or `,`.
    pub decimal: char,
    /// Between thousands: `,`, `.` or a narrow space.
    pub group: char,
    /// The twelve short month names, January first.
    pub months: Vec<String>,
    /// A date and time: `YYYY-MM-DD hh:mm` or `DD.MM.YYYY hh:mm`.
    pub timestamp: String,
    /// A day of a month, on axes: `MMM D` or `D. MMM`.
    pub day_month: String,
    /// A month of a year, on axes: `MMM YYYY`.
    pub month_year: String,
}

impl Style {
    /// Between a style's parts on the wire (the ASCII unit separator, which
    /// no message file writes).
    pub const SEPARATOR: char = '\u{1f}';

    /// The style's parts, joined: decimal, group, the twelve months, then
    /// the patterns.
    fn to_wire(&self) -> String {
        let (decimal, group) = (self.decimal.to_string(), self.group.to_string());
        let mut parts = vec![decimal.as_str(), group.as_str()];
        parts.extend(self.months.iter().map(String::as_str));
        parts.extend([
            self.timestamp.as_str(),
            self.day_month.as_str(),
            self.month_year.as_str(),
        ]);
        parts.join(Self::SEPARATOR.encode_utf8(&mut [0; 4]))
    }

    /// A style from its wire form; `None` unless it has every part, with
    /// one character each for the separators.
    fn from_wire(wire: &str) -> Option<Self> {
        let mut parts = wire.split(Self::SEPARATOR);
        let one_char = |parts: &mut std::str::Split<'_, char>| {
            let mut chars = parts.next()?.chars();
            let c = chars.next()?;
            chars.next().is_none().then_some(c)
        };
        let decimal = one_char(&mut parts)?;
        let group = one_char(&mut parts)?;
        let months: Vec<String> = parts.by_ref().take(12).map(str::to_owned).collect();
        let mut pattern = || parts.next().map(str::to_owned);
        let style = Style {
            decimal,
            group,
            timestamp: pattern()?,
            day_month: pattern()?,
            month_year: pattern()?,
            months,
        };
        (style.months.len() == 12 && parts.next().is_none()).then_some(style)
    }
}

impl Serialize for Style {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_wire())
    }
}

impl<'de> Deserialize<'de> for Style {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = String::deserialize(deserializer)?;
        Style::from_wire(&wire).ok_or_else(|| serde::de::Error::custom("not a language style"))
    }
}

impl Default for Style {
    /// English.
    fn default() -> Self {
        Style {
            decimal: '.',
            group: ',',
            months: crate::calendar::MONTHS
                .iter()
                .map(|m| (*m).to_owned())
                .collect(),
            timestamp: "YYYY-MM-DD hh:mm".to_owned(),
            day_month: "MMM D".to_owned(),
            month_year: "MMM YYYY".to_owned(),
        }
    }
}

impl Style {
    /// The style of `lang`: its patterns and month names from its
    /// messages (`style-*`), its separators from ICU. Read once per
    /// language.
    #[cfg(feature = "locales")]
    pub fn of(lang: Lang) -> std::sync::Arc<Style> {
        use std::{collections::HashMap, sync::Arc, sync::LazyLock};

        static STYLES: LazyLock<HashMap<&'static str, Arc<Style>>> = LazyLock::new(|| {
            porthole_i18n::languages()
                .map(|tag| (tag, Arc::new(Style::read(tag))))
                .collect()
        });
        STYLES
            .get(lang.as_str())
            .or_else(|| STYLES.get(porthole_i18n::DEFAULT))
            .cloned()
            .unwrap_or_default()
    }

    #[cfg(feature = "locales")]
    fn read(tag: &str) -> Style {
        let message = |id: &str| porthole_i18n::text(tag, id, &[]);
        let separators = porthole_i18n::separators(tag);
        let months: Vec<String> = message("style-months")
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let english = Style::default();
        Style {
            decimal: separators.decimal,
            group: separators.group,
            months: if months.len() == 12 {
                months
            } else {
                english.months
            },
            timestamp: message("style-timestamp"),
            day_month: message("style-day-month"),
            month_year: message("style-month-year"),
        }
    }

    /// The short name of `month` (1 = January).
    pub fn month(&self, month: usize) -> &str {
        self.months
            .get(month.wrapping_sub(1))
            .map_or("", String::as_str)
    }

    /// `civil` written with `pattern`.
    pub fn format(&self, pattern: &str, civil: &Civil) -> String {
        let mut out = String::with_capacity(pattern.len() + 8);
        let mut rest = pattern;
        while let Some(c) = rest.chars().next() {
            let token = ["YYYY", "MMM", "MM", "DD", "D", "hh", "mm"]
                .into_iter()
                .find(|token| rest.starts_with(token));
            match token {
                Some(token) => {
                    match token {
                        "YYYY" => out.push_str(&civil.year.to_string()),
                        "MMM" => out.push_str(self.month(civil.month)),
                        "MM" => out.push_str(&format!("{:02}", civil.month)),
                        "DD" => out.push_str(&format!("{:02}", civil.day)),
                        "D" => out.push_str(&civil.day.to_string()),
                        "hh" => out.push_str(&format!("{:02}", civil.hour)),
                        _ => out.push_str(&format!("{:02}", civil.minute)),
                    }
                    rest = &rest[token.len()..];
                }
                None => {
                    out.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        out
    }

    /// A full timestamp with its zone: `2026-01-28 12:00 CET`,
    /// `28.01.2026 12:00 CET`.
    pub fn timestamp(&self, zone: &Zone, t: i64) -> String {
        format!(
            "{} {}",
            self.format(&self.timestamp, &zone.civil(t)),
            zone.abbreviation(t)
        )
    }

    /// A full timestamp whose precision fits the span shown: seconds for
    /// a day or less (points may be seconds apart), minutes beyond.
    pub fn timestamp_in(&self, zone: &Zone, t: i64, span_seconds: i64) -> String {
        if span_seconds > 86_400 {
            return self.timestamp(zone, t);
        }
        let minutes = self.format(&self.timestamp, &zone.civil(t));
        format!(
            "{minutes}:{:02} {}",
            zone.wall(t).rem_euclid(60),
            zone.abbreviation(t)
        )
    }

    /// `text` rewritten with this style's separators when it is a number
    /// as the server writes it in English for a table cell: a sign, digits
    /// grouped by commas or not, a fraction after a point, and a short
    /// unit (`+1.0%`, `25,158`, `412.5 ms`, `1.5k/s`). Other text is `None`.
    pub fn number_text(&self, text: &str) -> Option<String> {
        // Byte by byte: this runs in the browser too (live redraws), where
        // every generic string search costs first-load bytes.
        const UNITS: [&str; 10] = ["", "%", " ms", " s", "k", "M", "G", "/s", "k/s", "M/s"];
        let sign_len = match text.as_bytes().first() {
            Some(b'+' | b'-') => 1,
            _ if text.starts_with('\u{2212}') => '\u{2212}'.len_utf8(),
            _ => 0,
        };
        let (sign, rest) = text.split_at(sign_len);
        let end = rest
            .bytes()
            .position(|b| !(b.is_ascii_digit() || b == b',' || b == b'.'))
            .unwrap_or(rest.len());
        let (number, unit) = rest.split_at(end);
        let digits = number.as_bytes();
        if !UNITS.contains(&unit) || !digits.first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let point = digits.iter().position(|&b| b == b'.');
        let (whole, fraction) = match point {
            Some(at) => (&digits[..at], &digits[at + 1..]),
            None => (digits, &[][..]),
        };
        if point.is_some() && (fraction.is_empty() || !fraction.iter().all(u8::is_ascii_digit)) {
            return None;
        }
        // Commas group thousands: 1–3 digits first, then threes.
        let mut plain = String::with_capacity(digits.len());
        let grouped = whole.contains(&b',');
        for (i, group) in whole.split(|&b| b == b',').enumerate() {
            if grouped && (group.is_empty() || group.len() > 3 || (i > 0 && group.len() != 3)) {
                return None;
            }
            plain.extend(group.iter().map(|&b| char::from(b)));
        }
        if point.is_some() {
            plain.push('.');
            plain.extend(fraction.iter().map(|&b| char::from(b)));
        }
        Some(format!("{sign}{}{unit}", self.number(&plain)))
    }

    /// `number` (as Rust writes it: `-1234.5`) with this style's
    /// separators: `-1,234.5`, `-1.234,5`. Integer parts of four digits or
    /// fewer are left ungrouped only where the language does so.
    pub fn number(&self, number: &str) -> String {
        let (sign, digits) = match number.strip_prefix('-') {
            Some(digits) => ("-", digits),
            None => ("", number),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if !whole.bytes().all(|b| b.is_ascii_digit()) {
            return number.to_owned();
        }
        let mut out = String::from(sign);
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(self.group);
            }
            out.push(digit);
        }
        if !fraction.is_empty() {
            out.push(self.decimal);
            out.push_str(fraction);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::Zone;

    #[test]
    fn a_style_crosses_the_wire_as_one_string_and_back() {
        for style in [Style::default(), german()] {
            let wire = serde_json::to_string(&style).expect("serializes");
            assert!(wire.starts_with('"'), "one string: {wire}");
            let back: Style = serde_json::from_str(&wire).expect("deserializes");
            assert_eq!(back, style);
        }
    }

    #[test]
    fn a_malformed_style_is_refused() {
        let good = Style::default().to_wire();
        let sep = Style::SEPARATOR;
        let without_last = good.rsplit_once(sep).map(|(rest, _)| rest.to_owned());
        for wire in [
            String::new(),
            "x".to_owned(),
            without_last.expect("parts"),
            format!("{good}{sep}extra"),
            good.replacen('.', "..", 1),
            good.replacen(&format!("{sep}Jan{sep}"), &format!("{sep}"), 1),
        ] {
            let json = serde_json::to_string(&wire).expect("a string");
            assert!(serde_json::from_str::<Style>(&json).is_err(), "{wire:?}");
        }
        assert!(serde_json::from_str::<Style>("{\"decimal\":\".\"}").is_err());
    }

    fn german() -> Style {
        Style {
            decimal: ',',
            group: '.',
            months: [
                "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.",
                "Nov.", "Dez.",
            ]
            .iter()
            .map(|m| (*m).to_owned())
            .collect(),
            timestamp: "DD.MM.YYYY hh:mm".to_owned(),
            day_month: "D. MMM".to_owned(),
            month_year: "MMM YYYY".to_owned(),
        }
    }

    #[test]
    fn tags_read_back_and_ill_formed_ones_are_refused() {
        assert_eq!("en".parse::<Lang>(), Ok(Lang::ENGLISH));
        assert_eq!(Lang::ENGLISH.query_pair(), "lang=en");
        for refused in [
            "",
            "e",
            "english-language-x",
            "../x",
            "d<e",
            "de--x",
            "1de",
            "de\0",
        ] {
            assert!(refused.parse::<Lang>().is_err(), "{refused:?}");
        }
    }

    #[test]
    fn dates_follow_the_style() {
        let utc = Zone::utc();
        // 2026-03-07 09:05 UTC.
        let t = 1_772_874_300;
        assert_eq!(Style::default().timestamp(&utc, t), "2026-03-07 09:05 UTC");
        assert_eq!(german().timestamp(&utc, t), "07.03.2026 09:05 UTC");
        assert_eq!(
            german().timestamp_in(&utc, t + 7, 3600),
            "07.03.2026 09:05:07 UTC"
        );
        let civil = utc.civil(t);
        assert_eq!(Style::default().format("MMM D", &civil), "Mar 7");
        assert_eq!(german().format("D. MMM", &civil), "7. März");
    }

    #[test]
    fn numbers_take_the_language_separators() {
        assert_eq!(Style::default().number("25158.5"), "25,158.5");
        assert_eq!(german().number("25158.5"), "25.158,5");
        assert_eq!(german().number("-1234567"), "-1.234.567");
        assert_eq!(german().number("999.25"), "999,25");
        assert_eq!(german().number("NaN"), "NaN");
        let cell = |text| german().number_text(text);
        assert_eq!(cell("+1.0%").as_deref(), Some("+1,0%"));
        assert_eq!(cell("25,158").as_deref(), Some("25.158"));
        assert_eq!(cell("412.5 ms").as_deref(), Some("412,5 ms"));
        assert_eq!(cell("-3").as_deref(), Some("-3"));
        for other in [
            "2026-11", "1,2,3", "v1.2.3", "api", "12 users", "1.", ".5", "1,23",
        ] {
            assert_eq!(cell(other), None, "{other}");
        }
    }
}
