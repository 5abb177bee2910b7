//! Errors as RFC 9457 problem details (`application/problem+json`): every error the API returns
//! says what went wrong and, where a request field is at fault, which one and what is allowed.
//! Bodies never contain paths, internals or backtraces.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One problem, ready to be sent (RFC 9457, `application/problem+json`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status and title say what kind of problem it is.
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: &'static str,
    /// The HTTP status phrase, e.g. `Unprocessable Content`.
    #[schema(example = "Unprocessable Content")]
    pub title: &'static str,
    /// The HTTP status code, repeated.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
    /// The request field at fault (e.g. `children[1]`), if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What would have been accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
    /// For a place that matches no municipality or several: names to pick instead
    /// (`did_you_mean` or `one_of`), each as the field takes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<scoring::profile::Choices>,
    /// Seconds after which a retry may succeed (503).
    #[serde(skip)]
    pub retry_after: Option<u32>,
}

impl Problem {
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
            allowed: None,
            choices: None,
            retry_after: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Bad Request", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not Found", detail)
    }

    pub fn unprocessable(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Unprocessable Content",
            detail,
        )
    }

    pub fn with_field(mut self, field: impl Into<String>, allowed: impl Into<String>) -> Self {
        self.field = Some(field.into());
        let a = allowed.into();
        self.allowed = (!a.is_empty()).then_some(a);
        self
    }

    /// Names to pick instead of a place that matched nothing or several, when there are any.
    pub fn with_choices(mut self, choices: Option<scoring::profile::Choices>) -> Self {
        self.choices = choices;
        self
    }
}

impl From<scoring::ProfileError> for Problem {
    fn from(e: scoring::ProfileError) -> Self {
        let detail = e.to_string();
        Problem::unprocessable(detail)
            .with_field(e.field, e.allowed)
            .with_choices(e.choices)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(s) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        res
    }
}
