//! Verifying what the case chains do not cover: the audit log's own chain, every stored file
//! against the hash it is stored under, every file record against its custody entry, and —
//! with the master key — every sealed file against the SHA-256 recorded when it was received.

use std::collections::HashSet;

use rrm_store::{AuditFilter, CaseFilter, Classification, EvidenceOwner, Hash, Sealed};
use serde_json::Value;

use crate::audit::{hex, AuditAction};
use crate::vault::Purpose;
use crate::{AppError, Rrm};

/// What [`Rrm::verify_vault`] found; `problems` empty means everything verified.
#[derive(Debug, Clone, Default)]
pub struct VaultReport {
    pub audit_entries: u64,
    pub stored_files: u64,
    pub stored_bytes: u64,
    pub file_records: u64,
    /// Sealed files opened and checked against their custody hash (0 without the key).
    pub opened: u64,
    /// Whether the master key was there to open sealed files.
    pub keyed: bool,
    pub problems: Vec<String>,
    /// What is not wrong but wants attention: objects of an external blob store that no
    /// record names (left by a write interrupted between its bytes and its record).
    pub warnings: Vec<String>,
}

/// A file record to check: its case, what kind, its hashes.
struct Record {
    case_id: String,
    what: String,
    content: Hash,
    stored: Hash,
    sealed: bool,
    purpose: Purpose,
}

impl Rrm {
    /// Checks the audit chain, every stored file, and every file record's custody; opens and
    /// rehashes sealed files when the master key is present. `progress` counts files.
    pub fn verify_vault(&self, progress: &mut dyn FnMut(u64)) -> Result<VaultReport, AppError> {
        let mut report = VaultReport {
            keyed: self.vault.is_some(),
            ..VaultReport::default()
        };
        let audit = self.audit_log.verify_audit()?;
        report.audit_entries = audit.entries;
        if let Some((seq, why)) = audit.first_broken {
            report
                .problems
                .push(format!("audit log entry {seq}: {why}"));
        }
        let blobs = self.workspace.verify_blobs(&mut |_| {})?;
        report.stored_files = blobs.blobs;
        report.stored_bytes = blobs.bytes;
        for h in &blobs.broken {
            report.problems.push(format!(
                "stored file {}: its bytes no longer match its hash",
                hex(h)
            ));
        }
        for h in &blobs.missing {
            report.problems.push(format!(
                "stored file {}: missing, though a record names it",
                hex(h)
            ));
        }
        for h in &blobs.orphans {
            report.warnings.push(format!(
                "stored file {}: no record names it (an orphan, left by an interrupted write)",
                hex(h)
            ));
        }
        let custody = self.custody_index()?;
        for (n, r) in self.file_records()?.into_iter().enumerate() {
            report.file_records += 1;
            if !custody.contains(&(r.case_id.clone(), r.content, r.stored)) {
                report.problems.push(format!(
                    "case `{}`: {} {} has no custody entry in the audit log",
                    r.case_id,
                    r.what,
                    hex(&r.content)
                ));
            }
            if report.keyed || !r.sealed {
                self.reopen(&r, &mut report);
            }
            progress(n as u64 + 1);
        }
        Ok(report)
    }

    /// Opens one file and checks it against its custody hash, noting a problem if it fails.
    fn reopen(&self, r: &Record, report: &mut VaultReport) {
        let result = self.stored_bytes(&r.case_id, &r.stored).and_then(|bytes| {
            self.open_checked(&r.case_id, r.purpose, bytes, r.sealed, &r.content)
        });
        match result {
            Ok(_) => report.opened += u64::from(r.sealed),
            Err(e) => report
                .problems
                .push(format!("{} {}: {e}", r.what, hex(&r.content))),
        }
    }

    /// (case, SHA-256 as received, SHA-256 as stored) of every custody entry.
    fn custody_index(&self) -> Result<HashSet<(String, Hash, Hash)>, AppError> {
        let filter = AuditFilter {
            action: Some(AuditAction::FileReceived.as_str().to_string()),
            ..AuditFilter::default()
        };
        let mut index = HashSet::new();
        for e in self.audit_log.audit_entries(&filter)? {
            let detail: Value = serde_json::from_str(&e.entry.detail).unwrap_or(Value::Null);
            let hash = |key: &str| detail[key].as_str().and_then(parse_hex);
            if let (Some(case), Some(content), Some(stored)) = (
                e.entry.case_id.clone(),
                hash("sha256"),
                hash("stored_sha256"),
            ) {
                index.insert((case, content, stored));
            }
        }
        Ok(index)
    }

    /// Every evidence file and document of every case.
    fn file_records(&self) -> Result<Vec<Record>, AppError> {
        let (rows, _) = self.store.list_cases(&CaseFilter::default())?;
        let mut out = Vec::new();
        for row in rows {
            let mut owners = vec![EvidenceOwner::Case(row.id.clone())];
            if let Some(s) = self.workspace.submission_for_case(&row.id)? {
                owners.push(EvidenceOwner::Submission(s.receipt));
            }
            for owner in owners {
                for f in self.workspace.evidence(&owner)? {
                    out.push(Record {
                        case_id: row.id.clone(),
                        what: "evidence".into(),
                        content: f.sha256,
                        stored: f.stored_sha256,
                        sealed: is_sealed(&f.file_name),
                        purpose: Purpose::EvidenceBytes,
                    });
                }
            }
            for d in self.workspace.documents(&row.id)? {
                out.push(Record {
                    case_id: row.id.clone(),
                    what: format!("document {}", d.id.0),
                    content: d.sha256,
                    stored: d.stored_sha256,
                    sealed: d.classification != Classification::Public,
                    purpose: Purpose::DocumentBytes,
                });
            }
        }
        Ok(out)
    }
}

/// Evidence is sealed whenever its name is (rows from before encryption are neither).
fn is_sealed(name: &Sealed) -> bool {
    name.0.starts_with(b"RRS1")
}

fn parse_hex(text: &str) -> Option<Hash> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}
