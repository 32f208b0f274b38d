//! Static files of the built site (WASM, JS, CSS, icons), and the HTML 404
//! page for any other path.
//!
//! Files under `/pkg` carry a content hash in their names in release builds,
//! so they are cached for a year; the service worker, its page script and
//! the script widget are revalidated on every load; everything else hourly.
//! The widget's files may be loaded by any origin (CORS).
//! Precompressed `.br`/`.gz` siblings are served when the browser accepts them.

use std::{convert::Infallible, path::Path};

use app::shell;
use axum::{
    Router,
    body::Body,
    http::{
        HeaderValue, Request, Response,
        header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL},
    },
};
use tower::{ServiceBuilder, service_fn};
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

use crate::http::{routes::pages::page_context, state::AppState};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
const HOURLY: &str = "public, max-age=3600";

/// `/pkg/...` and the site's other files; the 404 page for the rest.
pub fn router(state: &AppState) -> Router<AppState> {
    let options = &state.leptos_options;
    let site_root = Path::new(&*options.site_root);
    let pkg_dir = &*options.site_pkg_dir;
    let pkg_cache = if options.hash_files {
        IMMUTABLE
    } else {
        REVALIDATE
    };

    let pkg = ServiceBuilder::new()
        .layer(cache_control_on_success(pkg_cache))
        .service(
            ServeDir::new(site_root.join(pkg_dir))
                .precompressed_br()
                .precompressed_gzip()
                .not_found_service(not_found_page(state)),
        );
    let public = ServiceBuilder::new()
        .layer(cache_control_on_success(HOURLY))
        .service(
            ServeDir::new(site_root)
                .precompressed_br()
                .precompressed_gzip()
                .not_found_service(not_found_page(state)),
        );
    // The service worker and its page script must be checked on every
    // load, so a new release is found at once. Sent precompressed where the
    // build wrote a sibling (.br, .gz), as the rest of the site is.
    let unhashed = |file: &str| {
        ServiceBuilder::new()
            .layer(cache_control_on_success(REVALIDATE))
            .service(
                ServeFile::new(site_root.join(file))
                    .precompressed_br()
                    .precompressed_gzip(),
            )
    };
    // The script widget runs on other sites' pages, which load it as a
    // module: CORS mode, so it must say any origin may.
    let widget = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .layer(cache_control_on_success(REVALIDATE));
    Router::new()
        .route_service(
            "/widget.js",
            widget
                .clone()
                .service(ServeFile::new(site_root.join("widget.js"))),
        )
        .nest_service(
            "/widget",
            widget.service(ServeDir::new(site_root.join("widget"))),
        )
        .route_service("/sw.js", unhashed("sw.js"))
        .route_service("/pwa.js", unhashed("pwa.js"))
        .nest_service(&format!("/{pkg_dir}"), pkg)
        .fallback_service(public)
}

fn cache_control_on_success<B>(
    value: &'static str,
) -> SetResponseHeaderLayer<impl Fn(&Response<B>) -> Option<HeaderValue> + Clone> {
    SetResponseHeaderLayer::overriding(CACHE_CONTROL, move |response: &Response<B>| {
        response
            .status()
            .is_success()
            .then(|| HeaderValue::from_static(value))
    })
}

/// The app's "not found" page, rendered by Leptos with status 404.
fn not_found_page(
    state: &AppState,
) -> impl tower::Service<
    Request<Body>,
    Response = Response<Body>,
    Error = Infallible,
    Future = impl Send + 'static,
> + Clone
+ Send
+ 'static {
    let (options, bundle) = (state.leptos_options.clone(), state.bundle.clone());
    let render = leptos_axum::render_app_async_with_context(page_context(state), move || {
        shell(options.clone(), bundle.clone())
    });
    service_fn(move |request: Request<Body>| {
        let response = render(request);
        async move { Ok::<_, Infallible>(response.await) }
    })
}
