//! What the audit log records, and reading it. Every view or download of confidential
//! material, every file's custody, every change of who reaches what and every key operation
//! is an entry in the tamper-evident log (`rrm_store::AuditLog`); a view whose entry cannot be
//! written is refused, so nothing confidential is shown unrecorded.
//!
//! Entries name accounts by id, petitions by receipt and files by SHA-256: the log itself
//! holds nothing confidential, so supervisors can read it freely.

use chrono::{DateTime, Utc};
use rrm_store::{AuditEntry, AuditFilter, Hash, NewAuditEntry, User};

use crate::access::Action;
use crate::{Actor, AppError, Rrm};

macro_rules! audit_actions {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        /// Everything the audit log records, by its name in the log.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum AuditAction { $($variant),+ }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(AuditAction::$variant => $name),+ }
            }
        }
    };
}

audit_actions! {
    FileReceived => "file_received",
    ConfidentialViewed => "confidential_viewed",
    FileDownloaded => "file_downloaded",
    SharedViewed => "shared_viewed",
    CasePublished => "case_published",
    CaseUnpublished => "case_unpublished",
    DocumentPublished => "document_published",
    DocumentWithdrawn => "document_withdrawn",
    TeamCreated => "team_created",
    TeamMemberAdded => "team_member_added",
    TeamMemberRemoved => "team_member_removed",
    CaseAssigned => "case_assigned",
    CaseUnassigned => "case_unassigned",
    GrantAdded => "grant_added",
    GrantRevoked => "grant_revoked",
    RoleChanged => "role_changed",
    AccountDisabled => "account_disabled",
    AccountEnabled => "account_enabled",
    MasterKeyRotated => "master_key_rotated",
    ConfidentialExported => "confidential_exported",
}

/// Hex of a hash, as entries name files.
pub fn hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// An entry; `detail` is a JSON object of facts that are not confidential.
pub fn entry(
    at: DateTime<Utc>,
    actor: &str,
    action: AuditAction,
    case_id: Option<&str>,
    subject: &str,
    detail: serde_json::Value,
) -> NewAuditEntry {
    NewAuditEntry {
        at,
        actor: actor.to_string(),
        action: action.as_str().to_string(),
        case_id: case_id.map(str::to_string),
        subject: subject.to_string(),
        detail: detail.to_string(),
    }
}

/// How a signed-in account appears in the log.
pub fn actor_of(user: &User) -> String {
    format!("user:{}", user.id.0)
}

impl Rrm {
    /// Appends one entry; the caller refuses what it was about to do if this fails.
    pub fn record_audit(&self, entry: NewAuditEntry) -> Result<(), AppError> {
        self.audit_log.append_audit(std::slice::from_ref(&entry))?;
        Ok(())
    }

    /// An entry for a change made by `actor`.
    pub(crate) fn audit_change(
        &self,
        actor: Actor<'_>,
        action: AuditAction,
        case_id: Option<&str>,
        subject: &str,
        detail: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let e = entry(now, &actor.audit_name(), action, case_id, subject, detail);
        self.record_audit(e)
    }

    /// A case's audit trail, for supervisors and admins who reach it.
    pub fn case_audit(&self, user: &User, case_id: &str) -> Result<Vec<AuditEntry>, AppError> {
        self.authorize(user, Action::ReadCaseAudit(case_id))?;
        let filter = AuditFilter {
            case_id: Some(case_id.to_string()),
            ..AuditFilter::default()
        };
        Ok(self.audit_log.audit_entries(&filter)?)
    }

    /// The newest entries of the whole log (admins), up to `limit`, oldest first.
    pub fn recent_audit(&self, user: &User, limit: u64) -> Result<Vec<AuditEntry>, AppError> {
        self.authorize(user, Action::ReadAllAudit)?;
        let all = self.audit_log.audit_entries(&AuditFilter::default())?;
        let skip = all
            .len()
            .saturating_sub(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(all.into_iter().skip(skip).collect())
    }
}
