//! `GET /openapi.json`: the OpenAPI 3.1 document of the JSON API, generated from the handlers'
//! `#[utoipa::path]` attributes and the `ToSchema` derives of the types they send and receive
//! (the scoring crate's with its `openapi` feature). Nothing here is written by hand but the
//! list of paths; `tests/openapi.rs` checks that it names every route of the router.
//!
//! The web page (`/`, `/app.js`, `/style.css`) is not part of the API and not documented here.

use super::AppState;
use super::answer::{self, Answer};
use super::api;
use super::batch;
use axum::Router;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use std::sync::{Arc, LazyLock};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "lotse",
        description = "Relocation decision support for Saxony: ranks every municipality for one \
                       household, with reasons and sources. Errors are RFC 9457 problem details \
                       (`application/problem+json`); unknown routes answer 404 and wrong methods \
                       405 the same way."
    ),
    paths(
        api::healthz,
        api::rank,
        api::municipalities,
        api::municipality,
        api::explain_get,
        api::explain_post,
        api::compare_get,
        api::compare_post,
        api::criteria,
        api::sources,
        api::boundaries,
        batch::batch,
        openapi_json,
    ),
    // Named only through a hand-built `oneOf` (a profile's `workplace`: one or a list).
    components(schemas(scoring::profile::Workplace, scoring::profile::LatLon)),
    tags(
        (name = "ranking", description = "Rank and compare municipalities for a household"),
        (name = "atlas", description = "The data lotse ranks over, with sources"),
        (name = "meta", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

/// The document, serialised and compressed once (when the first routes are made).
static DOCUMENT: LazyLock<Arc<Answer>> = LazyLock::new(|| {
    let json = ApiDoc::openapi().to_json().unwrap_or_default();
    Answer::made_once(json.into(), "application/json")
});

pub fn routes() -> Router<Arc<AppState>> {
    // Made now, at start-up, rather than by the first request on an async worker.
    LazyLock::force(&DOCUMENT);
    Router::new().route("/openapi.json", get(openapi_json))
}

/// This OpenAPI document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document of this API (gzip-compressed when the client accepts gzip)", body = Object),
    )
)]
async fn openapi_json(headers: HeaderMap) -> Response {
    answer::respond(&DOCUMENT, answer::accepts_gzip(&headers), None)
}
