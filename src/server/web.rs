//! The web page: static files compiled into the binary (no CDN, no tile server; works offline).

use super::AppState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, get};
use std::sync::Arc;

/// The files change only with a new binary: browsers may reuse them for five minutes.
const CACHE: &str = "public, max-age=300";

const HTML: &str = "text/html; charset=utf-8";

/// Each path with its media type and the file, compiled in.
const FILES: &[(&str, &str, &str)] = &[
    ("/", HTML, include_str!("../../web/index.html")),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/app.js"),
    ),
    (
        "/style.css",
        "text/css; charset=utf-8",
        include_str!("../../web/style.css"),
    ),
    (
        "/accessibility",
        HTML,
        include_str!("../../web/accessibility.html"),
    ),
];

/// GET answering with one compiled-in file.
fn file(content_type: &'static str, body: &'static str) -> MethodRouter<Arc<AppState>> {
    get(move || async move {
        (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, CACHE),
            ],
            body,
        )
            .into_response()
    })
}

pub fn routes() -> Router<Arc<AppState>> {
    FILES
        .iter()
        .fold(Router::new(), |r, &(path, content_type, body)| {
            r.route(path, file(content_type, body))
        })
}
