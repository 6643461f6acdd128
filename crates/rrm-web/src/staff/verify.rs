//! `GET/POST /staff/login/verify`: the second factor of a sign-in whose password was right.
//! An account without an authenticator sets one up here (the secret, its `otpauth://` URI
//! and a QR code in inline SVG; no script), confirms it with a code, and is shown its
//! recovery codes once; any other account types a code from its app, or a recovery code.
//!
//! The page opens only with a live pending sign-in cookie, and its form carries the pending
//! sign-in's own CSRF token. Completing it replaces the pending cookie by a new session
//! cookie: the session id changes when the second factor completes.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::{context, Value};
use rrm_app::{AppError, Pending, SecondFactor, SignedIn, SESSION_HOURS};

use super::auth::{login_page, Problem};
use crate::client::ClientAddr;
use crate::cookies::{self, Name};
use crate::error::{whole_page, WebError};
use crate::page::Page;
use crate::upload::field;
use crate::{csrf, Web};

fn to_login() -> Response {
    Redirect::to("/staff/login").into_response()
}

/// The live pending sign-in the browser's cookie names.
pub(crate) async fn pending(
    web: &Web,
    headers: &HeaderMap,
) -> Result<Option<(String, Pending)>, WebError> {
    let Some(token) = cookies::get(web, headers, Name::Pending) else {
        return Ok(None);
    };
    let t = token.clone();
    let found = web
        .blocking(move |w| Ok(w.rrm().pending_sign_in(&t, w.now())?))
        .await?;
    Ok(found.map(|p| (token, p)))
}

fn verify_page(
    web: &Web,
    page: &Page,
    pending: &Pending,
    status: StatusCode,
) -> Result<Response, WebError> {
    let enroll = match pending.record.enrollment_secret {
        Some(_) => {
            let e = web.rrm().enrollment(pending)?;
            Some(context! {
                secret => e.secret_base32.expose(),
                uri => e.uri.expose(),
                qr => Value::from_safe_string(e.qr_svg.into_inner()),
            })
        }
        None => None,
    };
    let ctx = context! {
        csrf => pending.record.csrf_token.expose(),
        enroll => enroll,
        failed => status != StatusCode::OK,
        email => pending.user.email.clone(),
    };
    Ok(whole_page(
        status,
        web.html("staff_verify.html", page, ctx)?,
    ))
}

/// `GET /staff/login/verify`
pub async fn show(
    State(web): State<Web>,
    page: Page,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    match pending(&web, &headers).await? {
        Some((_, p)) => verify_page(&web, &page, &p, StatusCode::OK),
        None => Ok(to_login()),
    }
}

/// `POST /staff/login/verify`
pub async fn submit(
    State(web): State<Web>,
    page: Page,
    headers: HeaderMap,
    ClientAddr(client): ClientAddr,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let Some((token, p)) = pending(&web, &headers).await? else {
        return Ok(to_login());
    };
    csrf::check_session(field(&fields, "csrf"), p.record.csrf_token.expose())?;
    let code = field(&fields, "code").unwrap_or("").to_string();
    let t = token.clone();
    let result = web
        .blocking(move |w| Ok(w.rrm().sign_in_code(&t, &code, client, w.now())?))
        .await;
    match result {
        Ok(signed_in) => Ok(signed_in_response(&web, &page, &headers, signed_in)?),
        Err(WebError::App(AppError::Unauthorized(_))) => match pending(&web, &headers).await? {
            Some((_, p)) => verify_page(&web, &page, &p, StatusCode::UNAUTHORIZED),
            None => Ok(to_login()),
        },
        Err(WebError::App(AppError::Throttled { until })) => {
            let response = login_page(&web, &page, &headers, Some(Problem::Locked(until)))?;
            let gone = cookies::set(&web, &headers, Name::Pending, "", 0);
            Ok(cookies::attach(response, Some(gone)))
        }
        Err(WebError::App(AppError::Conflict(_))) => Ok(to_login()),
        Err(e) => Err(e),
    }
}

/// The new session's cookie, the pending cookie cleared, and the account's home (the
/// dashboard, or the partner portal); after a new authenticator, its recovery codes first.
fn signed_in_response(
    web: &Web,
    page: &Page,
    headers: &HeaderMap,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    let session = cookies::set(
        web,
        headers,
        Name::Session,
        signed_in.login.token.expose(),
        SESSION_HOURS * 3600,
    );
    let pending_gone = cookies::set(web, headers, Name::Pending, "", 0);
    let home = super::home_for(signed_in.login.session.user.role);
    let mut response = match signed_in.by {
        SecondFactor::Enrolled | SecondFactor::RecoveryCode => {
            let ctx = context! {
                codes => signed_in.recovery_codes.expose(),
                left => signed_in.codes_left,
                home => home,
            };
            whole_page(
                StatusCode::OK,
                web.html("staff_recovery_codes.html", page, ctx)?,
            )
        }
        SecondFactor::Code => Redirect::to(home).into_response(),
    };
    response.headers_mut().append(header::SET_COOKIE, session);
    response
        .headers_mut()
        .append(header::SET_COOKIE, pending_gone);
    Ok(response)
}
