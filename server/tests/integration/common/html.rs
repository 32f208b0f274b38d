//! Reading the HTML of pages in tests: a chart's SVG and its labels.

/// The SVGs inside the page's first chart figure.
pub fn chart_svg(html: &str) -> &str {
    let start = html.find("<figure").expect("a chart figure");
    let end = html[start..].find("</figure>").expect("figure closes") + start;
    &html[start..end]
}

/// The text of every `<text>` element in `svg`.
pub fn svg_texts(svg: &str) -> Vec<&str> {
    svg.split("<text")
        .skip(1)
        .filter_map(|rest| rest.split_once('>'))
        .filter_map(|(_, rest)| rest.split_once("</text>"))
        .map(|(text, _)| text.trim())
        .collect()
}
