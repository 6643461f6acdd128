//! The workspace conformance suite of `rrm-store`, against in-memory and on-disk SQLite stores.
//! (Unit tests of this module, so the benchmark's integration-test binary stays untouched.)

use std::sync::atomic::{AtomicUsize, Ordering};

use rrm_store::conformance_workspace::run_all_workspace;

use crate::SqliteStore;

#[test]
fn in_memory_workspace_conforms() {
    run_all_workspace(&|| SqliteStore::open_in_memory().unwrap());
}

#[test]
fn on_disk_workspace_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let made = AtomicUsize::new(0);
    run_all_workspace(&|| {
        let n = made.fetch_add(1, Ordering::Relaxed);
        SqliteStore::open(&dir.path().join(format!("ws-{n}.db"))).unwrap()
    });
}

#[test]
fn a_database_from_before_the_workspace_migrates_and_keeps_its_cases_published() {
    use rrm_store::{Store, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // Schema 1 only, as a build before migration 0002 left it, with one case.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/0001_init.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "insert into cases values ('old-2021', 'usmca-31a', null, '{}', zeroblob(32), 0, zeroblob(32))",
            [],
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert!(store.case("old-2021").unwrap().is_some());
    assert!(store.is_published("old-2021").unwrap());
    assert_eq!(store.unpublished().unwrap(), Vec::<String>::new());
}
