//! What staff do on a case besides recording events and documents — internal notes,
//! publication, reading the petition's confidential side — and what the public side asks
//! before showing anything: whether a case is published.
//!
//! Invariants: every staff operation passes [`Rrm::authorize`] first; confidential content is
//! opened only after its view is written to the audit log; every public read of a case passes
//! [`Rrm::ensure_published`] (an unpublished case is "no case", exactly as an unknown one), and
//! public deadline lists leave unpublished cases out.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use rrm_store::{Confidential, DeadlineQuery, EvidenceFile, EvidenceOwner, NewNote, User, UserId};
use serde_json::json;

use crate::access::Action;
use crate::audit::{actor_of, entry, AuditAction};
use crate::vault::Purpose;
use crate::{AppError, Change, DeadlineLine, DeadlineWindow, PetitionInput, Rrm};

/// A petition's confidential side, for staff.
#[derive(Debug, Clone)]
pub struct SubmissionView {
    pub receipt: String,
    pub created: DateTime<Utc>,
    pub content: Confidential<PetitionInput>,
    pub evidence: Vec<EvidenceView>,
}

/// An evidence file with its name opened.
#[derive(Debug, Clone)]
pub struct EvidenceView {
    pub file: EvidenceFile,
    pub name: Confidential<String>,
}

/// An internal note, opened.
#[derive(Debug, Clone)]
pub struct NoteView {
    pub id: i64,
    pub author: UserId,
    pub text: Confidential<String>,
    pub created: DateTime<Utc>,
}

/// Everything confidential about a case that its workspace shows.
#[derive(Debug, Clone)]
pub struct ConfidentialView {
    pub submission: Option<SubmissionView>,
    /// Evidence added to the case after filing.
    pub evidence: Vec<EvidenceView>,
    pub notes: Vec<NoteView>,
}

impl Rrm {
    pub fn add_note(
        &self,
        staff: &User,
        case_id: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<NoteView, AppError> {
        self.authorize(staff, Action::WorkOnCase(case_id))?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 20_000 {
            return Err(AppError::BadInput(
                "note: give 1 to 20,000 characters".into(),
            ));
        }
        let sealed = self.vault()?.seal_text(case_id, Purpose::Note, text, now)?;
        let note = self.workspace.add_note(&NewNote {
            case_id: case_id.to_string(),
            author: staff.id,
            text: sealed,
            created: now,
        })?;
        Ok(NoteView {
            id: note.id,
            author: note.author,
            text: Confidential::new(text.to_string()),
            created: note.created,
        })
    }

    /// Publishes or unpublishes a case (supervisors and admins on its team), audited.
    pub fn set_published(
        &self,
        staff: &User,
        case_id: &str,
        published: bool,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.authorize(staff, Action::Publish(case_id))?;
        self.workspace.set_published(case_id, published)?;
        self.notify(Change::PublicationChanged {
            case_id: case_id.to_string(),
            published,
        });
        let action = match published {
            true => AuditAction::CasePublished,
            false => AuditAction::CaseUnpublished,
        };
        let e = entry(
            now,
            &actor_of(staff),
            action,
            Some(case_id),
            &format!("case:{case_id}"),
            json!({}),
        );
        self.record_audit(e)
    }

    /// The petition's submission, evidence and the case's notes, opened. The view is written
    /// to the audit log first; if that fails, nothing is shown.
    pub fn confidential_view(
        &self,
        staff: &User,
        case_id: &str,
        now: DateTime<Utc>,
    ) -> Result<ConfidentialView, AppError> {
        self.authorize(staff, Action::ReadConfidential(case_id))?;
        let vault = self.vault()?;
        let submission = self.workspace.submission_for_case(case_id)?;
        let evidence = self
            .workspace
            .evidence(&EvidenceOwner::Case(case_id.to_string()))?;
        let filed = match &submission {
            Some(s) => self
                .workspace
                .evidence(&EvidenceOwner::Submission(s.receipt.clone()))?,
            None => Vec::new(),
        };
        let notes = self.workspace.notes(case_id)?;
        let detail = json!({
            "submission": submission.as_ref().map(|s| s.receipt.clone()),
            "evidence": filed.len() + evidence.len(),
            "notes": notes.len(),
        });
        let subject = format!("case:{case_id}");
        let viewed = entry(
            now,
            &actor_of(staff),
            AuditAction::ConfidentialViewed,
            Some(case_id),
            &subject,
            detail,
        );
        self.record_audit(viewed)?;
        let open_all = |files: Vec<EvidenceFile>| -> Result<Vec<EvidenceView>, AppError> {
            files
                .into_iter()
                .map(|file| {
                    let name = vault.open_text(case_id, Purpose::EvidenceName, &file.file_name)?;
                    Ok(EvidenceView {
                        file,
                        name: Confidential::new(name),
                    })
                })
                .collect()
        };
        let submission = match submission {
            None => None,
            Some(s) => {
                let text = vault.open_text(case_id, Purpose::Submission, &s.content)?;
                let content: PetitionInput = serde_json::from_str(&text).map_err(|e| {
                    AppError::Integrity(format!(
                        "the submission of case `{case_id}` does not parse: {e}"
                    ))
                })?;
                Some(SubmissionView {
                    receipt: s.receipt,
                    created: s.created,
                    content: Confidential::new(content),
                    evidence: open_all(filed)?,
                })
            }
        };
        let notes = notes
            .into_iter()
            .map(|n| {
                let text = vault.open_text(case_id, Purpose::Note, &n.text)?;
                Ok(NoteView {
                    id: n.id,
                    author: n.author,
                    text: Confidential::new(text),
                    created: n.created,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(ConfidentialView {
            submission,
            evidence: open_all(evidence)?,
            notes,
        })
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
