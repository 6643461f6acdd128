//! What only a store in a file has: reopening, schema versions, the settings the file keeps,
//! several connections (or processes) writing to one file, and its size.

use std::sync::{Arc, Barrier};

use rrm_store::{Projection, Store, StoreError};
use rrm_store_sqlite::{SqliteStore, SCHEMA_VERSION};

use crate::support::{counted_case, raw, DiskStore};

#[test]
fn reopened_store_reads_what_was_written() {
    let s = DiskStore::new();
    let cases: Vec<_> = (0..5)
        .map(|i| counted_case(&format!("c-{i}"), i + 1))
        .collect();
    s.store.create_cases(&cases).unwrap();
    let before = s.store.events("c-4").unwrap();
    let reopened = SqliteStore::open(&s.path).unwrap();
    assert_eq!(reopened.events("c-4").unwrap(), before);
    assert_eq!(reopened.verify(&mut |_| {}).unwrap().events, 15);
    assert_eq!(reopened.path(), Some(s.path.as_path()));
}

#[test]
fn file_is_in_wal_mode_at_the_current_schema_version() {
    let s = DiskStore::new();
    let conn = s.raw();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), version), ("wal", SCHEMA_VERSION));
}

#[test]
fn database_from_a_newer_build_is_refused() {
    let s = DiskStore::new();
    raw(&s.path)
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    match SqliteStore::open(&s.path) {
        Err(StoreError::Other(why)) => assert!(why.contains("newer"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn two_stores_on_one_file_never_fork_a_chain() {
    let s = DiskStore::new();
    s.store.create_cases(&[counted_case("shared", 1)]).unwrap();
    let stores = [
        Arc::new(SqliteStore::open(&s.path).unwrap()),
        Arc::new(SqliteStore::open(&s.path).unwrap()),
    ];
    for head in 1..=10u64 {
        let barrier = Arc::new(Barrier::new(2));
        let threads: Vec<_> = stores
            .iter()
            .map(|store| {
                let (store, barrier) = (store.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let event = counted_case("x", 1).events.remove(0);
                    barrier.wait();
                    store.append("shared", head, &[event], &Projection::default())
                })
            })
            .collect();
        let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let won = results.iter().filter(|r| r.is_ok()).count();
        let lost = results
            .iter()
            .filter(|r| matches!(r, Err(StoreError::Conflict(_))))
            .count();
        assert_eq!((won, lost), (1, 1), "head {head}: {results:?}");
    }
    assert_eq!(s.store.case("shared").unwrap().unwrap().head_seq, 11);
    assert_eq!(s.store.verify(&mut |_| {}).unwrap().broken, []);
}

#[test]
fn stats_measure_the_file() {
    let s = DiskStore::new();
    let empty = s.store.stats().unwrap().bytes_on_disk;
    let cases: Vec<_> = (0..200)
        .map(|i| counted_case(&format!("c-{i}"), 10))
        .collect();
    s.store.create_cases(&cases).unwrap();
    let stats = s.store.stats().unwrap();
    assert!(
        stats.bytes_on_disk > empty,
        "{} > {empty}",
        stats.bytes_on_disk
    );
    assert_eq!(stats.bytes_on_disk % 512, 0, "whole pages");
    assert_eq!((stats.cases, stats.events), (200, 2_000));
}

/// A batch of hundreds of cases verifies whole, and a duplicate late in a large batch still
/// leaves nothing of it written.
#[test]
fn large_batches_store_whole_or_nothing() {
    let s = DiskStore::new();
    let cases: Vec<_> = (0..300)
        .map(|i| counted_case(&format!("big-{i:03}"), i % 7))
        .collect();
    s.store.create_cases(&cases).unwrap();
    let report = s.store.verify(&mut |_| {}).unwrap();
    assert_eq!((report.cases, report.broken.len()), (300, 0));
    let mut second: Vec<_> = (0..100)
        .map(|i| counted_case(&format!("more-{i:03}"), 3))
        .collect();
    second[90] = counted_case("big-123", 1);
    match s.store.create_cases(&second) {
        Err(StoreError::Conflict(why)) => assert!(why.contains("big-123"), "{why}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        s.store.case("more-000").unwrap(),
        None,
        "nothing of the batch is written"
    );
    assert_eq!(s.store.stats().unwrap().cases, 300);
}
