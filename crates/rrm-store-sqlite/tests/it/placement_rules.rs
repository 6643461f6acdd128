//! A data directory remembers where its files are: opening it against another place is
//! refused with both places named, a store another installation marked is refused, and a
//! directory moved as a whole is followed.

use std::sync::Mutex;

use rrm_store::{BlobKind, BlobLocation, Workspace};
use rrm_store_sqlite::SqliteStore;

use crate::support::{add_file, open_with_dir};

#[test]
fn a_new_database_takes_a_directory_and_remembers_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (db, files) = (tmp.path().join("rrm.db"), tmp.path().join("files"));
    let key = add_file(
        &open_with_dir(&db, &files).unwrap(),
        "a-2026",
        b"sealed bytes",
    );
    assert!(
        files.join("rrm-blobs-owner").exists(),
        "the directory is marked"
    );
    let told = Mutex::new(None);
    let reopened = SqliteStore::open_with_blobs(&db, &|recorded| {
        *told.lock().unwrap() = Some(recorded.clone());
        let store = rrm_blobs::DirBlobStore::open(&files)?;
        Ok(rrm_store::BlobPlacement::External(std::sync::Arc::new(
            store,
        )))
    })
    .unwrap();
    let recorded = told.lock().unwrap().clone().unwrap();
    assert_eq!(recorded.kind, BlobKind::Directory);
    assert_eq!(
        recorded.spec,
        format!("dir:{}", files.canonicalize().unwrap().display())
    );
    assert_eq!(
        reopened.blob(&key).unwrap().as_deref(),
        Some(&b"sealed bytes"[..])
    );
    drop(reopened);
    let err = SqliteStore::open(&db).unwrap_err().to_string();
    assert!(
        err.contains(&format!("keeps its files in `{}`", recorded.spec))
            && err.contains("opened with `--blobs database`"),
        "names both: {err}"
    );
}

#[test]
fn a_database_holding_files_refuses_an_external_store() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("rrm.db");
    add_file(
        &SqliteStore::open(&db).unwrap(),
        "a-2026",
        b"in the database",
    );
    let err = open_with_dir(&db, &tmp.path().join("files"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("keeps its files in `database`")
            && err.contains("rrm blobs migrate --to dir:"),
        "{err}"
    );
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(
        store.blob_location(),
        BlobLocation::database(),
        "nothing changed"
    );
}

#[test]
fn another_installations_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let files = tmp.path().join("shared");
    add_file(
        &open_with_dir(&tmp.path().join("a.db"), &files).unwrap(),
        "a-2026",
        b"a's",
    );
    let err = open_with_dir(&tmp.path().join("b.db"), &files)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("holds the files of another rrm installation"),
        "{err}"
    );
}

#[test]
fn an_unmarked_directory_is_refused_once_there_are_files() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("rrm.db");
    add_file(
        &open_with_dir(&db, &tmp.path().join("a")).unwrap(),
        "a-2026",
        b"bytes",
    );
    let err = open_with_dir(&db, &tmp.path().join("b"))
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
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("rrm.db");
    let key = add_file(
        &open_with_dir(&db, &tmp.path().join("a")).unwrap(),
        "a-2026",
        b"moved",
    );
    std::fs::rename(tmp.path().join("a"), tmp.path().join("b")).unwrap();
    let store = open_with_dir(&db, &tmp.path().join("b")).unwrap();
    assert_eq!(store.blob(&key).unwrap().as_deref(), Some(&b"moved"[..]));
    let spec = store.blob_location().spec;
    assert!(spec.ends_with("/b"), "{spec}");
}

#[test]
fn a_database_without_files_may_take_another_place() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("rrm.db");
    drop(open_with_dir(&db, &tmp.path().join("a")).unwrap());
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.blob_location(), BlobLocation::database());
    add_file(&store, "a-2026", b"now in the database");
    drop(store);
    assert!(
        open_with_dir(&db, &tmp.path().join("a")).is_err(),
        "not any more"
    );
}
