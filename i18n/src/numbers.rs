//! Numbers in the language's own style, through ICU4X: `25,158.5` in
//! English, `25.158,5` in German. Fluent's own number formatting writes
//! Rust's float text in every language, so each bundle gets this one
//! ([`format_number`]).

use fluent_templates::{
    LanguageIdentifier,
    fluent_bundle::{FluentValue, types::FluentNumber},
};
use icu_decimal::{DecimalFormatter, input::Decimal};
use intl_memoizer::{Memoizable, concurrent::IntlLangMemoizer};

/// A language's decimal formatter, built once per bundle.
struct NumberFormat(DecimalFormatter);

impl Memoizable for NumberFormat {
    type Args = ();
    type Error = ();

    fn construct(lang: LanguageIdentifier, (): ()) -> Result<Self, ()> {
        formatter(&lang.to_string()).map(NumberFormat).ok_or(())
    }
}

fn formatter(tag: &str) -> Option<DecimalFormatter> {
    let locale: icu_locale_core::Locale = tag.parse().ok()?;
    DecimalFormatter::try_new((&locale).into(), Default::default()).ok()
}

/// Fluent's hook for numbers: every number argument of every message.
pub(crate) fn format_number(
    value: &FluentValue<'_>,
    memoizer: &IntlLangMemoizer,
) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let decimal = decimal(number)?;
    memoizer
        .with_try_get::<NumberFormat, _, _>((), |format| format.0.format_to_string(&decimal))
        .ok()
}

/// The number as ICU reads it, with the fraction digits the message asks
/// for (`NUMBER($n, minimumFractionDigits: 1)`). Rust writes every finite
/// float without an exponent, which ICU parses exactly.
fn decimal(number: &FluentNumber) -> Option<Decimal> {
    if !number.value.is_finite() {
        return None;
    }
    let mut decimal = Decimal::try_from_str(&number.value.to_string()).ok()?;
    if let Some(most) = number.options.maximum_fraction_digits {
        decimal.round(-i16::try_from(most).ok()?);
    }
    if let Some(least) = number.options.minimum_fraction_digits {
        decimal.absolute.pad_end(-i16::try_from(least).ok()?);
    }
    Some(decimal)
}

/// The characters a language writes between a number's thousands and
/// before its fraction: what the browser's chart readouts use, which
/// cannot carry ICU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Separators {
    /// Before the fraction: `.` in English, `,` in German.
    pub decimal: char,
    /// Between groups of thousands: `,` in English, `.` in German.
    pub group: char,
}

impl Default for Separators {
    fn default() -> Self {
        Separators {
            decimal: '.',
            group: ',',
        }
    }
}

/// The separators of `lang`, read from ICU's own formatting of 1234.5.
pub fn separators(lang: &str) -> Separators {
    let probe = Decimal::try_from_str("1234.5")
        .ok()
        .zip(formatter(lang))
        .map(|(probe, formatter)| formatter.format_to_string(&probe));
    let Some(probe) = probe else {
        return Separators::default();
    };
    let mut marks = probe.chars().filter(|c| !c.is_ascii_digit());
    match (marks.next(), marks.next()) {
        (Some(group), Some(decimal)) => Separators { decimal, group },
        _ => Separators::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Separators, separators};

    #[test]
    fn english_and_german_separate_alike_but_the_other_way_round() {
        assert_eq!(
            separators("en"),
            Separators {
                decimal: '.',
                group: ','
            }
        );
        assert_eq!(
            separators("de"),
            Separators {
                decimal: ',',
                group: '.'
            }
        );
        assert_eq!(separators("not a tag"), Separators::default());
    }
}
