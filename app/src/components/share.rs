//! The Share dialog: this view's link, the same view pinned to absolute
//! times, an embed snippet and image links for a panel. A `<details>` of
//! plain fields and links, so it works without JavaScript; once hydrated,
//! each field has a Copy button.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use porthole_model::{Id, ImageFormat, Route};

use crate::{
    model::{Span, window_query},
    signed_link::AccessToken,
    view_state::{Theme, ViewState},
};

/// Where this site is reached: the server's known public URL (none: links
/// stay relative until the browser fills in its own origin), the page's
/// origin in the browser. Never a request's `Host`.
fn site_origin() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::site::PublicUrl::current().0.unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}

/// The Share dialog's embed: the iframe, and the few lines that size it
/// from the height messages its page posts (`{porthole:"height",height}`),
/// each frame only from its own window's messages. Complete as copied.
pub fn embed_snippet(embed: &str, title: &str) -> String {
    format!(
        concat!(
            r#"<iframe src="{embed}" title="{title}" style="width:100%;height:360px;border:0" loading="lazy" data-porthole-embed></iframe>"#,
            "\n<script>addEventListener(\"message\",function(e){{var d=e.data;if(!d||d.porthole!==\"height\")return;",
            "document.querySelectorAll(\"iframe[data-porthole-embed]\").forEach(function(f){{",
            "if(f.contentWindow===e.source)f.style.height=d.height+\"px\"}})}})</script>"
        ),
        embed = embed,
        title = title,
    )
}

/// `text` safe inside a double-quoted HTML attribute.
fn attribute_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Unix seconds now (the browser's clock once hydrated).
fn now() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        #[allow(clippy::cast_possible_truncation)] // milliseconds since 1970 fit
        let seconds = (web_sys::js_sys::Date::now() / 1000.0) as i64;
        seconds
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
    }
}

/// The Share dialog of a dashboard view; `panel` is the one its embed
/// snippet and image links show.
#[component]
pub fn ShareDialog(
    /// The dashboard's id.
    dashboard: String,
    /// The panel its embed snippet and image links show, if it has a chart.
    panel: Option<String>,
    /// That panel's title, the iframe's `title` and the image's `alt`.
    #[prop(default = None)]
    panel_title: Option<String>,
    /// The view shown now.
    view: Signal<ViewState>,
    /// Whether visitors may take snapshots of this dashboard.
    #[prop(optional)]
    snapshots: bool,
) -> impl IntoView {
    let location = use_location();
    let token = AccessToken::current();
    let origin = site_origin();
    let link = {
        let (origin, token) = (origin.clone(), token.clone());
        move || {
            format!(
                "{origin}{}",
                token.append(&view.get().href(&location.pathname.get()))
            )
        }
    };
    let pinned = {
        let (origin, token) = (origin.clone(), token.clone());
        move || {
            let view = view.get();
            let span = view.span.or_else(|| {
                let to = now() / 60 * 60;
                Span::new(to - view.range.seconds(), to).ok()
            });
            let pinned = ViewState { span, ..view };
            format!(
                "{origin}{}",
                token.append(&pinned.href(&location.pathname.get()))
            )
        }
    };
    let ids = Id::new(&dashboard).zip(panel.as_deref().and_then(Id::new));
    let panel_urls = ids.map(|(dashboard, panel)| {
        let view = view.get_untracked();
        let window = window_query(view.range, view.span);
        let theme = if view.theme == Theme::System {
            String::new()
        } else {
            format!("&theme={}", view.theme)
        };
        let url = |route: Route| {
            token.append(&format!(
                "{origin}{}",
                route.href_with(&format!("{window}{theme}"))
            ))
        };
        let embed = url(Route::Embed {
            dashboard: dashboard.clone(),
            panel: panel.clone(),
        });
        let title = attribute_text(panel_title.as_deref().unwrap_or(panel.as_str()));
        let snippet = embed_snippet(&embed, &title);
        let image = |format| Route::Render {
            dashboard: dashboard.clone(),
            panel: panel.clone(),
            format,
        };
        let png = url(image(ImageFormat::Png));
        let svg = url(image(ImageFormat::Svg));
        let img = format!(r#"<img src="{png}" alt="{title}" width="800" height="300">"#);
        (snippet, img, png, svg)
    });
    // The copy buttons' words, for the browser, where no message file is.
    let (copy, copied) = (crate::tr!("share-copy"), crate::tr!("share-copied"));
    let field = move |label: String, value: String| {
        view! { <CopyField label value copy=copy.clone() copied=copied.clone() /> }
    };
    let snapshot_form = snapshots.then(|| {
        view! { <SnapshotForm dashboard=dashboard.clone() view token=token.0.clone() /> }
    });
    view! {
        <details class="share">
            <summary>{crate::tr!("share-summary")}</summary>
            <div class="share-body">
                {field(crate::tr!("share-link"), link())}
                {field(crate::tr!("share-pinned"), pinned())}
                {panel_urls
                    .map(|(snippet, img, png, svg)| {
                        view! {
                            {field(crate::tr!("share-embed"), snippet)}
                            {field(crate::tr!("share-image"), img)}
                            <p class="share-links">
                                <a href=png>{crate::tr!("share-png")}</a>
                                " · "
                                <a href=svg>{crate::tr!("share-svg")}</a>
                            </p>
                        }
                    })}
                {snapshot_form}
            </div>
        </details>
    }
    .into_any()
}

/// Freezes this view's data under a link of its own: a plain form, so it
/// works without JavaScript; the server answers with the snapshot's page.
#[component]
fn SnapshotForm(
    dashboard: String,
    view: Signal<ViewState>,
    token: Option<String>,
) -> impl IntoView {
    let span = move || view.get().span;
    view! {
        <form class="snapshot-form" method="post" action=Route::SnapshotsApi.href()>
            <input type="hidden" name="dashboard" value=dashboard />
            <input type="hidden" name="range" value=move || view.get().range.as_str() />
            {move || {
                span()
                    .map(|span| {
                        view! {
                            <input type="hidden" name="from" value=span.from.to_string() />
                            <input type="hidden" name="to" value=span.to.to_string() />
                        }
                    })
            }}
            {token.map(|token| view! { <input type="hidden" name="token" value=token /> })}
            <label>
                // The space that parts the words from the choice after them.
                {format!("{} ", crate::tr!("share-keep"))}
                <select name="expires_in">
                    <option value="1d">{crate::tr!("share-keep-days", count = 1)}</option>
                    <option value="7d" selected>
                        {crate::tr!("share-keep-days", count = 7)}
                    </option>
                    <option value="30d">{crate::tr!("share-keep-days", count = 30)}</option>
                    <option value="">{crate::tr!("share-keep-forever")}</option>
                </select>
            </label>
            <button type="submit">{crate::tr!("share-create-snapshot")}</button>
        </form>
    }
}

/// A read-only field and, once hydrated, a button that copies it. Its
/// words come looked up (the browser has no message file).
#[island]
fn CopyField(
    /// What the field is.
    #[prop(into)]
    label: String,
    /// Its text.
    value: String,
    /// The button's words: "Copy".
    copy: String,
    /// The button's words once it copied: "Copied".
    copied: String,
) -> impl IntoView {
    let (copy_words, copied_words) = (copy, copied);
    let copied = RwSignal::new(false);
    let copy = {
        let value = value.clone();
        move |_| {
            #[cfg(feature = "hydrate")]
            {
                let _ = window().navigator().clipboard().write_text(&value);
                copied.set(true);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = &value;
        }
    };
    view! {
        <label class="copy-field">
            <span>{label}</span>
            <span class="copy-row">
                <input type="text" readonly value=value />
                <button type="button" on:click=copy>
                    {move || {
                        if copied.get() { copied_words.clone() } else { copy_words.clone() }
                    }}
                </button>
            </span>
        </label>
    }
}
