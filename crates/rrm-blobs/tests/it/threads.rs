//! The S3 store is synchronous outside: it must work from a thread with no runtime (the
//! command line), from `spawn_blocking` (the web), even from inside an async task, and be
//! dropped inside a runtime without panicking.

use std::sync::Arc;

use rrm_blobs::test_support::{fresh_bucket, s3_settings};
use rrm_blobs::S3BlobStore;
use rrm_store::BlobStore;

fn store() -> Arc<S3BlobStore> {
    Arc::new(S3BlobStore::open(&fresh_bucket(), "t", &s3_settings()).unwrap())
}

#[test]
fn works_from_a_plain_thread() {
    let s = store();
    let key = std::thread::spawn(move || s.put(b"from a thread").unwrap())
        .join()
        .unwrap();
    assert_eq!(key, rrm_store::sha256(b"from a thread"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_from_spawn_blocking_and_drops_inside_a_runtime() {
    let s = store();
    let moved = s.clone();
    let back = tokio::task::spawn_blocking(move || {
        let key = moved.put(b"from the web").unwrap();
        moved.get(&key).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(back.as_deref(), Some(&b"from the web"[..]));
    drop(s); // the last reference, inside an async context
}

#[tokio::test(flavor = "current_thread")]
async fn works_from_inside_an_async_task() {
    let s = store();
    let key = s.put(b"from a task").unwrap();
    assert_eq!(s.get(&key).unwrap().as_deref(), Some(&b"from a task"[..]));
}
