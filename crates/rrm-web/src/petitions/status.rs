//! `GET/POST /petitions/status`: a petitioner types their receipt code and secret and learns
//! the stage of their petition, the date filed and whether it is published — nothing else.
//! A wrong secret and an unknown receipt get the same answer.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use minijinja::context;

use rrm_app::AppError;

use crate::error::{whole_page, WebError};
use crate::i18n::Lang;
use crate::page::Page;
use crate::upload::field;
use crate::{cookies, csrf, Web};

/// `GET /petitions/status`
pub async fn show(
    State(web): State<Web>,
    page: Page,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let (token, cookie) = csrf::form_token(&web, &headers)?;
    let html = web.html("petition_status.html", &page, context! { csrf => token })?;
    Ok(cookies::attach(whole_page(StatusCode::OK, html), cookie))
}

/// `POST /petitions/status`
pub async fn check(
    State(web): State<Web>,
    page: Page,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let value = |name: &str| field(&fields, name).unwrap_or("").to_string();
    let token = value("csrf");
    csrf::check_double_submit(&web, &headers, Some(&token))?;
    let (receipt, secret) = (value("receipt"), value("secret"));
    let status = web
        .blocking(move |w| Ok(w.rrm().petition_status(&receipt, &secret, w.today())?))
        .await;
    let (status, ctx) = match status {
        Ok(s) => (StatusCode::OK, found(&s, page.lang)),
        // The same page for an unknown receipt and a wrong secret.
        Err(WebError::App(AppError::NotFound(_))) => {
            (StatusCode::NOT_FOUND, context! { problem => true })
        }
        Err(e) => return Err(e),
    };
    let html = web.html(
        "petition_status.html",
        &page,
        context! { csrf => token, ..ctx },
    )?;
    Ok(whole_page(status, html))
}

fn found(s: &rrm_app::PetitionStatus, lang: Lang) -> minijinja::Value {
    context! {
        status => context! {
            stage => s.stage.get(lang.code()),
            filed => s.filed.to_string(),
            published => s.published,
        },
    }
}
