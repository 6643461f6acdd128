//! The API's staff writes, each behind an API token: `POST /api/v1/cases/{id}/events` records
//! one event (in the case file format) and `POST /api/v1/cases` creates a case from a case file.
//! The engine decides as it does for the CLI: a refused event is a 409 naming the rule.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rrm_app::access::Action;
use rrm_app::AppError;
use serde_json::Value;

use super::auth::ApiUser;
use super::types::ErrorEnvelope;
use super::types_write::{CreatedCase, RecordedEvent};
use crate::error::WebError;
use crate::Web;

fn json(body: &[u8], what: &str) -> Result<Value, WebError> {
    serde_json::from_slice(body).map_err(|e| {
        AppError::BadInput(format!(
            "{what}: line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
        .into()
    })
}

/// Record one event on a case, checked by the procedure as of today.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/events",
    operation_id = "record_event",
    tag = "cases",
    params(("id" = String, Path, description = "The case id")),
    request_body(content = Object, description = "One event in the rrm-case/1 format, e.g. {\"kind\": \"review_accepted\", \"date\": \"2026-11-20\"}"),
    security(("bearer" = [])),
    responses(
        (status = 201, body = RecordedEvent),
        (status = 401, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope, description = "Refused by the procedure (`rule` names the rule), or a concurrent write"),
        (status = 422, body = ErrorEnvelope, description = "A bad field, named by its path"),
    )
)]
pub async fn record_event(
    State(web): State<Web>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<RecordedEvent>), WebError> {
    let value = json(&body, "event")?;
    let recorded = web
        .blocking(move |w| {
            w.rrm().authorize(&user, Action::WorkOnCase(&id))?;
            let event = rrm_casefile::event_from_json(value)
                .map_err(|e| AppError::BadInput(format!("event: {e}")))?;
            Ok(w.rrm().record(&id, event, w.today())?)
        })
        .await?;
    let e = recorded.stored;
    let hash = e.hash.iter().map(|b| format!("{b:02x}")).collect();
    Ok((
        StatusCode::CREATED,
        Json(RecordedEvent {
            case: e.case_id,
            seq: e.seq,
            hash,
            stage: recorded.stage,
        }),
    ))
}

/// Create a case from a case file (rrm-case/1); it is published, like an imported case.
#[utoipa::path(
    post,
    path = "/api/v1/cases",
    operation_id = "create_case",
    tag = "cases",
    request_body(content = Object, description = "One case file in the rrm-case/1 format"),
    security(("bearer" = [])),
    responses(
        (status = 201, body = CreatedCase),
        (status = 401, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope, description = "The case id exists, or an event is refused (`rule` names the rule)"),
        (status = 422, body = ErrorEnvelope, description = "A bad field, named by its path"),
    )
)]
pub async fn create_case(
    State(web): State<Web>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> Result<(StatusCode, Json<CreatedCase>), WebError> {
    let value = json(&body, "case")?;
    let created = web
        .blocking(move |w| {
            w.rrm().authorize(&user, Action::CreateCases)?;
            let case = rrm_casefile::case_from_value(value)
                .map_err(|e| AppError::BadInput(format!("case: {e}")))?;
            let new = w.rrm().prepare("case", case, w.now())?;
            w.rrm().store_cases(std::slice::from_ref(&new))?;
            Ok(CreatedCase {
                id: new.header.id,
                events: new.events.len(),
                stage: new.projection.stage,
            })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}
