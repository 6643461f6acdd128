//! The conformance suite of [`BlobStore`], run against every kind of blob store (in the
//! database, a directory, S3-compatible storage): keys are the SHA-256 of the bytes, puts are
//! idempotent also when they race, a walk lists every object once, deletes and the owner mark
//! do what they say.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{sha256, BlobStore, Hash};

pub type BlobCheck = fn(&dyn BlobStore);

/// What a suite's `with_store` is handed: run it once with a fresh store.
pub type Lend<'a> = dyn FnMut(&dyn BlobStore) + 'a;

/// Every check, with its name.
pub const BLOB_CHECKS: &[(&str, BlobCheck)] = &[
    ("a_put_is_keyed_by_its_sha256", a_put_is_keyed_by_its_sha256),
    ("puts_are_idempotent", puts_are_idempotent),
    ("unknown_keys_read_as_none", unknown_keys_read_as_none),
    (
        "a_walk_lists_every_object_once",
        a_walk_lists_every_object_once,
    ),
    (
        "a_walk_pages_through_many_objects",
        a_walk_pages_through_many_objects,
    ),
    ("a_delete_removes_one_object", a_delete_removes_one_object),
    ("the_owner_mark_is_kept", the_owner_mark_is_kept),
    ("racing_puts_all_succeed", racing_puts_all_succeed),
    ("large_objects_round_trip", large_objects_round_trip),
];

/// Runs every check, each against a fresh, empty store that `with_store` makes and lends to
/// the check it is given (so a store may borrow from something `with_store` owns).
///
/// # Panics
/// On the first failing check, after the failure's own message, with the check's name.
pub fn run_all_blobs(with_store: &dyn Fn(&mut Lend<'_>)) {
    for (name, check) in BLOB_CHECKS {
        let mut ran = false;
        with_store(&mut |store| {
            if catch_unwind(AssertUnwindSafe(|| check(store))).is_err() {
                panic!("blob store conformance check `{name}` failed (its message is above)");
            }
            ran = true;
        });
        assert!(ran, "the store for check `{name}` was never lent");
    }
}

fn walked(store: &dyn BlobStore) -> Vec<(Hash, u64)> {
    let mut out = Vec::new();
    store
        .walk(&mut |e| {
            out.push((e.key, e.size));
            Ok(())
        })
        .expect("walk");
    out.sort_unstable();
    out
}

pub fn a_put_is_keyed_by_its_sha256(store: &dyn BlobStore) {
    for bytes in [&b"%PDF-1.7 evidence"[..], &[0u8, 255, 10, 13, 0][..], b""] {
        let key = store.put(bytes).expect("put");
        assert_eq!(key, sha256(bytes), "the key is the SHA-256 of the bytes");
        assert_eq!(store.get(&key).expect("get").as_deref(), Some(bytes));
    }
    assert!(!store.location().spec.is_empty(), "a location names itself");
}

pub fn puts_are_idempotent(store: &dyn BlobStore) {
    let first = store.put(b"the same bytes").expect("put");
    let again = store.put(b"the same bytes").expect("put again");
    assert_eq!(first, again);
    assert_eq!(walked(store), vec![(first, 14)], "kept once");
}

pub fn unknown_keys_read_as_none(store: &dyn BlobStore) {
    store.put(b"something else").expect("put");
    assert_eq!(store.get(&sha256(b"never stored")).expect("get"), None);
    assert_eq!(walked(store).len(), 1);
}

pub fn a_walk_lists_every_object_once(store: &dyn BlobStore) {
    assert_eq!(walked(store), vec![], "a new store is empty");
    let mut expected: Vec<(Hash, u64)> = (0..25u32)
        .map(|i| {
            let bytes = format!("file {i} {}", "x".repeat(i as usize));
            (
                store.put(bytes.as_bytes()).expect("put"),
                bytes.len() as u64,
            )
        })
        .collect();
    expected.sort_unstable();
    assert_eq!(walked(store), expected);
    let mut stopped = 0;
    let result = store.walk(&mut |_| {
        stopped += 1;
        Err(crate::StoreError::Other("stop".into()))
    });
    assert!(
        result.is_err() && stopped == 1,
        "a walk stops at the first error"
    );
}

/// More objects than one page of an S3 listing (1,000 keys).
pub fn a_walk_pages_through_many_objects(store: &dyn BlobStore) {
    let keys: HashSet<Hash> = (0..1_010u32)
        .map(|i| store.put(&i.to_le_bytes()).expect("put"))
        .collect();
    let listed: Vec<Hash> = walked(store).into_iter().map(|(k, _)| k).collect();
    assert_eq!(listed.len(), keys.len(), "every object once");
    assert_eq!(listed.into_iter().collect::<HashSet<_>>(), keys);
}

pub fn a_delete_removes_one_object(store: &dyn BlobStore) {
    let keep = store.put(b"keep").expect("put");
    let gone = store.put(b"gone").expect("put");
    assert!(store.delete(&gone).expect("delete"));
    assert!(!store.delete(&gone).expect("delete again"), "nothing left");
    assert_eq!(store.get(&gone).expect("get"), None);
    assert_eq!(
        store.get(&keep).expect("get").as_deref(),
        Some(&b"keep"[..])
    );
    assert_eq!(walked(store), vec![(keep, 4)]);
}

pub fn the_owner_mark_is_kept(store: &dyn BlobStore) {
    assert_eq!(
        store.owner().expect("owner"),
        None,
        "a new store is unclaimed"
    );
    store.set_owner("0123abcd").expect("claim");
    assert_eq!(store.owner().expect("owner").as_deref(), Some("0123abcd"));
    store.set_owner("4567ef01").expect("claim again");
    assert_eq!(store.owner().expect("owner").as_deref(), Some("4567ef01"));
    assert_eq!(walked(store), vec![], "the mark is not an object");
}

pub fn racing_puts_all_succeed(store: &dyn BlobStore) {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4u8)
            .map(|i| {
                s.spawn(move || {
                    let shared = store.put(b"public document").expect("racing put");
                    let own = store.put(&[i; 64]).expect("own put");
                    (shared, own)
                })
            })
            .collect();
        for h in handles {
            let (shared, own) = h.join().expect("no panic");
            assert_eq!(shared, sha256(b"public document"));
            assert!(store.get(&own).expect("get").is_some());
        }
    });
    assert_eq!(walked(store).len(), 5);
    let shared = store.get(&sha256(b"public document")).expect("get");
    assert_eq!(shared.as_deref(), Some(&b"public document"[..]), "not torn");
}

/// Larger than the web's 10 MiB upload limit, in bytes that no two positions repeat in step.
pub fn large_objects_round_trip(store: &dyn BlobStore) {
    let bytes: Vec<u8> = (0..11 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let key = store.put(&bytes).expect("put");
    assert_eq!(key, sha256(&bytes));
    let back = store.get(&key).expect("get").expect("present");
    assert!(back == bytes, "read back intact");
    assert_eq!(walked(store), vec![(key, bytes.len() as u64)]);
}
