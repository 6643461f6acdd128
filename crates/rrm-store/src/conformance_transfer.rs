//! Conformance of copying a whole installation between backends ([`Tables`]): every state that
//! any other conformance check leaves in a source backend must arrive whole in a new
//! destination, read back the same through every trait, and verify clean there.
//!
//! The copy itself is the caller's (rrm-backup's `copy`, a backup and restore through an
//! archive, ...), so the same suite checks every path between every pair of backends.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::conformance::CHECKS;
use crate::conformance_access::ACCESS_CHECKS;
use crate::conformance_vault::{Vault, VAULT_CHECKS};
use crate::conformance_workspace::WORKSPACE_CHECKS;
use crate::{AuditFilter, Backend, CaseFilter, StoreResult, Tables};

/// Fills a source with what one conformance check leaves behind.
type Fill<'a, S> = Box<dyn Fn(&S) + 'a>;

fn fills<'a, S: Backend>() -> Vec<(&'static str, Fill<'a, S>)> {
    let mut fills: Vec<(&'static str, Fill<'a, S>)> = Vec::new();
    for (name, check) in CHECKS {
        fills.push((name, Box::new(move |b: &S| check(b))));
    }
    for (name, check) in WORKSPACE_CHECKS {
        fills.push((name, Box::new(move |b: &S| check(b, b))));
    }
    for (name, check) in VAULT_CHECKS {
        fills.push((
            name,
            Box::new(move |b: &S| {
                check(&Vault {
                    store: b,
                    workspace: b,
                    keys: b,
                    audit: b,
                })
            }),
        ));
    }
    for (name, check) in ACCESS_CHECKS {
        fills.push((name, Box::new(move |b: &S| check(b, b, b))));
    }
    fills
}

/// For every conformance check: fills a fresh source by running it, copies into a fresh
/// destination with `copy`, and compares the two through the traits. Then checks that a copy
/// into a destination that is not empty is refused and leaves the destination as it was.
///
/// # Panics
/// On the first difference, naming the check whose state did not copy.
pub fn run_all_transfer<S, D>(
    make_source: &dyn Fn() -> S,
    make_destination: &dyn Fn() -> D,
    copy: &dyn Fn(&S, &D) -> StoreResult<()>,
) where
    S: Backend + Tables,
    D: Backend + Tables,
{
    for (name, fill) in fills::<S>() {
        let source = make_source();
        // A check that fails on the source is its own suite's failure, reported there.
        if catch_unwind(AssertUnwindSafe(|| fill(&source))).is_err() {
            panic!("filling the source with `{name}` failed (its message is above)");
        }
        let destination = make_destination();
        if let Err(e) = copy(&source, &destination) {
            panic!("copying the state of `{name}` failed: {e}");
        }
        if catch_unwind(AssertUnwindSafe(|| same(&source, &destination))).is_err() {
            panic!("the state of `{name}` did not copy whole (the difference is above)");
        }
    }
    a_destination_that_is_not_empty_is_refused(make_source, make_destination, copy);
}

/// Compares what the traits read from both sides, and verifies the destination.
fn same<S: Backend, D: Backend>(source: &S, destination: &D) {
    let all = CaseFilter::default();
    let (cases, total) = source.list_cases(&all).expect("source cases");
    let (copied, copied_total) = destination.list_cases(&all).expect("destination cases");
    assert_eq!(copied, cases, "case rows");
    assert_eq!(copied_total, total);
    for case in &cases {
        assert_eq!(
            destination.case(&case.id).expect("case"),
            source.case(&case.id).expect("case"),
            "case {}",
            case.id
        );
        assert_eq!(
            destination.events(&case.id).expect("events"),
            source.events(&case.id).expect("events"),
            "events of {}",
            case.id
        );
        assert_eq!(
            destination.documents(&case.id).expect("documents"),
            source.documents(&case.id).expect("documents"),
            "documents of {}",
            case.id
        );
        assert_eq!(
            destination.notes(&case.id).expect("notes"),
            source.notes(&case.id).expect("notes"),
        );
    }
    let verified = destination.verify(&mut |_| {}).expect("verify");
    assert!(verified.broken.is_empty(), "{:?}", verified.broken);
    assert_eq!(
        destination.users().expect("users"),
        source.users().expect("users")
    );
    assert_eq!(
        destination.teams().expect("teams"),
        source.teams().expect("teams")
    );
    assert_eq!(
        destination.case_keys().expect("keys"),
        source.case_keys().expect("keys")
    );
    assert_eq!(
        destination.unpublished().expect("u"),
        source.unpublished().expect("u")
    );
    let everything = AuditFilter::default();
    assert_eq!(
        destination.audit_entries(&everything).expect("audit"),
        source.audit_entries(&everything).expect("audit"),
        "audit log"
    );
    let audit = destination.verify_audit().expect("verify audit");
    assert_eq!(audit.first_broken, None);
    let blobs = destination.verify_blobs(&mut |_| {}).expect("verify blobs");
    let source_blobs = source.verify_blobs(&mut |_| {}).expect("verify blobs");
    assert_eq!(
        (blobs.blobs, blobs.bytes),
        (source_blobs.blobs, source_blobs.bytes)
    );
    assert!(
        blobs.broken.is_empty() && blobs.missing.is_empty(),
        "{blobs:?}"
    );
    let (mut d, mut s) = (
        destination.stats().expect("stats"),
        source.stats().expect("stats"),
    );
    // The size on disk is each backend's own.
    (d.bytes_on_disk, s.bytes_on_disk) = (0, 0);
    assert_eq!(d, s, "stats");
}

fn a_destination_that_is_not_empty_is_refused<S, D>(
    make_source: &dyn Fn() -> S,
    make_destination: &dyn Fn() -> D,
    copy: &dyn Fn(&S, &D) -> StoreResult<()>,
) where
    S: Backend + Tables,
    D: Backend + Tables,
{
    let source = make_source();
    (WORKSPACE_CHECKS[0].1)(&source, &source);
    let destination = make_destination();
    (CHECKS[0].1)(&destination);
    let before = destination
        .list_cases(&CaseFilter::default())
        .expect("cases");
    let refused = copy(&source, &destination).expect_err("a copy into a store with rows");
    assert!(refused.to_string().contains("not empty"), "{refused}");
    let after = destination
        .list_cases(&CaseFilter::default())
        .expect("cases");
    assert_eq!(after, before, "a refused copy changed the destination");
}
