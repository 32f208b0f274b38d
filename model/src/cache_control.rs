//! What a client reads from an answer's `Cache-Control` header: how long
//! the answer stays fresh (the script widget waits that long before it
//! fetches a panel again).

/// The `max-age` directive of a `Cache-Control` value, in seconds; `None`
/// when there is none or it is not a number.
pub fn max_age(cache_control: &str) -> Option<u32> {
    cache_control
        .split(',')
        .find_map(|directive| directive.trim().strip_prefix("max-age="))
        .and_then(|seconds| seconds.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::max_age;

    #[test]
    fn max_age_is_read_from_cache_control() {
        assert_eq!(
            max_age("public, max-age=30, stale-while-revalidate=300"),
            Some(30)
        );
        assert_eq!(max_age("max-age=5"), Some(5));
        assert_eq!(max_age("no-store"), None);
        assert_eq!(max_age("max-age=abc"), None);
        assert_eq!(max_age("max-age=-1"), None);
    }
}
