//! Reading and writing cookies: every cookie rrm sets is `HttpOnly`, `SameSite=Strict` and
//! `Path=/`, and `Secure` unless the request came to a loopback host and `--secure-cookies`
//! is off (plain HTTP is expected only on a developer's own machine).
//!
//! A `Secure` cookie carries the `__Host-` prefix (`__Host-rrm_session`), which browsers only
//! accept from a secure origin, for the whole host, without a `Domain`: a sibling subdomain
//! or a man-in-the-middle on plain HTTP cannot plant one. Over HTTPS only the prefixed name
//! is read, so a planted unprefixed cookie is ignored.

use axum::http::{header, HeaderMap, HeaderValue};

use crate::Web;

/// The cookies rrm uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    /// The staff session.
    Session,
    /// A sign-in past its password, waiting for its second factor.
    Pending,
    /// The double-submit CSRF token of the public forms and the sign-in form.
    Csrf,
}

impl Name {
    fn base(self) -> &'static str {
        match self {
            Name::Session => "rrm_session",
            Name::Pending => "rrm_pending",
            Name::Csrf => "rrm_csrf",
        }
    }

    /// The name on the wire: `__Host-` prefixed when the cookie is `Secure`.
    pub fn wire(self, secure: bool) -> String {
        match secure {
            true => format!("__Host-{}", self.base()),
            false => self.base().to_string(),
        }
    }
}

/// The value of cookie `name` as this request's origin names it, if the request sent it.
pub fn get(web: &Web, headers: &HeaderMap, name: Name) -> Option<String> {
    find(headers, &name.wire(is_secure(web, headers)))
}

fn find(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// Whether the request came to a loopback host (by its `Host` header).
fn loopback(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    name == "localhost"
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether cookies (and links the server writes) should be for HTTPS.
pub fn is_secure(web: &Web, headers: &HeaderMap) -> bool {
    web.app.secure_cookies || !loopback(headers)
}

/// A `Set-Cookie` value. `max_age` in seconds; 0 deletes the cookie.
pub fn set(web: &Web, headers: &HeaderMap, name: Name, value: &str, max_age: i64) -> HeaderValue {
    let secure = is_secure(web, headers);
    let flag = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{flag}",
        name.wire(secure)
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static("rrm_invalid=1"))
}

/// Adds a `Set-Cookie` header to a response, if there is one to add.
pub fn attach(
    mut response: axum::response::Response,
    cookie: Option<HeaderValue>,
) -> axum::response::Response {
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("x_rrm_session=no; rrm_session=abc; __Host-rrm_csrf=t"),
        );
        assert_eq!(find(&h, &Name::Session.wire(false)).as_deref(), Some("abc"));
        assert_eq!(
            find(&h, &Name::Session.wire(true)),
            None,
            "unprefixed over HTTPS"
        );
        assert_eq!(find(&h, &Name::Csrf.wire(true)).as_deref(), Some("t"));
        assert_eq!(find(&h, &Name::Csrf.wire(false)), None);
    }

    #[test]
    fn loopback_hosts_are_recognized() {
        for (host, want) in [
            ("localhost:8080", true),
            ("127.0.0.1", true),
            ("[::1]:80", true),
            ("rrm.example.org", false),
            ("127.example.org", false),
        ] {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            assert_eq!(loopback(&h), want, "{host}");
        }
    }
}
