//! `GET/POST /petitions/new`: the petition form (multipart, with evidence) and its receipt.
//!
//! A refused petition (a bad field, a file over a limit or of a kind not accepted) shows the
//! form again with what was wrong and what was typed, so no narrative is lost; files must be
//! chosen again. Nothing is stored unless the whole petition is accepted.

use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::{context, value::Serde};
use rrm_app::evidence::MAX_FILES;
use rrm_app::{AppError, PetitionInput, ALLEGATIONS, OFFICES};

use super::input_from;
use crate::error::{whole_page, WebError};
use crate::page::Page;
use crate::{cookies, csrf, upload, Web};

/// `GET /petitions/new`
pub async fn show(
    State(web): State<Web>,
    page: Page,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let (token, cookie) = csrf::form_token(&web, &headers)?;
    let html = form_page(
        &web,
        &page,
        &token,
        &PetitionInput::default(),
        None,
        StatusCode::OK,
    )?;
    Ok(cookies::attach(html, cookie))
}

/// `POST /petitions/new`
pub async fn submit(
    State(web): State<Web>,
    page: Page,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let form = upload::read(multipart, MAX_FILES, "25 MiB").await?;
    let token = form.get("csrf").unwrap_or("").to_string();
    csrf::check_double_submit(&web, &headers, Some(&token))?;
    let input = input_from(&form, page.lang);
    if let Some(e) = form.over_limit {
        return refused(&web, &page, &token, &input, WebError::App(e));
    }
    let uploads = form.files.into_iter().map(|(_, u)| u).collect();
    let filed = input.clone();
    let result = web
        .blocking(move |w| Ok(w.rrm().file_petition(&filed, uploads, w.today(), w.now())?))
        .await;
    match result {
        Ok(r) => {
            let ctx = context! { receipt => r.receipt, secret => r.secret.expose(), filed => r.filed.to_string() };
            Ok(web
                .html("petition_receipt.html", &page, ctx)?
                .into_response())
        }
        Err(e @ WebError::App(AppError::BadInput(_) | AppError::TooLarge(_))) => {
            refused(&web, &page, &token, &input, e)
        }
        Err(e) => Err(e),
    }
}

fn refused(
    web: &Web,
    page: &Page,
    token: &str,
    input: &PetitionInput,
    e: WebError,
) -> Result<Response, WebError> {
    let body = e.body();
    form_page(web, page, token, input, Some(&body.message), body.status)
}

fn form_page(
    web: &Web,
    page: &Page,
    token: &str,
    input: &PetitionInput,
    problem: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let ctx = context! {
        csrf => token,
        values => Serde(input),
        allegations => ALLEGATIONS,
        offices => OFFICES.iter().map(|(o, _)| *o).collect::<Vec<_>>(),
        max_files => MAX_FILES,
        problem => problem,
        // Without the master key a petition could not be stored safely: the form says so
        // instead of letting someone type out their testimony for nothing.
        intake_closed => web.rrm().vault.is_none(),
    };
    Ok(whole_page(
        status,
        web.html("petition_form.html", page, ctx)?,
    ))
}
