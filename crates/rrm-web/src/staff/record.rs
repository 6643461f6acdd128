//! `POST /staff/cases/{id}/events`: records an event from the workspace form. The form becomes
//! a case-file event, the case file parser checks its fields, the engine decides; a refusal is
//! shown on the workspace with the rule that refused it, and the form keeps what was typed.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use rrm_app::access::Action;
use rrm_app::AppError;
use rrm_core::event::EventKind;

use super::event_form::event_json;
use super::workspace::{render, Notice};
use super::Staff;
use crate::error::WebError;
use crate::page::Page;
use crate::upload::field;
use crate::Web;

/// `POST /staff/cases/{id}/events`
pub async fn submit(
    State(web): State<Web>,
    page: Page,
    staff: Staff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.check(field(&fields, "csrf"))?;
    let kind_name = field(&fields, "kind").unwrap_or("").to_string();
    let kind = EventKind::parse(&kind_name)
        .ok_or_else(|| WebError::BadRequest(format!("kind: unknown event kind `{kind_name}`")))?;
    let (user, case, sent) = (staff.session.user.clone(), id.clone(), fields.clone());
    let result = web
        .blocking(move |w| record(w, &user, &case, kind, &sent))
        .await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/staff/cases/{id}?done=event#timeline")).into_response())
        }
        Err(
            e @ WebError::App(
                AppError::Refused { .. } | AppError::BadInput(_) | AppError::Conflict(_),
            ),
        ) => {
            let (status, notice) = (e.body().status, Some(Notice::from_error(&e)));
            let kind = Some(kind_name);
            render(&web, &page, &staff, id, kind, notice, status, fields).await
        }
        Err(e) => Err(e),
    }
}

/// The form's event, parsed as a case-file event, then decided by the engine.
fn record(
    web: &Web,
    user: &rrm_store::User,
    case: &str,
    kind: EventKind,
    fields: &[(String, String)],
) -> Result<rrm_app::Recorded, WebError> {
    web.rrm().authorize(user, Action::WorkOnCase(case))?;
    let json = event_json(kind, fields).map_err(AppError::BadInput)?;
    let event = rrm_casefile::event_from_json(json)
        .map_err(|e| AppError::BadInput(format!("{kind}: {e}")))?;
    Ok(web.rrm().record(case, event, web.today())?)
}
