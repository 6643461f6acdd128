//! `POST /api/v1/petitions`: files a petition, as JSON, or as `multipart/form-data` with a
//! `petition` part (that JSON) and up to five `evidence` file parts. Public, like the form; the
//! answer is the receipt code and the secret, shown this once.

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use rrm_app::evidence::MAX_FILES;
use rrm_app::{AppError, Upload};
use utoipa::ToSchema;

use super::types::ErrorEnvelope;
use super::types_write::{PetitionReceipt, PetitionRequest};
use crate::error::WebError;
use crate::{upload, Web};

/// A petition with evidence files.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "documents the multipart form; the handler reads it part by part"
)]
pub struct PetitionUpload {
    /// The petition as JSON (the `application/json` body's shape).
    petition: PetitionRequest,
    /// Up to five files: PDF, PNG, JPEG, DOCX, XLSX or ODT, by content; 10 MiB each.
    #[schema(content_media_type = "application/octet-stream")]
    evidence: Vec<Vec<u8>>,
}

const JSON_LIMIT: usize = 256 * 1024;

/// File a petition. Its case starts unpublished; only staff see the petition's content.
#[utoipa::path(
    post,
    path = "/api/v1/petitions",
    operation_id = "file_petition",
    tag = "petitions",
    request_body(content(
        (PetitionRequest = "application/json"),
        (inline(PetitionUpload) = "multipart/form-data"),
    )),
    responses(
        (status = 201, body = PetitionReceipt),
        (status = 413, body = ErrorEnvelope, description = "A file over 10 MiB, more than five files, or over 25 MiB in all"),
        (status = 422, body = ErrorEnvelope, description = "A bad field (named), or a file of a kind not accepted (named)"),
    )
)]
pub async fn file(
    State(web): State<Web>,
    request: Request,
) -> Result<(StatusCode, Json<PetitionReceipt>), WebError> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (petition, uploads) = match multipart {
        true => from_multipart(&web, request).await?,
        false => {
            let body = axum::body::to_bytes(request.into_body(), JSON_LIMIT)
                .await
                .map_err(|_| {
                    AppError::TooLarge("petition: the JSON body is over 256 KiB".into())
                })?;
            (parse(&body)?, Vec::new())
        }
    };
    let input = rrm_app::PetitionInput::from(petition);
    let r = web
        .blocking(move |w| Ok(w.rrm().file_petition(&input, uploads, w.today(), w.now())?))
        .await?;
    let receipt = PetitionReceipt {
        receipt: r.receipt,
        secret: r.secret.into_inner(),
        filed: r.filed,
    };
    Ok((StatusCode::CREATED, Json(receipt)))
}

fn parse(json: &[u8]) -> Result<PetitionRequest, WebError> {
    serde_json::from_slice(json).map_err(|e| AppError::BadInput(format!("petition: {e}")).into())
}

async fn from_multipart(
    web: &Web,
    request: Request,
) -> Result<(PetitionRequest, Vec<Upload>), WebError> {
    let multipart = Multipart::from_request(request, web)
        .await
        .map_err(|_| WebError::BadRequest("the multipart body could not be read".into()))?;
    let form = upload::read(multipart, MAX_FILES + 1, "25 MiB")
        .await?
        .within_limits()?;
    let mut petition = form.get("petition").map(|s| s.as_bytes().to_vec());
    let mut uploads = Vec::new();
    for (name, file) in form.files {
        match name.as_str() {
            "petition" => petition = Some(file.bytes),
            "evidence" => uploads.push(file),
            other => {
                return Err(AppError::BadInput(format!(
                    "{other}: unknown part; send `petition` and `evidence`"
                ))
                .into())
            }
        }
    }
    let petition = petition
        .ok_or_else(|| AppError::BadInput("petition: the `petition` part is required".into()))?;
    Ok((parse(&petition)?, uploads))
}
