//! The HTTP client `object_store`'s S3 code speaks through: hyper with rustls on ring,
//! trusting the system's certificate authorities and, if named, those of one more PEM file
//! (`RRM_S3_CA_FILE`: a private MinIO or Ceph behind an internal authority).
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

use std::path::PathBuf;
use std::sync::Arc;
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
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// Makes [`Hyper`] clients for object_store.
#[derive(Debug, Clone)]
pub(crate) struct HyperConnector {
    /// Whether `http://` URLs may be used (a local endpoint); otherwise HTTPS only.
    pub(crate) allow_http: bool,
    /// Certificate authorities trusted beside the system's.
    pub(crate) extra_roots: Option<PathBuf>,
}

fn generic(source: String) -> object_store::Error {
    object_store::Error::Generic {
        store: "S3",
        source: source.into(),
    }
}

impl HyperConnector {
    /// The system's authorities and the extra file's; a file that cannot be read or holds no
    /// certificate is an error naming it, not a silent fallback.
    fn roots(&self) -> object_store::Result<RootCertStore> {
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        if let Some(path) = &self.extra_roots {
            let shown = path.display();
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| generic(format!("cannot read certificates from {shown}: {e}")))?;
            if certs.is_empty() {
                return Err(generic(format!("{shown} holds no PEM certificate")));
            }
            for cert in certs {
                roots
                    .add(cert)
                    .map_err(|e| generic(format!("a certificate in {shown}: {e}")))?;
            }
        }
        Ok(roots)
    }
}

/// One hyper client: pooled connections over TLS (or plain HTTP to a local endpoint).
#[derive(Debug)]
struct Hyper {
    client: Client<hyper_rustls::HttpsConnector<PlainConnector>, HttpRequestBody>,
}

impl HttpConnector for HyperConnector {
    fn connect(&self, _options: &ClientOptions) -> object_store::Result<HttpClient> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| generic(format!("cannot set up TLS: {e}")))?
            .with_root_certificates(self.roots()?)
            .with_no_client_auth();
        let tls = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(config);
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
            // hyper's own message is only "client error (Connect)": the cause (refused,
            // an untrusted certificate) is further down the chain, and the operator needs it.
            HttpError::new(kind, std::io::Error::other(with_causes(&e)))
        })?;
        let (parts, body) = response.into_parts();
        let body = body.map_err(|e| HttpError::new(HttpErrorKind::Interrupted, e));
        Ok(HttpResponse::from_parts(parts, HttpResponseBody::new(body)))
    }
}

/// An error's message followed by each of its causes'.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
