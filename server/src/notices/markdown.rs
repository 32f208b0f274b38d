//! Operators' messages as HTML: CommonMark without raw HTML (it shows as
//! text), then sanitized by ammonia, which keeps only safe tags and URL
//! schemes and marks every link `rel="nofollow noopener"`.

use pulldown_cmark::{Event, Options, Parser, html};

/// The longest message accepted, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// `markdown` rendered as safe HTML.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    // Raw HTML in the source becomes text: visitors see what was typed.
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    ammonia::Builder::default()
        .link_rel(Some("nofollow noopener"))
        .url_schemes(["http", "https", "mailto"].into())
        .clean(&unsafe_html)
        .to_string()
}

/// `text` as HTML that shows it as written (`<`, `>` and `&` escaped).
pub fn text_to_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    html::push_html(&mut html, std::iter::once(Event::Text(text.into())));
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_escaped_not_rendered() {
        assert_eq!(
            text_to_html("Public API & <Website> *x*"),
            "Public API &amp; &lt;Website&gt; *x*"
        );
    }

    #[test]
    fn markdown_renders_and_raw_html_shows_as_text() {
        let html = to_html("**Fixed** in `v2`.\n\n<script>alert(1)</script>");
        assert!(html.contains("<strong>Fixed</strong>"), "{html}");
        assert!(html.contains("<code>v2</code>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn links_are_nofollow_and_scripts_in_urls_are_dropped() {
        let html = to_html("[notes](https://example.com/notes) and [x](javascript:alert(1))");
        assert!(
            html.contains(r#"<a href="https://example.com/notes" rel="nofollow noopener">"#),
            "{html}"
        );
        assert!(!html.contains("javascript:"), "{html}");
        let html = to_html("<img src=x onerror=alert(1)> ![a](https://example.com/a.png \"t\")");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(
            html.contains(r#"<img src="https://example.com/a.png" alt="a" title="t">"#),
            "{html}"
        );
    }
}
