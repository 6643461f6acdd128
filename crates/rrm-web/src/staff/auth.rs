//! Signing in (the password step) and out, and the [`Staff`] extractor every staff page takes.
//!
//! The session cookie (`__Host-rrm_session` over HTTPS, `rrm_session` on a loopback host) is
//! `HttpOnly`, `SameSite=Strict`, `Path=/`; it holds a random token whose SHA-256 the store
//! keeps. A right password does not sign in: it makes a pending sign-in (its own cookie,
//! 10 minutes) that opens only the second-factor page (`verify.rs`), which makes the session.
//! Signing in deletes the session and pending sign-in the browser sent, so an id planted
//! before sign-in is never promoted; signing out deletes the session, so its cookie is dead.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, Utc};
use minijinja::context;
use rrm_app::{AppError, Previous, StaffSession, PENDING_MINUTES};
use rrm_store::Confidential;

use crate::client::ClientAddr;
use crate::cookies::{self, Name};
use crate::error::{whole_page, WebError};
use crate::page::Page;
use crate::upload::field;
use crate::{csrf, Web};

/// A signed-in account, with the cookie's token. Which roles reach a handler that takes it is
/// the route's rule ([`crate::policy`]), checked before the handler runs.
#[derive(Clone)]
pub struct Staff {
    pub session: StaffSession,
    pub token: String,
}

impl Staff {
    /// Checks a form's CSRF token against the session's.
    pub fn check(&self, sent: Option<&str>) -> Result<(), WebError> {
        csrf::check_session(sent, self.session.csrf_token.expose())
    }
}

impl FromRequestParts<Web> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, web: &Web) -> Result<Staff, Response> {
        // The policy layer has already found the session.
        if let Some(found) = parts.extensions.get::<Staff>() {
            return Ok(found.clone());
        }
        let to_login = || Redirect::to("/staff/login").into_response();
        let token = cookies::get(web, &parts.headers, Name::Session).ok_or_else(to_login)?;
        let t = token.clone();
        let session = web
            .blocking(move |w| Ok(w.rrm().session(&t, w.now())?))
            .await
            .map_err(IntoResponse::into_response)?;
        session
            .map(|session| Staff { session, token })
            .ok_or_else(to_login)
    }
}

/// Why the sign-in form is shown again.
pub(super) enum Problem {
    WrongPassword,
    Locked(DateTime<Utc>),
}

/// The sign-in form, fresh or with a problem (401 for a wrong password, 429 while locked,
/// with `Retry-After`).
pub(super) fn login_page(
    web: &Web,
    page: &Page,
    headers: &HeaderMap,
    problem: Option<Problem>,
) -> Result<Response, WebError> {
    let (token, cookie) = csrf::form_token(web, headers)?;
    let (status, failed, locked_until) = match &problem {
        None => (StatusCode::OK, false, None),
        Some(Problem::WrongPassword) => (StatusCode::UNAUTHORIZED, true, None),
        Some(Problem::Locked(until)) => (
            StatusCode::TOO_MANY_REQUESTS,
            false,
            Some(until.format("%H:%M").to_string()),
        ),
    };
    let ctx = context! { csrf => token, failed => failed, locked_until => locked_until };
    let mut response = whole_page(status, web.html("staff_login.html", page, ctx)?);
    if let Some(Problem::Locked(until)) = problem {
        let seconds = (until - web.now()).num_seconds().max(1);
        if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    Ok(cookies::attach(response, cookie))
}

/// `GET /staff/login`
pub async fn login_form(
    State(web): State<Web>,
    page: Page,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    login_page(&web, &page, &headers, None)
}

/// `POST /staff/login`: the password step.
pub async fn login(
    State(web): State<Web>,
    page: Page,
    headers: HeaderMap,
    ClientAddr(client): ClientAddr,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let value = |name: &str| field(&fields, name).unwrap_or("").to_string();
    csrf::check_double_submit(&web, &headers, Some(&value("csrf")))?;
    let (email, password) = (value("email"), Confidential::new(value("password")));
    let session = cookies::get(&web, &headers, Name::Session);
    let pending = cookies::get(&web, &headers, Name::Pending);
    let result = web
        .blocking(move |w| {
            let previous = Previous {
                session: session.as_deref(),
                pending: pending.as_deref(),
            };
            Ok(w.rrm()
                .sign_in_password(&email, &password, client, previous, w.now())?)
        })
        .await;
    match result {
        Ok(step) => {
            let mut response = Redirect::to("/staff/login/verify").into_response();
            let pending = cookies::set(
                &web,
                &headers,
                Name::Pending,
                step.token.expose(),
                PENDING_MINUTES * 60,
            );
            let no_session = cookies::set(&web, &headers, Name::Session, "", 0);
            response.headers_mut().append(header::SET_COOKIE, pending);
            response
                .headers_mut()
                .append(header::SET_COOKIE, no_session);
            Ok(response)
        }
        Err(WebError::App(AppError::Unauthorized(_))) => {
            login_page(&web, &page, &headers, Some(Problem::WrongPassword))
        }
        Err(WebError::App(AppError::Throttled { until })) => {
            login_page(&web, &page, &headers, Some(Problem::Locked(until)))
        }
        Err(e) => Err(e),
    }
}

/// `POST /staff/logout`
pub async fn logout(
    State(web): State<Web>,
    staff: Staff,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.check(field(&fields, "csrf"))?;
    let token = staff.token.clone();
    web.blocking(move |w| Ok(w.rrm().end_session(&token)?))
        .await?;
    let gone = cookies::set(&web, &headers, Name::Session, "", 0);
    let mut response = Redirect::to("/staff/login").into_response();
    response.headers_mut().append(header::SET_COOKIE, gone);
    Ok(response)
}
