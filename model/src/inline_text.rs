//! Short ASCII text stored inline, so that the types holding it (a view's
//! zone name and language tag) stay `Copy`.

/// At most `N` bytes of ASCII text, stored inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct InlineText<const N: usize> {
    bytes: [u8; N],
    len: u8,
}

impl<const N: usize> InlineText<N> {
    /// `text`, when it is ASCII of at most `N` bytes (and `N` fits a byte
    /// count); usable in constants.
    pub const fn new(text: &str) -> Option<Self> {
        let source = text.as_bytes();
        if source.len() > N || N > u8::MAX as usize || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0; N];
        let mut i = 0;
        while i < source.len() {
            bytes[i] = source[i];
            i += 1;
        }
        #[allow(clippy::cast_possible_truncation)] // checked above: at most N ≤ 255
        let len = source.len() as u8;
        Some(Self { bytes, len })
    }

    /// `text` in a constant: fails to compile unless it fits.
    pub const fn constant(text: &str) -> Self {
        match Self::new(text) {
            Some(text) => text,
            None => panic!("inline text too long or not ASCII"),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        let bytes = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        // Only ASCII is ever stored.
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::InlineText;

    #[test]
    fn text_that_fits_is_kept_and_other_text_refused() {
        assert_eq!(
            InlineText::<4>::new("abcd").map(|t| t.as_str().to_owned()),
            Some("abcd".to_owned())
        );
        assert!(InlineText::<4>::new("abcde").is_none());
        assert!(InlineText::<4>::new("äb").is_none());
        assert_eq!(InlineText::<4>::constant("").as_str(), "");
    }
}
