//! Reading the audit log page by page, and checking its chain, for those who may read it:
//! admins the whole log, supervisors and admins on a case's team that case's trail.
//!
//! Pages count from the newest entry, so page 1 is what happened last; the chain is verified
//! from the first entry whenever a page is read, so a reader always sees whether what is
//! listed can be trusted.

use rrm_store::{AuditEntry, AuditFilter, AuditReport, User};

use crate::access::Action;
use crate::{AppError, Rrm};

/// One page of the whole log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
    /// 1-based; page 1 holds the newest entries.
    pub page: u64,
    /// At least 1, even for an empty log.
    pub pages: u64,
    /// The whole chain, checked as this page was read.
    pub report: AuditReport,
}

impl Rrm {
    /// Page `page` (1 = newest) of the whole log, `per_page` entries a page (admins). A page
    /// past the last is empty, not an error.
    pub fn audit_page(&self, user: &User, page: u64, per_page: u64) -> Result<AuditPage, AppError> {
        self.authorize(user, Action::ReadAllAudit)?;
        if page == 0 || per_page == 0 {
            return Err(AppError::BadInput(
                "page: pages and page sizes count from 1".into(),
            ));
        }
        let report = self.audit_log.verify_audit()?;
        let total = report.entries;
        let end = total.saturating_sub((page - 1).saturating_mul(per_page));
        let start = end.saturating_sub(per_page);
        let filter = AuditFilter {
            after_seq: Some(start),
            limit: Some(end - start),
            ..AuditFilter::default()
        };
        let mut entries = match end {
            0 => Vec::new(),
            _ => self.audit_log.audit_entries(&filter)?,
        };
        entries.reverse();
        Ok(AuditPage {
            entries,
            page,
            pages: total.div_ceil(per_page).max(1),
            report,
        })
    }

    /// Checks the whole chain for someone who may read the trail of `case_id` (or, with
    /// `None`, the whole log).
    pub fn verify_audit_for(
        &self,
        user: &User,
        case_id: Option<&str>,
    ) -> Result<AuditReport, AppError> {
        match case_id {
            Some(case) => self.authorize(user, Action::ReadCaseAudit(case))?,
            None => self.authorize(user, Action::ReadAllAudit)?,
        }
        Ok(self.audit_log.verify_audit()?)
    }
}
