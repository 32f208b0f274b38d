//! Links to the page being shown with one view parameter changed, as the
//! zone and language pickers make them: the rest of the query is kept as
//! the browser has it.

/// `path` and `query` (with or without its `?`) with parameter `name`
/// replaced by `pair` (`name=value`, already escaped), or left out when
/// `pair` is `None`.
pub fn with_pair(path: &str, query: &str, name: &str, pair: Option<&str>) -> String {
    let prefix = format!("{name}=");
    let pairs: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with(&prefix) && *p != name)
        .chain(pair)
        .collect();
    if pairs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::with_pair;

    #[test]
    fn one_parameter_is_replaced_and_the_rest_kept() {
        assert_eq!(
            with_pair("/status", "?theme=dark&lang=en", "lang", Some("lang=de")),
            "/status?theme=dark&lang=de"
        );
        assert_eq!(with_pair("/status", "lang=de", "lang", None), "/status");
        assert_eq!(
            with_pair("/", "range=7d&language=x", "lang", Some("lang=de")),
            "/?range=7d&language=x&lang=de"
        );
    }
}
