//! The installation's audit log stays one chain when two servers (two stores, two
//! connections) append to it at the same time, directly and as the custody of files.

use std::sync::Barrier;
use std::thread;

use rrm_store::{AuditFilter, AuditLog, EvidenceOwner, Store, Workspace};

use crate::store::case;
use crate::support::{entry, file, Schema};

#[test]
fn two_servers_appending_at_once_keep_one_chain() {
    const ROUNDS: usize = 40;
    let schema = Schema::new();
    let (a, b) = (schema.store(), schema.store());
    a.create_cases(&[case("c-1", 1)]).unwrap();
    let start = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            start.wait();
            for i in 0..ROUNDS {
                // Two entries at a time, so a fork would interleave within a batch too.
                let batch = [entry(&format!("a:{i}:1")), entry(&format!("a:{i}:2"))];
                a.append_audit(&batch).unwrap();
            }
        });
        s.spawn(|| {
            start.wait();
            let owner = EvidenceOwner::Case("c-1".into());
            for i in 0..ROUNDS {
                let name = format!("b-{i}.pdf");
                let content = format!("%PDF {i}");
                let custody = [entry(&format!("b:{i}"))];
                b.add_evidence(&owner, &file(&name, content.as_bytes()), &custody)
                    .unwrap();
            }
        });
    });
    let all = b.audit_entries(&AuditFilter::default()).unwrap();
    assert_eq!(all.len(), ROUNDS * 3);
    let seqs: Vec<u64> = all.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=(ROUNDS * 3) as u64).collect::<Vec<_>>());
    let report = a.verify_audit().unwrap();
    assert_eq!(
        (report.entries, report.first_broken),
        ((ROUNDS * 3) as u64, None)
    );
    // Each of a's batches stayed together: the chain is in commit order.
    for first in &all {
        if let Some(round) = first.entry.subject.strip_prefix("a:") {
            if let Some(round) = round.strip_suffix(":1") {
                let next = &all[first.seq as usize];
                assert_eq!(next.entry.subject, format!("a:{round}:2"));
            }
        }
    }
}

#[test]
fn the_store_version_moves_with_every_write_from_any_server() {
    let schema = Schema::new();
    let (a, b) = (schema.store(), schema.store());
    let v0 = a.version().unwrap();
    b.create_cases(&[case("v-1", 1)]).unwrap();
    let v1 = a.version().unwrap();
    assert_ne!(v0, v1, "a case written by another server");
    b.set_published("v-1", false).unwrap();
    let v2 = a
        .try_version()
        .expect("an idle store answers at once")
        .unwrap();
    assert_ne!(v1, v2, "a publication change");
    b.append_audit(&[entry("x")]).unwrap();
    assert_ne!(v2, a.version().unwrap(), "an audit entry");
    let refused = b.create_cases(&[case("v-1", 1)]);
    assert!(refused.is_err());
    assert_eq!(a.version().unwrap(), b.version().unwrap());
}
