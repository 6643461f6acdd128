//! The evidence vault: files sealed with their case's data key on the way in, opened and
//! checked against their recorded SHA-256 on the way out, each with a chain-of-custody entry
//! (who delivered which bytes, when, from which submission) written in the same transaction
//! as the file.

use chrono::{DateTime, Utc};
use rrm_store::{sha256, Confidential, Hash, NewAuditEntry, NewFile, Sealed};
use serde_json::json;

use crate::audit::{entry, hex, AuditAction};
use crate::evidence::Accepted;
use crate::vault::Purpose;
use crate::{AppError, Rrm};

/// A file as it leaves the vault: opened and checked against its custody hash.
#[derive(Debug, Clone)]
pub struct OpenedFile {
    pub name: Confidential<String>,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Rrm {
    /// Seals an accepted upload as evidence of `case_id`.
    pub(crate) fn seal_evidence(
        &self,
        case_id: &str,
        file: &Accepted,
        now: DateTime<Utc>,
    ) -> Result<NewFile, AppError> {
        let vault = self.vault()?;
        Ok(NewFile {
            file_name: vault.seal_text(
                case_id,
                Purpose::EvidenceName,
                file.file_name.expose(),
                now,
            )?,
            declared_type: file.declared_type.clone(),
            sniffed_type: file.sniffed_type.clone(),
            content_sha256: sha256(&file.bytes),
            size: file.bytes.len() as u64,
            bytes: vault
                .seal(case_id, Purpose::EvidenceBytes, &file.bytes, now)?
                .0,
            created: now,
        })
    }

    /// Opens stored bytes and checks them against the SHA-256 custody recorded: a file whose
    /// bytes changed is never handed out as the evidence it was.
    pub(crate) fn open_checked(
        &self,
        case_id: &str,
        purpose: Purpose,
        stored: Vec<u8>,
        sealed: bool,
        expected: &Hash,
    ) -> Result<Vec<u8>, AppError> {
        let bytes = match sealed {
            true => self.vault()?.open(case_id, purpose, &Sealed(stored))?,
            false => stored,
        };
        match sha256(&bytes) == *expected {
            true => Ok(bytes),
            false => Err(AppError::Integrity(format!(
                "case `{case_id}`: file {} does not match the SHA-256 its custody recorded",
                hex(expected)
            ))),
        }
    }

    /// The bytes stored under `stored_sha256`, or an integrity error: a file record without its
    /// bytes means the store was damaged.
    pub(crate) fn stored_bytes(
        &self,
        case_id: &str,
        stored_sha256: &Hash,
    ) -> Result<Vec<u8>, AppError> {
        self.workspace.blob(stored_sha256)?.ok_or_else(|| {
            AppError::Integrity(format!(
                "case `{case_id}`: the bytes of file {} are missing",
                hex(stored_sha256)
            ))
        })
    }
}

/// Who delivered a file, to which case, from where.
pub(crate) struct Delivery<'a> {
    pub actor: &'a str,
    pub case_id: &'a str,
    /// `submission:RECEIPT`, `upload`, `redaction of document:N`.
    pub from: &'a str,
}

/// The custody entry of a file received: by whom, from where, which bytes.
pub(crate) fn custody(
    now: DateTime<Utc>,
    delivery: &Delivery<'_>,
    content_sha256: &Hash,
    size: u64,
    content_type: &str,
    stored: &[u8],
) -> NewAuditEntry {
    entry(
        now,
        delivery.actor,
        AuditAction::FileReceived,
        Some(delivery.case_id),
        &format!("file:{}", hex(content_sha256)),
        json!({
            "from": delivery.from,
            "sha256": hex(content_sha256),
            "stored_sha256": hex(&sha256(stored)),
            "size": size,
            "type": content_type,
        }),
    )
}

/// The custody entry of an evidence file.
pub(crate) fn evidence_custody(
    now: DateTime<Utc>,
    delivery: &Delivery<'_>,
    file: &NewFile,
) -> NewAuditEntry {
    custody(
        now,
        delivery,
        &file.content_sha256,
        file.size,
        &file.sniffed_type,
        &file.bytes,
    )
}
