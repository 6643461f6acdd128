//! `/shared/cases/{id}`: one granted case for its counterpart or respondent — the public
//! record (the same view model as the public case page), the documents shared with them, and
//! the remediation action items with their status and, for a respondent, the evidence it
//! answered each with and a form to answer it — plus the download of a shared file and the
//! respondent's answer (`POST /shared/cases/{id}/answers`, multipart: `csrf`, `action`,
//! `document`).

use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{context, value::Serde, Value};
use rrm_app::audit::hex;
use rrm_app::{Action, AppError, DocumentView};
use rrm_core::engine::ActionState;
use rrm_store::User;
use serde::Deserialize;

use super::partner_context;
use crate::error::{whole_page, WebError};
use crate::i18n::Lang;
use crate::page::Page;
use crate::pages::case::view_model;
use crate::staff::{attachment, done, parse_sha256, shown_again, Notice, Staff};
use crate::upload;
use crate::Web;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    done: Option<String>,
}

/// `GET /shared/cases/{id}`
pub async fn show(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path(id): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let notice = done(p.done, &["answer"]);
    render(&web, &page, &staff, id, notice, StatusCode::OK).await
}

async fn render(
    web: &Web,
    page: &Page,
    staff: &Staff,
    id: String,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (user, lang) = (staff.session.user.clone(), page.lang);
    let ctx = web.blocking(move |w| build(w, &user, &id, lang)).await?;
    let ctx = context! { partner => partner_context(staff), notice => Serde(notice), ..ctx };
    Ok(whole_page(
        status,
        web.html("partner_case.html", page, ctx)?,
    ))
}

fn document(id: &str, user: &User, v: &DocumentView) -> Value {
    let d = &v.document;
    context! {
        name => v.name.expose().clone(), content_type => d.content_type.clone(), size => d.size,
        created => d.created.format("%Y-%m-%d %H:%M UTC").to_string(),
        action_item => d.action_item.clone(), mine => d.uploader == user.id,
        href => format!("/shared/cases/{id}/files/{}", hex(&d.sha256)),
    }
}

fn item(a: &ActionState, answers: Vec<Value>) -> Value {
    let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let verified: Vec<Value> = a
        .verified_by
        .iter()
        .map(|(by, on)| context! { party => by.code(), on => iso(*on) })
        .collect();
    context! {
        id => a.item.id.clone(), description => a.item.description.clone(),
        responsible => a.item.responsible.clone(), due => iso(a.item.due),
        completed => match a.completed { None => "no", Some(Some(_)) => "yes", Some(None) => "undated" },
        completed_on => iso(a.completed.flatten()), verified, answers,
    }
}

fn build(web: &Web, user: &User, id: &str, lang: Lang) -> Result<Value, WebError> {
    let shared = web.rrm().shared_case(user, id, web.today(), web.now())?;
    let model = view_model(web, &shared.view, lang)?;
    let items: Vec<Value> = shared
        .view
        .state
        .actions()
        .iter()
        .map(|a| {
            let answers = shared
                .documents
                .iter()
                .filter(|d| d.document.action_item.as_deref() == Some(a.item.id.as_str()))
                .map(|d| document(id, user, d))
                .collect();
            item(a, answers)
        })
        .collect();
    let documents: Vec<Value> = shared
        .documents
        .iter()
        .map(|d| document(id, user, d))
        .collect();
    Ok(context! { case => Serde(model), documents, items })
}

/// `GET /shared/cases/{id}/files/{sha256}`: a document shared with this account, audited.
pub async fn download(
    State(web): State<Web>,
    staff: Staff,
    Path((id, sha)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let user = staff.session.user.clone();
    let hash = parse_sha256(&sha).ok_or_else(|| WebError::NotFound("no such file".into()))?;
    let file = web
        .blocking(move |w| Ok(w.rrm().download(&user, &id, &hash, w.now())?))
        .await?;
    Ok(attachment(file))
}

/// `POST /shared/cases/{id}/answers`: a respondent's evidence that an action item was done.
/// Whether this account may answer is asked before the body is read.
pub async fn answer(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (user, case) = (staff.session.user.clone(), id.clone());
    web.blocking(move |w| Ok(w.rrm().authorize(&user, Action::AnswerRemediation(&case))?))
        .await?;
    let multipart = Multipart::from_request(request, &web).await.map_err(|_| {
        WebError::BadRequest("the answer form must be sent as multipart/form-data".into())
    })?;
    let form = upload::read(multipart, 1, "10 MiB").await?;
    staff.check(form.get("csrf"))?;
    let item = form.get("action").unwrap_or("").trim().to_string();
    let (user, case) = (staff.session.user.clone(), id.clone());
    let result = match form.within_limits().map(|f| f.files.into_iter().next()) {
        Ok(Some((_, file))) => {
            web.blocking(move |w| {
                Ok(w.rrm()
                    .answer_remediation(&user, &case, &item, file, w.now())?)
            })
            .await
        }
        Ok(None) => Err(AppError::BadInput("document: choose a file".into()).into()),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/shared/cases/{id}?done=answer#items")).into_response()),
        Err(e) => match shown_again(&e) {
            Some((status, notice)) => render(&web, &page, &staff, id, Some(notice), status).await,
            None => Err(e),
        },
    }
}
