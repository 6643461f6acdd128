//! The conformance suite of [`KeyStore`] and [`AuditLog`]: data keys kept once and rotated all
//! together, an audit chain that verifies and names an edit, and custody entries that commit
//! or fail together with the files they describe.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::conformance_workspace::fixtures::{at, file, petition_case, stored, submission};
use crate::{
    sha256, AuditFilter, AuditLog, EvidenceOwner, KeyStore, NewAuditEntry, Store, StoreError,
    Workspace, WrappedKey,
};

/// A backend as every trait these checks need.
pub struct Vault<'a> {
    pub store: &'a dyn Store,
    pub workspace: &'a dyn Workspace,
    pub keys: &'a dyn KeyStore,
    pub audit: &'a dyn AuditLog,
}

pub type VaultCheck = fn(&Vault<'_>);

pub const VAULT_CHECKS: &[(&str, VaultCheck)] = &[
    ("a_case_key_is_kept_once", a_case_key_is_kept_once),
    (
        "rotation_rewraps_every_key_or_none",
        rotation_rewraps_every_key_or_none,
    ),
    (
        "the_audit_log_chains_and_filters",
        the_audit_log_chains_and_filters,
    ),
    (
        "custody_commits_with_its_files",
        custody_commits_with_its_files,
    ),
    ("stored_files_are_rehashed", stored_files_are_rehashed),
    (
        "a_refused_write_leaves_no_record_without_bytes",
        a_refused_write_leaves_no_record_without_bytes,
    ),
];

/// Runs every check, each against a fresh backend made by `make`.
///
/// # Panics
/// On the first failing check, after the failure's own message, with the check's name.
pub fn run_all_vault<B: Store + Workspace + KeyStore + AuditLog>(make: &dyn Fn() -> B) {
    for (name, check) in VAULT_CHECKS {
        let b = make();
        let vault = Vault {
            store: &b,
            workspace: &b,
            keys: &b,
            audit: &b,
        };
        if catch_unwind(AssertUnwindSafe(|| check(&vault))).is_err() {
            panic!("vault conformance check `{name}` failed (its message is above)");
        }
    }
}

fn key(case: &str, version: u32, master: &str, byte: u8) -> WrappedKey {
    WrappedKey {
        case_id: case.into(),
        version,
        master_id: master.into(),
        wrapped: vec![byte; 72],
        created: at("2026-11-24T09:00:00Z"),
    }
}

/// Adding a key that exists returns the stored one; versions are kept apart.
pub fn a_case_key_is_kept_once(v: &Vault<'_>) {
    assert_eq!(v.keys.case_key("a-2026").expect("read"), None);
    let first = v
        .keys
        .add_case_key(&key("a-2026", 1, "m1", 1))
        .expect("add");
    let racing = v
        .keys
        .add_case_key(&key("a-2026", 1, "m1", 2))
        .expect("add");
    assert_eq!(racing, first, "the first writer's key wins");
    v.keys
        .add_case_key(&key("a-2026", 2, "m1", 3))
        .expect("add");
    v.keys
        .add_case_key(&key("b-2026", 1, "m1", 4))
        .expect("add");
    assert_eq!(
        v.keys.case_key("a-2026").expect("read").map(|k| k.version),
        Some(2)
    );
    let v1 = v.keys.case_key_version("a-2026", 1).expect("read");
    assert_eq!(v1.map(|k| k.wrapped), Some(vec![1; 72]));
    let all: Vec<(String, u32)> = v
        .keys
        .case_keys()
        .expect("read")
        .into_iter()
        .map(|k| (k.case_id, k.version))
        .collect();
    assert_eq!(
        all,
        [
            ("a-2026".into(), 1),
            ("a-2026".into(), 2),
            ("b-2026".into(), 1)
        ]
    );
}

/// A rotation replaces every wrapping at once, from the master key named, and nothing else.
pub fn rotation_rewraps_every_key_or_none(v: &Vault<'_>) {
    v.keys
        .add_case_key(&key("a-2026", 1, "m1", 1))
        .expect("add");
    v.keys
        .add_case_key(&key("b-2026", 1, "m1", 2))
        .expect("add");
    let rewrapped = [key("a-2026", 1, "m2", 9), key("b-2026", 1, "m2", 8)];
    let wrong_master = v.keys.rewrap_case_keys("m0", &rewrapped);
    assert!(
        matches!(wrong_master, Err(StoreError::Conflict(_))),
        "{wrong_master:?}"
    );
    let partial = v.keys.rewrap_case_keys("m1", &rewrapped[..1]);
    assert!(
        matches!(partial, Err(StoreError::Conflict(_))),
        "{partial:?}"
    );
    assert_eq!(
        v.keys
            .case_key("a-2026")
            .expect("read")
            .map(|k| k.master_id),
        Some("m1".into())
    );
    assert_eq!(
        v.keys.rewrap_case_keys("m1", &rewrapped).expect("rotate"),
        2
    );
    let after = v.keys.case_keys().expect("read");
    assert!(after.iter().all(|k| k.master_id == "m2"), "{after:?}");
    assert_eq!(after[1].wrapped, vec![8; 72]);
}

fn entry(action: &str, case: Option<&str>, subject: &str) -> NewAuditEntry {
    NewAuditEntry {
        at: at("2026-11-24T10:00:00Z"),
        actor: "user:1".into(),
        action: action.into(),
        case_id: case.map(str::to_string),
        subject: subject.into(),
        detail: r#"{"k":"v"}"#.into(),
    }
}

/// Entries chain from zero, read back whole and in order, filter by case and action, page
/// forward, and verify.
pub fn the_audit_log_chains_and_filters(v: &Vault<'_>) {
    assert_eq!(v.audit.verify_audit().expect("verify").entries, 0);
    let first = v
        .audit
        .append_audit(&[entry(
            "submission_viewed",
            Some("a-2026"),
            "submission:RRM-1",
        )])
        .expect("append");
    assert_eq!((first[0].seq, first[0].prev_hash), (1, [0; 32]));
    let more = v
        .audit
        .append_audit(&[
            entry("file_downloaded", Some("a-2026"), "file:ab"),
            entry("team_member_added", None, "team:autos"),
        ])
        .expect("append");
    assert_eq!(more[0].prev_hash, first[0].hash);
    assert_eq!(more[1].seq, 3);
    let all = v
        .audit
        .audit_entries(&AuditFilter::default())
        .expect("read");
    assert_eq!(all.len(), 3);
    assert_eq!(all[1], more[0]);
    let of_case = AuditFilter {
        case_id: Some("a-2026".into()),
        ..AuditFilter::default()
    };
    assert_eq!(v.audit.audit_entries(&of_case).expect("read").len(), 2);
    let downloads = AuditFilter {
        action: Some("file_downloaded".into()),
        ..AuditFilter::default()
    };
    assert_eq!(
        v.audit.audit_entries(&downloads).expect("read"),
        [more[0].clone()]
    );
    let page = AuditFilter {
        after_seq: Some(1),
        limit: Some(1),
        ..AuditFilter::default()
    };
    assert_eq!(
        v.audit.audit_entries(&page).expect("read"),
        [more[0].clone()]
    );
    let report = v.audit.verify_audit().expect("verify");
    assert_eq!((report.entries, report.first_broken), (3, None));
}

/// Custody entries land with their files, and a refused petition leaves none.
pub fn custody_commits_with_its_files(v: &Vault<'_>) {
    let custody = |subject: &str| entry("file_received", Some("planta-2026"), subject);
    v.workspace
        .file_petition(
            &petition_case("planta-2026"),
            &submission("RRM-AAAA-AAAA", "planta-2026"),
            &[file("acta.pdf", b"%PDF uno")],
            &[custody("file:uno")],
        )
        .expect("file");
    let refused = v.workspace.file_petition(
        &petition_case("planta-2026"),
        &submission("RRM-BBBB-BBBB", "planta-2026"),
        &[file("otro.pdf", b"%PDF dos")],
        &[custody("file:dos")],
    );
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let added = v.workspace.add_evidence(
        &EvidenceOwner::Case("planta-2026".into()),
        &file("tres.pdf", b"%PDF tres"),
        &[custody("file:tres")],
    );
    added.expect("evidence");
    let orphan = v.workspace.add_evidence(
        &EvidenceOwner::Case("nope".into()),
        &file("cuatro.pdf", b"%PDF cuatro"),
        &[custody("file:cuatro")],
    );
    assert!(orphan.is_err());
    let subjects: Vec<String> = v
        .audit
        .audit_entries(&AuditFilter::default())
        .expect("read")
        .into_iter()
        .map(|e| e.entry.subject)
        .collect();
    assert_eq!(subjects, ["file:uno", "file:tres"]);
    assert_eq!(v.audit.verify_audit().expect("verify").first_broken, None);
}

/// Every stored file is rehashed; a clean store reports nothing broken or missing.
pub fn stored_files_are_rehashed(v: &Vault<'_>) {
    v.workspace
        .file_petition(
            &petition_case("planta-2026"),
            &submission("RRM-AAAA-AAAA", "planta-2026"),
            &[file("a.pdf", b"%PDF a"), file("b.pdf", b"%PDF bb")],
            &[],
        )
        .expect("file");
    let mut seen = 0;
    let report = v.workspace.verify_blobs(&mut |n| seen = n).expect("verify");
    assert_eq!(report.blobs, 2);
    assert_eq!(
        report.bytes,
        (stored(b"%PDF a").len() + stored(b"%PDF bb").len()) as u64
    );
    assert!(
        report.broken.is_empty() && report.missing.is_empty(),
        "{report:?}"
    );
    assert_eq!(seen, 2);
    let kept = v.workspace.blob(&sha256(&stored(b"%PDF a"))).expect("blob");
    assert_eq!(kept, Some(stored(b"%PDF a")));
}

/// A write refused after the bytes went to an external store leaves them as an orphan at
/// most, never a record without bytes; a later write of the same file finds them again.
pub fn a_refused_write_leaves_no_record_without_bytes(v: &Vault<'_>) {
    v.workspace
        .file_petition(
            &petition_case("a-2026"),
            &submission("RRM-AAAA-AAAA", "a-2026"),
            &[],
            &[],
        )
        .expect("file");
    let refused = v.workspace.file_petition(
        &petition_case("a-2026"),
        &submission("RRM-BBBB-BBBB", "a-2026"),
        &[file("x.pdf", b"%PDF refused")],
        &[],
    );
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let key = sha256(&stored(b"%PDF refused"));
    assert_eq!(
        v.workspace.blob(&key).expect("blob"),
        None,
        "no record names it"
    );
    let report = v.workspace.verify_blobs(&mut |_| {}).expect("verify");
    assert!(
        report.missing.is_empty() && report.broken.is_empty(),
        "{report:?}"
    );
    assert!(
        report.orphans.iter().all(|o| *o == key),
        "only the refused file can be an orphan: {report:?}"
    );
    let owner = EvidenceOwner::Case("a-2026".into());
    let added = v
        .workspace
        .add_evidence(&owner, &file("x.pdf", b"%PDF refused"), &[])
        .expect("add");
    assert_eq!(added.stored_sha256, key);
    assert_eq!(
        v.workspace.blob(&key).expect("blob"),
        Some(stored(b"%PDF refused"))
    );
    let report = v.workspace.verify_blobs(&mut |_| {}).expect("verify");
    assert!(
        report.orphans.is_empty() && report.missing.is_empty(),
        "{report:?}"
    );
    assert_eq!(report.blobs, 1);
}
