//! Cross-cutting HTTP layers: security headers on every response, and request logs.
//!
//! Security invariant: every response, whatever route, status or content type, leaves through
//! [`security_headers`] (it wraps the router, fallback and error pages included).
//!
//! Logging invariant (see `docs/LOGGING.md` when it exists): a request log line carries the
//! method, the route template, the status and the latency, and nothing else. Never the raw URI
//! (its query string may name a petitioner being searched for), never headers (cookies), never
//! a body or form field.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::metrics::route_of;
use crate::Web;

/// Nothing is allowed unless named: scripts, styles, images and fonts from our own origin
/// only (no inline script, no inline style, no `eval`), forms posted only to us, no plugins,
/// no `<base>` rewriting, and no framing by anyone.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
                       img-src 'self'; font-src 'self'; connect-src 'self'; \
                       manifest-src 'self'; form-action 'self'; base-uri 'none'; \
                       frame-ancestors 'none'; object-src 'none'";

/// Browser features no page of rrm uses, switched off so an injected script could not use
/// them either.
const PERMISSIONS: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
                           encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), \
                           magnetometer=(), microphone=(), midi=(), payment=(), \
                           picture-in-picture=(), publickey-credentials-get=(), \
                           screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

/// Two years, the preload list's minimum; no `includeSubDomains`, since other hosts of the
/// operator's domain are not ours to decide for.
const HSTS: &str = "max-age=63072000";

const SECURITY_HEADERS: [(HeaderName, &str); 8] = [
    (header::CONTENT_SECURITY_POLICY, CSP),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    // For browsers that predate CSP's frame-ancestors.
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    // Other sites may read the public API with fetch (CORS is not enabled, so they cannot),
    // but may not embed our responses as images or scripts.
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    ),
    (HeaderName::from_static("permissions-policy"), PERMISSIONS),
    (
        HeaderName::from_static("x-permitted-cross-domain-policies"),
        "none",
    ),
];

/// Adds the security headers to every response (pages, JSON, assets, errors) that does not
/// set them itself, and `Strict-Transport-Security` when the site is served over HTTPS
/// (cookies `Secure`).
pub async fn security_headers(State(web): State<Web>, request: Request, next: Next) -> Response {
    let secure = crate::cookies::is_secure(&web, request.headers());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// Refuses a request whose body is compressed (`Content-Encoding: gzip` or any other), before
/// any handler reads it: nothing here inflates a request body, so a small gzip bomb stays
/// small, and the client is told why (RFC 7694's 415) rather than getting a parse error.
pub async fn refuse_encoded_bodies(request: Request, next: Next) -> Response {
    let encoding = request
        .headers()
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap_or("?").trim().to_ascii_lowercase());
    match encoding.as_deref() {
        None | Some("identity") => next.run(request).await,
        Some(other) => crate::WebError::Unsupported(format!(
            "request bodies are accepted only uncompressed; this one has Content-Encoding `{other}`"
        ))
        .into_response(),
    }
}

type Trace = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    fn(&Request) -> Span,
    (),
    fn(&Response, Duration, &Span),
    (),
    (),
    (),
>;

/// The request log: one span per request (method and route template), one event per response
/// (status and latency).
pub fn trace_layer() -> Trace {
    TraceLayer::new_for_http()
        .make_span_with(request_span as fn(&Request) -> Span)
        .on_request(())
        .on_response(response_event as fn(&Response, Duration, &Span))
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

fn request_span(request: &Request) -> Span {
    tracing::info_span!(
        "request",
        method = %request.method(),
        route = %route_of(request),
    )
}

fn response_event(response: &Response, latency: Duration, _: &Span) {
    tracing::info!(
        status = response.status().as_u16(),
        latency_us = latency.as_micros() as u64,
        "response"
    );
}
