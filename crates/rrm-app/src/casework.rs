//! What staff do on a case besides recording events — internal notes, documents, publishing —
//! and what the public side asks before showing anything: whether a case is published.
//!
//! Invariant: every staff operation passes [`authorize`] first; every public read of a case
//! passes [`Rrm::ensure_published`] (an unpublished case is "no case", exactly as an unknown
//! one), and public deadline lists leave unpublished cases out.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use rrm_store::{
    Confidential, DeadlineQuery, Document, EvidenceFile, EvidenceOwner, NewDocument, NewNote, Note,
    User,
};

use crate::access::{authorize, Action};
use crate::evidence::{accept, Upload};
use crate::{AppError, Change, DeadlineLine, DeadlineWindow, PetitionInput, Rrm};

/// A petition's confidential side, for staff.
#[derive(Debug, Clone)]
pub struct SubmissionView {
    pub receipt: String,
    pub created: DateTime<Utc>,
    pub content: Confidential<PetitionInput>,
    pub evidence: Vec<EvidenceFile>,
}

impl Rrm {
    pub fn add_note(
        &self,
        staff: &User,
        case_id: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Note, AppError> {
        authorize(staff, Action::WorkOnCase(case_id))?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 20_000 {
            return Err(AppError::BadInput(
                "note: give 1 to 20,000 characters".into(),
            ));
        }
        Ok(self.workspace.add_note(&NewNote {
            case_id: case_id.to_string(),
            author: staff.id,
            text: Confidential::new(text.to_string()),
            created: now,
        })?)
    }

    /// Adds a document after checking its kind and size like petition evidence.
    pub fn add_document(
        &self,
        staff: &User,
        case_id: &str,
        upload: Upload,
        now: DateTime<Utc>,
    ) -> Result<Document, AppError> {
        authorize(staff, Action::WorkOnCase(case_id))?;
        let file = accept(upload, now)?;
        let document = self.workspace.add_document(&NewDocument {
            case_id: case_id.to_string(),
            uploader: staff.id,
            name: file.file_name,
            content_type: file.sniffed_type,
            bytes: file.bytes,
            created: now,
        })?;
        self.notify(Change::DocumentAdded {
            case_id: case_id.to_string(),
            document: document.id,
        });
        Ok(document)
    }

    /// Publishes or unpublishes a case (supervisors and admins).
    pub fn set_published(
        &self,
        staff: &User,
        case_id: &str,
        published: bool,
    ) -> Result<(), AppError> {
        authorize(staff, Action::Publish(case_id))?;
        self.workspace.set_published(case_id, published)?;
        self.notify(Change::PublicationChanged {
            case_id: case_id.to_string(),
            published,
        });
        Ok(())
    }

    /// The submission that opened a case, if a petition did, with its evidence.
    pub fn submission_view(
        &self,
        staff: &User,
        case_id: &str,
    ) -> Result<Option<SubmissionView>, AppError> {
        authorize(staff, Action::ReadCase(case_id))?;
        let Some(s) = self.workspace.submission_for_case(case_id)? else {
            return Ok(None);
        };
        let content: PetitionInput = serde_json::from_str(s.content.expose()).map_err(|e| {
            AppError::Integrity(format!(
                "the submission of case `{case_id}` does not parse: {e}"
            ))
        })?;
        let evidence = self
            .workspace
            .evidence(&EvidenceOwner::Submission(s.receipt.clone()))?;
        Ok(Some(SubmissionView {
            receipt: s.receipt,
            created: s.created,
            content: Confidential::new(content),
            evidence,
        }))
    }

    /// `NotFound`, as for an unknown case, unless the case is published.
    pub fn ensure_published(&self, case_id: &str) -> Result<(), AppError> {
        match self.workspace.is_published(case_id)? {
            true => Ok(()),
            false => Err(AppError::NotFound(case_id.to_string())),
        }
    }

    /// Running deadlines of published cases only, as [`Rrm::deadlines`] answers for all.
    pub fn public_deadlines(
        &self,
        as_of: NaiveDate,
        window: DeadlineWindow,
        limit: u64,
    ) -> Result<Vec<DeadlineLine>, AppError> {
        let hidden: HashSet<String> = self.workspace.unpublished()?.into_iter().collect();
        // Ask for as many more as the hidden cases have running, so the limit still holds.
        let mut extra = 0u64;
        for id in &hidden {
            let query = DeadlineQuery {
                due_from: None,
                due_to: None,
                case_id: Some(id.clone()),
                limit: u64::MAX,
            };
            extra += self.store.deadlines(&query)?.len() as u64;
        }
        let mut lines = self.deadlines(as_of, window, limit.saturating_add(extra))?;
        lines.retain(|l| !hidden.contains(&l.case));
        lines.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(lines)
    }
}
