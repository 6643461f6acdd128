//! Documents on a case: staff reports, letters and minutes; redacted copies made for
//! publication; what is shared with counterparts and the respondent; a respondent's evidence
//! that a remediation action was done. Every document is classified: a public one is stored in
//! clear (it can be served without the master key, once published); a restricted or
//! confidential one is sealed, and every download of it is audited.

use chrono::{DateTime, Utc};
use rrm_store::{
    sha256, Classification, Confidential, Document, FileId, NewDocument, Protected, Role, Sharing,
    User,
};
use serde_json::json;

use crate::access::Action;
use crate::audit::{actor_of, entry, AuditAction};
use crate::evidence::{accept, Upload};
use crate::files::{custody, Delivery, OpenedFile};
use crate::vault::Purpose;
use crate::{AppError, Change, Rrm};

/// How a new document is classified and shared.
#[derive(Debug, Clone, Default)]
pub struct DocumentOptions {
    /// `None` means restricted, the default for anything staff upload.
    pub classification: Option<Classification>,
    pub sharing: Sharing,
    /// The document this is a redacted copy of.
    pub redacted_from: Option<FileId>,
    pub action_item: Option<String>,
}

/// A document with its name readable.
#[derive(Debug, Clone)]
pub struct DocumentView {
    pub document: Document,
    pub name: Confidential<String>,
}

impl Rrm {
    /// Adds a document after checking its kind and size like petition evidence. A redacted
    /// copy must be public and name an original of the same case.
    pub fn add_document(
        &self,
        staff: &User,
        case_id: &str,
        upload: Upload,
        options: DocumentOptions,
        now: DateTime<Utc>,
    ) -> Result<Document, AppError> {
        self.authorize(staff, Action::WorkOnCase(case_id))?;
        let classification = options.classification.unwrap_or(Classification::Restricted);
        if options.redacted_from.is_some() && classification != Classification::Public {
            return Err(AppError::BadInput(
                "document: a redacted copy is made to be published, so it must be public".into(),
            ));
        }
        self.store_document(staff, case_id, upload, classification, options, now)
    }

    /// A respondent's evidence that a remediation action was done: restricted, shared back
    /// with the respondent, tied to the action item.
    pub fn answer_remediation(
        &self,
        respondent: &User,
        case_id: &str,
        action_item: &str,
        upload: Upload,
        now: DateTime<Utc>,
    ) -> Result<Document, AppError> {
        self.authorize(respondent, Action::AnswerRemediation(case_id))?;
        let (case, _) = self.load_case(case_id)?;
        let (_, state) = self.replay(case_id, &case)?;
        if !state.actions().iter().any(|a| a.item.id == action_item) {
            return Err(AppError::BadInput(format!(
                "action: case `{case_id}` has no remediation action `{action_item}`"
            )));
        }
        let options = DocumentOptions {
            sharing: Sharing {
                counterparts: false,
                respondent: true,
            },
            action_item: Some(action_item.to_string()),
            ..DocumentOptions::default()
        };
        self.store_document(
            respondent,
            case_id,
            upload,
            Classification::Restricted,
            options,
            now,
        )
    }

    fn store_document(
        &self,
        uploader: &User,
        case_id: &str,
        upload: Upload,
        classification: Classification,
        options: DocumentOptions,
        now: DateTime<Utc>,
    ) -> Result<Document, AppError> {
        let file = accept(upload)?;
        let (name, bytes) = match classification {
            Classification::Public => (
                Protected::Clear(file.file_name.expose().clone()),
                file.bytes.clone(),
            ),
            _ => {
                let vault = self.vault()?;
                let name = vault.seal_text(
                    case_id,
                    Purpose::DocumentName,
                    file.file_name.expose(),
                    now,
                )?;
                (
                    Protected::Sealed(name),
                    vault
                        .seal(case_id, Purpose::DocumentBytes, &file.bytes, now)?
                        .0,
                )
            }
        };
        let document = NewDocument {
            case_id: case_id.to_string(),
            uploader: uploader.id,
            name,
            content_type: file.sniffed_type.clone(),
            classification,
            sharing: options.sharing,
            redacted_from: options.redacted_from,
            action_item: options.action_item,
            content_sha256: sha256(&file.bytes),
            size: file.bytes.len() as u64,
            bytes,
            created: now,
        };
        let from = match document.redacted_from {
            Some(original) => format!("redaction of document:{}", original.0),
            None => "upload".to_string(),
        };
        let actor = actor_of(uploader);
        let delivery = Delivery {
            actor: &actor,
            case_id,
            from: &from,
        };
        let receipt = custody(
            now,
            &delivery,
            &document.content_sha256,
            document.size,
            &document.content_type,
            &document.bytes,
        );
        let stored = self.workspace.add_document(&document, &[receipt])?;
        self.notify(Change::DocumentAdded {
            case_id: case_id.to_string(),
            document: stored.id,
        });
        Ok(stored)
    }

    /// A case's documents with their names, for staff who reach it. Names of sealed documents
    /// need the master key.
    pub fn documents(&self, staff: &User, case_id: &str) -> Result<Vec<DocumentView>, AppError> {
        self.authorize(staff, Action::ReadCase(case_id))?;
        self.workspace
            .documents(case_id)?
            .into_iter()
            .map(|d| self.named(d))
            .collect()
    }

    /// The documents of a granted case shared with this counterpart or respondent (and, for a
    /// respondent, those it answered with).
    pub fn shared_documents(
        &self,
        user: &User,
        case_id: &str,
    ) -> Result<Vec<DocumentView>, AppError> {
        self.authorize(user, Action::ReadShared(case_id))?;
        let shared = |d: &Document| match user.role {
            Role::Respondent => d.sharing.respondent,
            _ => d.sharing.counterparts,
        };
        let docs: Vec<Document> = self
            .workspace
            .documents(case_id)?
            .into_iter()
            .filter(shared)
            .collect();
        docs.into_iter().map(|d| self.named(d)).collect()
    }

    pub(crate) fn named(&self, d: Document) -> Result<DocumentView, AppError> {
        let name = match &d.name {
            Protected::Clear(n) => n.clone(),
            Protected::Sealed(s) => {
                self.vault()?
                    .open_text(&d.case_id, Purpose::DocumentName, s)?
            }
        };
        Ok(DocumentView {
            document: d,
            name: Confidential::new(name),
        })
    }

    /// Publishes or withdraws a public document of a case (supervisors and admins).
    pub fn set_document_published(
        &self,
        staff: &User,
        case_id: &str,
        id: FileId,
        published: bool,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.authorize(staff, Action::Publish(case_id))?;
        self.workspace
            .set_document_published(case_id, id, published)?;
        let action = match published {
            true => AuditAction::DocumentPublished,
            false => AuditAction::DocumentWithdrawn,
        };
        let e = entry(
            now,
            &actor_of(staff),
            action,
            Some(case_id),
            &format!("document:{}", id.0),
            json!({}),
        );
        self.record_audit(e)
    }

    /// A published case's published documents: public by classification, so no key is needed.
    pub fn public_documents(&self, case_id: &str) -> Result<Vec<Document>, AppError> {
        self.ensure_published(case_id)?;
        Ok(self
            .workspace
            .documents(case_id)?
            .into_iter()
            .filter(|d| d.published && d.classification == Classification::Public)
            .collect())
    }

    /// The bytes of a published document of a published case, checked against its hash.
    pub fn public_document(&self, case_id: &str, id: FileId) -> Result<OpenedFile, AppError> {
        let doc = self
            .public_documents(case_id)?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| AppError::NotFound(format!("document {} of case `{case_id}`", id.0)))?;
        let stored = self.stored_bytes(case_id, &doc.stored_sha256)?;
        let bytes =
            self.open_checked(case_id, Purpose::DocumentBytes, stored, false, &doc.sha256)?;
        let name = match doc.name {
            Protected::Clear(n) => n,
            Protected::Sealed(_) => format!("document-{}", id.0),
        };
        Ok(OpenedFile {
            name: Confidential::new(name),
            content_type: doc.content_type,
            bytes,
        })
    }
}
