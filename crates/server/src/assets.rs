//! The dashboard and the OpenAPI description, embedded in the binary (no CDN: it works offline).

use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

const INDEX: &str = include_str!("../assets/index.html");
const OPENAPI: &str = include_str!("../assets/openapi.json");

/// (name under /assets/, content type, bytes).
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/style.css"),
    ),
    ("favicon.svg", "image/svg+xml", include_bytes!("../assets/favicon.svg")),
    (
        "countries-110m.json",
        "application/json",
        include_bytes!("../assets/vendor/world-atlas/countries-110m.json"),
    ),
];

fn with_type(content_type: &'static str, cache: &'static str, body: impl IntoResponse) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

pub async fn index() -> Response {
    with_type("text/html; charset=utf-8", "no-cache", INDEX)
}

pub async fn file(Path(name): Path<String>) -> Result<Response, ApiError> {
    FILES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, ct, bytes)| with_type(ct, "no-cache", *bytes))
        .ok_or_else(|| ApiError::not_found(format!("no asset {name:?}")))
}

pub async fn favicon() -> Response {
    let (_, ct, bytes) = FILES[2];
    with_type(ct, "max-age=86400", bytes)
}

pub async fn openapi() -> Response {
    with_type("application/json", "no-cache", OPENAPI)
}
