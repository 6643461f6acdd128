//! File bytes in an external directory (`rrm_blobs::DirBlobStore`): the bytes live there and
//! not in the database, which keeps only the index (key and size, `bytes` null); the
//! workspace and vault suites pass with that placement too.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rrm_blobs::DirBlobStore;
use rrm_store::{
    key_hex, sha256, BlobPlacement, BlobStore, Classification, EvidenceOwner, NewDocument,
    Protected, Sharing, Store, UserId, Workspace,
};

use crate::store::case;
use crate::support::{at, entry, file, submission, Fresh, Schema};
use crate::workspace::{run_checks, vault_checks, workspace_checks};

#[test]
fn files_written_through_the_workspace_live_in_the_directory_only() {
    let dir = tempfile::tempdir().unwrap();
    let files = Arc::new(DirBlobStore::open(dir.path()).unwrap());
    let schema = Schema::new();
    let store = schema.store_with(BlobPlacement::External(files.clone()));
    let evidence = b"%PDF the evidence, which must not reach the database".as_slice();
    store
        .file_petition(
            &case("p-1", 1),
            &submission("RRM-AAAA-AAAA", "p-1"),
            &[file("acta.pdf", evidence)],
            &[entry("file:acta")],
        )
        .unwrap();
    let author = store
        .add_user(&rrm_store::NewUser {
            email: "ana@example.org".into(),
            display_name: "Ana".into(),
            password_hash: rrm_store::Confidential::new("$argon2id$x".into()),
            role: rrm_store::Role::Analyst,
            created: at("2026-12-01T10:00:00Z"),
        })
        .unwrap();
    let report = b"%PDF a public report".as_slice();
    store
        .add_document(
            &NewDocument {
                case_id: "p-1".into(),
                uploader: UserId(author.id.0),
                name: Protected::Clear("informe.pdf".into()),
                content_type: "application/pdf".into(),
                classification: Classification::Public,
                sharing: Sharing::default(),
                redacted_from: None,
                action_item: None,
                content_sha256: sha256(report),
                size: report.len() as u64,
                bytes: report.to_vec(),
                created: at("2026-12-01T10:05:00Z"),
            },
            &[entry("file:informe")],
        )
        .unwrap();

    for bytes in [evidence, report] {
        let key = sha256(bytes);
        let hex = key_hex(&key);
        let path = dir.path().join(&hex[..2]).join(&hex[2..4]).join(&hex);
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{}", path.display());
        assert_eq!(store.blob(&key).unwrap().as_deref(), Some(bytes));
    }
    assert_eq!(schema.count("select count(*) from blobs"), 2);
    assert_eq!(
        schema.count("select count(*) from blobs where bytes is not null"),
        0,
        "no bytes in the database"
    );
    let listed = store
        .evidence(&EvidenceOwner::Submission("RRM-AAAA-AAAA".into()))
        .unwrap();
    assert_eq!(listed[0].stored_sha256, sha256(evidence));

    let clean = store.verify_blobs(&mut |_| {}).unwrap();
    assert_eq!(
        (clean.blobs, clean.missing.len(), clean.orphans.len()),
        (2, 0, 0)
    );
    // Bytes no record names (a write that stopped before its transaction) are an orphan.
    let stray = files.put(b"put, then the server died").unwrap();
    assert_eq!(store.verify_blobs(&mut |_| {}).unwrap().orphans, [stray]);
    // A record whose bytes are gone is missing.
    files.delete(&sha256(report)).unwrap();
    assert_eq!(
        store.verify_blobs(&mut |_| {}).unwrap().missing,
        [sha256(report)]
    );
    assert_eq!(store.version().unwrap(), store.version().unwrap());
}

#[test]
fn the_workspace_and_vault_conform_with_files_in_a_directory() {
    let root = tempfile::tempdir().unwrap();
    let made = AtomicUsize::new(0);
    let fresh = Fresh::default();
    let make = || {
        let n = made.fetch_add(1, Ordering::Relaxed);
        let files = DirBlobStore::open(&root.path().join(n.to_string())).unwrap();
        fresh.store_with(BlobPlacement::External(Arc::new(files)))
    };
    run_checks("workspace (directory)", workspace_checks(), &make);
    run_checks("vault (directory)", vault_checks(), &make);
}

#[test]
fn the_database_as_a_blob_store_conforms() {
    rrm_store::conformance_blobs::run_all_blobs(&|check| {
        let schema = Schema::new();
        check(&schema.store().database_blobs());
    });
}
