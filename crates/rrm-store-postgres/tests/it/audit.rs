//! Two servers (two stores, two connections) on one database: the installation's audit log
//! stays one chain when both append at once, directly and as the custody of files; the store
//! version moves with the other's writes; writers of different kinds on one case never
//! deadlock.

use std::sync::Barrier;
use std::thread;

use rrm_store::{
    AuditFilter, AuditLog, Confidential, EvidenceOwner, NewNote, NewUser, Role, Sealed, Store,
    Workspace,
};

use crate::store::{case, event, projection};
use crate::support::{at, entry, file, Schema};

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
    // Another server's write reaches `a` once its last read is no longer fresh.
    let later = || std::thread::sleep(rrm_store_postgres::VERSION_FRESH * 2);
    let v0 = a.version().unwrap();
    b.create_cases(&[case("v-1", 1)]).unwrap();
    later();
    let v1 = a.version().unwrap();
    assert_ne!(v0, v1, "a case written by another server");
    // A fresh read is answered at once, without the database (async callers rely on it).
    assert_eq!(a.try_version().map(Result::unwrap), Some(v1));
    b.set_published("v-1", false).unwrap();
    later();
    assert!(
        a.try_version().is_none(),
        "stale: the caller asks `version`"
    );
    let v2 = a.version().unwrap();
    assert_ne!(v1, v2, "a publication change");
    b.append_audit(&[entry("x")]).unwrap();
    later();
    let v3 = a.version().unwrap();
    assert_ne!(v2, v3, "an audit entry");
    // This server's own write is seen at once, however fresh the last read.
    a.append_audit(&[entry("y")]).unwrap();
    assert!(a.try_version().is_none());
    assert_ne!(a.version().unwrap(), v3, "its own write");
    let refused = b.create_cases(&[case("v-1", 1)]);
    assert!(refused.is_err());
    later();
    assert_eq!(a.version().unwrap(), b.version().unwrap());
}

/// Every write takes the `store_version` row first, so writers of different kinds on one case
/// (an append locks the case row; a note's foreign key check share-locks it) queue in one
/// order and never deadlock, whichever server they come from.
#[test]
fn appends_and_notes_on_one_case_from_two_servers_all_commit() {
    const ROUNDS: u32 = 25;
    let schema = Schema::new();
    let (a, b) = (schema.store(), schema.store());
    a.create_cases(&[case("d-1", 1)]).unwrap();
    let author = a
        .add_user(&NewUser {
            email: "ana@example.org".into(),
            display_name: "Ana".into(),
            password_hash: Confidential::new("$argon2id$x".into()),
            role: Role::Analyst,
            created: at("2026-12-01T10:00:00Z"),
        })
        .unwrap();
    let before = a.version().unwrap();
    let start = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            start.wait();
            for n in 0..ROUNDS {
                let head = u64::from(n) + 1;
                a.append("d-1", head, &[event(n + 2)], &projection())
                    .unwrap();
            }
        });
        s.spawn(|| {
            start.wait();
            for n in 0..ROUNDS {
                let note = NewNote {
                    case_id: "d-1".into(),
                    author: author.id,
                    text: Sealed(format!("note {n}").into_bytes()),
                    created: at("2026-12-01T10:00:00Z"),
                };
                b.add_note(&note).unwrap();
                b.append_audit(&[entry(&format!("viewed {n}"))]).unwrap();
            }
        });
    });
    assert_eq!(
        b.case("d-1").unwrap().unwrap().head_seq,
        u64::from(ROUNDS) + 1
    );
    assert_eq!(a.notes("d-1").unwrap().len(), ROUNDS as usize);
    assert_ne!(a.version().unwrap(), before);
}
