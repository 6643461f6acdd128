//! The workspace's other forms — internal notes, documents, publication — and the download of
//! a case's files; plus what the workspace shows of them. Staff only: the petition's content,
//! evidence names, notes and documents are read nowhere else.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::{context, Value};
use rrm_app::access::{authorize, Action};
use rrm_app::Rrm;
use rrm_store::{EvidenceOwner, User, UserId};

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
    let form = form.within_limits();
    let (user, case) = (staff.session.user.clone(), id.clone());
    let result = match form.map(|f| f.files.into_iter().next()) {
        Ok(Some((_, file))) => web
            .blocking(move |w| Ok(w.rrm().add_document(&user, &case, file, w.now())?))
            .await
            .map(|_| "document"),
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
        .blocking(move |w| Ok(w.rrm().set_published(&user, &case, publish)?))
        .await;
    let what = if publish { "published" } else { "unpublished" };
    outcome(&web, &page, &staff, id, result.map(|_| what), "publication").await
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
    let (name, content_type, bytes) = web
        .blocking(move |w| find_file(w.rrm(), &user, &id, &sha))
        .await?;
    let ascii: String = name
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
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            // Should a browser render the file anyway (a PDF that is also HTML), it runs
            // sandboxed: no script, no same-origin access to the workspace.
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn find_file(
    rrm: &Rrm,
    user: &User,
    id: &str,
    sha: &str,
) -> Result<(String, String, Vec<u8>), WebError> {
    authorize(user, Action::ReadCase(id))?;
    let missing = || WebError::NotFound("no such file".into());
    let mut files: Vec<(String, String, [u8; 32])> = rrm
        .workspace
        .documents(id)?
        .into_iter()
        .map(|d| (d.name.into_inner(), d.content_type, d.sha256))
        .collect();
    if let Some(s) = rrm.workspace.submission_for_case(id)? {
        let evidence = rrm
            .workspace
            .evidence(&EvidenceOwner::Submission(s.receipt))?;
        files.extend(
            evidence
                .into_iter()
                .map(|e| (e.file_name.into_inner(), e.sniffed_type, e.sha256)),
        );
    }
    let (name, content_type, hash) = files
        .into_iter()
        .find(|f| hex(&f.2) == sha)
        .ok_or_else(missing)?;
    let bytes = rrm.workspace.blob(&hash)?.ok_or_else(missing)?;
    Ok((name, content_type, bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The petition's confidential content and evidence, for the workspace.
pub fn submission_context(rrm: &Rrm, user: &User, id: &str) -> Result<Value, WebError> {
    let Some(s) = rrm.submission_view(user, id)? else {
        return Ok(Value::from(()));
    };
    let c = s.content.expose();
    let evidence: Vec<Value> = s.evidence.iter().map(|e| context! {
        name => e.file_name.expose().clone(), sniffed => e.sniffed_type.clone(), declared => e.declared_type.clone(),
        size => e.size, href => format!("/staff/cases/{id}/files/{}", hex(&e.sha256)),
    }).collect();
    Ok(context! {
        receipt => s.receipt, received => s.created.format("%Y-%m-%d %H:%M UTC").to_string(),
        office => c.office.clone(), facility => c.facility.clone(), company => c.company.clone(),
        city => c.city.clone(), state => c.state.clone(), allegations => c.allegations.clone(),
        narrative => c.narrative.clone(), anonymous => c.anonymous, organization => c.organization.clone(),
        contact => c.contact.clone(), consent => c.consent, language => c.language.clone(), evidence,
    })
}

fn author_names(
    rrm: &Rrm,
    ids: impl Iterator<Item = UserId>,
) -> Result<HashMap<UserId, String>, WebError> {
    let mut names = HashMap::new();
    for id in ids {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id) {
            slot.insert(
                rrm.workspace
                    .user(id)?
                    .map_or_else(|| format!("#{}", id.0), |u| u.display_name),
            );
        }
    }
    Ok(names)
}

pub fn notes_context(rrm: &Rrm, id: &str) -> Result<Vec<Value>, WebError> {
    let notes = rrm.workspace.notes(id)?;
    let names = author_names(rrm, notes.iter().map(|n| n.author))?;
    Ok(notes
        .iter()
        .map(|n| {
            context! {
                author => names.get(&n.author).cloned(), text => n.text.expose().clone(),
                created => n.created.format("%Y-%m-%d %H:%M UTC").to_string(),
            }
        })
        .collect())
}

pub fn documents_context(rrm: &Rrm, id: &str) -> Result<Vec<Value>, WebError> {
    let documents = rrm.workspace.documents(id)?;
    let names = author_names(rrm, documents.iter().map(|d| d.uploader))?;
    Ok(documents.iter().map(|d| context! {
        name => d.name.expose().clone(), content_type => d.content_type.clone(), size => d.size,
        uploader => names.get(&d.uploader).cloned(), created => d.created.format("%Y-%m-%d %H:%M UTC").to_string(),
        href => format!("/staff/cases/{id}/files/{}", hex(&d.sha256)),
    }).collect())
}
