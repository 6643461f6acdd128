//! Handing files out: a download of a document or an evidence file (authorized by its
//! classification, audited before its bytes are opened, checked against its custody hash), and
//! a document's text for the staff search index, which never reads a confidential one.

use chrono::{DateTime, Utc};
use rrm_store::{Classification, Confidential, Document, EvidenceOwner, Hash, User};
use serde_json::json;

use crate::access::Action;
use crate::audit::{actor_of, entry, hex, AuditAction};
use crate::documents::DocumentView;
use crate::files::OpenedFile;
use crate::vault::Purpose;
use crate::{AppError, Rrm};

impl Rrm {
    /// A document's name and bytes for the staff search index, which holds public and
    /// restricted text and never confidential text: a confidential document is refused
    /// (`search.no_confidential`). Not for showing to anyone: searches answer with what the
    /// index holds, filtered by each user's reach.
    pub fn open_for_index(&self, d: &Document) -> Result<OpenedFile, AppError> {
        if d.classification == Classification::Confidential {
            return Err(AppError::Forbidden(format!(
                "document {} is confidential and is never indexed (rule search.no_confidential)",
                d.id.0
            )));
        }
        let name = self.named(d.clone())?.name;
        let stored = self.stored_bytes(&d.case_id, &d.stored_sha256)?;
        let sealed = d.classification != Classification::Public;
        let bytes = self.open_checked(
            &d.case_id,
            Purpose::DocumentBytes,
            stored,
            sealed,
            &d.sha256,
        )?;
        Ok(OpenedFile {
            name,
            content_type: d.content_type.clone(),
            bytes,
        })
    }

    /// A file of a case by its SHA-256: a document or an evidence file. Restricted documents
    /// need the case's team (or a share, for outside accounts); confidential ones and evidence
    /// need the team. Every download is audited before the bytes are opened.
    pub fn download(
        &self,
        user: &User,
        case_id: &str,
        content_sha256: &Hash,
        now: DateTime<Utc>,
    ) -> Result<OpenedFile, AppError> {
        let missing =
            || AppError::NotFound(format!("file {} of case `{case_id}`", hex(content_sha256)));
        let found = match user.role.is_staff() {
            true => self.find_for_staff(user, case_id, content_sha256)?,
            false => {
                let doc = self
                    .shared_documents(user, case_id)?
                    .into_iter()
                    .find(|d| d.document.sha256 == *content_sha256)
                    .ok_or_else(missing)?;
                Some(Found::document(doc))
            }
        };
        let found = found.ok_or_else(missing)?;
        let action = match user.role.is_staff() {
            true => AuditAction::FileDownloaded,
            false => AuditAction::SharedViewed,
        };
        let detail = json!({"classification": found.classification.as_str()});
        let e = entry(
            now,
            &actor_of(user),
            action,
            Some(case_id),
            &format!("file:{}", hex(content_sha256)),
            detail,
        );
        self.record_audit(e)?;
        let stored = self.stored_bytes(case_id, &found.stored_sha256)?;
        let bytes =
            self.open_checked(case_id, found.purpose, stored, found.sealed, content_sha256)?;
        Ok(OpenedFile {
            name: found.name,
            content_type: found.content_type,
            bytes,
        })
    }

    fn find_for_staff(
        &self,
        user: &User,
        case_id: &str,
        sha: &Hash,
    ) -> Result<Option<Found>, AppError> {
        self.authorize(user, Action::ReadCase(case_id))?;
        if let Some(doc) = self
            .documents(user, case_id)?
            .into_iter()
            .find(|d| d.document.sha256 == *sha)
        {
            if doc.document.classification == Classification::Confidential {
                self.authorize(user, Action::ReadConfidential(case_id))?;
            }
            return Ok(Some(Found::document(doc)));
        }
        self.authorize(user, Action::ReadConfidential(case_id))?;
        let mut owners = vec![EvidenceOwner::Case(case_id.to_string())];
        if let Some(s) = self.workspace.submission_for_case(case_id)? {
            owners.push(EvidenceOwner::Submission(s.receipt));
        }
        for owner in owners {
            if let Some(f) = self
                .workspace
                .evidence(&owner)?
                .into_iter()
                .find(|f| f.sha256 == *sha)
            {
                let name = self
                    .vault()?
                    .open_text(case_id, Purpose::EvidenceName, &f.file_name)?;
                return Ok(Some(Found {
                    name: Confidential::new(name),
                    content_type: f.sniffed_type,
                    classification: Classification::Confidential,
                    stored_sha256: f.stored_sha256,
                    purpose: Purpose::EvidenceBytes,
                    sealed: true,
                }));
            }
        }
        Ok(None)
    }
}

/// A file found for download, before its bytes are opened.
struct Found {
    name: Confidential<String>,
    content_type: String,
    classification: Classification,
    stored_sha256: Hash,
    purpose: Purpose,
    sealed: bool,
}

impl Found {
    fn document(d: DocumentView) -> Found {
        Found {
            // Only public documents are stored in clear.
            sealed: d.document.classification != Classification::Public,
            name: d.name,
            content_type: d.document.content_type,
            classification: d.document.classification,
            stored_sha256: d.document.stored_sha256,
            purpose: Purpose::DocumentBytes,
        }
    }
}
