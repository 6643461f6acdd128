//! The one web error type, how each application error maps to an HTTP status, and the two ways
//! an error is shown: an HTML page for people, a JSON envelope for `/api/`.
//!
//! | error | status | code |
//! |---|---|---|
//! | malformed query parameter | 400 | `bad_request` |
//! | a compressed request body (`Content-Encoding`) | 415 | `unsupported` |
//! | `AppError::BadInput` | 422 | `bad_input` |
//! | unknown case, page or route | 404 | `not_found` |
//! | `AppError::Refused` | 409 | `refused` (the message names the rule) |
//! | `AppError::Conflict` | 409 | `conflict` |
//! | no or bad credentials (`AppError::Unauthorized`) | 401 | `unauthorized` |
//! | a missing or wrong CSRF token, a role that does not allow it | 403 | `forbidden` |
//! | an upload over a limit (`AppError::TooLarge`) | 413 | `too_large` |
//! | no master key for confidential data (`AppError::Unavailable`) | 503 | `confidential_unavailable` |
//! | sign-in locked after too many failures (`AppError::Throttled`) | 429 | `too_many_requests` |
//! | wrong method | 405 | `method_not_allowed` |
//! | `AppError::Integrity`, `AppError::Store`, anything internal | 500 | `internal` |
//!
//! Invariant: internal details (store errors, integrity failures, template errors) are logged
//! here and never sent to a client, who gets a generic message.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rrm_app::AppError;

use crate::i18n::Lang;
use crate::Web;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// A query parameter that does not parse; the text names it.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    /// A missing or wrong CSRF token; the text says what to do.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Unauthorized(String),
    /// A request body in a form the server does not take (a `Content-Encoding`); the text
    /// says which.
    #[error("{0}")]
    Unsupported(String),
    #[error(transparent)]
    App(#[from] AppError),
    /// A bug or an outage on our side; the text is logged, not shown.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<rrm_store::StoreError> for WebError {
    fn from(e: rrm_store::StoreError) -> WebError {
        WebError::App(e.into())
    }
}

/// What a client is told about an error: carried in the response's extensions so the HTML
/// error page can be rendered later with the request's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// For a refusal, the id of the rule that refused.
    pub rule: Option<String>,
}

const GENERIC: &str = "Something went wrong on our side. The error has been logged.";

impl WebError {
    pub fn body(&self) -> ErrorBody {
        use AppError as A;
        let (status, code, message) = match self {
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m.clone()),
            WebError::Unsupported(m) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported", m.clone())
            }
            WebError::NotFound(m) | WebError::App(A::NotFound(m)) => {
                (StatusCode::NOT_FOUND, "not_found", not_found_message(m))
            }
            WebError::App(A::BadInput(m)) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "bad_input", m.clone())
            }
            WebError::App(e @ A::Refused { .. }) => {
                (StatusCode::CONFLICT, "refused", e.to_string())
            }
            WebError::Unauthorized(m) | WebError::App(A::Unauthorized(m)) => {
                (StatusCode::UNAUTHORIZED, "unauthorized", m.clone())
            }
            WebError::Forbidden(m) | WebError::App(A::Forbidden(m)) => {
                (StatusCode::FORBIDDEN, "forbidden", m.clone())
            }
            WebError::App(e @ A::Throttled { .. }) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                e.to_string(),
            ),
            WebError::App(A::TooLarge(m)) => {
                (StatusCode::PAYLOAD_TOO_LARGE, "too_large", m.clone())
            }
            WebError::App(e @ A::Conflict(_)) => (StatusCode::CONFLICT, "conflict", e.to_string()),
            WebError::App(A::Unavailable(m)) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "confidential_unavailable",
                m.clone(),
            ),
            WebError::App(A::Integrity(_) | A::Store(_)) | WebError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                GENERIC.into(),
            ),
        };
        let rule = match self {
            WebError::App(A::Refused { refusal, .. }) => Some(refusal.rule()),
            _ => None,
        };
        ErrorBody {
            status,
            code,
            message,
            rule,
        }
    }
}

fn not_found_message(what: &str) -> String {
    if what.starts_with("no ") {
        what.to_string()
    } else {
        format!("no case `{what}`")
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let body = self.body();
        if body.status.is_server_error() {
            // The only place internal details go: the log, never the response.
            tracing::error!(error = %self, "request failed");
        }
        json_response(body)
    }
}

/// The JSON envelope `{"error": {"code": ..., "message": ...}}`, with `rule` for a refusal.
fn json_response(body: ErrorBody) -> Response {
    let mut error = serde_json::json!({ "code": body.code, "message": body.message });
    if let Some(rule) = &body.rule {
        error["rule"] = rule.as_str().into();
    }
    let mut response = (
        body.status,
        axum::Json(serde_json::json!({ "error": error })),
    )
        .into_response();
    if body.status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response.extensions_mut().insert(body);
    response
}

/// The body for an error response axum made itself (an unknown route, a wrong method).
fn synthesized(status: StatusCode) -> ErrorBody {
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such page"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method not allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "the request is larger than allowed"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("bad_request", "unsupported content type"),
        s if s.is_server_error() => ("internal", GENERIC),
        _ => ("bad_request", "bad request"),
    };
    ErrorBody {
        status,
        code,
        message: message.into(),
        rule: None,
    }
}

/// Marks an error response that is already the page to show (a form shown again with what
/// was wrong), so [`error_pages`] leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct WholePage;

/// An HTML page sent with an error status, kept as it is.
pub fn whole_page(status: StatusCode, html: axum::response::Html<String>) -> Response {
    let mut response = (status, html).into_response();
    response.extensions_mut().insert(WholePage);
    response
}

/// Fallback for unknown routes: a 404 in the shape of the surface asked.
pub async fn not_found() -> WebError {
    WebError::NotFound("no such page".into())
}

/// Gives every error response its final form: under `/api/`, the JSON envelope (also for the
/// bodiless 405s axum produces); elsewhere, the HTML error page in the request's language.
pub async fn error_pages(State(web): State<Web>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let lang = request
        .extensions()
        .get::<Lang>()
        .copied()
        .unwrap_or_default();
    let response = next.run(request).await;
    let status = response.status();
    let whole_page = response.extensions().get::<WholePage>().is_some();
    if whole_page || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let known = response.extensions().get::<ErrorBody>().cloned();
    let body = known.clone().unwrap_or_else(|| synthesized(status));
    if api {
        return if known.is_some() {
            response
        } else {
            json_response(body)
        };
    }
    match web.templates.error_page(lang, &body) {
        Ok(html) => {
            let mut page = (status, axum::response::Html(html)).into_response();
            if let Some(allow) = response.headers().get(header::ALLOW) {
                page.headers_mut().insert(header::ALLOW, allow.clone());
            }
            page
        }
        Err(e) => {
            tracing::error!(error = %e, "error page did not render");
            let mut plain = (status, body.message).into_response();
            plain.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            plain
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_errors_map_to_statuses_and_hide_internals() {
        let cases = [
            (AppError::BadInput("x".into()), 422, "bad_input"),
            (AppError::NotFound("gm".into()), 404, "not_found"),
            (AppError::Conflict("head moved".into()), 409, "conflict"),
            (
                AppError::Integrity("chain broken at 3".into()),
                500,
                "internal",
            ),
            (AppError::Store("disk I/O error".into()), 500, "internal"),
        ];
        for (e, status, code) in cases {
            let body = WebError::App(e).body();
            assert_eq!((body.status.as_u16(), body.code), (status, code));
            assert!(!body.message.contains("chain broken") && !body.message.contains("disk"));
        }
    }

    #[test]
    fn a_refusal_is_a_conflict_that_names_the_rule() {
        let refusal = rrm_core::engine::Refusal::FutureDate {
            kind: rrm_core::event::EventKind::ReviewAccepted,
            date: "2030-01-02".parse().unwrap(),
            today: "2026-01-01".parse().unwrap(),
        };
        let at = "case `gm`".to_string();
        let body = WebError::App(AppError::Refused { at, refusal }).body();
        assert_eq!((body.status.as_u16(), body.code), (409, "refused"));
        assert!(body.message.contains("future_date"), "{}", body.message);
    }
}
