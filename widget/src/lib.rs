//! Porthole's script widget: a landing page adds
//! `<div data-porthole="overview/latency"></div>` and one
//! `<script type="module" src="https://porthole.example/widget.js">`, and
//! each such element shows that panel's chart, drawn here in the browser
//! with the same plotters code the server uses.
//!
//! Each widget fetches its panel's JSON from Porthole (CORS allows the
//! origins of `[embed] allowed_origins`), fits its container's width,
//! follows `prefers-color-scheme`, and refreshes as often as the panel's
//! answer may be cached. The panel's title stands above the chart and a
//! legend below it. Optional attributes: `data-range` (`24h`, `7d`…),
//! `data-height` (pixels, default 300) and `data-title="0"` (no title). All widgets on a page share
//! the one module and WASM download.

use std::{cell::RefCell, rc::Rc};

use porthole_charts::{
    ChartStyle, RGBColor, Style, TimeseriesChart, Zone, render_timeseries_svg_in,
};

use porthole_model::{
    Id, Route,
    cache_control::max_age,
    wire::{ChartData, ErrorBody, ErrorKind, TimeRange},
};
use wasm_bindgen::{JsCast, prelude::*};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

/// Widths a widget draws at, as the server's renders allow.
const WIDTHS: std::ops::RangeInclusive<i32> = 200..=2_400;
/// Refresh bounds, seconds: the panel's cache lifetime, within these.
const REFRESH: std::ops::RangeInclusive<u32> = 10..=3_600;
/// Inline styles: the host page's stylesheet need not know the widget.
const TITLE_STYLE: &str = "margin:0 0 4px;font:600 15px/1.3 system-ui,sans-serif";
const LEGEND_STYLE: &str = "display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;margin:4px 0 0;padding:0;font:13px/1.4 system-ui,sans-serif";
const SWATCH_STYLE: &str =
    "display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;";

/// Appends a `tag` element with inline `style` and `text` (as text, never
/// markup) to `parent`.
fn child(
    parent: &web_sys::Element,
    tag: &str,
    style: &str,
    text: &str,
) -> Option<web_sys::Element> {
    let element = parent.owner_document()?.create_element(tag).ok()?;
    if !style.is_empty() {
        let _ = element.set_attribute("style", style);
    }
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    parent.append_child(&element).ok()?;
    Some(element)
}

/// The attribute a widget's element is marked with once started.
const STARTED: &str = "data-porthole-started";

/// Starts a widget in every `[data-porthole]` element not started yet,
/// reading data from Porthole at `origin`.
#[wasm_bindgen]
pub fn mount(origin: String) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(elements) = document.query_selector_all("[data-porthole]") else {
        return;
    };
    for index in 0..elements.length() {
        let Some(element) = elements
            .item(index)
            .and_then(|node| node.dyn_into::<HtmlElement>().ok())
        else {
            continue;
        };
        if element.has_attribute(STARTED) {
            continue;
        }
        let _ = element.set_attribute(STARTED, "");
        wasm_bindgen_futures::spawn_local(run(element, origin.clone()));
    }
}

/// One widget: what it shows, and the data it last drew (read as
/// [`ChartData`]: only what a chart draws, which keeps the widget small).
struct Widget {
    element: HtmlElement,
    /// The panel's JSON API.
    url: String,
    height: u32,
    /// Whether the panel's title is shown above the chart (`data-title="0"` hides it).
    titled: bool,
    data: RefCell<Option<ChartData>>,
}

impl Widget {
    /// The widget of `element`, or why its attributes name no panel.
    fn of(element: HtmlElement, origin: &str) -> Result<Self, String> {
        let target = element.get_attribute("data-porthole").unwrap_or_default();
        // The attribute names a dashboard and a panel; the route model
        // builds the path from them.
        let route = target
            .split_once('/')
            .and_then(|(dashboard, panel)| {
                Some(Route::PanelApi {
                    dashboard: Id::new(dashboard)?,
                    panel: Id::new(panel)?,
                })
            })
            .ok_or_else(|| {
                format!("data-porthole=\"{target}\" should name a dashboard and a panel, e.g. \"overview/latency\"")
            })?;
        let range = element
            .get_attribute("data-range")
            .and_then(|r| r.parse::<TimeRange>().ok())
            .unwrap_or(TimeRange::Hours24);
        let height = element
            .get_attribute("data-height")
            .and_then(|h| h.parse::<u32>().ok())
            .map_or(300, |h| h.clamp(100, 1_400));
        let titled = element
            .get_attribute("data-title")
            .is_none_or(|t| t != "0" && t != "false");
        Ok(Self {
            element,
            url: format!("{origin}{}", route.href_with(&format!("range={range}"))),
            height,
            titled,
            data: RefCell::new(None),
        })
    }

    /// Draws the data held, at the container's width, in the colours the
    /// device prefers.
    fn draw(&self) {
        let data = self.data.borrow();
        let Some(data) = data.as_ref() else { return };
        // The widget shows what the panel's JSON gives, in UTC, as its
        // label says, written the English way.
        let utc = Zone::utc();
        let english = Style::default();
        let Some(chart) = TimeseriesChart::of_chart_data(data, &utc, &english) else {
            self.say(&format!("{} is not a chart", data.title));
            return;
        };
        let width = self
            .element
            .client_width()
            .clamp(*WIDTHS.start(), *WIDTHS.end());
        let style = if prefers_dark() {
            &ChartStyle::DARK
        } else {
            &ChartStyle::LIGHT
        };
        let size = (width.unsigned_abs(), self.height);
        match render_timeseries_svg_in(&chart, size, style) {
            Ok(svg) => {
                self.element.set_inner_html("");
                if self.titled {
                    self.append("p", TITLE_STYLE, &data.title);
                }
                if let Some(chart) = self.append("div", "", "") {
                    chart.set_inner_html(&svg);
                    let _ = chart.set_attribute("role", "img");
                    let _ = chart.set_attribute(
                        "aria-label",
                        &format!("{}, {}", data.title, data.window_label(&utc)),
                    );
                }
                self.legend(data, style);
            }
            Err(error) => self.say(&error.to_string()),
        }
    }

    /// A legend under the chart: each line's name beside its colour, so a
    /// visitor can tell p50 from p99.
    fn legend(&self, data: &ChartData, style: &ChartStyle) {
        if data.series.is_empty() {
            return;
        }
        let Some(list) = self.append("ul", LEGEND_STYLE, "") else {
            return;
        };
        for (index, series) in data.series.iter().enumerate() {
            let RGBColor(r, g, b) = style.palette[index % style.palette.len()];
            let Some(item) = child(&list, "li", "", "") else {
                continue;
            };
            let swatch = format!("{SWATCH_STYLE}background:rgb({r},{g},{b})");
            let _ = child(&item, "span", &swatch, "");
            let _ = child(&item, "span", "", &series.name);
        }
    }

    /// Appends a `tag` element with inline `style` and `text` to the widget.
    fn append(&self, tag: &str, style: &str, text: &str) -> Option<web_sys::Element> {
        child(&self.element, tag, style, text)
    }

    /// Shows a line of text instead of a chart.
    fn say(&self, text: &str) {
        self.element
            .set_text_content(Some(&format!("Porthole: {text}")));
    }
}

/// Fetches, draws and refreshes one widget for as long as the page lives.
async fn run(element: HtmlElement, origin: String) {
    let widget = match Widget::of(element.clone(), &origin) {
        Ok(widget) => Rc::new(widget),
        Err(problem) => {
            element.set_text_content(Some(&format!("Porthole: {problem}")));
            return;
        }
    };
    redraw_on_resize(&widget);
    redraw_on_scheme_change(&widget);
    loop {
        let refresh = match fetch(&widget.url).await {
            Ok((data, refresh)) => {
                widget.data.replace(Some(data));
                widget.draw();
                refresh
            }
            Err(error) => {
                // Keep the last chart if there is one; say why otherwise.
                if widget.data.borrow().is_none() {
                    widget.say(&format!("cannot load the chart: {}", error.error));
                }
                *REFRESH.start()
            }
        };
        sleep(refresh).await;
    }
}

/// The panel's data, and how long it may be cached (seconds). The
/// browser's `fetch`, called directly: an HTTP client crate would add its
/// own request and header types to the download.
async fn fetch(url: &str) -> Result<(ChartData, u32), ErrorBody> {
    let unavailable = |why: &str| ErrorBody::new(ErrorKind::Unavailable, why.to_owned());
    let window = web_sys::window().ok_or_else(|| unavailable("no window"))?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()
        .and_then(|answer| answer.dyn_into::<web_sys::Response>().ok())
        .ok_or_else(|| unavailable("Porthole cannot be reached"))?;
    let text = match response.text() {
        Ok(text) => JsFuture::from(text).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    }
    .ok_or_else(|| unavailable("the answer could not be read"))?;
    if !response.ok() {
        return Err(serde_json::from_str::<ErrorBody>(&text)
            .unwrap_or_else(|_| unavailable(&format!("Porthole answered {}", response.status()))));
    }
    let refresh = response
        .headers()
        .get("cache-control")
        .ok()
        .flatten()
        .and_then(|value| max_age(&value))
        .unwrap_or(60)
        .clamp(*REFRESH.start(), *REFRESH.end());
    let data = serde_json::from_str::<ChartData>(&text)
        .map_err(|_| unavailable("the answer is not a panel's data"))?;
    Ok((data, refresh))
}

fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|query| query.matches())
}

/// Draws again whenever the container's size changes.
fn redraw_on_resize(widget: &Rc<Widget>) {
    let target = widget.clone();
    let last_width = RefCell::new(0);
    let callback = Closure::<dyn FnMut()>::new(move || {
        let width = target.element.client_width();
        if width != *last_width.borrow() {
            last_width.replace(width);
            target.draw();
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&widget.element);
    }
    // Lives as long as the page.
    callback.forget();
}

/// Draws again when the device switches between light and dark.
fn redraw_on_scheme_change(widget: &Rc<Widget>) {
    let Some(query) = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
    else {
        return;
    };
    let target = widget.clone();
    let callback = Closure::<dyn FnMut()>::new(move || target.draw());
    let _ = query.add_event_listener_with_callback("change", callback.as_ref().unchecked_ref());
    callback.forget();
}

/// Waits `seconds`.
async fn sleep(seconds: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let milliseconds = i32::try_from(seconds.saturating_mul(1000)).unwrap_or(i32::MAX);
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
        }
    });
    let _ = JsFuture::from(promise).await;
}
