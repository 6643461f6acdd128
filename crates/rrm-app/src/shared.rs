//! What a counterpart or respondent sees of the cases granted to them: the case's record as
//! the public case page shows it (even while the case is unpublished, since it was granted),
//! and the documents shared with their kind of account.
//!
//! Invariants: every read passes [`Rrm::authorize`] with `Action::ReadShared` first (a case not
//! granted is "no such case"); petitioners whose names are not public are removed before the
//! view leaves this module, because a respondent is the employer a petition accuses; and each
//! view of a case is written to the audit log before it is returned.

use chrono::{DateTime, NaiveDate, Utc};
use rrm_store::User;
use serde_json::json;

use crate::access::Action;
use crate::audit::{actor_of, entry, AuditAction};
use crate::{AppError, CaseView, DocumentView, Rrm};

/// A granted case as its counterpart or respondent sees it.
#[derive(Debug, Clone)]
pub struct SharedCase {
    /// The case as of a date, with only public petitioners.
    pub view: CaseView,
    /// The documents shared with this kind of account (a respondent's answers among them).
    pub documents: Vec<DocumentView>,
}

impl Rrm {
    /// The ids of the cases granted to a counterpart or respondent, in id order.
    pub fn shared_cases(&self, user: &User) -> Result<Vec<String>, AppError> {
        let mut granted = Vec::new();
        for id in self.access.cases_of(user.id)? {
            match self.authorize(user, Action::ReadShared(&id)) {
                Ok(()) => granted.push(id),
                // Reached some other way than a grant: not a shared case.
                Err(AppError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(granted)
    }

    /// A granted case as of `as_of`, with its shared documents; the view is audited
    /// (`shared_viewed`, subject `case:ID`) before it is returned.
    pub fn shared_case(
        &self,
        user: &User,
        case_id: &str,
        as_of: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<SharedCase, AppError> {
        let documents = self.shared_documents(user, case_id)?;
        let mut view = self.case_view(case_id, as_of)?;
        view.header.petitioners.retain(|p| p.public);
        let viewed = entry(
            now,
            &actor_of(user),
            AuditAction::SharedViewed,
            Some(case_id),
            &format!("case:{case_id}"),
            json!({"documents": documents.len()}),
        );
        self.record_audit(viewed)?;
        Ok(SharedCase { view, documents })
    }
}
