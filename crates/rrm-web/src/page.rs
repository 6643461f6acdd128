//! Choosing a request's language and what every page knows about its own address.
//!
//! The language is `?lang=` (which also sets a cookie so it sticks), else the `lang` cookie,
//! else the best of `Accept-Language`, else English. Responses say they vary on both headers,
//! so a shared cache never serves one reader's language to another.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::i18n::Lang;

/// The `?lang=` value of a query string, if it names a language.
fn query_lang(query: Option<&str>) -> Option<Lang> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query?).ok()?;
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(v))
}

fn cookie_lang(headers: &axum::http::HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang=").and_then(Lang::parse))
}

/// Middleware: decides the language, puts it in the request's extensions, and keeps a choice
/// made with `?lang=` in a cookie.
pub async fn negotiate(mut request: Request, next: Next) -> Response {
    let asked = query_lang(request.uri().query());
    let remembered = cookie_lang(request.headers());
    let lang = asked
        .or(remembered)
        .or_else(|| {
            request
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default();
    request.extensions_mut().insert(lang);
    // The API and the assets read the same in every language: no cookie, no Vary, so caches
    // keep one copy of each.
    let path = request.uri().path();
    let neutral = path.starts_with("/api/") || path.starts_with("/assets/");
    let mut response = next.run(request).await;
    if neutral {
        return response;
    }
    let headers = response.headers_mut();
    if let Some(l) = asked.filter(|l| Some(*l) != remembered) {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
            l.code()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    // One Vary header listing everything the response varies on (a cached list body already
    // says accept-encoding).
    let vary = match headers.get(header::VARY).and_then(|v| v.to_str().ok()) {
        Some(existing) => format!("{existing}, accept-language, cookie"),
        None => "accept-language, cookie".to_string(),
    };
    if let Ok(v) = HeaderValue::from_str(&vary) {
        headers.insert(header::VARY, v);
    }
    response
}

/// What a page handler knows about the request: its language and its own address, for the
/// language switch and the navigation's current-page marker.
#[derive(Debug, Clone)]
pub struct Page {
    pub lang: Lang,
    pub path: String,
    /// This page in the other language: the same query with `lang` replaced.
    pub switch_href: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Page, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let path = parts.uri.path().to_string();
        Ok(Page {
            switch_href: with_lang(&path, parts.uri.query(), lang.other()),
            path,
            lang,
        })
    }
}

/// `path?query` with `lang` set to `lang` and every other parameter kept.
pub fn with_lang(path: &str, query: Option<&str>, lang: Lang) -> String {
    let mut pairs: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    pairs.retain(|(k, _)| k != "lang");
    pairs.push(("lang".into(), lang.code().into()));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("{path}?{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_link_keeps_other_parameters() {
        assert_eq!(
            with_lang("/cases", Some("stage=resolved&lang=en&page=2"), Lang::Es),
            "/cases?stage=resolved&page=2&lang=es"
        );
        assert_eq!(with_lang("/", None, Lang::En), "/?lang=en");
    }

    #[test]
    fn the_query_and_cookie_name_a_language() {
        assert_eq!(query_lang(Some("a=1&lang=es")), Some(Lang::Es));
        assert_eq!(query_lang(Some("lang=fr")), None);
        let mut h = axum::http::HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("x=1; lang=es"));
        assert_eq!(cookie_lang(&h), Some(Lang::Es));
    }
}
