//! The HTTP client `object_store`'s S3 code speaks through: hyper with rustls on ring,
//! trusting the system's certificate authorities.
//!
//! Why not object_store's reqwest connector: reqwest with TLS either builds aws-lc-rs (its
//! `rustls` feature) or, with `rustls-no-provider`, panics when *any* reqwest client in the
//! process is built before a crypto provider is installed — and cargo unifies features, so
//! every reqwest client of the workspace (the web tests' among them) would inherit that.
//! Here the provider is passed to this one connector and nothing global changes.
//!
//! Invariants kept here: plain HTTP only when the endpoint is `http://` (a local server);
//! every request is bounded by a connect timeout and a whole-request timeout, reported as
//! the kinds object_store retries.

use std::time::Duration;

use http_body_util::BodyExt;
use hyper_util::client::legacy::connect::HttpConnector as PlainConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use object_store::client::{
    HttpClient, HttpConnector, HttpError, HttpErrorKind, HttpRequest, HttpRequestBody,
    HttpResponse, HttpResponseBody, HttpService,
};
use object_store::ClientOptions;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// Makes [`Hyper`] clients for object_store.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HyperConnector {
    /// Whether `http://` URLs may be used (a local endpoint); otherwise HTTPS only.
    pub(crate) allow_http: bool,
}

/// One hyper client: pooled connections over TLS (or plain HTTP to a local endpoint).
#[derive(Debug)]
struct Hyper {
    client: Client<hyper_rustls::HttpsConnector<PlainConnector>, HttpRequestBody>,
}

impl HttpConnector for HyperConnector {
    fn connect(&self, _options: &ClientOptions) -> object_store::Result<HttpClient> {
        let tls = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| object_store::Error::Generic {
                store: "S3",
                source: format!("cannot load the system's certificate authorities: {e}").into(),
            })?;
        let tls = match self.allow_http {
            true => tls.https_or_http(),
            false => tls.https_only(),
        };
        let mut plain = PlainConnector::new();
        plain.set_connect_timeout(Some(CONNECT_TIMEOUT));
        plain.enforce_http(false);
        let connector = tls.enable_http1().wrap_connector(plain);
        let client = Client::builder(TokioExecutor::new()).build(connector);
        Ok(HttpClient::new(Hyper { client }))
    }
}

#[async_trait::async_trait]
impl HttpService for Hyper {
    async fn call(&self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        let sent = tokio::time::timeout(REQUEST_TIMEOUT, self.client.request(req))
            .await
            .map_err(|e| HttpError::new(HttpErrorKind::Timeout, e))?;
        let response = sent.map_err(|e| {
            let kind = match e.is_connect() {
                true => HttpErrorKind::Connect,
                false => HttpErrorKind::Request,
            };
            HttpError::new(kind, e)
        })?;
        let (parts, body) = response.into_parts();
        let body = body.map_err(|e| HttpError::new(HttpErrorKind::Interrupted, e));
        Ok(HttpResponse::from_parts(parts, HttpResponseBody::new(body)))
    }
}
