//! The workspace's other forms — internal notes, documents (classified and shared), publication
//! of the case and of public documents — and the download of a case's files, audited by the
//! application. What the workspace shows of them is in `contexts.rs`.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use rrm_app::DocumentOptions;
use rrm_store::{Classification, Sharing};

use super::workspace::{render, Notice};
use super::Staff;
use crate::error::WebError;
use crate::page::Page;
use crate::upload::{self, field};
use crate::Web;

fn done(id: &str, what: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/staff/cases/{id}?done={what}#{anchor}")).into_response()
}

/// `POST /staff/cases/{id}/notes`
pub async fn add_note(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.check(field(&fields, "csrf"))?;
    let (user, case, text) = (
        staff.session.user.clone(),
        id.clone(),
        field(&fields, "text").unwrap_or("").to_string(),
    );
    let result = web
        .blocking(move |w| Ok(w.rrm().add_note(&user, &case, &text, w.now())?))
        .await;
    outcome(&web, &page, &staff, id, result.map(|_| "note"), "notes").await
}

/// `POST /staff/cases/{id}/documents` (multipart: `csrf`, `document`)
pub async fn add_document(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let form = upload::read(multipart, 1, "10 MiB").await?;
    staff.check(form.get("csrf"))?;
    let form_fields: Vec<(String, String)> = [
        "classification",
        "share_counterparts",
        "share_respondent",
        "redacted_from",
    ]
    .iter()
    .filter_map(|k| form.get(k).map(|v| (k.to_string(), v.to_string())))
    .collect();
    let form = form.within_limits();
    let (user, case) = (staff.session.user.clone(), id.clone());
    let result = match form.map(|f| f.files.into_iter().next()) {
        Ok(Some((_, file))) => {
            let options = document_options(&fields_of(&form_fields))?;
            web.blocking(move |w| Ok(w.rrm().add_document(&user, &case, file, options, w.now())?))
                .await
                .map(|_| "document")
        }
        Ok(None) => Err(WebError::App(rrm_app::AppError::BadInput(
            "document: choose a file".into(),
        ))),
        Err(e) => Err(e),
    };
    outcome(&web, &page, &staff, id, result, "documents").await
}

/// `POST /staff/cases/{id}/publication` (`published`: `true` or `false`)
pub async fn publication(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.check(field(&fields, "csrf"))?;
    let publish = field(&fields, "published") == Some("true");
    let (user, case) = (staff.session.user.clone(), id.clone());
    let result = web
        .blocking(move |w| Ok(w.rrm().set_published(&user, &case, publish, w.now())?))
        .await;
    let what = if publish { "published" } else { "unpublished" };
    outcome(&web, &page, &staff, id, result.map(|_| what), "publication").await
}

/// `POST /staff/cases/{id}/documents/{document}/publication` (`published`: `true`/`false`)
pub async fn document_publication(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path((id, document)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.check(field(&fields, "csrf"))?;
    let publish = field(&fields, "published") == Some("true");
    let (user, case) = (staff.session.user.clone(), id.clone());
    let result = web
        .blocking(move |w| {
            let doc = rrm_store::FileId(document);
            Ok(w.rrm()
                .set_document_published(&user, &case, doc, publish, w.now())?)
        })
        .await;
    let what = if publish {
        "document_published"
    } else {
        "document_withdrawn"
    };
    outcome(&web, &page, &staff, id, result.map(|_| what), "documents").await
}

fn fields_of(pairs: &[(String, String)]) -> HashMap<&str, &str> {
    pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The document form's classification and sharing choices.
fn document_options(f: &HashMap<&str, &str>) -> Result<DocumentOptions, WebError> {
    let name = f.get("classification").copied().unwrap_or("restricted");
    let classification = Classification::parse(name).ok_or_else(|| {
        WebError::App(rrm_app::AppError::BadInput(format!(
            "classification: `{name}` is not public, restricted or confidential"
        )))
    })?;
    let redacted_from = match f.get("redacted_from").copied().unwrap_or("") {
        "" => None,
        n => Some(rrm_store::FileId(n.parse().map_err(|_| {
            WebError::App(rrm_app::AppError::BadInput(format!(
                "redacted_from: `{n}` is not a document number"
            )))
        })?)),
    };
    Ok(DocumentOptions {
        classification: Some(classification),
        sharing: Sharing {
            counterparts: f.get("share_counterparts").is_some_and(|v| *v == "on"),
            respondent: f.get("share_respondent").is_some_and(|v| *v == "on"),
        },
        redacted_from,
        action_item: None,
    })
}

/// A write's answer: back to the workspace saying it worked, or the workspace with the refusal.
async fn outcome(
    web: &Web,
    page: &Page,
    staff: &Staff,
    id: String,
    result: Result<&'static str, WebError>,
    anchor: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(what) => Ok(done(&id, what, anchor)),
        Err(e) if e.body().status.is_client_error() && e.body().status != StatusCode::NOT_FOUND => {
            let status = e.body().status;
            render(
                web,
                page,
                staff,
                id,
                None,
                Some(Notice::from_error(&e)),
                status,
                Vec::new(),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `GET /staff/cases/{id}/files/{sha256}`: a document or a petition's evidence file.
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

/// A file as a download: its type as sniffed at upload, its name made safe for the header.
pub fn attachment(file: rrm_app::OpenedFile) -> Response {
    let ascii: String = file
        .name
        .expose()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"");
    (
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            // Should a browser render the file anyway (a PDF that is also HTML), it runs
            // sandboxed: no script, no same-origin access to the workspace.
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".to_string(),
            ),
        ],
        file.bytes,
    )
        .into_response()
}

/// A SHA-256 in lowercase hex, as file links carry it.
pub fn parse_sha256(text: &str) -> Option<rrm_store::Hash> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}
