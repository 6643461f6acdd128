//! The copy and the archive with PostgreSQL on either side, against the local server
//! (`RRM_TEST_DATABASE_URL`, or `postgres://postgres@127.0.0.1:5432/test`); each store gets
//! a fresh schema, dropped at the end. An unreachable server fails the tests, never skips them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use postgres::{Client, NoTls};
use rrm_store::conformance_transfer::run_all_transfer;
use rrm_store_postgres::PostgresStore;
use rrm_store_sqlite::SqliteStore;

use super::fill_from;
use crate::{copy, restore_archive, write_archive};

fn server() -> String {
    std::env::var("RRM_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Fresh schemas, dropped when this is.
#[derive(Default)]
struct Schemas(Mutex<Vec<String>>);

impl Schemas {
    fn store(&self) -> PostgresStore {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "rrm_backup_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = Client::connect(&server(), NoTls)
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL at {}: {e}", server()));
        admin
            .batch_execute(&format!(
                "drop schema if exists {name} cascade; create schema {name}"
            ))
            .unwrap();
        self.0.lock().unwrap().push(name.clone());
        let sep = if server().contains('?') { '&' } else { '?' };
        PostgresStore::connect(&format!("{}{sep}options=-csearch_path%3D{name}", server())).unwrap()
    }
}

impl Drop for Schemas {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&server(), NoTls) {
            for name in self.0.lock().unwrap().iter() {
                let _ = admin.batch_execute(&format!("drop schema if exists {name} cascade"));
            }
        }
    }
}

fn memory() -> SqliteStore {
    SqliteStore::open_in_memory().unwrap()
}

#[test]
fn sqlite_copies_into_postgresql_whole() {
    let schemas = Schemas::default();
    run_all_transfer(&memory, &|| schemas.store(), &|source, destination| {
        copy(source, &fill_from(source), destination, &mut |_, _| {}).map(|_| ())
    });
}

#[test]
fn postgresql_copies_into_sqlite_whole() {
    let schemas = Schemas::default();
    run_all_transfer(&|| schemas.store(), &memory, &|source, destination| {
        let fill = |sha: &[u8]| {
            let key: [u8; 32] = sha.try_into().expect("a key");
            rrm_store::Workspace::blob(source, &key)
        };
        copy(source, &fill, destination, &mut |_, _| {}).map(|_| ())
    });
}

#[test]
fn a_postgresql_archive_restores_into_postgresql_whole() {
    let schemas = Schemas::default();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.rrm");
    run_all_transfer(
        &|| schemas.store(),
        &|| schemas.store(),
        &|source, destination| {
            let _ = std::fs::remove_file(&path);
            let fill = |sha: &[u8]| {
                let key: [u8; 32] = sha.try_into().expect("a key");
                rrm_store::Workspace::blob(source, &key)
            };
            let written = write_archive(source, &fill, &path, "2026-12-01", "postgresql")?;
            assert_eq!(restore_archive(&path, destination)?, written);
            Ok(())
        },
    );
}
