//! A cache of rendered public list responses (`/cases`, `/api/v1/cases`), already compressed.
//!
//! Filtering 10,000 cases, counting every facet and rendering the page cost ~5 ms a request;
//! the same answer is asked for again and again. A rendered body depends only on the route,
//! the query, the language, whether the client takes gzip, the store's version and "today",
//! so it is cached under exactly those and the whole cache is dropped when the version or the
//! date moves. Only public, session-free responses go here: nothing user-specific is cached.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

/// At most this many bodies are kept; when full the cache starts over (queries are few).
const CAPACITY: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub route: &'static str,
    pub query: Option<String>,
    pub lang: &'static str,
    pub gzip: bool,
}

/// A response body ready to send.
#[derive(Debug, Clone)]
pub struct Body {
    bytes: Bytes,
    content_type: &'static str,
    gzip: bool,
}

impl Body {
    /// Compresses `text` when the client takes gzip.
    pub fn new(text: String, content_type: &'static str, gzip: bool) -> Body {
        let bytes = if gzip {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let compressed = encoder
                .write_all(text.as_bytes())
                .and_then(|()| encoder.finish());
            match compressed {
                Ok(bytes) => Bytes::from(bytes),
                Err(_) => return Body::new(text, content_type, false),
            }
        } else {
            Bytes::from(text)
        };
        Body {
            bytes,
            content_type,
            gzip,
        }
    }
}

impl IntoResponse for Body {
    fn into_response(self) -> Response {
        let mut response = self.bytes.into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if self.gzip {
            // The compression layer leaves a response that already has an encoding alone.
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    }
}

/// Whether the request's `Accept-Encoding` admits gzip.
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}

#[derive(Debug, Default)]
pub struct Rendered {
    inner: Mutex<Generation>,
}

#[derive(Debug, Default)]
struct Generation {
    stamp: Option<(u64, NaiveDate)>,
    bodies: HashMap<Key, Body>,
}

impl Rendered {
    pub fn get(&self, version: u64, today: NaiveDate, key: &Key) -> Option<Body> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.stamp != Some((version, today)) {
            return None;
        }
        inner.bodies.get(key).cloned()
    }

    pub fn put(&self, version: u64, today: NaiveDate, key: Key, body: Body) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.stamp != Some((version, today)) || inner.bodies.len() >= CAPACITY {
            inner.bodies.clear();
            inner.stamp = Some((version, today));
        }
        inner.bodies.insert(key, body);
    }
}

impl crate::Web {
    /// Serves a public, session-free response from the cache, rendering it on a miss.
    pub(crate) async fn cached<F>(
        &self,
        key: Key,
        content_type: &'static str,
        render: F,
    ) -> Result<Response, crate::WebError>
    where
        F: FnOnce(&crate::Web) -> Result<String, crate::WebError> + Send + 'static,
    {
        let today = self.today();
        // The common case, a hit, is answered here without a hop to the blocking pool when
        // the store can tell its version at once.
        if let Some(version) = self.rrm().store.try_version() {
            if let Some(body) = self.rendered.get(version?, today, &key) {
                return Ok(body.into_response());
            }
        }
        let body = self
            .blocking(move |web| {
                let version = web.rrm().store.version()?;
                if let Some(body) = web.rendered.get(version, today, &key) {
                    return Ok(body);
                }
                let body = Body::new(render(web)?, content_type, key.gzip);
                web.rendered.put(version, today, key, body.clone());
                Ok(body)
            })
            .await?;
        Ok(body.into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(query: &str) -> Key {
        Key {
            route: "cases",
            query: Some(query.into()),
            lang: "en",
            gzip: false,
        }
    }

    #[test]
    fn a_body_is_served_only_for_the_version_and_day_it_was_rendered_for() {
        let cache = Rendered::default();
        let day: NaiveDate = "2026-11-23".parse().unwrap();
        cache.put(
            7,
            day,
            key("stage=resolved"),
            Body::new("a".into(), "text/html", false),
        );
        assert!(cache.get(7, day, &key("stage=resolved")).is_some());
        assert!(
            cache.get(7, day, &key("stage=closed")).is_none(),
            "other query"
        );
        assert!(
            cache.get(8, day, &key("stage=resolved")).is_none(),
            "store changed"
        );
        assert!(
            cache
                .get(7, day.succ_opt().unwrap(), &key("stage=resolved"))
                .is_none(),
            "new day"
        );
    }

    #[test]
    fn gzip_is_taken_unless_refused() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip;q=0.8"),
        );
        assert!(accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0, identity"),
        );
        assert!(!accepts_gzip(&h));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
