//! A petitioner's status check: receipt code and secret in, the stage (by name), the date
//! filed and whether the case is published out — never the petition's content.
//!
//! An unknown receipt and a wrong secret give the same `NotFound` after the same work (one
//! Argon2id verification), so a probe cannot tell which receipts exist.

use chrono::NaiveDate;

use rrm_core::procedure::Text;

use crate::{passwords, secrets, AppError, Rrm};

/// What a petitioner may learn about their petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionStatus {
    pub stage: Text,
    pub filed: NaiveDate,
    pub published: bool,
}

const UNKNOWN: &str = "no petition with this receipt code and secret";

impl Rrm {
    pub fn petition_status(
        &self,
        receipt: &str,
        secret: &str,
        today: NaiveDate,
    ) -> Result<PetitionStatus, AppError> {
        let refused = || AppError::NotFound(UNKNOWN.into());
        let secret = secrets::normalize_code(secret).unwrap_or_default();
        let found = match secrets::normalize_receipt(receipt) {
            Some(r) => self.workspace.submission(&r)?,
            None => None,
        };
        let Some(submission) = found else {
            passwords::verify_nothing(&secret);
            return Err(refused());
        };
        if !passwords::verify(&secret, submission.secret_hash.expose()) {
            return Err(refused());
        }
        let view = self.case_view(&submission.case_id, today)?;
        let filed = view
            .events
            .iter()
            .find_map(|e| e.date)
            .unwrap_or_else(|| submission.created.date_naive());
        Ok(PetitionStatus {
            stage: view.stage_name,
            filed,
            published: self.workspace.is_published(&submission.case_id)?,
        })
    }
}
