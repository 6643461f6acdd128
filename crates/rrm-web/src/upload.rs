//! Reading a `multipart/form-data` body with its limits: text fields, and files up to 10 MiB
//! each and a number per request, with the whole request capped by axum's `DefaultBodyLimit`
//! on the route. A file over its limit is read to the end and dropped, so the client gets a
//! clear answer naming the file and the limit instead of a reset connection.
//!
//! Nothing is stored here: the caller checks CSRF and content before any write.

use axum::extract::multipart::{Field, Multipart, MultipartError};
use axum::http::StatusCode;
use rrm_app::evidence::MAX_FILE_BYTES;
use rrm_app::{AppError, Upload};
use rrm_store::Confidential;

use crate::error::WebError;

/// Text fields are short; the longest, a petition's narrative, is 20,000 characters.
const MAX_TEXT_BYTES: usize = 128 * 1024;
/// Parts per request: the petition form has about 20 fields and 5 files. A flood of tiny
/// parts is refused rather than parsed to the end of a 25 MiB body.
pub const MAX_PARTS: usize = 100;

/// What a form sent: its text fields in order (repeated names kept) and its files.
#[derive(Debug, Default)]
pub struct FormData {
    pub fields: Vec<(String, String)>,
    pub files: Vec<(String, Upload)>,
    /// A file over its limit, or too many files: the form was read, but must be refused.
    pub over_limit: Option<AppError>,
}

impl FormData {
    /// The form, or its limit error.
    pub fn within_limits(self) -> Result<FormData, WebError> {
        match self.over_limit {
            Some(e) => Err(WebError::App(e)),
            None => Ok(self),
        }
    }

    /// The first value of a text field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a text field (checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// The first value of field `name` in a urlencoded form.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn read_error(e: MultipartError, request_limit: &str) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::App(AppError::TooLarge(format!(
            "the request is larger than the limit of {request_limit} per request"
        )))
    } else {
        WebError::BadRequest("the form could not be read; please send it again".into())
    }
}

/// Reads every part; `max_files` caps the number of files, `request_limit` names the whole
/// request's limit in messages ("25 MiB").
pub async fn read(
    mut multipart: Multipart,
    max_files: usize,
    request_limit: &str,
) -> Result<FormData, WebError> {
    let mut form = FormData::default();
    let mut too_big: Option<String> = None;
    let mut parts = 0;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| read_error(e, request_limit))?
    {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(WebError::App(AppError::TooLarge(format!(
                "the form has more than {MAX_PARTS} parts"
            ))));
        }
        let name = field.name().unwrap_or("").to_string();
        let Some(file_name) = field.file_name().map(str::to_string) else {
            let bytes = read_capped(field, MAX_TEXT_BYTES, request_limit).await?;
            let bytes = bytes.ok_or_else(|| AppError::BadInput(format!("{name}: is too long")))?;
            form.fields
                .push((name, String::from_utf8_lossy(&bytes).into_owned()));
            continue;
        };
        let declared_type = field.content_type().unwrap_or("").to_string();
        match read_capped(field, MAX_FILE_BYTES, request_limit).await? {
            // A file input left empty sends a nameless, empty part.
            Some(b) if b.is_empty() && file_name.is_empty() => {}
            Some(bytes) => {
                let file_name = Confidential::new(file_name);
                form.files.push((
                    name,
                    Upload {
                        file_name,
                        declared_type,
                        bytes,
                    },
                ));
            }
            None => too_big = too_big.or(Some(rrm_app::evidence::clean_file_name(&file_name))),
        }
    }
    form.over_limit = over_limit(too_big, form.files.len(), max_files);
    if form.over_limit.is_some() {
        form.files.clear();
    }
    Ok(form)
}

fn over_limit(too_big: Option<String>, files: usize, max_files: usize) -> Option<AppError> {
    match too_big {
        Some(file) => Some(AppError::TooLarge(format!(
            "evidence: `{file}` is larger than the limit of 10 MiB per file"
        ))),
        None => (files > max_files).then(|| {
            AppError::TooLarge(format!(
                "evidence: {files} files sent; the limit is {max_files} files per request"
            ))
        }),
    }
}

/// A part's bytes, or `None` if it is longer than `cap` (then read to its end and dropped).
async fn read_capped(
    mut field: Field<'_>,
    cap: usize,
    request_limit: &str,
) -> Result<Option<Vec<u8>>, WebError> {
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| read_error(e, request_limit))?
    {
        if over || bytes.len() + chunk.len() > cap {
            over = true;
            bytes = Vec::new();
            continue;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((!over).then_some(bytes))
}
