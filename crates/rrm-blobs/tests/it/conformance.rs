//! `rrm_store`'s blob conformance suite against both external kinds.

use std::sync::atomic::{AtomicUsize, Ordering};

use rrm_blobs::test_support::{fresh_bucket, s3_settings};
use rrm_blobs::{DirBlobStore, S3BlobStore};
use rrm_store::conformance_blobs::run_all_blobs;

#[test]
fn directory_store_conforms() {
    let root = tempfile::tempdir().unwrap();
    let made = AtomicUsize::new(0);
    run_all_blobs(&|check| {
        let n = made.fetch_add(1, Ordering::Relaxed);
        check(&DirBlobStore::open(&root.path().join(format!("files-{n}"))).unwrap());
    });
}

#[test]
fn s3_store_under_a_prefix_conforms() {
    run_all_blobs(&|check| {
        check(&S3BlobStore::open(&fresh_bucket(), "rrm/files", &s3_settings()).unwrap());
    });
}

#[test]
fn s3_store_at_a_bucket_root_conforms() {
    run_all_blobs(&|check| {
        check(&S3BlobStore::open(&fresh_bucket(), "", &s3_settings()).unwrap());
    });
}
