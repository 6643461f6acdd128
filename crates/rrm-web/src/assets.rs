//! The site's static files (one stylesheet, one script, one icon), embedded in the binary and
//! served under `/assets/` with a content hash in the name.
//!
//! A hashed name never changes meaning, so it is cached for a year (`immutable`); the plain
//! name is also served, revalidated by ETag, for anyone who bookmarks it. No CDN, no external
//! font: the site works offline from one binary.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::WebError;

pub struct Asset {
    pub name: &'static str,
    /// `app.3f9c2d1e0b.css`
    pub hashed: String,
    pub etag: String,
    pub content_type: &'static str,
    pub body: &'static str,
}

fn asset(name: &'static str, content_type: &'static str, body: &'static str) -> Asset {
    let digest = Sha256::digest(body.as_bytes());
    let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    Asset {
        hashed: format!("{stem}.{hash}.{ext}"),
        etag: format!("\"{hash}\""),
        name,
        content_type,
        body,
    }
}

pub static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    vec![
        asset(
            "app.css",
            "text/css; charset=utf-8",
            include_str!("../assets/app.css"),
        ),
        asset(
            "app.js",
            "text/javascript; charset=utf-8",
            include_str!("../assets/app.js"),
        ),
        asset(
            "icon.svg",
            "image/svg+xml",
            include_str!("../assets/icon.svg"),
        ),
    ]
});

/// The URL of an asset by its plain name, for templates.
pub fn url(name: &str) -> Option<String> {
    ASSETS
        .iter()
        .find(|a| a.name == name)
        .map(|a| format!("/assets/{}", a.hashed))
}

/// `GET /assets/{file}`
pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Result<Response, WebError> {
    let (asset, immutable) = ASSETS
        .iter()
        .find_map(|a| {
            (a.hashed == file)
                .then_some((a, true))
                .or((a.name == file).then_some((a, false)))
        })
        .ok_or_else(|| WebError::NotFound("no such asset".into()))?;
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == asset.etag.as_bytes());
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, asset.content_type)], asset.body).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&asset.etag) {
        h.insert(header::ETAG, etag);
    }
    Ok(response)
}
