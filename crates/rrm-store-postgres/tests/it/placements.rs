//! A PostgreSQL database remembers where its files are, as a SQLite data directory does:
//! connecting with another place is refused with both places named, a store another
//! installation marked is refused, a directory moved as a whole is followed; and the
//! workspace and vault suites pass with the files in S3 (the server `scripts/test.sh`
//! starts; these tests fail without it).

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::DateTime;

use rrm_blobs::test_support::{fresh_bucket, s3_settings};
use rrm_blobs::{DirBlobStore, S3BlobStore};
use rrm_store::{
    BlobKind, BlobLocation, BlobPlacement, EvidenceOwner, Hash, NewFile, Sealed, Store,
    StoreResult, Workspace,
};
use rrm_store_postgres::PostgresStore;

use crate::store::case;
use crate::support::Schema;
use crate::workspace::{run_checks, vault_checks, workspace_checks};

/// Connects to `schema` with files in the directory `dir`.
pub fn connect_with_dir(schema: &Schema, dir: &Path) -> StoreResult<PostgresStore> {
    let dir = dir.to_path_buf();
    PostgresStore::connect_with_blobs(&schema.url(), &move |_| {
        Ok(BlobPlacement::External(Arc::new(DirBlobStore::open(&dir)?)))
    })
}

/// Connects to `schema` with files in the database.
pub fn connect(schema: &Schema) -> StoreResult<PostgresStore> {
    PostgresStore::connect_with_blobs(&schema.url(), &|_| Ok(BlobPlacement::InDatabase))
}

/// Puts one evidence file of `content` on case `case_id` (created if needed); its stored key.
pub fn add_file(store: &PostgresStore, case_id: &str, content: &[u8]) -> Hash {
    if store.case(case_id).unwrap().is_none() {
        store.create_cases(&[case(case_id, 1)]).unwrap();
    }
    let file = NewFile {
        file_name: Sealed(b"sealed name".to_vec()),
        declared_type: "application/pdf".into(),
        sniffed_type: "application/pdf".into(),
        content_sha256: rrm_store::sha256(content),
        size: content.len() as u64,
        bytes: content.to_vec(),
        created: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
    };
    let owner = EvidenceOwner::Case(case_id.into());
    store
        .add_evidence(&owner, &file, &[])
        .unwrap()
        .stored_sha256
}

/// Connects to `schema` with files under `prefix` of `bucket` on the test S3 server.
fn connect_with_s3(schema: &Schema, bucket: &str, prefix: &str) -> StoreResult<PostgresStore> {
    PostgresStore::connect_with_blobs(&schema.url(), &|_| {
        let files = S3BlobStore::open(bucket, prefix, &s3_settings())?;
        Ok(BlobPlacement::External(Arc::new(files)))
    })
}

#[test]
fn the_workspace_and_vault_conform_with_files_in_s3() {
    let schemas = Mutex::new(Vec::new());
    let make = || {
        let schema = Schema::new();
        let store = connect_with_s3(&schema, &fresh_bucket(), "files").unwrap();
        schemas.lock().unwrap().push(schema);
        store
    };
    run_checks("workspace (s3)", workspace_checks(), &make);
    run_checks("vault (s3)", vault_checks(), &make);
}

#[test]
fn an_s3_prefix_is_marked_and_another_installations_is_refused() {
    let (a, b, bucket) = (Schema::new(), Schema::new(), fresh_bucket());
    let key = add_file(
        &connect_with_s3(&a, &bucket, "a").unwrap(),
        "a-2026",
        b"a's",
    );
    let store = connect_with_s3(&a, &bucket, "a").unwrap();
    assert_eq!(store.blob_location().kind, BlobKind::S3);
    assert_eq!(store.blob(&key).unwrap().as_deref(), Some(&b"a's"[..]));
    let err = connect_with_s3(&b, &bucket, "a").unwrap_err().to_string();
    assert!(
        err.contains("holds the files of another rrm installation"),
        "{err}"
    );
    connect_with_s3(&b, &bucket, "b").expect("a prefix of its own");
}

#[test]
fn a_new_database_takes_a_directory_and_remembers_it() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    let files = tmp.path().join("files");
    let key = add_file(
        &connect_with_dir(&schema, &files).unwrap(),
        "a-2026",
        b"sealed bytes",
    );
    assert!(
        files.join("rrm-blobs-owner").exists(),
        "the directory is marked"
    );
    let told = Mutex::new(None);
    let reopened = PostgresStore::connect_with_blobs(&schema.url(), &|recorded| {
        *told.lock().unwrap() = Some(recorded.clone());
        Ok(BlobPlacement::External(Arc::new(DirBlobStore::open(
            &files,
        )?)))
    })
    .unwrap();
    let recorded = told.lock().unwrap().clone().unwrap();
    assert_eq!(recorded.kind, BlobKind::Directory);
    let spec = format!("dir:{}", files.canonicalize().unwrap().display());
    assert_eq!(recorded.spec, spec);
    assert_eq!(
        reopened.blob(&key).unwrap().as_deref(),
        Some(&b"sealed bytes"[..])
    );
    drop(reopened);
    let err = connect(&schema).unwrap_err().to_string();
    assert!(
        err.contains(&format!("keeps its files in `{spec}`"))
            && err.contains("opened with `--blobs database`"),
        "names both: {err}"
    );
}

#[test]
fn a_database_holding_files_refuses_an_external_store() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    add_file(&connect(&schema).unwrap(), "a-2026", b"in the database");
    let err = connect_with_dir(&schema, &tmp.path().join("files"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("keeps its files in `database`")
            && err.contains("rrm blobs migrate --to dir:"),
        "{err}"
    );
    let store = connect(&schema).unwrap();
    assert_eq!(store.blob_location(), BlobLocation::database(), "unchanged");
}

#[test]
fn another_installations_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let files = tmp.path().join("shared");
    let (a, b) = (Schema::new(), Schema::new());
    add_file(&connect_with_dir(&a, &files).unwrap(), "a-2026", b"a's");
    let err = connect_with_dir(&b, &files).unwrap_err().to_string();
    assert!(
        err.contains("holds the files of another rrm installation"),
        "{err}"
    );
}

#[test]
fn an_unmarked_directory_is_refused_once_there_are_files() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    add_file(
        &connect_with_dir(&schema, &tmp.path().join("a")).unwrap(),
        "a-2026",
        b"bytes",
    );
    let err = connect_with_dir(&schema, &tmp.path().join("b"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is not this data directory's file store"),
        "{err}"
    );
    assert!(err.contains("open it with `--blobs dir:"), "{err}");
}

#[test]
fn a_moved_directory_is_followed() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    let key = add_file(
        &connect_with_dir(&schema, &tmp.path().join("a")).unwrap(),
        "a-2026",
        b"moved",
    );
    std::fs::rename(tmp.path().join("a"), tmp.path().join("b")).unwrap();
    let store = connect_with_dir(&schema, &tmp.path().join("b")).unwrap();
    assert_eq!(store.blob(&key).unwrap().as_deref(), Some(&b"moved"[..]));
    let spec = store.blob_location().spec;
    assert!(spec.ends_with("/b"), "{spec}");
}

#[test]
fn a_database_without_files_may_take_another_place() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    drop(connect_with_dir(&schema, &tmp.path().join("a")).unwrap());
    let store = connect(&schema).unwrap();
    assert_eq!(store.blob_location(), BlobLocation::database());
    add_file(&store, "a-2026", b"now in the database");
    drop(store);
    assert!(
        connect_with_dir(&schema, &tmp.path().join("a")).is_err(),
        "not any more"
    );
}

#[test]
fn servers_connecting_at_once_to_a_new_database_agree_on_one_place() {
    let (schema, tmp) = (Schema::new(), tempfile::tempdir().unwrap());
    let files = tmp.path().join("files");
    let stores: Vec<PostgresStore> = std::thread::scope(|s| {
        let starts: Vec<_> = (0..4)
            .map(|_| s.spawn(|| connect_with_dir(&schema, &files).unwrap()))
            .collect();
        starts.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let key = add_file(&stores[0], "a-2026", b"one place");
    for store in &stores {
        assert_eq!(store.blob_location().kind, BlobKind::Directory);
        assert!(store.blob(&key).unwrap().is_some());
    }
}
