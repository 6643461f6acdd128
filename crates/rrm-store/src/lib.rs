//! The storage seam of rrm: one [`Store`] trait that every backend implements (SQLite now,
//! PostgreSQL later), the records it keeps, the SHA-256 hash chain, and a conformance suite.
//!
//! Architecture invariants:
//! - Events are append-only. Each carries the SHA-256 of its predecessor (the first carries
//!   the hash of the case header), so any edit, deletion or reordering breaks the chain and
//!   `verify` names the first broken event.
//! - Appends are transactional and optimistic: an append names the head it expects, and a
//!   concurrent append to the same case makes it fail with [`StoreError::Conflict`], never fork.
//! - The store knows nothing of procedures. Projections (stage, open clocks by due date, facet
//!   columns) are computed by the caller with the engine and written in the same transaction
//!   as the events they derive from.
//! - Beside the case record, [`Workspace`] keeps the staff workspace and petition intake:
//!   users, sessions, tokens, confidential submissions, evidence, notes, documents, and which
//!   cases are published; and sign-in security: login throttles and lockouts, TOTP second
//!   factors, recovery codes and sign-ins waiting for their second factor.
//! - File bytes live in the backend's database or in an external [`BlobStore`] (a directory,
//!   S3-compatible storage), content-addressed; an external store is written before the
//!   record that names its object, so a crash leaves an orphan, never a record without bytes.

mod access;
mod audit;
mod auth_records;
mod blob_settle;
mod blobs;
mod chain;
pub mod chain_check;
mod confidential;
pub mod conformance;
pub mod conformance_access;
pub mod conformance_blobs;
pub mod conformance_reminders;
pub mod conformance_transfer;
pub mod conformance_vault;
pub mod conformance_workspace;
pub mod instant;
mod keys;
mod records;
mod reminders;
pub mod tables;
mod workspace;
mod workspace_records;

pub use access::{AccessControl, Reach, Team, TeamId};
pub use audit::{
    audit_hash, check_audit_chain, AuditEntry, AuditFilter, AuditLog, AuditReport, NewAuditEntry,
    AUDIT_DOMAIN,
};
pub use auth_records::*;
pub use blob_settle::{claim, settle_placement};
pub use blobs::{
    check_blobs, copy_blobs, key_hex, orphans, parse_key, BlobEntry, BlobKind, BlobLocation,
    BlobPlacement, BlobRecord, BlobStore,
};
pub use chain::{event_hash, header_hash, Hash, GENESIS_DOMAIN};
pub use confidential::Confidential;
pub use keys::{KeyStore, Sealed, WrappedKey};
pub use records::*;
pub use reminders::{Notice, Reminder, Reminders};
pub use tables::{RowWriter, TableDigest, TableShape, Tables, Value};
pub use workspace::Workspace;
pub use workspace_records::*;

/// What can go wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no case `{0}`")]
    NotFound(String),
    /// Someone else wrote first: the case exists, or its head moved.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("storage error: {0}")]
    Other(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Persistent case storage. Implementations must pass [`conformance::run_all`].
pub trait Store: Send + Sync {
    /// Creates cases with their first events and projections, all or nothing (one
    /// transaction for the whole batch). Fails with `Conflict` if any case id exists.
    fn create_cases(&self, cases: &[NewCase]) -> StoreResult<()>;

    /// Appends events to a case whose head is `expected_head` (its number of events), and
    /// replaces its projection, atomically. Returns the stored events with their hashes.
    fn append(
        &self,
        case_id: &str,
        expected_head: u64,
        events: &[NewEvent],
        projection: &Projection,
    ) -> StoreResult<Vec<StoredEvent>>;

    /// The case header and head, or `None`.
    fn case(&self, case_id: &str) -> StoreResult<Option<StoredCase>>;

    /// Every event of a case in order.
    fn events(&self, case_id: &str) -> StoreResult<Vec<StoredEvent>>;

    /// Case summaries matching the filter, and how many match in all.
    fn list_cases(&self, filter: &CaseFilter) -> StoreResult<(Vec<CaseRow>, u64)>;

    /// Running deadlines with due dates in the query's range, earliest first.
    fn deadlines(&self, query: &DeadlineQuery) -> StoreResult<Vec<DeadlineRow>>;

    /// Panel determinations of a denial recorded for a facility, excluding one case.
    fn denial_determinations(&self, facility_key: &str, excluding_case: &str) -> StoreResult<u32>;

    /// Recomputes every chain; reports the first broken event of each broken case.
    fn verify(&self, progress: &mut dyn FnMut(u64)) -> StoreResult<VerifyReport>;

    /// Counts and sizes.
    fn stats(&self) -> StoreResult<StoreStats>;

    /// A number that changes whenever anything in the store changes (cases, events, and the
    /// backend's workspace records); equal numbers mean nothing changed. Caches of derived
    /// views check it on every request, so backends should answer it without a scan. The
    /// default counts cases and events, which is exact for an append-only store without
    /// workspace records, but scans.
    fn version(&self) -> StoreResult<u64> {
        let s = self.stats()?;
        Ok(s.cases.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ s.events)
    }

    /// [`Store::version`] if it can be answered at once without waiting for a busy
    /// connection; `None` means "ask `version` from a thread that may block".
    fn try_version(&self) -> Option<StoreResult<u64>> {
        None
    }
}

/// Everything one backend keeps: the case record, the workspace, access control, wrapped data
/// keys, the audit log and the reminders sent, in one database so that they can share transactions.
pub trait Backend: Store + Workspace + AccessControl + KeyStore + AuditLog + Reminders {}

impl<B: Store + Workspace + AccessControl + KeyStore + AuditLog + Reminders> Backend for B {}
