//! rrm's web application: the public portal, rendered on the server in English and Spanish,
//! the public petition form and status check (`petitions/`), the staff workspace (`staff/`),
//! the partner portal for counterparts and respondents (`partners/`), and the JSON API
//! (`/api/v1/`), documented by a generated OpenAPI document.
//!
//! Architecture invariants:
//! - Time is an input: "today" and "now" come from [`AppState`]; nothing here reads the clock.
//! - Confidential data never leaves: every public read of a case goes through [`public`],
//!   which answers "no case" for an unpublished one and drops petitioners who are not public,
//!   before any page, API response or download sees it; public listings ask the store for
//!   published cases only; a petition's submission is read only under `staff/`, behind a
//!   session; and request logs carry only method, route template, status and latency.
//! - Every state-changing form carries a CSRF token: double-submit (cookie and field) on the
//!   public forms and the sign-in form, the session's synchronizer token on staff forms.
//! - Handlers parse, call and render. Store work runs on the blocking pool
//!   ([`Web::blocking`]) because the store is synchronous.
//! - Only `api/types*.rs` define JSON shapes; domain types are never serialized directly.

pub mod api;
mod assets;
mod charts;
mod client;
mod cookies;
mod csrf;
mod downloads;
mod error;
mod http;
pub mod i18n;
mod listing;
mod metrics;
mod page;
mod pages;
mod partners;
mod petitions;
pub mod policy;
pub mod public;
mod render;
mod rendered;
mod search;
mod staff;
mod stats;
mod upload;

use std::future::Future;
use std::sync::Arc;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};
use tower_http::compression::CompressionLayer;

pub use client::TrustedProxies;
pub use error::WebError;

/// What the web application needs from its host: the application services, the clock, and
/// whether cookies must be `Secure`.
#[derive(Clone)]
pub struct AppState {
    pub rrm: rrm_app::Rrm,
    /// The server's "today", injected so tests (and replays of the past) choose it.
    pub today: Arc<dyn Fn() -> NaiveDate + Send + Sync>,
    /// The server's "now", for sessions and time stamps; injected like `today`.
    pub now: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    /// Mark every cookie `Secure`. Without it cookies are `Secure` unless the request came to
    /// a loopback host (`localhost`, `127.0.0.1`, `[::1]`), where plain HTTP is expected.
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` names the client (for login throttling); none by
    /// default, so the socket's peer is the client.
    pub trusted_proxies: TrustedProxies,
    /// The search indexes (public and staff), kept up to date by the host; `None` serves
    /// search pages that say search is unavailable.
    pub search: Option<Arc<rrm_search::Indexer>>,
}

/// The router's state: the host's state plus what the web layer builds once at start.
#[derive(Clone)]
pub struct Web {
    pub app: AppState,
    templates: Arc<render::Templates>,
    catalogs: Arc<i18n::Catalogs>,
    metrics: Arc<metrics::Metrics>,
    index: Arc<listing::Cache>,
    rendered: Arc<rendered::Rendered>,
    openapi: Arc<String>,
}

impl Web {
    fn new(app: AppState, openapi: String) -> Web {
        let catalogs = Arc::new(i18n::Catalogs::shipped());
        Web {
            app,
            templates: Arc::new(render::Templates::new(catalogs.clone())),
            catalogs,
            metrics: Arc::new(metrics::Metrics::default()),
            index: Arc::new(listing::Cache::default()),
            rendered: Arc::new(rendered::Rendered::default()),
            openapi: Arc::new(openapi),
        }
    }

    pub fn rrm(&self) -> &rrm_app::Rrm {
        &self.app.rrm
    }

    pub fn today(&self) -> NaiveDate {
        (self.app.today)()
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.app.now)()
    }

    /// Every case in the index (cached until the store changes).
    pub(crate) fn entries(&self) -> Result<Arc<Vec<listing::Entry>>, WebError> {
        self.index.entries(self.rrm())
    }

    /// The catalog's name for a data code (`outcome.remediated`), else the code itself: data
    /// may carry codes newer than the catalog.
    pub(crate) fn label(&self, lang: i18n::Lang, prefix: &str, code: &str) -> String {
        if prefix.is_empty() {
            return code.to_string();
        }
        let key = format!("{prefix}.{code}");
        self.catalogs.text(lang, &key).unwrap_or(code).to_string()
    }

    /// Runs synchronous store work off the async workers.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Web) -> Result<T, WebError> + Send + 'static,
    {
        let web = self.clone();
        tokio::task::spawn_blocking(move || f(&web))
            .await
            .map_err(|e| WebError::Internal(format!("blocking task failed: {e}")))?
    }
}

/// The site's routes outside the API, with their recorded paths.
fn site_routes() -> policy::Routes {
    policy::Routes::new()
        .merge(pages::routes())
        .merge(petitions::routes())
        .merge(staff::routes())
        .merge(partners::routes())
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics_text))
        .route("/assets/{file}", get(assets::serve))
}

/// The route template of every route the router serves, site and API: what the authorization
/// matrix test walks. Each must have a rule in [`policy::RULES`].
pub fn route_paths() -> Vec<String> {
    let mut paths: Vec<String> = site_routes()
        .paths()
        .iter()
        .map(|p| p.to_string())
        .collect();
    let (_, doc) = api::routes().split_for_parts();
    paths.extend(doc.paths.paths.keys().cloned());
    paths.sort();
    paths.dedup();
    paths
}

/// Every route of the site and the API, with the layers every response passes through.
pub fn router(state: AppState) -> Router {
    let (api, doc) = api::routes().split_for_parts();
    let openapi = doc
        .to_pretty_json()
        .expect("the OpenAPI document serializes");
    let web = Web::new(state, openapi);
    site_routes()
        .into_router()
        .merge(api)
        .fallback(error::not_found)
        // Layers run outside-in from the last one added: trace, compression, metrics,
        // security headers, language, error pages, then the refusal of compressed request
        // bodies closest to the handlers.
        .layer(from_fn(http::refuse_encoded_bodies))
        .layer(from_fn_with_state(web.clone(), error::error_pages))
        .layer(from_fn(page::negotiate))
        .layer(from_fn_with_state(web.clone(), http::security_headers))
        .layer(from_fn_with_state(web.clone(), metrics::record))
        .layer(CompressionLayer::new())
        .layer(http::trace_layer())
        // The access policy, inside each route, reads the state from here.
        .layer(axum::Extension(web.clone()))
        .with_state(web)
}

async fn metrics_text(
    axum::extract::State(web): axum::extract::State<Web>,
) -> impl axum::response::IntoResponse {
    let content_type = "text/plain; version=0.0.4; charset=utf-8";
    (
        [(axum::http::header::CONTENT_TYPE, content_type)],
        web.metrics.render(),
    )
}

/// Serves the application on an already-bound listener until `shutdown` completes, then
/// finishes in-flight requests. Taking the listener lets tests bind port 0.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer's address reaches handlers (`client::ClientAddr`) for login throttling.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
