//! The conformance suites with file bytes in each placement: the `blobs` table as a blob
//! store, and the workspace and vault suites with bytes in a directory and in S3.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rrm_blobs::test_support::{fresh_bucket, s3_settings};
use rrm_blobs::{DirBlobStore, S3BlobStore};
use rrm_store::conformance_blobs::run_all_blobs;
use rrm_store::conformance_vault::run_all_vault;
use rrm_store::conformance_workspace::run_all_workspace;
use rrm_store::{BlobPlacement, BlobStore};
use rrm_store_sqlite::SqliteStore;

#[test]
fn the_database_as_a_blob_store_conforms() {
    run_all_blobs(&|check| check(&SqliteStore::open_in_memory().unwrap().database_blobs()));
    let dir = tempfile::tempdir().unwrap();
    let made = AtomicUsize::new(0);
    run_all_blobs(&|check| {
        let n = made.fetch_add(1, Ordering::Relaxed);
        let store = SqliteStore::open(&dir.path().join(format!("b-{n}.db"))).unwrap();
        check(&store.database_blobs());
    });
}

fn in_memory_with(blobs: Arc<dyn BlobStore>) -> SqliteStore {
    SqliteStore::open_in_memory_with_blobs(BlobPlacement::External(blobs)).unwrap()
}

#[test]
fn the_workspace_conforms_with_files_in_a_directory() {
    let root = tempfile::tempdir().unwrap();
    let made = AtomicUsize::new(0);
    let make = || {
        let n = made.fetch_add(1, Ordering::Relaxed);
        in_memory_with(Arc::new(
            DirBlobStore::open(&root.path().join(n.to_string())).unwrap(),
        ))
    };
    run_all_workspace(&make);
    run_all_vault(&make);
}

#[test]
fn the_workspace_conforms_with_files_in_s3() {
    let make = || {
        let store = S3BlobStore::open(&fresh_bucket(), "files", &s3_settings()).unwrap();
        in_memory_with(Arc::new(store))
    };
    run_all_workspace(&make);
    run_all_vault(&make);
}
