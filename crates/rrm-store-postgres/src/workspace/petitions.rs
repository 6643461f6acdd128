//! Petitions as filed (their case, submission, evidence and custody in one transaction) and
//! evidence added later (SQLite's `workspace/petitions.rs`).
//!
//! Placeholders until ported: each returns an error naming the method.

use postgres::Client;

use rrm_store::{
    BlobPlacement, EvidenceFile, EvidenceOwner, NewAuditEntry, NewCase, NewFile, NewSubmission,
    StoreResult, Submission,
};

use crate::error::not_implemented;

pub(super) fn file_petition(
    _client: &mut Client,
    _placement: &BlobPlacement,
    _case: &NewCase,
    _submission: &NewSubmission,
    _evidence: &[NewFile],
    _custody: &[NewAuditEntry],
) -> StoreResult<()> {
    Err(not_implemented("file_petition"))
}

pub(super) fn submission_by_receipt(
    _client: &mut Client,
    _receipt: &str,
) -> StoreResult<Option<Submission>> {
    Err(not_implemented("submission"))
}

pub(super) fn submission_for_case(
    _client: &mut Client,
    _case_id: &str,
) -> StoreResult<Option<Submission>> {
    Err(not_implemented("submission_for_case"))
}

pub(super) fn add_evidence(
    _client: &mut Client,
    _placement: &BlobPlacement,
    _owner: &EvidenceOwner,
    _file: &NewFile,
    _custody: &[NewAuditEntry],
) -> StoreResult<EvidenceFile> {
    Err(not_implemented("add_evidence"))
}

pub(super) fn evidence(
    _client: &mut Client,
    _owner: &EvidenceOwner,
) -> StoreResult<Vec<EvidenceFile>> {
    Err(not_implemented("evidence"))
}
