//! A first visit's language, from its `Accept-Language`.

/// The language Porthole speaks that `accept_language` prefers most, or
/// [`DEFAULT`](crate::DEFAULT). Tags are tried by quality (`q=0` means
/// "not this one"), each first whole and then by its language alone:
/// `de-AT` is answered in `de`.
pub fn negotiate(accept_language: &str) -> &'static str {
    accept_language::parse_with_quality(accept_language)
        .into_iter()
        .filter(|(_, quality)| *quality > 0.0)
        .find_map(|(tag, _)| {
            crate::find(&tag).or_else(|| {
                let primary = tag.split(['-', '_']).next()?;
                crate::find(primary)
            })
        })
        .unwrap_or(crate::DEFAULT)
}

#[cfg(test)]
mod tests {
    use super::negotiate;

    #[test]
    fn the_most_preferred_spoken_language_wins() {
        assert_eq!(negotiate("de-DE,de;q=0.9,en;q=0.8"), "de");
        assert_eq!(negotiate("fr-CH, fr;q=0.9, de;q=0.5, en;q=0.4"), "de");
        assert_eq!(negotiate("en;q=0.2, de-AT;q=0.7"), "de");
        assert_eq!(negotiate("DE"), "de");
    }

    #[test]
    fn nothing_spoken_or_nothing_sensible_is_english() {
        for header in ["", "fr", "*", "de;q=0", "de;q=abc", ";;;,,,", "x-klingon"] {
            assert_eq!(negotiate(header), "en", "{header:?}");
        }
    }
}
