//! CSRF protection. Public forms and the sign-in form (no session yet) use a double-submit
//! token: a random value in the `rrm_csrf` cookie and the same value in a hidden field; a
//! cross-site page can make a browser send the cookie but cannot read it to fill the field.
//! Staff forms carry the session's synchronizer token, stored with the session; the
//! second-factor form, its pending sign-in's.
//!
//! A missing or wrong token is a 403 that says what to do, checked before anything is stored.

use axum::http::{HeaderMap, HeaderValue};
use subtle::ConstantTimeEq;

use crate::cookies::{self, Name};
use crate::error::WebError;
use crate::Web;

pub const REFUSED: &str = "the form's security token is missing or does not match: reload \
                           the page and submit the form again";

/// Whether two tokens are equal, in time independent of where they differ. Empty never matches.
pub fn matches(sent: &str, expected: &str) -> bool {
    !expected.is_empty() && bool::from(sent.as_bytes().ct_eq(expected.as_bytes()))
}

/// The double-submit token for a form page: the browser's, if it has a well-formed one, else
/// a new one with the cookie that carries it.
pub fn form_token(
    web: &Web,
    headers: &HeaderMap,
) -> Result<(String, Option<HeaderValue>), WebError> {
    if let Some(token) = cookies::get(web, headers, Name::Csrf).filter(|t| well_formed(t)) {
        return Ok((token, None));
    }
    let token = rrm_app::secrets::new_token("")?.into_inner();
    // A session-length cookie: the token only has to outlive the form.
    let cookie = cookies::set(web, headers, Name::Csrf, &token, 12 * 3600);
    Ok((token, Some(cookie)))
}

fn well_formed(token: &str) -> bool {
    token.len() == 52 && token.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Checks a submitted double-submit token against the cookie.
pub fn check_double_submit(
    web: &Web,
    headers: &HeaderMap,
    sent: Option<&str>,
) -> Result<(), WebError> {
    let cookie = cookies::get(web, headers, Name::Csrf).unwrap_or_default();
    match sent {
        Some(sent) if matches(sent, &cookie) => Ok(()),
        _ => Err(WebError::Forbidden(REFUSED.into())),
    }
}

/// Checks a staff form's token against its session's (or its pending sign-in's).
pub fn check_session(sent: Option<&str>, expected: &str) -> Result<(), WebError> {
    match sent {
        Some(sent) if matches(sent, expected) => Ok(()),
        _ => Err(WebError::Forbidden(REFUSED.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_only_exactly() {
        assert!(matches("abc", "abc"));
        assert!(!matches("abd", "abc") && !matches("ab", "abc") && !matches("", ""));
    }
}
