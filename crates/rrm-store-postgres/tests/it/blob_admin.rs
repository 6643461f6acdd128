//! Checking, sweeping and moving the files of a PostgreSQL database: a tampered or missing
//! object is found, an orphan is reported and swept once old enough, and `migrate_blobs` moves
//! every file between the database, a directory and S3 (the server `scripts/test.sh` starts),
//! verified.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use rrm_blobs::test_support::{fresh_bucket, s3_settings};
use rrm_blobs::{DirBlobStore, S3BlobStore};
use rrm_store::{
    key_hex, sha256, BlobKind, BlobPlacement, BlobStore, EvidenceOwner, Hash, StoreError, Workspace,
};
use rrm_store_postgres::PostgresStore;

use crate::placements::{add_file, connect, connect_with_dir};
use crate::support::Schema;

fn object_path(root: &Path, key: &Hash) -> PathBuf {
    let hex = key_hex(key);
    root.join(&hex[0..2]).join(&hex[2..4]).join(hex)
}

fn far_future() -> DateTime<Utc> {
    DateTime::from_timestamp(4_000_000_000, 0).unwrap()
}

#[test]
fn verify_finds_tampered_missing_and_orphaned_objects_in_a_directory() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    let files = tmp.path().join("files");
    let store = connect_with_dir(&schema, &files).unwrap();
    let tampered = add_file(&store, "a-2026", b"first");
    let gone = add_file(&store, "a-2026", b"second");
    let kept = add_file(&store, "a-2026", b"third");
    std::fs::write(object_path(&files, &tampered), b"edited").unwrap();
    std::fs::remove_file(object_path(&files, &gone)).unwrap();
    let orphan = DirBlobStore::open(&files)
        .unwrap()
        .put(b"never recorded")
        .unwrap();
    let report = store.verify_blobs(&mut |_| {}).unwrap();
    assert_eq!(report.broken, vec![tampered]);
    assert_eq!(report.missing, vec![gone]);
    assert_eq!(report.orphans, vec![orphan]);
    assert_eq!(report.blobs, 2, "the tampered and the intact one were read");
    assert!(store.blob(&kept).unwrap().is_some());
}

#[test]
fn a_sweep_deletes_old_orphans_only() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    let files = tmp.path().join("files");
    let store = connect_with_dir(&schema, &files).unwrap();
    let kept = add_file(&store, "a-2026", b"recorded");
    let orphan = DirBlobStore::open(&files)
        .unwrap()
        .put(b"left by a crash")
        .unwrap();
    let long_ago = DateTime::from_timestamp(1_000_000_000, 0).unwrap();
    let young = store.sweep_orphan_blobs(long_ago).unwrap();
    assert!(young.deleted.is_empty(), "written after the cut-off");
    let swept = store.sweep_orphan_blobs(far_future()).unwrap();
    assert_eq!(swept.deleted, vec![orphan]);
    assert!(!object_path(&files, &orphan).exists());
    assert!(
        object_path(&files, &kept).exists(),
        "a recorded file is never swept"
    );
    assert!(store.verify_blobs(&mut |_| {}).unwrap().orphans.is_empty());
}

#[test]
fn a_sweep_in_the_database_deletes_unreferenced_rows() {
    let schema = Schema::new();
    let store = connect(&schema).unwrap();
    let kept = add_file(&store, "a-2026", b"recorded");
    let stray = sha256(b"stray");
    schema.sql(&format!(
        "insert into blobs (sha256, size, bytes) values ('\\x{}', 5, 'stray')",
        key_hex(&stray)
    ));
    assert_eq!(
        store.verify_blobs(&mut |_| {}).unwrap().orphans,
        vec![stray]
    );
    let swept = store.sweep_orphan_blobs(far_future()).unwrap();
    assert_eq!(swept.deleted, vec![stray]);
    assert!(store.blob(&kept).unwrap().is_some());
    assert!(store.verify_blobs(&mut |_| {}).unwrap().orphans.is_empty());
}

fn s3_placement(bucket: &str) -> BlobPlacement {
    BlobPlacement::External(Arc::new(
        S3BlobStore::open(bucket, "rrm", &s3_settings()).unwrap(),
    ))
}

fn dir_placement(root: &Path) -> BlobPlacement {
    BlobPlacement::External(Arc::new(DirBlobStore::open(root).unwrap()))
}

fn assert_intact(store: &PostgresStore, keys: &[Hash], kind: BlobKind) {
    assert_eq!(store.blob_location().kind, kind);
    let report = store.verify_blobs(&mut |_| {}).unwrap();
    assert_eq!(report.blobs, keys.len() as u64, "{report:?}");
    assert!(
        report.broken.is_empty() && report.missing.is_empty(),
        "{report:?}"
    );
    for key in keys {
        assert_eq!(store.blob(key).unwrap().map(|b| sha256(&b)), Some(*key));
    }
}

/// How many rows of `blobs` still hold their bytes.
fn bytes_in_database(schema: &Schema) -> i64 {
    schema.count("select count(*) from blobs where bytes is not null")
}

#[test]
fn files_move_from_the_database_to_a_directory_to_s3_and_back() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    let store = connect(&schema).unwrap();
    let keys: Vec<_> = (0..5u8)
        .map(|i| add_file(&store, "a-2026", &[i; 300]))
        .collect();
    let files = tmp.path().join("files");
    let (store, report) = store
        .migrate_blobs(dir_placement(&files), &mut |_| {})
        .unwrap();
    assert_eq!(report.files, 5);
    assert_intact(&store, &keys, BlobKind::Directory);
    assert_eq!(
        bytes_in_database(&schema),
        0,
        "the database's copies are gone"
    );
    // The new file after a move goes to the new place.
    let later = add_file(&store, "a-2026", b"after the move");
    assert!(object_path(&files, &later).exists());
    let keys = [keys, vec![later]].concat();
    drop(store);
    assert!(
        connect(&schema).is_err(),
        "the database is no longer where files are"
    );
    let bucket = fresh_bucket();
    let store = connect_with_dir(&schema, &files).unwrap();
    let (store, _) = store
        .migrate_blobs(s3_placement(&bucket), &mut |_| {})
        .unwrap();
    assert_intact(&store, &keys, BlobKind::S3);
    let (store, report) = store
        .migrate_blobs(BlobPlacement::InDatabase, &mut |_| {})
        .unwrap();
    assert_eq!(report.to.spec, "database");
    assert_intact(&store, &keys, BlobKind::Database);
    drop(store);
    assert_intact(&connect(&schema).unwrap(), &keys, BlobKind::Database);
}

#[test]
fn files_move_from_the_database_to_a_directory_and_back() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    let store = connect(&schema).unwrap();
    let keys: Vec<_> = (0..3u8)
        .map(|i| add_file(&store, "a-2026", &[i; 100]))
        .collect();
    let files = tmp.path().join("files");
    let (store, _) = store
        .migrate_blobs(dir_placement(&files), &mut |_| {})
        .unwrap();
    assert_intact(&store, &keys, BlobKind::Directory);
    let (store, report) = store
        .migrate_blobs(BlobPlacement::InDatabase, &mut |_| {})
        .unwrap();
    assert_eq!((report.files, report.to.spec.as_str()), (3, "database"));
    assert_intact(&store, &keys, BlobKind::Database);
    assert_eq!(bytes_in_database(&schema), 3);
}

#[test]
fn a_move_to_another_installations_store_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let theirs = tmp.path().join("theirs");
    let (a, b) = (Schema::new(), Schema::new());
    add_file(&connect_with_dir(&b, &theirs).unwrap(), "b-2026", b"b");
    let key = add_file(&connect(&a).unwrap(), "a-2026", b"ours");
    let store = connect(&a).unwrap();
    let err = store
        .migrate_blobs(dir_placement(&theirs), &mut |_| {})
        .unwrap_err();
    assert!(
        err.to_string().contains("another rrm installation"),
        "{err}"
    );
    assert_intact(&connect(&a).unwrap(), &[key], BlobKind::Database);
}

#[test]
fn a_move_of_a_missing_file_is_refused_and_changes_nothing() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    let files = tmp.path().join("files");
    let store = connect_with_dir(&schema, &files).unwrap();
    let key = add_file(&store, "a-2026", b"about to vanish");
    std::fs::remove_file(object_path(&files, &key)).unwrap();
    let err = store
        .migrate_blobs(BlobPlacement::InDatabase, &mut |_| {})
        .unwrap_err();
    assert!(err.to_string().contains("missing or damaged"), "{err}");
    let kind = connect_with_dir(&schema, &files)
        .unwrap()
        .blob_location()
        .kind;
    assert_eq!(kind, BlobKind::Directory);
}

#[test]
fn a_server_still_on_the_old_place_cannot_write_after_another_moved_the_files() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let behind = connect_with_dir(&schema, &old).unwrap();
    let first = add_file(&behind, "a-2026", b"before the move");
    let mover = connect_with_dir(&schema, &old).unwrap();
    let (moved, _) = mover
        .migrate_blobs(dir_placement(&new), &mut |_| {})
        .unwrap();
    let refused = behind.add_evidence(
        &EvidenceOwner::Case("a-2026".into()),
        &crate::support::file("late.pdf", b"after the move"),
        &[],
    );
    let err = refused.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("were moved to `dir:"), "{err}");
    assert_intact(&moved, &[first], BlobKind::Directory);
}
