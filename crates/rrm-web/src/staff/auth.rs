//! Signing in and out, and the [`Staff`] extractor every staff page takes.
//!
//! The session cookie `rrm_session` is `HttpOnly`, `SameSite=Strict`, `Path=/`, and `Secure`
//! off loopback; it holds a random token whose SHA-256 the store keeps. Signing in always
//! starts a fresh session (deleting the one the browser sent, if any), so a session id planted
//! before sign-in is never promoted. Signing out deletes the session.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use rrm_app::{AppError, StaffSession, SESSION_HOURS};
use rrm_store::Confidential;

use crate::error::{whole_page, WebError};
use crate::page::Page;
use crate::upload::field;
use crate::{cookies, csrf, Web};

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
        csrf::check_session(sent, &self.session)
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
        let token = cookies::get(&parts.headers, cookies::SESSION).ok_or_else(to_login)?;
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

/// `GET /staff/login`
pub async fn login_form(
    State(web): State<Web>,
    page: Page,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let (token, cookie) = csrf::form_token(&web, &headers)?;
    let html = web.html("staff_login.html", &page, context! { csrf => token })?;
    Ok(cookies::attach(html.into_response(), cookie))
}

/// `POST /staff/login`
pub async fn login(
    State(web): State<Web>,
    page: Page,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let value = |name: &str| field(&fields, name).unwrap_or("").to_string();
    let token = value("csrf");
    csrf::check_double_submit(&headers, Some(&token))?;
    let (email, password) = (value("email"), Confidential::new(value("password")));
    let previous = cookies::get(&headers, cookies::SESSION);
    let result = web
        .blocking(move |w| {
            Ok(w.rrm()
                .login(&email, &password, previous.as_deref(), w.now())?)
        })
        .await;
    match result {
        Ok(login) => {
            let value = login.token.expose();
            let cookie = cookies::set(
                &web,
                &headers,
                cookies::SESSION,
                value,
                SESSION_HOURS * 3600,
            );
            Ok(cookies::attach(
                Redirect::to("/staff").into_response(),
                Some(cookie),
            ))
        }
        Err(WebError::App(AppError::Unauthorized(_))) => {
            let ctx = context! { csrf => token, problem => true };
            let html = web.html("staff_login.html", &page, ctx)?;
            Ok(whole_page(StatusCode::UNAUTHORIZED, html))
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
    let gone = cookies::set(&web, &headers, cookies::SESSION, "", 0);
    let mut response = Redirect::to("/staff/login").into_response();
    response.headers_mut().append(header::SET_COOKIE, gone);
    Ok(response)
}
