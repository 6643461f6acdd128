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
fn in_memory_vault_conforms() {
    rrm_store::conformance_vault::run_all_vault(&|| SqliteStore::open_in_memory().unwrap());
}

#[test]
fn in_memory_access_conforms() {
    rrm_store::conformance_access::run_all_access(&|| SqliteStore::open_in_memory().unwrap());
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

#[test]
fn sessions_from_before_migration_3_count_as_used_when_created() {
    use rrm_store::{sha256, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema2.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/0001_init.sql"))
            .unwrap();
        conn.execute_batch(include_str!("../migrations/0002_workspace.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute(
            "insert into users values (1, 'a@example.org', 'A', 'x', 'analyst', '2026-11-20T09:00:00Z')",
            [],
        )
        .unwrap();
        conn.execute(
            "insert into sessions values (?1, 1, 'csrf', '2026-11-23T10:00:00Z', '2026-11-23T22:00:00Z')",
            [&sha256(b"old")[..]],
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let s = store.session(&sha256(b"old")).unwrap().expect("kept");
    assert_eq!(s.last_seen, s.created);
    assert_eq!(store.totp(s.user).unwrap(), None, "no authenticator yet");
}

#[test]
fn migration_4_rebuilds_users_keeping_accounts_sessions_and_notes() {
    use rrm_store::{sha256, AccessControl, Government, Role, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    {
        // Schema 2, as a build before access control left it: a case, a user, a session and
        // a note that point at the user.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/0001_init.sql"))
            .unwrap();
        conn.execute_batch(include_str!("../migrations/0002_workspace.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "insert into cases values ('old-2021', 'usmca-31a', null, '{}', zeroblob(32), 0, zeroblob(32));
             insert into users values (7, 'ana@example.org', 'Ana', '$argon2id$x', 'supervisor', '2026-01-02T03:04:05Z');
             insert into notes (case_id, author, text, created) values ('old-2021', 7, 'n', '2026-01-02T03:04:05Z');",
        )
        .unwrap();
        conn.execute(
            "insert into sessions values (?1, 7, 'csrf', '2026-01-02T03:04:05Z', '2026-01-02T15:04:05Z')",
            [&sha256(b"cookie")[..]],
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let ana = store.user(rrm_store::UserId(7)).unwrap().unwrap();
    assert_eq!((ana.role, ana.disabled), (Role::Supervisor, None));
    assert!(store.session(&sha256(b"cookie")).unwrap().is_some());
    assert_eq!(store.notes("old-2021").unwrap().len(), 1);
    // The widened role check takes the new roles, and foreign keys still hold.
    store
        .set_role(ana.id, Role::Counterpart(Government::Canada))
        .unwrap();
    let orphan = store.add_note(&rrm_store::NewNote {
        case_id: "old-2021".into(),
        author: rrm_store::UserId(99),
        text: rrm_store::Sealed(b"x".to_vec()),
        created: "2026-01-02T03:04:05Z".parse().unwrap(),
    });
    assert!(orphan.is_err(), "notes still reference users");
}
