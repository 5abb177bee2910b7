//! `POST /api/v1/batch`: up to [`MAX_PROFILES`] profiles as JSON Lines in, one JSON line per
//! profile out — its top k, or why it was rejected. For more, `lotse batch` streams files of
//! any size (see README, "Batch rankings").
//!
//! A bad line does not fail the request: it gets an `error` line, as a bad row gets a line in
//! the rejects file of `lotse batch`. Errors of the request itself (size, content type, query)
//! are problems, as everywhere in the API.
//!
//! Memory: a batch request holds one of `--batch-concurrency` batch slots from before its body
//! is read until its answer is made (or its work is dropped), so at most that many bodies and
//! answers are in memory at once; beyond it a fast 503. The body goes to the CPU pool as it
//! came (no copy per line), and work whose request has timed out stops between profiles.

use super::extract::{ApiQuery, Params, Top, media_type};
use super::problem::Problem;
use super::{AppState, Slot, Wanted};
use crate::batch::input::parse_json_line;
use crate::batch::top_rows;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Extension, FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Most profiles in one request: a request is answered in well under a second (about 25 ms
/// on two cores) and never holds the server's time limit; more profiles belong in a file for
/// `lotse batch`.
pub const MAX_PROFILES: usize = 1000;

/// Largest request body: room for [`MAX_PROFILES`] profiles of 2 KiB each. Applies to this
/// route only (the API's limit for one profile is far smaller).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

const PROBLEM: &str = "application/problem+json";
const NDJSON: &str = "application/x-ndjson";

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route(
        "/api/v1/batch",
        post(batch).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
    )
}

/// Query parameters of `POST /api/v1/batch`.
#[derive(Deserialize, Debug, Default, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BatchQuery {
    /// Municipalities returned per profile (1–50, default 10).
    #[param(minimum = 1, maximum = 50, default = 10)]
    top: Option<usize>,
}

/// One of a profile's best municipalities.
#[derive(Serialize, Debug, utoipa::ToSchema)]
pub struct BatchRow<'a> {
    /// 1 for the best.
    rank: u32,
    ags: &'a str,
    name: &'a str,
    /// 0–100, as in `POST /api/v1/rank`.
    score: f64,
}

/// Why a line's profile could not be ranked (as `field`/`allowed` in a problem).
#[derive(Serialize, Debug, utoipa::ToSchema)]
pub struct LineError {
    /// The profile field at fault, e.g. `children[1]`; `(profile)` for the line as a whole.
    field: String,
    problem: String,
    /// What would be accepted (may be empty).
    allowed: String,
}

/// One line of the answer: a profile's top rows, or its error.
#[derive(Serialize, Debug, utoipa::ToSchema)]
#[serde(untagged)]
pub enum BatchLine<'a> {
    Ranked {
        /// The line's `profile_id`, else its line number (from 1) in the request.
        #[schema(schema_with = profile_id_schema)]
        profile_id: serde_json::Value,
        /// The best municipalities, best first (fewer than `top` when the profile's hard
        /// limits leave fewer).
        ranked: Vec<BatchRow<'a>>,
    },
    Rejected {
        #[schema(schema_with = profile_id_schema)]
        profile_id: serde_json::Value,
        error: LineError,
    },
}

impl Params for BatchQuery {
    type Checked = Top;
    fn check(self) -> Result<Top, Problem> {
        Top::check(self.top)
    }
}

fn profile_id_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::String))
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .description(Some(
            "The line's `profile_id` (string or number), else its line number from 1",
        ))
        .into()
}

fn too_large(detail: String) -> Problem {
    Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "Content Too Large", detail)
}

/// Ranks up to 1,000 household profiles, one JSON profile per line.
///
/// Each line is a profile as for `POST /api/v1/rank`, optionally with a `profile_id` (string or
/// number). The answer has one line per profile, in order: `{"profile_id", "ranked": [...]}`
/// with its `top` best municipalities, or `{"profile_id", "error": {"field", "problem",
/// "allowed"}}`. Blank lines are skipped. For larger runs use `lotse batch`.
#[utoipa::path(
    post,
    path = "/api/v1/batch",
    tag = "ranking",
    params(BatchQuery),
    request_body(content = String, description = "Household profiles as JSON Lines: one profile (as for /api/v1/rank, plus an optional `profile_id`) per line, at most 1,000 lines and 2 MiB", content_type = "application/x-ndjson"),
    responses(
        (status = 200, description = "JSON Lines: one line per profile, in input order (each line is a `BatchLine`)", body = BatchLine, content_type = "application/x-ndjson"),
        (status = 400, description = "Invalid query string (unknown parameter, `top` out of range), or a body that is empty or not UTF-8", body = Problem, content_type = PROBLEM),
        (status = 413, description = "More than 1,000 profiles, or a body over 2 MiB", body = Problem, content_type = PROBLEM),
        (status = 415, description = "The body is not sent as application/x-ndjson", body = Problem, content_type = PROBLEM),
        (status = 503, description = "The server is at its concurrency limit, as many batches as `--batch-concurrency` allows are being answered, or the request exceeded its time limit (`Retry-After` says when to retry)", body = Problem, content_type = PROBLEM),
    )
)]
pub(crate) async fn batch(
    State(s): State<Arc<AppState>>,
    ApiQuery(top): ApiQuery<BatchQuery>,
    slot: Option<Extension<Slot>>,
    headers: HeaderMap,
    req: Request,
) -> Result<Response, Problem> {
    let top = top.get();
    // A batch slot before the body is read: bodies beyond the limit never reach memory.
    let batch_slot = match &slot {
        Some(Extension(slot)) => Some(slot.batch_slot().ok_or_else(|| {
            super::unavailable(
                "the server is answering as many batches as it answers at once (--batch-concurrency); retry shortly",
            )
        })?),
        None => None,
    };
    let body: Result<Bytes, BytesRejection> = Bytes::from_request(req, &()).await;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(format!(
                "the request body exceeds {MAX_BODY_BYTES} bytes; split it, or use `lotse batch` for files of any size"
            ))
        } else {
            Problem::bad_request(format!("could not read the request body: {}", e.body_text()))
        }
    })?;
    let (ct, mime) = media_type(&headers);
    if !matches!(
        mime.as_str(),
        NDJSON | "application/jsonl" | "application/json-lines"
    ) {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type",
            format!(
                "send the profiles as JSON Lines with Content-Type: {NDJSON} (got {ct:?}); one profile: POST /api/v1/rank"
            ),
        ));
    }
    // Checking, splitting and ranking 1,000 profiles takes tens of milliseconds: off the async
    // workers. The work owns the body and holds both slots; it is dropped unrun if the request
    // is gone (timed out) before a thread takes it up.
    let state = s.clone();
    let out = super::on_cpu_pool((slot, batch_slot), move |wanted| {
        answer(&state, &body, top, wanted)
    })
    .await??;
    Ok(([(header::CONTENT_TYPE, NDJSON)], out).into_response())
}

/// The JSON Lines answer, ranked in parallel, in input order; empty if the request stopped
/// being `wanted` meanwhile.
fn answer(s: &AppState, body: &[u8], top: usize, wanted: &Wanted) -> Result<Vec<u8>, Problem> {
    let text = std::str::from_utf8(body)
        .map_err(|_| Problem::bad_request("the request body is not valid UTF-8"))?;
    let lines: Vec<(u64, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(Problem::bad_request(
            "the request body has no profiles; send one JSON profile per line",
        ));
    }
    if lines.len() > MAX_PROFILES {
        return Err(too_large(format!(
            "{} profiles in one request; at most {MAX_PROFILES} (split them, or use `lotse batch` for files of any size)",
            lines.len()
        )));
    }
    let ranker = s.ranker();
    let parts: Vec<Vec<u8>> = lines
        .par_iter()
        .map(|(n, line)| {
            // Nobody waits for the answer any more (timed out): the rest is not ranked.
            if !wanted.still() {
                return Vec::new();
            }
            let (id, parsed) = parse_json_line(line);
            let profile_id = id.unwrap_or_else(|| serde_json::Value::from(*n));
            let out = match parsed.and_then(|p| top_rows(ranker, &p, top, false)) {
                Ok(rows) => BatchLine::Ranked {
                    profile_id,
                    ranked: rows
                        .iter()
                        .map(|r| BatchRow {
                            rank: r.rank,
                            ags: r.ags,
                            name: r.name,
                            score: r.score,
                        })
                        .collect(),
                },
                Err(e) => BatchLine::Rejected {
                    profile_id,
                    error: LineError {
                        field: e.field,
                        problem: e.problem,
                        allowed: e.allowed,
                    },
                },
            };
            let mut v = serde_json::to_vec(&out).unwrap_or_default();
            v.push(b'\n');
            v
        })
        .collect();
    Ok(parts.concat())
}
