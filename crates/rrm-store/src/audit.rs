//! The fifth storage seam: [`AuditLog`], the tamper-evident log of what happened around the
//! case record: custody of every file (who delivered which bytes, when, with which SHA-256),
//! every view or download of confidential material, every change of access, and key
//! operations. One chain for the whole installation: each entry carries the SHA-256 of its
//! predecessor, so `verify` finds any edit, deletion or reordering.
//!
//! Entries never hold confidential content: they name accounts by id, petitions by receipt,
//! files by hash, and carry only such facts in `detail`.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::{Hash, StoreResult};

/// Domain separator of audit hashes, so no audit entry can pass for a case event.
pub const AUDIT_DOMAIN: &[u8] = b"rrm-audit/1";

/// An entry to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub at: DateTime<Utc>,
    /// `operator`, `user:ID`, `petitioner:RECEIPT` or `public`.
    pub actor: String,
    /// What happened, a `snake_case` name from the application's closed list.
    pub action: String,
    pub case_id: Option<String>,
    /// What it happened to: `submission:RECEIPT`, `file:SHA256`, `note:ID`, `team:NAME`, ...
    pub subject: String,
    /// Further facts as a JSON object (hashes, sizes, roles); never confidential content.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// 1-based position in the log.
    pub seq: u64,
    pub entry: NewAuditEntry,
    pub prev_hash: Hash,
    pub hash: Hash,
}

/// Which entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub case_id: Option<String>,
    pub action: Option<String>,
    /// Only entries after this position (for paging forward).
    pub after_seq: Option<u64>,
    /// At most this many; `None` for all.
    pub limit: Option<u64>,
}

/// What `verify_audit` found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditReport {
    pub entries: u64,
    /// The first entry whose hash or link does not verify, with why.
    pub first_broken: Option<(u64, String)>,
}

pub trait AuditLog: Send + Sync {
    /// Appends entries at the head of the log, atomically, chaining each from the one before.
    fn append_audit(&self, entries: &[NewAuditEntry]) -> StoreResult<Vec<AuditEntry>>;

    /// Entries matching the filter, oldest first.
    fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>>;

    /// Recomputes the chain from the first entry.
    fn verify_audit(&self) -> StoreResult<AuditReport>;
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// The hash of entry `seq` after `prev`. `at` is hashed as RFC 3339 to the second, as stored.
pub fn audit_hash(prev: &Hash, seq: u64, e: &NewAuditEntry) -> Hash {
    let mut h = Sha256::new();
    field(&mut h, AUDIT_DOMAIN);
    h.update(prev);
    h.update(seq.to_be_bytes());
    field(
        &mut h,
        e.at.format("%Y-%m-%dT%H:%M:%SZ").to_string().as_bytes(),
    );
    field(&mut h, e.actor.as_bytes());
    field(&mut h, e.action.as_bytes());
    field(&mut h, e.case_id.as_deref().unwrap_or("").as_bytes());
    h.update([u8::from(e.case_id.is_some())]);
    field(&mut h, e.subject.as_bytes());
    field(&mut h, e.detail.as_bytes());
    h.finalize().into()
}

/// Checks entries read in order from the first: each links to its predecessor's hash (the
/// first to all zeros) and hashes to what it says. Backends share this check.
pub fn check_audit_chain(entries: impl IntoIterator<Item = AuditEntry>) -> AuditReport {
    let mut report = AuditReport::default();
    let mut prev: Hash = [0; 32];
    for e in entries {
        report.entries += 1;
        let expected_seq = report.entries;
        let problem = if e.seq != expected_seq {
            Some(format!(
                "position {} where {expected_seq} was expected",
                e.seq
            ))
        } else if e.prev_hash != prev {
            Some("does not link to the entry before it".to_string())
        } else if audit_hash(&prev, e.seq, &e.entry) != e.hash {
            Some("its content does not match its hash".to_string())
        } else {
            None
        };
        if let (Some(why), None) = (problem, &report.first_broken) {
            report.first_broken = Some((e.seq, why));
        }
        prev = e.hash;
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(subject: &str) -> NewAuditEntry {
        NewAuditEntry {
            at: "2026-11-24T10:00:00Z".parse().unwrap(),
            actor: "user:1".into(),
            action: "submission_viewed".into(),
            case_id: Some("a-2026".into()),
            subject: subject.into(),
            detail: "{}".into(),
        }
    }

    fn chain(subjects: &[&str]) -> Vec<AuditEntry> {
        let mut prev = [0; 32];
        let mut out = Vec::new();
        for (i, s) in subjects.iter().enumerate() {
            let e = entry(s);
            let hash = audit_hash(&prev, i as u64 + 1, &e);
            out.push(AuditEntry {
                seq: i as u64 + 1,
                entry: e,
                prev_hash: prev,
                hash,
            });
            prev = hash;
        }
        out
    }

    #[test]
    fn an_intact_chain_verifies_and_any_edit_is_named() {
        let good = chain(&["a", "b", "c"]);
        assert_eq!(
            check_audit_chain(good.clone()),
            AuditReport {
                entries: 3,
                first_broken: None
            }
        );
        let mut edited = good.clone();
        edited[1].entry.actor = "user:2".into();
        assert_eq!(check_audit_chain(edited).first_broken.map(|b| b.0), Some(2));
        let mut dropped = good.clone();
        dropped.remove(0);
        assert_eq!(
            check_audit_chain(dropped).first_broken.map(|b| b.0),
            Some(2)
        );
        let mut case_moved = good;
        case_moved[2].entry.case_id = None;
        assert_eq!(
            check_audit_chain(case_moved).first_broken.map(|b| b.0),
            Some(3)
        );
    }
}
