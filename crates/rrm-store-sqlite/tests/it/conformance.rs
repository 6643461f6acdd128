//! The shared conformance suite of `rrm-store`, against in-memory and on-disk SQLite stores.

use std::sync::atomic::{AtomicUsize, Ordering};

use rrm_store::{conformance, Store};
use rrm_store_sqlite::SqliteStore;

#[test]
fn in_memory_store_conforms() {
    conformance::run_all(&|| Box::new(SqliteStore::open_in_memory().unwrap()) as Box<dyn Store>);
}

#[test]
fn on_disk_store_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let made = AtomicUsize::new(0);
    conformance::run_all(&|| {
        let n = made.fetch_add(1, Ordering::Relaxed);
        let path = dir.path().join(format!("store-{n}.db"));
        Box::new(SqliteStore::open(&path).unwrap()) as Box<dyn Store>
    });
}
