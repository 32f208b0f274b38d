//! `/render/{dashboard}/{panel}.svg` and `.png`: one panel's chart as an
//! image, for link previews (og:image), e-mails and pages that cannot run
//! scripts. `width`, `height`, `theme` (light or dark), the window
//! (`range`, or `from` and `to`), `tz` and `lang` as on the dashboard. Answers carry an ETag
//! and a Cache-Control a CDN can serve from.

use app::{
    charts::{ChartStyle, Style, Zone},
    model::TimeRange,
    view_state::{Lang, ZoneName},
};
use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

use porthole_model::{ImageFormat as Format, Route};

use super::api::{PanelParams, not_routed, panel_data};
use crate::{
    http::error::ApiError,
    http::extract::{ApiQuery, Routed},
    http::state::{AppState, ImageApi},
    http::{cache_headers, etag},
    panel_image::{HEIGHTS, RenderError, Renderer, WIDTHS},
    panels::Admission,
};

/// The render routes: live panels, and the chart of a snapshot
/// (`/s/{id}/chart.png`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/render/{dashboard}/{file}", get(render))
        .route("/s/{id}/{file}", get(render_snapshot))
}

/// Query parameters of a render.
#[derive(Debug, Deserialize)]
struct RenderParams {
    width: Option<u32>,
    height: Option<u32>,
    theme: Option<String>,
    #[serde(default)]
    range: TimeRange,
    from: Option<String>,
    to: Option<String>,
    tz: Option<String>,
    lang: Option<String>,
}

fn style(theme: Option<&str>) -> Result<&'static ChartStyle, ApiError> {
    match theme {
        None | Some("light" | "system") => Ok(&ChartStyle::LIGHT),
        Some("dark") => Ok(&ChartStyle::DARK),
        Some(other) => Err(ApiError::BadRequest(format!(
            "unknown theme {other:?}: expected light or dark"
        ))),
    }
}

fn size(
    value: Option<u32>,
    default: u32,
    allowed: std::ops::RangeInclusive<u32>,
    key: &str,
) -> Result<u32, ApiError> {
    let value = value.unwrap_or(default);
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::BadRequest(format!(
            "{key} must be between {} and {} pixels",
            allowed.start(),
            allowed.end()
        )))
    }
}

async fn render(
    State(state): State<ImageApi>,
    Routed(route): Routed,
    admission: Admission,
    ApiQuery(params): ApiQuery<RenderParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Route::Render { format, .. } = route else {
        return Err(not_routed());
    };
    let size = params.size()?;
    let style = style(params.theme.as_deref())?;
    let zone = params.zone()?;
    let lang = params.lang()?;
    let window = PanelParams {
        range: params.range,
        from: params.from,
        to: params.to,
    };
    let data = panel_data(&state.sources, route, window, &admission).await?;
    let max_age = state
        .sources
        .panels()
        .refresh_seconds(&data.dashboard, &data.panel);
    image(
        &state,
        &data,
        (zone, lang),
        (size, style),
        format,
        &headers,
        max_age,
    )
    .await
}

/// The chart of a snapshot: its first chart panel, as captured.
async fn render_snapshot(
    State(state): State<ImageApi>,
    Routed(route): Routed,
    ApiQuery(params): ApiQuery<RenderParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Route::SnapshotChart { id, format } = route else {
        return Err(not_routed());
    };
    let size = params.size()?;
    let style = style(params.theme.as_deref())?;
    let zone = params.zone()?;
    let lang = params.lang()?;
    let snapshot = super::snapshots::find(&state.views, id.as_str()).await?;
    let data = snapshot
        .chart_panel()
        .ok_or_else(|| ApiError::NotFound("this snapshot has no chart to draw".to_owned()))?;
    // A snapshot never changes; a minute bounds how long a revoked one
    // lingers in caches.
    image(
        &state,
        data,
        (zone, lang),
        (size, style),
        format,
        &headers,
        60,
    )
    .await
}

impl RenderParams {
    /// The zone the time axis is labelled in [default: UTC].
    fn zone(&self) -> Result<ZoneName, ApiError> {
        self.tz.as_deref().map_or(Ok(ZoneName::UTC), |tz| {
            tz.parse()
                .map_err(|e: app::view_state::UnknownZone| ApiError::BadRequest(e.to_string()))
        })
    }

    /// The language the axes' numbers and dates are written in [default:
    /// English]; never negotiated, so an image's URL says all it shows.
    fn lang(&self) -> Result<Lang, ApiError> {
        self.lang.as_deref().map_or(Ok(Lang::ENGLISH), |tag| {
            tag.parse()
                .map_err(|e: app::view_state::UnknownLang| ApiError::BadRequest(e.to_string()))
        })
    }

    /// The requested size, within what renders allow.
    fn size(&self) -> Result<(u32, u32), ApiError> {
        Ok((
            size(self.width, 800, WIDTHS, "width")?,
            size(self.height, 300, HEIGHTS, "height")?,
        ))
    }
}

/// `data` drawn as `format`, or 304 when the client has this drawing,
/// cacheable for `max_age` seconds.
async fn image(
    state: &ImageApi,
    data: &app::model::PanelData,
    (zone, lang): (ZoneName, Lang),
    (size, style): ((u32, u32), &ChartStyle),
    format: Format,
    headers: &HeaderMap,
    max_age: u64,
) -> Result<Response, ApiError> {
    let renderer = state.renderer.clone();
    let zone = Zone::resolve(zone, data.from, data.to);
    let svg = renderer
        .svg(data, (&zone, &Style::of(lang)), size, style)
        .map_err(render_failed)?;
    let tag = etag::etag_of([svg.as_bytes(), format.content_type().as_bytes()]);
    let mut response = if etag::client_has(headers, &tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let body = match format {
            Format::Svg => Bytes::from(svg),
            Format::Png => png(state, &renderer, svg, &tag).await?,
        };
        ([(header::CONTENT_TYPE, format.content_type())], body).into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, cache_headers::public(max_age));
    Ok(response)
}

/// The PNG of `svg`, rasterized once per distinct drawing (off the async
/// runtime: it takes milliseconds of CPU).
async fn png(
    state: &ImageApi,
    renderer: &Renderer,
    svg: String,
    tag: &str,
) -> Result<Bytes, ApiError> {
    let renderer = renderer.clone();
    state
        .png_images
        .try_get_with(tag.to_owned(), async move {
            tokio::task::spawn_blocking(move || renderer.png(&svg).map(Bytes::from))
                .await
                .map_err(|e| RenderError::Draw(e.to_string()))?
        })
        .await
        .map_err(|error| render_failed((*error).clone()))
}

fn render_failed(error: RenderError) -> ApiError {
    match error {
        RenderError::NotAChart(_) => ApiError::BadRequest(error.to_string()),
        RenderError::Draw(_) => ApiError::Internal(error.to_string()),
    }
}
