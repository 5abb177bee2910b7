//! The API's extractors: what a handler gets from a request (query parameters, a municipality
//! in the path, a household profile in the body) read once, checked once, and refused as a
//! [`Problem`] here, in one place, instead of in every handler.
//!
//! Precedence, as handlers take them: the path, then the query string (parsed, then its ranges
//! such as `top`), then the body (size, content type, emptiness, UTF-8, then the profile).
//! A profile body is parsed once; only a body the typed parser refuses is looked at again, to
//! tell malformed JSON (400) from a well-formed body that is not a valid profile (422). (The
//! profile inside compare's `{ags, profile}` goes through the profile's own parser a second
//! time, so that its errors name the field as in a profile alone.)

use super::problem::Problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use scoring::{Profile, RankOptions};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Query parameters that are checked beyond their types once parsed (ranges), into what the
/// handler uses.
pub trait Params: DeserializeOwned + Send {
    /// The parameters as the handler uses them, every range checked.
    type Checked: Send;
    /// Checks the parsed parameters; the problem names the parameter at fault.
    fn check(self) -> Result<Self::Checked, Problem>;
}

/// The query string, parsed into `T` (unknown parameters refused) and checked by
/// [`Params::check`]; a 400 problem otherwise.
pub struct ApiQuery<T: Params>(pub T::Checked);

impl<S: Send + Sync, T: Params> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        // axum's own rejection would be text/plain.
        let Query(q) = Query::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                Problem::bad_request(format!("invalid query string: {}", e.body_text()))
            })?;
        q.check().map(ApiQuery)
    }
}

/// The municipalities and language of `GET /api/v1/compare`: `ags` repeated
/// (`?ags=14612000&ags=14713000`), comma-separated (`?ags=14612000,14713000`) or both, and an
/// optional `lang`. Parsed from the raw query string because a repeated key is what a form or
/// a script naturally sends, and the typed query parser refuses it ("duplicate field").
/// Any other parameter, a repeated `lang` or an unknown language is a 400 naming it.
pub struct CompareTowns {
    pub ags: Vec<String>,
    pub lang: Option<scoring::Lang>,
}

impl<S: Send + Sync> FromRequestParts<S> for CompareTowns {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Problem> {
        let raw = parts.uri.query().unwrap_or("");
        let mut towns = CompareTowns {
            ags: Vec::new(),
            lang: None,
        };
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            match &*key {
                "ags" => towns.ags.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(String::from),
                ),
                "lang" if towns.lang.is_some() => {
                    return Err(Problem::bad_request("lang is given twice")
                        .with_field("lang", "de or en, once"));
                }
                "lang" => {
                    towns.lang = Some(match &*value {
                        "de" => scoring::Lang::De,
                        "en" => scoring::Lang::En,
                        other => {
                            return Err(Problem::bad_request(format!(
                                "lang = {other:?} is not a language lotse speaks"
                            ))
                            .with_field("lang", "de or en"));
                        }
                    });
                }
                other => {
                    return Err(Problem::bad_request(format!(
                        "invalid query string: unknown parameter {other:?}"
                    ))
                    .with_field("query", "ags (repeated or comma-separated) and lang"));
                }
            }
        }
        Ok(towns)
    }
}

/// `top`: how many of the best municipalities an answer explains (`POST /api/v1/rank`) or
/// lists (`POST /api/v1/batch`), checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Top(usize);

impl Top {
    /// Without a `top` parameter.
    pub const DEFAULT: usize = RankOptions::DEFAULT_EXPLAIN_TOP;

    /// `top` as given in a query string (none: [`Top::DEFAULT`]), or a 400 naming it and what
    /// it may be.
    pub fn check(given: Option<usize>) -> Result<Top, Problem> {
        let top = given.unwrap_or(Self::DEFAULT);
        if RankOptions::explain_top_allowed(top) {
            Ok(Top(top))
        } else {
            Err(Problem::bad_request(format!("top = {top} is out of range"))
                .with_field("top", format!("1–{}", RankOptions::MAX_EXPLAIN_TOP)))
        }
    }

    pub fn get(self) -> usize {
        self.0
    }
}

/// The `{ags}` of a path, percent-decoded; a 400 problem naming `ags` when it is not UTF-8
/// once decoded (axum's own rejection would be text/plain). Whether a municipality has it is
/// [`super::AppState::town`]'s question.
pub struct AgsPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for AgsPath {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let Path(ags) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| {
                Problem::bad_request("the AGS in the path is not valid UTF-8 once percent-decoded")
                    .with_field("ags", "an 8-digit AGS, e.g. 14612000")
            })?;
        Ok(AgsPath(ags))
    }
}

/// A JSON request body: within the size limit, sent as `application/json` (or any
/// `application/*+json`), not empty, UTF-8. Not yet parsed.
pub struct JsonBody(pub String);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let (ct, mime) = media_type(req.headers());
        let ct = ct.to_string();
        let body = Bytes::from_request(req, state).await.map_err(|e| {
            let status = e.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(
                    status,
                    "Content Too Large",
                    "the request body exceeds the server's limit",
                )
            } else {
                Problem::bad_request(format!(
                    "could not read the request body: {}",
                    e.body_text()
                ))
            }
        })?;
        if mime != "application/json"
            && !(mime.starts_with("application/") && mime.ends_with("+json"))
        {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported Media Type",
                format!(
                    "send the profile as JSON with Content-Type: application/json (got {ct:?})"
                ),
            ));
        }
        if body.is_empty() {
            return Err(Problem::bad_request(
                "the request body is empty; send a household profile as JSON",
            ));
        }
        // Takes the body's buffer over where it can, without a copy.
        String::from_utf8(Vec::from(body))
            .map(JsonBody)
            .map_err(|_| Problem::bad_request("the request body is not valid UTF-8"))
    }
}

/// The request's `Content-Type` as sent, and its media type alone (lower case, without
/// parameters such as `charset`).
pub(crate) fn media_type(headers: &HeaderMap) -> (&str, String) {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    (ct, mime)
}

/// The problem for a body the typed parser refused, if the body is not JSON at all: 400 with
/// the JSON parser's own message. Asked only after a typed parse failed (a body that parses
/// into a profile is well-formed), so a valid body is parsed once.
fn malformed(text: &str) -> Option<Problem> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .err()
        .map(|e| Problem::bad_request(format!("malformed JSON: {e}")))
}

/// A household profile sent as the JSON body (`POST /api/v1/rank`, `POST
/// /api/v1/municipalities/{ags}/explain`): parsed by [`Profile::parse_json`] (malformed JSON a
/// 400, an unknown or mistyped field a 422 naming it); the ranking that follows validates the
/// ranges, once, with the same 422.
pub struct ProfileBody(pub Profile);

impl<S: Send + Sync> FromRequest<S> for ProfileBody {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let JsonBody(text) = JsonBody::from_request(req, state).await?;
        // Parsed only: the handler ranks it, and ranking validates (once).
        Profile::parse_json(&text)
            .map(ProfileBody)
            .map_err(|e| malformed(&text).unwrap_or_else(|| e.into()))
    }
}

/// Body of `POST /api/v1/compare`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareBody {
    /// 2–6 AGS or unique municipality names.
    #[schema(min_items = 2, max_items = 6)]
    ags: Vec<String>,
    /// The household profile (as for `POST /api/v1/rank`).
    #[schema(value_type = Profile)]
    profile: serde_json::Value,
}

/// A [`CompareBody`] read as the JSON body, its profile parsed (the comparison validates it,
/// once, before it looks at the towns): a body that is not `{ags, profile}` is a 422 saying
/// so, an invalid profile a 422 naming the field (as in the profile alone: `children[1]`, not
/// `profile.children[1]`).
pub struct CompareRequest {
    pub ags: Vec<String>,
    pub profile: Profile,
}

impl<S: Send + Sync> FromRequest<S> for CompareRequest {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let JsonBody(text) = JsonBody::from_request(req, state).await?;
        let body: CompareBody = serde_json::from_str(&text).map_err(|e| {
            malformed(&text).unwrap_or_else(|| {
                Problem::unprocessable(format!(
                    "expected {{\"ags\": [...], \"profile\": {{...}}}}: {e}"
                ))
            })
        })?;
        // The profile's own parser, for its field paths; comparing validates it (once).
        let profile = Profile::parse_json(&body.profile.to_string())?;
        Ok(CompareRequest {
            ags: body.ags,
            profile,
        })
    }
}
